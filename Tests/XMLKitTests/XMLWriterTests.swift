import Foundation
import XCTest
import XMLKit

final class XMLWriterTests: XCTestCase {
    func testDocumentShapeAndRoundTrip() throws {
        let w = try XMLWriter()
        try w.start("Root")
        try w.attribute("MajorVersion", "1")
        try w.start("Batch")
        try w.element("Name", text: "Production 001")
        try w.element("Empty", text: "")
        try w.end()
        try w.start("Documents")
        for i in 1...3 {
            try w.start("Document")
            try w.attribute("DocID", "ABC\(i)")
            try w.end()
        }
        let data = try w.finish()
        let text = String(decoding: data, as: UTF8.self)
        XCTAssertTrue(text.hasPrefix("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Root MajorVersion=\"1\">\n  <Batch>\n    <Name>Production 001</Name>\n"), text)
        XCTAssertTrue(text.hasSuffix("</Root>\n"), text)

        let root = try XMLElement.parse(data)
        XCTAssertEqual(root.name, "Root")
        XCTAssertEqual(root.attributes["MajorVersion"], "1")
        XCTAssertEqual(root.child("Batch")?.child("Name")?.text, "Production 001")
        XCTAssertEqual(root.child("Batch")?.child("Empty")?.text, "")
        XCTAssertEqual(root.text, "")
        XCTAssertEqual(root.descendants("Document").compactMap { $0.attributes["DocID"] }, ["ABC1", "ABC2", "ABC3"])
        XCTAssertEqual(root.child("Documents")?.children("Document").count, 3)
        XCTAssertNil(root.child("Missing"))
    }

    func testUnindentedOutput() throws {
        let w = try XMLWriter(indent: false)
        try w.start("a")
        try w.element("b", text: "x")
        let text = String(decoding: try w.finish(), as: UTF8.self)
        XCTAssertEqual(text, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<a><b>x</b></a>\n")
    }

    func testEscapingRoundTrips() throws {
        let nasty = "Tom & Jerry <tom@example.com> said \"hi\" & 'bye' ]]> \t tab\nnewline\r\nCRLF"
        let w = try XMLWriter()
        try w.start("r")
        try w.attribute("v", nasty)
        try w.element("t", text: nasty)
        let data = try w.finish()
        let text = String(decoding: data, as: UTF8.self)
        XCTAssertTrue(text.contains("&amp;"))
        XCTAssertTrue(text.contains("&lt;tom@example.com&gt;"))
        XCTAssertTrue(text.contains("&quot;hi&quot;"))
        XCTAssertFalse(text.contains("]]>"))
        let root = try XMLElement.parse(data)
        XCTAssertEqual(root.attributes["v"], nasty)
        XCTAssertEqual(root.child("t")?.text, nasty)
    }

    func testControlCharactersAreReplacedSoOutputStaysWellFormed() throws {
        let body = "bell\u{07} nul\u{00} esc\u{1B} vt\u{0B} ff\u{0C} nonchar\u{FFFE}\u{FFFF} keep\t\n emoji 📎 c1\u{85}"
        let w = try XMLWriter()
        try w.start("email")
        try w.attribute("subject", "Re:\u{01} budget")
        try w.text(body)
        let data = try w.finish()
        let root = try XMLElement.parse(data)
        XCTAssertEqual(root.attributes["subject"], "Re:\u{FFFD} budget")
        XCTAssertEqual(root.text,
                       "bell\u{FFFD} nul\u{FFFD} esc\u{FFFD} vt\u{FFFD} ff\u{FFFD} nonchar\u{FFFD}\u{FFFD} keep\t\n emoji 📎 c1\u{85}")
        XCTAssertEqual(XMLWriter.sanitize("plain"), "plain")
        // Swift turns lone surrogates into U+FFFD at decoding time; the writer accepts the result.
        let lone = String(decoding: [0xD800, 0x41] as [UInt16], as: UTF16.self)
        XCTAssertEqual(XMLWriter.sanitize(lone), "\u{FFFD}A")
    }

    func testMisuseThrows() throws {
        let w = try XMLWriter()
        XCTAssertThrowsError(try w.end())
        XCTAssertThrowsError(try w.text("before root"))
        XCTAssertThrowsError(try w.start("bad name"))
        XCTAssertThrowsError(try w.start("1abc"))
        try w.start("ok")
        try w.text("content")
        XCTAssertThrowsError(try w.attribute("late", "x")) { error in
            guard case XMLError.write = error else { return XCTFail("got \(error)") }
        }
        _ = try w.finish()
        XCTAssertThrowsError(try w.start("again"))
        XCTAssertThrowsError(try w.finish())
    }

    func testFinishClosesOpenElements() throws {
        let w = try XMLWriter()
        try w.start("a")
        try w.start("b")
        try w.start("c")
        let root = try XMLElement.parse(try w.finish())
        XCTAssertEqual(root.child("b")?.child("c")?.name, "c")
    }

    func testLargeDocument() throws {
        let w = try XMLWriter()
        try w.start("Documents")
        for i in 0..<20_000 {
            try w.start("Document")
            try w.attribute("DocID", String(format: "DOC%07d", i))
            try w.element("Text", text: "Body of document \(i) with some & entities < >")
            try w.end()
        }
        let data = try w.finish()
        let root = try XMLElement.parse(data)
        XCTAssertEqual(root.children.count, 20_000)
        XCTAssertEqual(root.children.last?.attributes["DocID"], "DOC0019999")
    }
}

final class XMLParseTests: XCTestCase {
    func testNamespacesCDATAAndText() throws {
        let xml = """
        <?xml version="1.0"?>
        <edrm:Root xmlns:edrm="urn:x" xmlns="urn:default" a="1" edrm:b="2">
          <Item>one<![CDATA[ <two> ]]>three</Item>
          mixed
          <edrm:Leaf>  spaced  </edrm:Leaf>
        </edrm:Root>
        """
        let root = try XMLElement.parse(Data(xml.utf8))
        XCTAssertEqual(root.name, "edrm:Root")
        XCTAssertEqual(root.attributes, ["a": "1", "edrm:b": "2"])
        XCTAssertEqual(root.child("Item")?.text, "one <two> three")
        XCTAssertEqual(root.child("edrm:Leaf")?.text, "  spaced  ")
        XCTAssertTrue(root.text.contains("mixed"))
    }

