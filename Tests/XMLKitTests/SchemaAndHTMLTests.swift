import Foundation
import XCTest
import XMLKit

/// Foundation on macOS has its own XMLElement; this keeps the tests unambiguous there.
typealias XMLElement = XMLKit.XMLElement

final class XMLSchemaTests: XCTestCase {
    private let xsd = """
    <?xml version="1.0" encoding="UTF-8"?>
    <xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">
      <xs:element name="Manifest">
        <xs:complexType>
          <xs:sequence>
            <xs:element name="Document" maxOccurs="unbounded">
              <xs:complexType>
                <xs:sequence>
                  <xs:element name="Pages" type="xs:positiveInteger"/>
                </xs:sequence>
                <xs:attribute name="DocID" type="xs:string" use="required"/>
              </xs:complexType>
            </xs:element>
          </xs:sequence>
        </xs:complexType>
      </xs:element>
    </xs:schema>
    """

    func testValidDocumentHasNoErrors() throws {
        let w = try XMLWriter()
        try w.start("Manifest")
        try w.start("Document")
        try w.attribute("DocID", "ABC0001")
        try w.element("Pages", text: "3")
        let errors = XMLSchema.validate(xml: try w.finish(), xsd: xsd)
        XCTAssertEqual(errors, [])
    }

    func testEveryErrorIsReportedWithItsLine() {
        let xml = """
        <?xml version="1.0"?>
        <Manifest>
          <Document DocID="A">
            <Pages>0</Pages>
          </Document>
          <Document>
            <Pages>2</Pages>
          </Document>
          <Stray/>
        </Manifest>
        """
        let errors = XMLSchema.validate(xml: Data(xml.utf8), xsd: xsd)
        XCTAssertEqual(errors.count, 3, "\(errors)")
        XCTAssertTrue(errors[0].hasPrefix("line 4: "), errors[0])
        XCTAssertTrue(errors[0].contains("Pages"), errors[0])
        XCTAssertTrue(errors[1].hasPrefix("line 6: "), errors[1])
        XCTAssertTrue(errors[1].contains("DocID"), errors[1])
        XCTAssertTrue(errors[2].hasPrefix("line 9: "), errors[2])
        XCTAssertTrue(errors[2].contains("Stray"), errors[2])
    }

    func testMalformedDocumentAndSchema() {
        let broken = XMLSchema.validate(xml: Data("<Manifest>\n<Document>\n</Manifest>".utf8), xsd: xsd)
        XCTAssertFalse(broken.isEmpty)
        XCTAssertTrue(broken[0].hasPrefix("line 3: "), "\(broken)")

        XCTAssertFalse(XMLSchema.validate(xml: Data(), xsd: xsd).isEmpty)

        let badSchema = XMLSchema.validate(xml: Data("<a/>".utf8), xsd: "<xs:schema xmlns:xs=\"http://www.w3.org/2001/XMLSchema\">\n<xs:element name=\"a\" type=\"xs:nope\"/>\n</xs:schema>")
        XCTAssertFalse(badSchema.isEmpty)
        XCTAssertTrue(badSchema[0].contains("XSD:"), "\(badSchema)")
        XCTAssertFalse(XMLSchema.validate(xml: Data("<a/>".utf8), xsd: "not a schema").isEmpty)
    }
}

final class HTMLTextTests: XCTestCase {
    private func text(_ html: String, charset: String? = "utf-8") -> String {
        HTMLText.text(html: Data(html.utf8), charset: charset)
    }

