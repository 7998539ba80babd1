import Foundation
import PffKit
import XCTest

final class PffKitTests: XCTestCase {
    static var outlookPST: URL? {
        let u = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("../shared/corpora/aspose-email-net-data/Examples/Data/Outlook/Outlook.pst").standardizedFileURL
        return FileManager.default.fileExists(atPath: u.path) ? u : nil
    }

    func pst() throws -> URL {
        guard let u = Self.outlookPST else { throw XCTSkip("aspose-email-net-data corpus not found; skipped") }
        return u
    }

    func testNonPSTFilesAreRefusedWithLibpffsReason() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("pffkit-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let junk = dir.appendingPathComponent("junk.pst")
        try Data(Array("!BDN".utf8) + [UInt8](repeating: 0x5A, count: 4000)).write(to: junk)
        XCTAssertThrowsError(try PffFile(path: junk.path)) { e in
            XCTAssertTrue("\(e)".hasPrefix("cannot open: "), "\(e)")
        }
        XCTAssertNil(PSTRaw(path: junk.path))
        XCTAssertThrowsError(try PffFile(path: dir.appendingPathComponent("missing.pst").path))
    }

    func testFolderTreeMessagesRecipientsAndAttachments() throws {
        let file = try PffFile(path: try pst().path)
        let root = try XCTUnwrap(try file.rootFolder())
        var names: [String] = []
        var inbox: PffItem?
        for i in 0..<(try root.subFolderCount()) {
            let top = try root.subFolder(i)
            guard top.folderName == "Top of Personal Folders" else { continue }
            for j in 0..<(try top.subFolderCount()) {
                let f = try top.subFolder(j)
                names.append(f.folderName ?? "")
                if f.folderName == "Inbox" { inbox = f }
            }
        }
        XCTAssertEqual(Array(names.prefix(4)), ["Deleted Items", "Inbox", "Outbox", "Sent Items"])
        let box = try XCTUnwrap(inbox)
        XCTAssertEqual(try box.messageCount(), 8)
        let m = try box.message(0)
        var big: [UInt16] = []
        let props = try m.properties(oversized: &big)
        XCTAssertEqual(big, [])
        let cls = try XCTUnwrap(props.first { $0.id == 0x001A })
        XCTAssertEqual(cls.type, 0x001F)
        XCTAssertEqual(String(decoding: cls.data.chunked2(), as: UTF16.self), "IPM.Note")
        XCTAssertTrue(props.contains { $0.named != nil }, "named properties carry their set and id")
        XCTAssertEqual(try m.attachmentCount(), 3)
        let a = try m.attachment(1)
        XCTAssertEqual(try a.attachmentKind(), .data)
        XCTAssertEqual(try a.attachmentData(limit: 1 << 20).count, 71189)
        XCTAssertThrowsError(try a.attachmentData(limit: 10), "sizes over the limit are refused, not allocated")
        let recipients = try XCTUnwrap(try m.recipientTable())
        XCTAssertGreaterThanOrEqual(try recipients.recordSetCount(), 1)
    }

    func testFallbackReaderAgreesWithLibpff() throws {
        let path = try pst().path
        let file = try PffFile(path: path)
        let raw = try XCTUnwrap(PSTRaw(path: path))
        let root = try XCTUnwrap(try file.rootFolder())
        var compared = 0
        func walk(_ f: PffItem) throws {
            for i in 0..<(try f.messageCount()) {
                let m = try f.message(i)
                var big: [UInt16] = []
                let lib = try m.properties(oversized: &big)
                let ours = try XCTUnwrap(raw.properties(of: try XCTUnwrap(m.identifier)))
                let libByID = Dictionary(lib.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
                for p in ours {
                    guard let l = libByID[p.id] else { continue }
                    XCTAssertEqual(p.type, l.type, String(format: "0x%04X", p.id))
                    XCTAssertEqual(p.data, l.data, String(format: "0x%04X", p.id))
                    if let n = l.named {
                        XCTAssertEqual(p.named?.guid, n.guid)
                        XCTAssertEqual(p.named?.number, n.number)
                        XCTAssertEqual(p.named?.name, n.name)
                    }
                }
                XCTAssertEqual(Set(ours.map(\.id)), Set(lib.map(\.id)))
                compared += 1
            }
            for i in 0..<(try f.subFolderCount()) { try walk(try f.subFolder(i)) }
        }
        try walk(root)
        XCTAssertEqual(compared, 17)
    }

    func testHostileFilesThroughTheFallbackReader() throws {
        let good = [UInt8](try Data(contentsOf: try pst()))
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("pffkit-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        var state: UInt64 = 1
        func next() -> UInt64 { state = state &* 6364136223846793005 &+ 1442695040888963407; return state >> 33 }
        for n in 0..<60 {
            var b = good
            for _ in 0..<(1 + Int(next() % 300)) { b[512 + Int(next() % UInt64(b.count - 512))] = UInt8(truncatingIfNeeded: next()) }
            let u = dir.appendingPathComponent("f\(n).pst")
            try Data(b).write(to: u)
            guard let raw = PSTRaw(path: u.path) else { continue }
            for nid: UInt32 in [0x21, 0x61, 2_097_476, 2_097_508, 2_097_860, 0x200024] { _ = raw.properties(of: nid) }
        }
    }
}

extension Array where Element == UInt8 {
    func chunked2() -> [UInt16] {
        stride(from: 0, to: count - 1, by: 2).map { UInt16(self[$0]) | UInt16(self[$0 + 1]) << 8 }.filter { $0 != 0 }
    }
}
