import ArchiveKit
import DiscloseCore
import Extract
import Foundation
import SQLiteStore
import XCTest

/// Extract over small fixtures written by the test: formats detected from content, families,
/// containers walked through, every unreadable thing an exception, nothing lost.
final class ExtractStageTests: XCTestCase {
    var dir: URL!

    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("extract-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: dir) }

    func message(_ n: Int, attachment: String? = nil) -> String {
        var m = "From: Jane Doe <jdoe@dpr.example.gov>\nTo: sam@dpr.example.gov\nSubject: Note \(n)\nDate: Tue, 05 Mar 2024 09:24:00 +0900\nMessage-ID: <n\(n)@dpr.example.gov>\nMIME-Version: 1.0\n"
        if let a = attachment {
            m += "Content-Type: multipart/mixed; boundary=\"BB\"\n\n--BB\nContent-Type: text/plain\n\nBody \(n)\n--BB\nContent-Type: text/plain; name=\"a.txt\"\nContent-Disposition: attachment; filename=\"a.txt\"\n\n\(a)\n--BB--\n"
        } else {
            m += "Content-Type: text/plain\n\nBody \(n)\n"
        }
        return m
    }

    func write(_ name: String, _ s: String) throws -> URL {
        let u = dir.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: u.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(s.utf8).write(to: u)
        return u
    }

    func run(_ sources: [(URL, String)], passwords: [String] = []) throws -> (SQLiteStore, [Item], [ExceptionRecord]) {
        let yaml = "matter: T\nproduction: P\nsources:\n" + sources.map {
            "  - path: \($0.0.path)\n    custodian: \"\($0.1)\"\n" + (passwords.isEmpty ? "" : "    passwords: [\(passwords.map { "\"\($0)\"" }.joined(separator: ","))]\n")
        }.joined() + "bates: { prefix: T }\noutput: \(dir.path)/out\n"
        let job = try Job.load(try write("job.yml", yaml))
        let store = try SQLiteStore(path: dir.appendingPathComponent("case.sqlite").path)
        let blobs = try BlobStore(root: dir.appendingPathComponent("blobs"))
        _ = try ExtractStage(job: job, store: store, blobs: blobs).run()
        var items: [Item] = []
        try store.forEachItem { items.append($0) }
        return (store, items, try store.exceptions())
    }

    func testMboxWithCorruptMemberAndAttachmentFamily() throws {
        let mbox = "From a 2024\n" + message(1, attachment: "hello") + "\nFrom b 2024\n\u{01}\u{02}binary junk\u{03}\n\nFrom c 2024\n" + message(2)
        let (_, items, exc) = try run([(try write("in.mbox", mbox), "Doe, Jane")])
        XCTAssertEqual(items.map(\.kind), [.email, .file, .email])
        XCTAssertEqual(items[1].parentKey, items[0].key)
        XCTAssertNil(items[0].parentKey, "a mailbox is walked through, not a family parent")
        XCTAssertEqual(items[0].folder, "in")
        XCTAssertEqual(items[1].fileName, "a.txt")
        XCTAssertEqual(exc.count, 1)
        XCTAssertEqual(exc[0].key, "0001.00000002")
        XCTAssertTrue(exc[0].reason.contains("corrupt message"), exc[0].reason)
        XCTAssertEqual(exc[0].path, dir.appendingPathComponent("in.mbox").path + "!/message 2")
    }

    func testMaildirFoldersAndFlagsFileNames() throws {
        _ = try write("md/cur/1700000000.M1P1.host:2,S", message(1))
        _ = try write("md/new/1700000001.M2P1.host", message(2))
        _ = try write("md/.Sent/cur/1700000002.M3P1.host:2,S", message(3))
        _ = try write("md/.Sent/cur/1700000003.M4P1.host:2,S", "not a message at all")
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("md/tmp"), withIntermediateDirectories: true)
        let (_, items, exc) = try run([(dir.appendingPathComponent("md"), "Doe, Jane")])
        XCTAssertEqual(items.map(\.folder), ["Sent", "INBOX", "INBOX"])
        XCTAssertEqual(exc.count, 1)
        XCTAssertEqual(exc.first?.reason, "corrupt message: no RFC 5322 header block")
    }

    func testNestedZipInsideEmailAttachmentIsAFamilyAndTopZipIsWalkedThrough() throws {
        // inner.zip holds a text file; it is attached to a message which sits in outer.zip.
        let innerURL = dir.appendingPathComponent("inner.zip")
        let inner = try ZipWriter(path: innerURL.path)
        try inner.addData("deep/notes.txt", Data("deep notes".utf8))
        try inner.close()
        let b64 = try Data(contentsOf: innerURL).base64EncodedString(options: [.lineLength76Characters, .endLineWithLineFeed])
        let msg = message(7).replacingOccurrences(of: "Content-Type: text/plain\n\nBody 7\n", with: "Content-Type: multipart/mixed; boundary=\"ZZ\"\n\n--ZZ\nContent-Type: text/plain\n\nsee zip\n--ZZ\nContent-Type: application/zip; name=\"inner.zip\"\nContent-Disposition: attachment; filename=\"inner.zip\"\nContent-Transfer-Encoding: base64\n\n\(b64)\n--ZZ--\n")
        let outerURL = dir.appendingPathComponent("outer.zip")
        let outer = try ZipWriter(path: outerURL.path)
        try outer.addData("mail/m.eml", Data(msg.utf8))
        try outer.addData("readme.txt", Data("top level".utf8))
        try outer.close()
        let (_, items, exc) = try run([(outerURL, "Ruiz, Carmen")])
        XCTAssertEqual(exc, [])
        XCTAssertEqual(items.map(\.kind), [.email, .container, .file, .file])
        XCTAssertNil(items[0].parentKey)
        XCTAssertEqual(items[1].parentKey, items[0].key)
        XCTAssertEqual(items[2].parentKey, items[1].key)
        XCTAssertEqual(items[2].fileName, "notes.txt")
        XCTAssertTrue(items[2].path.hasSuffix("outer.zip!/mail/m.eml!/inner.zip!/deep/notes.txt"), items[2].path)
        XCTAssertNil(items[3].parentKey)
    }

    func testTruncatedArchiveKeepsWhatCanBeReadAndRecordsTheRest() throws {
        let tgz = dir.appendingPathComponent("t.tar.gz")
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        p.arguments = ["-c", """
        import tarfile, io, random
        r = random.Random(1)
        with tarfile.open('\(tgz.path)', 'w:gz') as t:
            for i in range(4):
                data = (open('/dev/null').read() + 'x' * 10 + ''.join(chr(65 + r.randrange(26)) for _ in range(40000))).encode()
                ti = tarfile.TarInfo(f'f{i}.txt'); ti.size = len(data); t.addfile(ti, io.BytesIO(data))
        b = open('\(tgz.path)', 'rb').read(); open('\(tgz.path)', 'wb').write(b[: len(b) * 6 // 10])
        """]
        try p.run()
        p.waitUntilExit()
        let (_, items, exc) = try run([(tgz, "Doe, Jane")])
        XCTAssertGreaterThanOrEqual(items.count, 1)
        XCTAssertEqual(exc.count, 1, "\(exc)")
        XCTAssertTrue(exc[0].reason.contains("truncated") || exc[0].reason.contains("damaged"), exc[0].reason)
    }

    func testSmallTruncatedTarGzStillYieldsItsCompleteEntries() throws {
        // Small enough that libarchive's gzip filter never fills its buffer before the cut.
        let tgz = dir.appendingPathComponent("small.tar.gz")
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        p.arguments = ["-c", """
        import tarfile, io
        with tarfile.open('\(tgz.path)', 'w:gz') as t:
            for i in range(5):
                data = ('note %d ' % i * 60).encode()
                ti = tarfile.TarInfo(f'n{i}.txt'); ti.size = len(data); t.addfile(ti, io.BytesIO(data))
        b = open('\(tgz.path)', 'rb').read(); open('\(tgz.path)', 'wb').write(b[: len(b) * 6 // 10])
        """]
        try p.run()
        p.waitUntilExit()
        let (_, items, exc) = try run([(tgz, "Doe, Jane")])
        XCTAssertGreaterThanOrEqual(items.count, 1, "complete entries before the cut are kept")
        XCTAssertEqual(exc.count, 1, "\(exc)")
    }

    func testGarbageFileIsALooseFileAndNotACrash() throws {
        var bytes = [UInt8](repeating: 0, count: 5000)
        var x: UInt32 = 7
        for i in bytes.indices { x = x &* 1_103_515_245 &+ 12345; bytes[i] = UInt8(x >> 24) }
        let u = dir.appendingPathComponent("junk.eml")
        try Data(bytes).write(to: u)
        let (_, items, exc) = try run([(u, "Doe, Jane")])
        XCTAssertEqual(items.map(\.kind), [.file])
        XCTAssertEqual(exc, [])
    }

    func testRerunOfACompletedSourceIsSkippedAndKeysAreStable() throws {
        let u = try write("a.mbox", "From a 2024\n" + message(1) + "\nFrom b 2024\n" + message(2))
        let (store, first, _) = try run([(u, "Doe, Jane")])
        let job = try Job.load(dir.appendingPathComponent("job.yml"))
        let s = try ExtractStage(job: job, store: store, blobs: try BlobStore(root: dir.appendingPathComponent("blobs"))).run()
        XCTAssertEqual(s.skippedSources, 1)
        var again: [Item] = []
        try store.forEachItem { again.append($0) }
        XCTAssertEqual(first, again)
    }
}