    func testOutlookStyleEmail() {
        let html = """
        <html xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office" xmlns:w="urn:schemas-microsoft-com:office:word" xmlns:m="http://schemas.microsoft.com/office/2004/12/omml" xmlns="http://www.w3.org/TR/REC-html40">
        <head>
        <meta http-equiv="Content-Type" content="text/html; charset=utf-8">
        <meta name="Generator" content="Microsoft Word 15 (filtered medium)">
        <title>Ignored title</title>
        <style><!--
        /* Font Definitions */
        @font-face {font-family:"Cambria Math";}
        p.MsoNormal, li.MsoNormal, div.MsoNormal {margin:0cm; font-size:11.0pt;}
        --></style><!--[if gte mso 9]><xml>
        <o:shapedefaults v:ext="edit" spidmax="1026" />
        </xml><![endif]-->
        </head>
        <body lang="EN-US" link="#0563C1" vlink="#954F72" style="word-wrap:break-word">
        <div class="WordSection1">
        <p class="MsoNormal">Hi&nbsp;Jane,<o:p></o:p></p>
        <p class="MsoNormal"><o:p>&nbsp;</o:p></p>
        <p class="MsoNormal">Please   find the   Q3 numbers below &amp; attached.
        Let me know if <b>anything</b> looks <i>off</i>.<o:p></o:p></p>
        <p class="MsoNormal"><o:p>&nbsp;</o:p></p>
        <table class="MsoNormalTable" border="0" cellspacing="0" cellpadding="0">
        <tr><td><p class="MsoNormal"><b>Region</b></p></td><td><p class="MsoNormal"><b>Revenue</b></p></td></tr>
        <tr><td><p class="MsoNormal">North</p></td><td><p class="MsoNormal">&euro;1,200</p></td></tr>
        <tr><td><table><tr><td>Nested</td><td>cell</td></tr></table></td><td>Outer</td></tr>
        </table>
        <p class="MsoNormal"><o:p>&nbsp;</o:p></p>
        <ul><li>First point</li><li>Second <a href="https://example.com/secret">link label</a><ul><li>Sub point</li></ul></li></ul>
        <p class="MsoNormal">Thanks,<br>Bob<br><br><br><br>Bob Smith | Finance<img src="cid:image001.png@01D" alt="Company logo"><o:p></o:p></p>
        <script>alert("no")</script><noscript>no script text</noscript>
        <div style="border:none;border-top:solid #E1E1E1 1.0pt;padding:3.0pt 0cm 0cm 0cm">
        <p class="MsoNormal"><b>From:</b> Jane Doe &lt;jane@example.com&gt;<br><b>Sent:</b> Monday, March 4, 2024 9:15 AM</p>
        </div>
        <blockquote><p>quoted &quot;text&quot;</p></blockquote>
        <pre>  preformatted
            keeps   spacing</pre>
        </div>
        </body>
        </html>
        """
        let expected = """
        Hi Jane,

        Please find the Q3 numbers below & attached. Let me know if anything looks off.

        Region\tRevenue
        North\t€1,200
        Nested\tcell\tOuter

        - First point
        - Second link label
          - Sub point
        Thanks,
        Bob

        Bob Smith | Finance
        From: Jane Doe <jane@example.com>
        Sent: Monday, March 4, 2024 9:15 AM
        quoted "text"
          preformatted
            keeps   spacing
        """
        XCTAssertEqual(text(html), expected)
    }

    func testSkippedElementsAndComments() {
        let html = "<html><head><title>T</title><style>p{}</style><script>x()</script></head><body>" +
            "<!-- hidden comment --><template><p>tpl</p></template><noscript>ns</noscript><p>visible</p></body></html>"
        XCTAssertEqual(text(html), "visible")
    }

    func testLineBreakRules() {
        XCTAssertEqual(text("a<br>b"), "a\nb")
        XCTAssertEqual(text("a<br><br>b"), "a\n\nb")
        XCTAssertEqual(text("a<br><br><br><br><br>b"), "a\n\nb")
        XCTAssertEqual(text("<p>a</p><p>b</p>"), "a\nb")
        XCTAssertEqual(text("<div>a<div>b</div>c</div>"), "a\nb\nc")
        XCTAssertEqual(text("<h1>Title</h1>Body <span>inline</span> text"), "Title\nBody inline text")
        XCTAssertEqual(text("one<hr>two"), "one\ntwo")
        XCTAssertEqual(text("<p>   </p><p>x   </p>\n\n  "), "x")
        XCTAssertEqual(text("<ol><li>one</li><li>two</li></ol>"), "- one\n- two")
        XCTAssertEqual(text("<table><tr><td>a</td><td></td><td>c</td></tr></table>"), "a\t\tc")
        XCTAssertEqual(text("<table><tr><td><p>a</p><p>b</p></td><td><div>c</div></td></tr><tr><td>d</td></tr></table>"), "a\nb\tc\nd")
        XCTAssertEqual(text("<ul><li><p>para item</p></li><li><div>div item</div></li></ul>"), "- para item\n- div item")
        XCTAssertEqual(text("x&nbsp;&nbsp;&nbsp;y &lt;z&gt; &#169; &copy; &#x263A;"), "x   y <z> © © ☺")
        XCTAssertEqual(text("<pre>\nline1\r\n  line2\n</pre>"), "line1\n  line2")
    }

