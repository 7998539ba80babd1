import ArchiveKit
import DiscloseCore
import Foundation
import MIMEKit
@testable import Normalize
import XCTest

/// Shared by the attachment-text tests: SampleData paths, attachments out of its emails, items.
enum Fixtures {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let deputy = root.appendingPathComponent("SampleData/custodian05-deputy-director")

    static func attachments(_ message: String) throws -> [MIMEAttachment] {
        try MIME.parse(Data(contentsOf: deputy.appendingPathComponent("Inbox/\(message).eml"))).attachments
    }

    static func attachment(_ message: String, _ name: String) throws -> Data {
        guard let a = try attachments(message).first(where: { $0.fileName == name }) else {
            throw XCTSkip("\(name) not found in \(message)")
        }
        return a.data
    }

    static func item(_ name: String, kind: ItemKind = .file, key: String = "0001.00000001") -> Item {
        Item(key: key, parentKey: "0001", source: 1, custodian: "C", kind: kind, format: "file", path: "p!/" + name,
             fileName: name, folder: "", size: 0, sha256: "", sha1: "", md5: "")
    }

    static func document(_ name: String, _ data: Data) throws -> Document {
        try Normalizer().document(for: item(name), bytes: data)
    }

    /// A zip of (name, text) parts written with ArchiveKit's deterministic writer.
    static func zip(_ parts: [(String, String)]) throws -> Data {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("office-fixture-\(UUID().uuidString).zip")
        defer { try? FileManager.default.removeItem(at: url) }
        let w = try ZipWriter(path: url.path)
        for (n, t) in parts { try w.addData(n, Data(t.utf8)) }
        try w.close()
        return try Data(contentsOf: url)
    }

    static func corpusFiles(_ extensions: Set<String>) -> [URL]? {
        let dir = root.appendingPathComponent("../shared/corpora").standardizedFileURL
        guard FileManager.default.fileExists(atPath: dir.path) else { return nil }
        var out: [URL] = []
        let e = FileManager.default.enumerator(at: dir, includingPropertiesForKeys: nil)
        while let u = e?.nextObject() as? URL {
            if extensions.contains(u.pathExtension.lowercased()) { out.append(u) }
        }
        return out.sorted { $0.path < $1.path }
    }
}

let xmlHead = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\r\n"
let wNS = "xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\" xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\" xmlns:mc=\"http://schemas.openxmlformats.org/markup-compatibility/2006\""
let relNS = "http://schemas.openxmlformats.org/package/2006/relationships"
let relBase = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"

func rels(_ items: [(String, String, String)]) -> String {
    xmlHead + "<Relationships xmlns=\"\(relNS)\">" + items.map { "<Relationship Id=\"\($0.0)\" Type=\"\(relBase)/\($0.1)\" Target=\"\($0.2)\"/>" }.joined() + "</Relationships>"
}

let contentTypes = xmlHead + "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"><Default Extension=\"xml\" ContentType=\"application/xml\"/></Types>"

