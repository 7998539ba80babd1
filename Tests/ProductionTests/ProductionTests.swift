import DiscloseCore
import Foundation
import Production
import XCTest
import XMLKit

final class ProductionTests: XCTestCase {
    func testPagesHaveFixedSizeAndKeepRedactionMarksWhole() {
        let r = PageRenderer(page: PageConfig(lines: 12, columns: 40))
        let body = (1...25).map { "line \($0)" }.joined(separator: "\n")
        let pages = r.pages(header: [("From", "[(b)(6), (b)(7)(C)]"), ("Subject", "Plan")], body: body)
        XCTAssertEqual(pages.count, 3)  // 3 header lines + 25 body lines, 10 per page
        XCTAssertTrue(pages.allSatisfy { $0.count <= 10 })
        let w = r.wrap("aaaa bbbb [(b)(6), (b)(7)(C)] cccc dddd", width: 20)
        XCTAssertTrue(w.contains { $0.contains("[(b)(6), (b)(7)(C)]") }, "\(w)")
        XCTAssertTrue(w.allSatisfy { $0.count <= 20 || $0.hasPrefix("[(") })
        XCTAssertEqual(r.wrap(String(repeating: "x", count: 90), width: 40).map { $0.count }, [40, 40, 10])
        let stamped = r.stamp(["hello"], bates: "ABC0000001", confidentiality: "CONFIDENTIAL")
        XCTAssertEqual(stamped.split(separator: "\n", omittingEmptySubsequences: false).count, 13)
        XCTAssertTrue(stamped.hasSuffix("ABC0000001\n"))
        XCTAssertTrue(stamped.contains("CONFIDENTIAL"))
    }

    func testConcordanceRoundTripWithDelimitersNewlinesAndUnicode() throws {
        var w = ConcordanceWriter(fields: ["BEGBATES", "SUBJECT", "TEXT"])
        w.add(["BEGBATES": "ABC0000001", "SUBJECT": "Café ☕ 会議", "TEXT": "line1\nline2\r\nline3"])
        w.add(["BEGBATES": "ABC0000002", "SUBJECT": "bad \u{14} þ chars"])
        let data = w.data
        XCTAssertEqual(Array(data.prefix(3)), [0xEF, 0xBB, 0xBF])
        let s = String(decoding: data, as: UTF8.self)
        XCTAssertTrue(s.contains("þABC0000001þ\u{14}þCafé ☕ 会議þ\u{14}þline1®line2®line3þ"))
        let (fields, rows) = try ConcordanceWriter.parse(data)
        XCTAssertEqual(fields, ["BEGBATES", "SUBJECT", "TEXT"])
        XCTAssertEqual(rows[0]["TEXT"], "line1\nline2\nline3")
        XCTAssertEqual(rows[1]["SUBJECT"], "bad     chars")
        XCTAssertEqual(rows[1]["TEXT"], "")
    }

    func testManifestValidatesAndRejectsBadHashes() throws {
        let good = try Manifest.write(matter: "M", production: "P", volume: "VOL001",
                                      entries: [.init(path: "VOL001/a.txt", size: 3, sha256: String(repeating: "a", count: 64))])
        XCTAssertEqual(Manifest.validate(good), [])
        XCTAssertEqual(try Manifest.read(good).first?.path, "VOL001/a.txt")
        let bad = try Manifest.write(matter: "M", production: "P", volume: "VOL001",
                                     entries: [.init(path: "/abs", size: 3, sha256: "XYZ")])
        XCTAssertFalse(Manifest.validate(bad).isEmpty)
        let dup = try Manifest.write(matter: "M", production: "P", volume: "V",
                                     entries: [.init(path: "a", size: 1, sha256: String(repeating: "b", count: 64)),
                                               .init(path: "a", size: 1, sha256: String(repeating: "b", count: 64))])
        XCTAssertFalse(Manifest.validate(dup).isEmpty, "paths must be unique")
    }

    func testSchemaFileInRepoMatchesTheEmbeddedOne() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let file = try String(contentsOf: root.appendingPathComponent("schemas/manifest.xsd"), encoding: .utf8)
        XCTAssertEqual(file, Manifest.xsd)
    }

    func testEDRMXMLShape() throws {
        let doc = EDRMDocument(docID: "ABC0000001", docType: "Message", mimeType: "message/rfc822",
                               tags: [("#Subject", "Text", "Hi & bye"), ("#DateSent", "DateTime", "2024-03-05T00:24:00Z")],
                               files: [("Text", "VOL001/TEXT/0001", "ABC0000001.txt", 10, String(repeating: "c", count: 64))],
                               custodian: "C", location: "INBOX")
        let data = try EDRMXML.write(batch: "PROD001", documents: [doc], relationships: [(type: "Attachment", parent: "ABC0000001", child: "ABC0000002")])
        let root = try XMLElement.parse(data)
        XCTAssertEqual(root.name, "Root")
        XCTAssertEqual(root.attributes["MajorVersion"], "1")
        XCTAssertEqual(root.attributes["MinorVersion"], "2")
        let d = root.descendants("Document")
        XCTAssertEqual(d.first?.attributes["DocID"], "ABC0000001")
        XCTAssertEqual(d.first?.descendants("Tag").first?.attributes["TagValue"], "Hi & bye")
        XCTAssertEqual(root.descendants("Relationship").first?.attributes["ChildDocId"], "ABC0000002")
        XCTAssertEqual(root.descendants("ExternalFile").first?.attributes["HashType"], "SHA-256")
    }

    func testLoadFileDates() {
        XCTAssertEqual(DateFormat.loadFile("2024-03-05T00:24:07Z").date, "03/05/2024")
        XCTAssertEqual(DateFormat.loadFile("2024-03-05T00:24:07Z").time, "00:24:07")
        XCTAssertEqual(DateFormat.local(utcISO: "2024-03-05T00:24:07Z", offset: "+09:00"), "Tuesday 2024-03-05 09:24:07 +09:00")
        XCTAssertEqual(DateFormat.local(utcISO: "2024-03-05T03:00:00Z", offset: "-05:00"), "Monday 2024-03-04 22:00:00 -05:00")
    }
}