    func testCharsets() {
        let latin1 = Data([0x3C, 0x70, 0x3E, 0x63, 0x61, 0x66, 0xE9, 0x20, 0x96, 0x20, 0x93, 0x71, 0x94, 0x3C, 0x2F, 0x70, 0x3E])
        XCTAssertEqual(HTMLText.text(html: latin1, charset: "windows-1252"), "café – “q”")
        // Mail often says iso-8859-1 while using cp1252 punctuation.
        XCTAssertEqual(HTMLText.text(html: latin1, charset: "ISO-8859-1"), "café – “q”")
        let sniffed = Data("<html><head><meta charset=\"windows-1252\"></head><body>".utf8) + latin1 + Data("</body></html>".utf8)
        XCTAssertEqual(HTMLText.text(html: sniffed, charset: nil), "café – “q”")
        XCTAssertEqual(HTMLText.text(html: Data("<p>naïve 日本</p>".utf8), charset: nil), "naïve 日本")
        XCTAssertEqual(HTMLText.text(html: Data("<p>naïve</p>".utf8), charset: "x-unknown-charset"), "naïve")
        let sjis = Data([0x3C, 0x70, 0x3E, 0x83, 0x65, 0x83, 0x58, 0x83, 0x67, 0x3C, 0x2F, 0x70, 0x3E])
        XCTAssertEqual(HTMLText.text(html: sjis, charset: "shift_jis"), "テスト")
        let utf16 = Data([0xFF, 0xFE]) + "<p>wide</p>".data(using: .utf16LittleEndian)!
        XCTAssertEqual(HTMLText.text(html: utf16, charset: nil), "wide")
    }

    func testDegenerateInput() {
        XCTAssertEqual(HTMLText.text(html: Data(), charset: nil), "")
        XCTAssertEqual(text("plain text, no tags"), "plain text, no tags")
        XCTAssertEqual(text("<p>unclosed <b>bold <i>both</p>after"), "unclosed bold both\nafter")
        XCTAssertEqual(text("\u{0}\u{1}<p>\u{7}x</p>"), text("\u{0}\u{1}<p>\u{7}x</p>"))
        XCTAssertFalse(HTMLText.text(html: Data((0..<5000).map { UInt8(truncatingIfNeeded: $0 &* 31) }), charset: nil).contains("\r"))
    }

    func testDeepNestingDoesNotCrash() {
        let depth = 10_000
        let html = "<html><body>" + String(repeating: "<div>", count: depth) + "deep text" +
            String(repeating: "</div>", count: depth) + "<p>after</p></body></html>"
        let result = text(html)
        XCTAssertTrue(result.contains("deep text"), String(result.prefix(200)))
        XCTAssertTrue(result.hasSuffix("after"))

        let inline = String(repeating: "<span>", count: depth) + "x" + String(repeating: "</span>", count: depth)
        XCTAssertEqual(text(inline), "x")
        let tables = String(repeating: "<table><tr><td>", count: 2000) + "cell" + String(repeating: "</td></tr></table>", count: 2000)
        XCTAssertEqual(text(tables), "cell")
    }

    func testDeepNestingOnASmallStackThread() {
        let done = expectation(description: "parsed")
        let thread = Thread {
            let html = String(repeating: "<div><b>", count: 5000) + "t" + String(repeating: "</b></div>", count: 5000)
            XCTAssertEqual(HTMLText.text(html: Data(html.utf8), charset: nil), "t")
            done.fulfill()
        }
        thread.stackSize = 512 << 10
        thread.start()
        wait(for: [done], timeout: 60)
    }
}