final class OfficeTextTests: XCTestCase {
    static func docx() throws -> Data {
        let body = """
        <w:document \(wNS)><w:body>
        <w:p><w:pPr><w:tabs><w:tab w:val="left" w:pos="720"/></w:tabs></w:pPr><w:r><w:rPr><w:b/></w:rPr><w:t>Data Processing Addendum</w:t></w:r></w:p>
        <w:p><w:r><w:t xml:space="preserve">Clause 7.2 </w:t></w:r><w:r><w:t>(Export)</w:t></w:r><w:r><w:tab/><w:t>30 days</w:t></w:r><w:r><w:br/><w:t>second line &amp; more</w:t></w:r></w:p>
        <w:p><w:r><w:t xml:space="preserve">Vendor </w:t></w:r><w:del w:id="1" w:author="LF"><w:r><w:delText>may</w:delText></w:r></w:del><w:ins w:id="2" w:author="LF"><w:r><w:t>never</w:t></w:r></w:ins><w:r><w:t xml:space="preserve"> applies a template.</w:t></w:r></w:p>
        <w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText> HYPERLINK "http://x" </w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>link text</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>
        <w:p><w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><w:txbxContent><w:p><w:r><w:t>Text box once</w:t></w:r></w:p></w:txbxContent></w:drawing></mc:Choice><mc:Fallback><w:pict><w:txbxContent><w:p><w:r><w:t>Text box once</w:t></w:r></w:p></w:txbxContent></w:pict></mc:Fallback></mc:AlternateContent></w:r></w:p>
        <w:tbl><w:tblPr/><w:tblGrid><w:gridCol/></w:tblGrid>
        <w:tr><w:tc><w:tcPr/><w:p><w:r><w:t>Name</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>Phone</w:t></w:r></w:p></w:tc></w:tr>
        <w:tr><w:tc><w:p><w:r><w:t>Lucian</w:t></w:r></w:p><w:p><w:r><w:t>Ferreira</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>+1 555 014 2331</w:t></w:r></w:p></w:tc></w:tr>
        </w:tbl>
        <w:p><w:r><w:t>After the table</w:t></w:r><w:r><w:footnoteReference w:id="1"/></w:r></w:p>
        <w:sectPr><w:headerReference w:type="default" r:id="rIdH"/><w:pgSz w:w="12240"/></w:sectPr>
        </w:body></w:document>
        """
        return try Fixtures.zip([
            ("[Content_Types].xml", contentTypes),
            ("_rels/.rels", rels([("rId1", "officeDocument", "word/document.xml")])),
            ("word/document.xml", xmlHead + body),
            ("word/_rels/document.xml.rels", rels([("rIdH", "header", "header1.xml"), ("rIdF", "footer", "footer1.xml"),
                                                   ("rIdN", "footnotes", "footnotes.xml"), ("rIdC", "comments", "comments.xml"),
                                                   ("rIdX", "hyperlink", "http://x\" TargetMode=\"External")])),
            ("word/header1.xml", xmlHead + "<w:hdr \(wNS)><w:p><w:r><w:t>CONFIDENTIAL DRAFT</w:t></w:r></w:p></w:hdr>"),
            ("word/footer1.xml", xmlHead + "<w:ftr \(wNS)><w:p><w:r><w:t>Page footer</w:t></w:r></w:p></w:ftr>"),
            ("word/footnotes.xml", xmlHead + "<w:footnotes \(wNS)><w:footnote w:type=\"separator\" w:id=\"-1\"><w:p><w:r><w:separator/></w:r></w:p></w:footnote><w:footnote w:id=\"1\"><w:p><w:r><w:t>See the 2023 memo.</w:t></w:r></w:p></w:footnote></w:footnotes>"),
            ("word/comments.xml", xmlHead + "<w:comments \(wNS)><w:comment w:id=\"0\" w:author=\"Maria Lindqvist\"><w:p><w:r><w:t>Check with counsel.</w:t></w:r></w:p></w:comment></w:comments>"),
        ])
    }