    func testMalformedInputThrowsParseError() {
        for bad in ["", "<a>", "<a></b>", "not xml at all", "<a x='1' x='2'/>", "<?xml version=\"1.0\"?>"] {
            XCTAssertThrowsError(try XMLElement.parse(Data(bad.utf8)), bad) { error in
                guard case XMLError.parse(let m) = error else { return XCTFail("got \(error)") }
                XCTAssertFalse(m.isEmpty)
            }
        }
    }

    func testExternalEntitiesAreNeverLoaded() throws {
        let marker = "XXE-MARKER-\(UUID().uuidString)"
        let secret = FileManager.default.temporaryDirectory.appendingPathComponent("xxe-\(UUID().uuidString).txt")
        try marker.write(to: secret, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: secret) }

        let documents = [
            "<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]><x>&e;</x>",
            "<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY e SYSTEM \"\(secret.absoluteString)\">]><x a=\"1\">&e;</x>",
            "<?xml version=\"1.0\"?><!DOCTYPE x SYSTEM \"\(secret.absoluteString)\"><x>plain</x>",
            "<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY % p SYSTEM \"\(secret.absoluteString)\"> %p;]><x>pe</x>",
            "<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY e SYSTEM \"http://127.0.0.1:9/evil\">]><x>&e;</x>",
        ]
        for doc in documents {
            do {
                let root = try XMLElement.parse(Data(doc.utf8))
                let all = ([root] + root.descendants("x")).map(\.text).joined()
                XCTAssertFalse(all.contains("root:"), doc)
                XCTAssertFalse(all.contains(marker), doc)
            } catch let error as XMLError {
                XCTAssertFalse(error.description.contains(marker))
            }
        }
    }

    func testBillionLaughsFinishesQuickly() {
        var dtd = "<!ENTITY lol0 \"lol\">"
        for i in 1...10 {
            dtd += "<!ENTITY lol\(i) \"" + String(repeating: "&lol\(i - 1);", count: 10) + "\">"
        }
        let doc = "<?xml version=\"1.0\"?><!DOCTYPE x [\(dtd)]><x>&lol10;</x>"
        let start = Date()
        if let root = try? XMLElement.parse(Data(doc.utf8)) {
            XCTAssertLessThan(root.text.count, 1000)
        }
        XCTAssertLessThan(Date().timeIntervalSince(start), 5)
    }

    func testExcessiveNestingIsAnErrorNotACrash() {
        let depth = 10_000
        let doc = String(repeating: "<d>", count: depth) + "x" + String(repeating: "</d>", count: depth)
        XCTAssertThrowsError(try XMLElement.parse(Data(doc.utf8)))
        let ok = String(repeating: "<d>", count: 200) + "deep" + String(repeating: "</d>", count: 200)
        let root = try? XMLElement.parse(Data(ok.utf8))
        XCTAssertEqual(root?.descendants("d").last?.text, "deep")
    }

    func testConcurrentUseIsIsolated() {
        DispatchQueue.concurrentPerform(iterations: 8) { i in
            for j in 0..<50 {
                let good = "<r i=\"\(i)\"><v>\(j)</v></r>"
                let parsed = try? XMLElement.parse(Data(good.utf8))
                XCTAssertEqual(parsed?.child("v")?.text, "\(j)")
                let broken = try? XMLElement.parse(Data("<r><v></r>".utf8))
                XCTAssertNil(broken)
                XCTAssertFalse(HTMLText.text(html: Data("<p>a\(j)</p>".utf8), charset: nil).isEmpty)
            }
        }
    }
}
