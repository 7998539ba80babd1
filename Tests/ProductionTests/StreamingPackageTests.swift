import DiscloseCore
import Foundation
@testable import Production
import XCTest
import XMLKit

final class StreamingPackageTests: XCTestCase {
    /// The arithmetic date path must print exactly what Foundation's calendar printed.
    func testLocalDateMatchesFoundation() {
        var x: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next() -> UInt64 { x ^= x << 13; x ^= x >> 7; x ^= x << 17; return x }
        let offsets = ["", "+00:00", "-05:00", "+09:30", "+14:00", "-12:00", "+05:45", "-00:30"]
        for _ in 0..<3000 {
            let epoch = Int64(next() % 7_000_000_000) - 2_000_000_000  // 1906 … 2191
            let iso = CivilDate.isoUTC(epoch)
            let off = offsets[Int(next() % UInt64(offsets.count))]
            XCTAssertEqual(DateFormat.local(utcISO: iso, offset: off), DateFormat.localFoundation(utcISO: iso, offset: off), "\(iso) \(off)")
        }
        // Forms the arithmetic does not take still come out as before.
        for (iso, off) in [("2024-02-30T10:00:00Z", ""), ("1500-03-01T00:00:00Z", "+01:00"), ("2024-03-05T09:24:00+01:00", ""),
                           ("2024-03-05T09:24:00Z", "+19:00"), ("garbage", "")] {
            XCTAssertEqual(DateFormat.local(utcISO: iso, offset: off), DateFormat.localFoundation(utcISO: iso, offset: off), iso)
        }
    }

    func testSpoolReadsBackRangesInOrder() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("spool-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let spool = try Spool<[String]>(dir.appendingPathComponent("s"))
        var offsets: [UInt64] = []
        for i in 0..<5000 { offsets.append(try spool.append(["\(i)", String(repeating: "x", count: i % 300)])) }
        try spool.finishWriting()
        var all: [String] = []
        try spool.read { off, r in
            XCTAssertEqual(off, offsets[Int(r[0])!])
            all.append(r[0])
        }
        XCTAssertEqual(all, (0..<5000).map(String.init))
        var some: [String] = []
        try spool.read(from: offsets[1200], to: offsets[1210]) { _, r in some.append(r[0]) }
        XCTAssertEqual(some, (1200..<1210).map(String.init))
    }

    /// The EDRM XML written one document at a time into a file is the same bytes as in memory.
    func testEDRMFileWriterMatchesMemory() throws {
        let doc = EDRMDocument(docID: "A1", docType: "Message", mimeType: "message/rfc822",
                               tags: [("#Subject", "Text", "hi & <bye>")], files: [("Text", "VOL001/TEXT/0001", "A1.txt", 10, "ab")],
                               custodian: "C", location: "Inbox")
        let memory = try EDRMXML.write(batch: "P", documents: [doc, doc], relationships: [(type: "Attachment", parent: "A1", child: "A2")])
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("edrm-\(UUID().uuidString).xml")
        defer { try? FileManager.default.removeItem(at: url) }
        let w = try XMLWriter(path: url.path)
        let x = try EDRMXML.Writer(w, batch: "P")
        try x.add(doc)
        try x.add(doc)
        try x.startRelationships()
        try x.addRelationship(type: "Attachment", parent: "A1", child: "A2")
        try x.end()
        try w.close()
        XCTAssertEqual(try Data(contentsOf: url), memory)
    }

    /// Printable ASCII lines are wrapped on bytes; the cuts must be the Character path's.
    func testASCIIWrapMatchesCharacterWrap() {
        var x: UInt64 = 0x1234_5678_9ABC_DEF1
        func next() -> Int { x ^= x << 13; x ^= x >> 7; x ^= x << 17; return Int(x % 1_000_000) }
        let pieces = ["word", " ", "  ", "[(b)(6)]", "[(b)(6), (b)(7)(C)]", "x", "(", "]", "[", "longwordwithoutanyspaces", "-"]
        let r = PageRenderer(page: PageConfig(lines: 54, columns: 80))
        for _ in 0..<2000 {
            var line = ""
            for _ in 0..<(next() % 60) { line += pieces[next() % pieces.count] }
            for w in [1, 5, 20, 80] {
                XCTAssertEqual(r.wrap(line, width: w), r.wrapCharacters(line, width: w), "\(line) @\(w)")
            }
        }
    }
}