    func testDOCX() throws {
        let data = try Self.docx()
        XCTAssertEqual(Sniff.mimeType(head: [UInt8](data.prefix(4096)), name: "x.bin"),
                       "application/vnd.openxmlformats-officedocument.wordprocessingml.document")
        let d = try Fixtures.document("addendum.docx", data)
        XCTAssertEqual(d.textNote, "")
        XCTAssertEqual(d.mimeType, "application/vnd.openxmlformats-officedocument.wordprocessingml.document")
        let lines = d.text.components(separatedBy: "\n")
        XCTAssertEqual(lines.first, "Data Processing Addendum")
        XCTAssertTrue(lines.contains("Clause 7.2 (Export)\t30 days"), d.text)
        XCTAssertTrue(lines.contains("second line & more"), d.text)
        XCTAssertTrue(lines.contains("Vendor [deleted: may]never applies a template."), d.text)
        XCTAssertTrue(lines.contains("link text"), d.text)
        XCTAssertFalse(d.text.contains("HYPERLINK"))
        XCTAssertEqual(d.text.components(separatedBy: "Text box once").count, 2, "alternate content read once")
        XCTAssertTrue(lines.contains("Name\tPhone"), d.text)
        XCTAssertTrue(lines.contains("Lucian Ferreira\t+1 555 014 2331"), d.text)
        XCTAssertTrue(lines.contains("After the table"), d.text)
        XCTAssertTrue(d.text.contains("[Header]\nCONFIDENTIAL DRAFT"), d.text)
        XCTAssertTrue(d.text.contains("[Footer]\nPage footer"), d.text)
        XCTAssertTrue(d.text.contains("[Footnotes]\nSee the 2023 memo."), d.text)
        XCTAssertTrue(d.text.contains("[Comments]\nComment by Maria Lindqvist: Check with counsel."), d.text)
        XCTAssertEqual(try Fixtures.document("addendum.docx", data), d, "same bytes, same document")
    }

    static let sNS = "xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\""

    static func xlsx(sheetCount: Int = 2) throws -> Data {
        try Fixtures.zip([
            ("[Content_Types].xml", contentTypes),
            ("_rels/.rels", rels([("rId1", "officeDocument", "xl/workbook.xml")])),
            ("xl/workbook.xml", xmlHead + "<workbook \(sNS)><workbookPr/><sheets><sheet name=\"Roster &amp; seats\" sheetId=\"1\" r:id=\"rId1\"/><sheet name=\"Old\" sheetId=\"2\" state=\"hidden\" r:id=\"rId2\"/></sheets></workbook>"),
            ("xl/_rels/workbook.xml.rels", rels([("rId1", "worksheet", "worksheets/sheet1.xml"), ("rId2", "worksheet", "worksheets/sheet2.xml"),
                                                 ("rId3", "sharedStrings", "sharedStrings.xml"), ("rId4", "styles", "styles.xml")])),
            ("xl/sharedStrings.xml", xmlHead + "<sst \(sNS)><si><t>Name</t></si><si><t>Start</t></si><si><r><t>Ximena </t></r><r><rPr><b/></rPr><t>Castellanos</t></r></si><si><t>漢字</t><rPh sb=\"0\" eb=\"2\"><t>かんじ</t></rPh></si></sst>"),
            ("xl/styles.xml", xmlHead + "<styleSheet \(sNS)><numFmts count=\"1\"><numFmt numFmtId=\"164\" formatCode=\"yyyy\\-mm\\-dd\"/></numFmts><cellXfs count=\"3\"><xf numFmtId=\"0\"/><xf numFmtId=\"164\"/><xf numFmtId=\"4\"/></cellXfs></styleSheet>"),
            ("xl/worksheets/sheet1.xml", xmlHead + "<worksheet \(sNS)><sheetData>"
                + "<row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c><c r=\"B1\" t=\"s\"><v>1</v></c><c r=\"D1\" t=\"inlineStr\"><is><t>Mobile</t></is></c></row>"
                + "<row r=\"2\"><c r=\"A2\" t=\"s\"><v>2</v></c><c r=\"B2\" s=\"1\"><v>45187</v></c><c r=\"C2\" t=\"b\"><v>1</v></c><c r=\"D2\" t=\"inlineStr\"><is><t>(555) 014-2296</t></is></c></row>"
                + "<row r=\"4\"><c r=\"B4\" s=\"2\"><v>1234.5</v></c><c r=\"C4\" t=\"str\"><f>A1&amp;B1</f><v>NameStart</v></c><c r=\"D4\" t=\"e\"><v>#DIV/0!</v></c></row>"
                + "</sheetData></worksheet>"),
            ("xl/worksheets/sheet2.xml", xmlHead + "<worksheet \(sNS)><sheetData><row r=\"1\"><c r=\"A1\" t=\"s\"><v>3</v></c></row></sheetData></worksheet>"),
        ])
    }

    func testXLSX() throws {
        let d = try Fixtures.document("roster.xlsx", Self.xlsx())
        XCTAssertEqual(d.textNote, "")
        XCTAssertEqual(d.mimeType, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        XCTAssertEqual(d.text, """
        Sheet: Roster & seats
        Name\tStart\t\tMobile
        Ximena Castellanos\t2023-09-18\tTRUE\t(555) 014-2296
        \t1234.5\tNameStart\t#DIV/0!

        Sheet: Old (hidden)
        漢字
        """)
    }

    static let pNS = "xmlns:a=\"http://schemas.openxmlformats.org/drawingml/2006/main\" xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\" xmlns:p=\"http://schemas.openxmlformats.org/presentationml/2006/main\""

    static func slide(_ paragraphs: [String]) -> String {
        xmlHead + "<p:sld \(pNS)><p:cSld><p:spTree><p:sp><p:txBody><a:bodyPr/>"
            + paragraphs.map { "<a:p><a:r><a:rPr lang=\"en-US\"/><a:t>\($0)</a:t></a:r></a:p>" }.joined()
            + "</p:txBody></p:sp></p:spTree></p:cSld></p:sld>"
    }

    func testPPTX() throws {
        let data = try Fixtures.zip([
            ("[Content_Types].xml", contentTypes),
            ("_rels/.rels", rels([("rId1", "officeDocument", "ppt/presentation.xml")])),
            ("ppt/presentation.xml", xmlHead + "<p:presentation \(Self.pNS)><p:sldIdLst><p:sldId id=\"257\" r:id=\"rId3\"/><p:sldId id=\"256\" r:id=\"rId2\"/></p:sldIdLst></p:presentation>"),
            ("ppt/_rels/presentation.xml.rels", rels([("rId2", "slide", "slides/slide1.xml"), ("rId3", "slide", "slides/slide2.xml")])),
            ("ppt/slides/slide1.xml", Self.slide(["Retention options", "Per channel"])),
            ("ppt/slides/slide2.xml", Self.slide(["Agenda"])),
            ("ppt/slides/_rels/slide1.xml.rels", rels([("rId1", "notesSlide", "../notesSlides/notesSlide1.xml")])),
            ("ppt/notesSlides/notesSlide1.xml", xmlHead + "<p:notes \(Self.pNS)><p:cSld><p:spTree><p:sp><p:txBody><a:p><a:r><a:t>Say 90 days.</a:t></a:r></a:p><a:p><a:fld type=\"slidenum\"><a:t>2</a:t></a:fld></a:p></p:txBody></p:sp></p:spTree></p:cSld></p:notes>"),
        ])
        let d = try Fixtures.document("deck.pptx", data)
        XCTAssertEqual(d.mimeType, "application/vnd.openxmlformats-officedocument.presentationml.presentation")
        XCTAssertEqual(d.text, "Slide 1\nAgenda\n\nSlide 2\nRetention options\nPer channel\nNotes:\nSay 90 days.")
    }

    static let odfNS = "xmlns:office=\"urn:oasis:names:tc:opendocument:xmlns:office:1.0\" xmlns:text=\"urn:oasis:names:tc:opendocument:xmlns:text:1.0\" xmlns:table=\"urn:oasis:names:tc:opendocument:xmlns:table:1.0\" xmlns:style=\"urn:oasis:names:tc:opendocument:xmlns:style:1.0\""

    func testODTMixedContentAndODS() throws {
        let odt = try Fixtures.zip([
            ("mimetype", "application/vnd.oasis.opendocument.text"),
            ("content.xml", xmlHead + "<office:document-content \(Self.odfNS)><office:body><office:text>"
                + "<text:tracked-changes><text:changed-region><text:deletion><text:p>old words</text:p></text:deletion></text:changed-region></text:tracked-changes>"
                + "<text:h text:outline-level=\"1\">Letter</text:h>"
                + "<text:p>Dear <text:span text:style-name=\"b\">Ms.</text:span> Ruiz,<text:s text:c=\"3\"/>see<text:tab/>below<text:line-break/>next line</text:p>"
                + "<table:table table:name=\"T1\"><table:table-row><table:table-cell><text:p>a</text:p></table:table-cell><table:table-cell><text:p>b</text:p></table:table-cell></table:table-row></table:table>"
                + "</office:text></office:body></office:document-content>"),
            ("styles.xml", xmlHead + "<office:document-styles \(Self.odfNS)><office:master-styles><style:master-page><style:header><text:p>Letterhead</text:p></style:header></style:master-page></office:master-styles></office:document-styles>"),
        ])
        // ZipWriter deflates `mimetype`, so the head shows only that this is OpenDocument.
        XCTAssertEqual(Sniff.mimeType(head: [UInt8](odt.prefix(4096)), name: "x"), "application/vnd.oasis.opendocument")
        XCTAssertEqual(Sniff.mimeType(head: [UInt8](odt.prefix(4096)), name: "x.odt"), "application/vnd.oasis.opendocument.text")
        let d = try Fixtures.document("letter.odt", odt)
        XCTAssertEqual(d.mimeType, "application/vnd.oasis.opendocument.text")
        XCTAssertEqual(d.text, "Letter\nDear Ms. Ruiz,   see\tbelow\nnext line\na\tb\n\n[Headers and footers]\nLetterhead")

        let ods = try Fixtures.zip([
            ("mimetype", "application/vnd.oasis.opendocument.spreadsheet"),
            ("content.xml", xmlHead + "<office:document-content \(Self.odfNS)><office:body><office:spreadsheet>"
                + "<table:table table:name=\"Seats\"><table:table-row><table:table-cell><text:p>x</text:p></table:table-cell>"
                + "<table:table-cell table:number-columns-repeated=\"2\"><text:p>y</text:p></table:table-cell>"
                + "<table:table-cell table:number-columns-repeated=\"16380\"/></table:table-row>"
                + "<table:table-row table:number-rows-repeated=\"1048574\"><table:table-cell table:number-columns-repeated=\"16384\"/></table:table-row>"
                + "</table:table></office:spreadsheet></office:body></office:document-content>"),
        ])
        let s = try Fixtures.document("seats.ods", ods)
        XCTAssertEqual(s.text, "Sheet: Seats\nx\ty\ty")
    }

    func testEmptyCorruptAndBombedZips() throws {
        let empty = try Fixtures.zip([
            ("[Content_Types].xml", contentTypes),
            ("word/document.xml", xmlHead + "<w:document \(wNS)><w:body><w:p/></w:body></w:document>"),
        ])
        let e = try Fixtures.document("empty.docx", empty)
        XCTAssertEqual(e.text, "")
        XCTAssertEqual(e.textNote, "no text in this document")

        var broken = [UInt8](try Self.docx())
        for i in stride(from: 200, to: broken.count, by: 50) { broken[i] ^= 0xFF }
        let b = try Fixtures.document("broken.docx", Data(broken))
        XCTAssertFalse(b.text.isEmpty && b.textNote.isEmpty, "never silently blank")

        let cut = try Fixtures.document("cut.docx", try Self.docx().prefix(300))
        XCTAssertFalse(cut.text.isEmpty && cut.textNote.isEmpty, "never silently blank")

        // 1 MB of paragraphs (a few KB compressed) against a 100 KB cap: read up to the cap, said so.
        let para = "<w:p><w:r><w:t>bomb</w:t></w:r></w:p>"
        let big = xmlHead + "<w:document \(wNS)><w:body>" + String(repeating: para, count: 1_000_000 / para.count) + "</w:body></w:document>"
        let bomb = try Fixtures.zip([("[Content_Types].xml", contentTypes), ("word/document.xml", big)])
        XCTAssertLessThan(bomb.count, 50_000)
        let r = OfficeText.extract(bomb, name: "bomb.docx", sniffed: Sniff.mimeType(head: [UInt8](bomb.prefix(4096)), name: "bomb.docx"),
                                   maxXMLBytes: 100_000)
        XCTAssertTrue(r.note.hasPrefix("text truncated"), r.note)
        XCTAssertTrue(r.text.hasPrefix("bomb\nbomb"))
        XCTAssertLessThan(r.text.utf8.count, 100_000)
    }

    func testOLEAndGenericZipNotes() throws {
        let ole = Data([0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1] + [UInt8](repeating: 0, count: 504))
        XCTAssertEqual(try Fixtures.document("minutes.doc", ole).textNote, "legacy Office format not read (OLE2 compound file: .doc, .xls, .ppt or similar)")
        XCTAssertTrue(try Fixtures.document("locked.docx", ole).textNote.hasPrefix("encrypted"))
    }

    func testSampleDataOfficeAttachments() throws {
        let docx = try Fixtures.document("DPA-redline-v3.docx", Fixtures.attachment("msg-0075", "DPA-redline-v3.docx"))
        XCTAssertEqual(docx.textNote, "")
        XCTAssertEqual(docx.mimeType, "application/vnd.openxmlformats-officedocument.wordprocessingml.document")
        for s in ["Data Processing Addendum - redline v3", "Clause 7.3 (Retention)", "+1 555 014 2331", "Maria Lindqvist, General Counsel."] {
            XCTAssertTrue(docx.text.contains(s), "\(s) missing from\n\(docx.text)")
        }
        let xlsx = try Fixtures.document("onboarding-roster-2024-05.xlsx", Fixtures.attachment("msg-0076", "onboarding-roster-2024-05.xlsx"))
        XCTAssertEqual(xlsx.textNote, "")
        for s in ["Name\tPosition\tStart date\tMobile\tSSN\tParley seats", "Ximena Castellanos\tFOIA Analyst II\t2023-09-18\t(555) 014-2296\t512-44-1234\t1",
                  "(555) 014-2209"] {
            XCTAssertTrue(xlsx.text.contains(s), "\(s) missing from\n\(xlsx.text)")
        }
    }

    func testCorporaOfficeFilesNeverCrash() throws {
        guard let files = Fixtures.corpusFiles(["docx", "xlsx", "pptx", "odt", "ods", "odp", "docm", "xlsm"]) else {
            throw XCTSkip("corpora not present under ../shared/corpora; skipping")
        }
        for f in files {
            let d = try Fixtures.document(f.lastPathComponent, Data(contentsOf: f))
            XCTAssertFalse(d.text.isEmpty && d.textNote.isEmpty, f.path)
        }
        print("Office corpus: \(files.count) files")
    }

    func testXMLScannerIsForgiving() {
        var events: [String] = []
        XMLScan.run(Data("<?xml version='1.0'?><!DOCTYPE x [<!ENTITY e 'boom'>]><!-- c --><a xmlns='u' b='1 &amp; 2'>t&e;&#x41;&#66;<![CDATA[<raw>]]><b/><c>unclosed</a>tail<".utf8)) { ev in
            switch ev {
            case .start(let t): events.append("<\(t.local)\(t.attributes.map { " \($0.1)=\($0.2)" }.joined())>")
            case .end(let l): events.append("</\(l)>")
            case .text(let s): events.append(s)
            }
        }
        XCTAssertEqual(events, ["<a b=1 & 2>", "t&e;AB", "<raw>", "<b>", "</b>", "<c>", "unclosed", "</c>", "</a>", "tail<"])
    }
}
