import DiscloseCore
import Extract
import Foundation
import MIMEKit
import SQLiteStore
import XCTest

/// Runs extract over sources in a temporary case, like ExtractStageTests does, and gives back
/// what it recorded plus the bytes of each item.
final class OutlookHarness {
    let dir: URL
    private(set) var blobs: BlobStore?

    init() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("outlook-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: dir) }

    func write(_ name: String, _ data: Data) throws -> URL {
        let u = dir.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: u.deletingLastPathComponent(), withIntermediateDirectories: true)
        try data.write(to: u)
        return u
    }

    func run(_ sources: [URL]) throws -> (items: [Item], exceptions: [ExceptionRecord]) {
        let run = dir.appendingPathComponent("run-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: run, withIntermediateDirectories: true)
        let yaml = "matter: T\nproduction: P\nsources:\n" + sources.map {
            "  - path: \"\($0.path)\"\n    custodian: \"Doe, Jane\"\n"
        }.joined() + "bates: { prefix: T }\noutput: \(run.path)/out\n"
        let jobURL = run.appendingPathComponent("job.yml")
        try Data(yaml.utf8).write(to: jobURL)
        let job = try Job.load(jobURL)
        let store = try SQLiteStore(path: run.appendingPathComponent("case.sqlite").path)
        let blobs = try BlobStore(root: run.appendingPathComponent("blobs"))
        self.blobs = blobs
        _ = try ExtractStage(job: job, store: store, blobs: blobs).run()
        var items: [Item] = []
        try store.forEachItem { items.append($0) }
        return (items, try store.exceptions())
    }

    func run(_ source: URL) throws -> (items: [Item], exceptions: [ExceptionRecord]) { try run([source]) }

    func bytes(_ item: Item) throws -> Data { try blobs!.read(item.sha256) }

    func message(_ item: Item) throws -> MIMEMessage { try MIME.parse(try bytes(item)) }

    func text(_ item: Item) throws -> String { String(decoding: try bytes(item), as: UTF8.self) }
}

enum Corpus {
    /// `../shared/corpora` relative to the package root.
    static var root: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("../shared/corpora").standardizedFileURL
    }

    static func folder(_ name: String) throws -> URL {
        let u = root.appendingPathComponent(name)
        guard FileManager.default.fileExists(atPath: u.path) else {
            throw XCTSkip("conformance corpus \(name) not found at \(u.path); skipped")
        }
        return u
    }

    static func files(_ folder: URL, extensions: Set<String>) -> [URL] {
        guard let e = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: nil) else { return [] }
        return e.compactMap { $0 as? URL }.filter { extensions.contains($0.pathExtension.lowercased()) }
            .sorted { $0.path < $1.path }
    }
}

final class PSTReaderTests: XCTestCase {
    var h: OutlookHarness!

    override func setUpWithError() throws { h = try OutlookHarness() }
    override func tearDownWithError() throws { h = nil }

    func corpusFile(_ relative: String) throws -> URL {
        let u = try Corpus.folder("aspose-email-net-data").appendingPathComponent("Examples/Data/Outlook/" + relative)
        guard FileManager.default.fileExists(atPath: u.path) else { throw XCTSkip("\(relative) not in this corpus snapshot") }
        return u
    }

    func testFolderTreeKeysPathsAndFamilies() throws {
        let url = try corpusFile("Outlook.pst")
        let (items, exc) = try h.run(url)
        XCTAssertEqual(exc, [])
        let top = items.filter { $0.parentKey == nil }
        XCTAssertEqual(top.filter { $0.folder == "Top of Personal Folders/Inbox" }.count, 8)
        XCTAssertEqual(top.filter { $0.folder == "Top of Personal Folders/Sent Items" }.count, 6)
        XCTAssertEqual(top.first?.key, "0001.00000001")
        XCTAssertEqual(top.first?.path, url.path + "!/Top of Personal Folders/Inbox/1")
        XCTAssertEqual(top.first?.fileName, "Multiple attachments.eml")
        // A message with two embedded messages: both are members of its family.
        let embedding = try XCTUnwrap(top.first { $0.fileName == "this message contains embedded MSG.eml" })
        let members = items.filter { $0.parentKey == embedding.key }
        XCTAssertEqual(members.map(\.kind), [.email, .email])
        XCTAssertEqual(members.map(\.key), [embedding.key + ".00000001", embedding.key + ".00000002"])
        XCTAssertEqual(try h.message(members[0]).subject, "message 1")
        // Calendar and contacts become iCalendar and vCard files in their folders.
        let meeting = try XCTUnwrap(top.first { $0.folder == "Top of Personal Folders/Calendar" })
        XCTAssertEqual(meeting.fileName, "Weekly meeting.ics")
        XCTAssertTrue(try h.text(meeting).contains("LOCATION:Room 5\r\n"))
        let contact = try XCTUnwrap(top.first { $0.folder == "Top of Personal Folders/Contacts" })
        XCTAssertEqual(contact.fileName, "Saqib Razzaq.vcf")
        XCTAssertTrue(try h.text(contact).contains("EMAIL;TYPE=INTERNET:saqib.razzaq@xp.local\r\n"))
        // Attachments keep their long names and bytes.
        let first = items.filter { $0.parentKey == "0001.00000001" }
        XCTAssertEqual(first.map(\.fileName), ["text file.txt", "Sunset.jpg", "Blue hills.jpg"])
        XCTAssertEqual(first.map(\.size), [29, 71189, 28521])
        // Keys are unique and in walk order.
        XCTAssertEqual(Set(items.map(\.key)).count, items.count)
        XCTAssertEqual(top.map(\.key), top.map(\.key).sorted())
    }

    func testSameFileGivesSameItemsAndBytes() throws {
        let url = try corpusFile("Outlook.pst")
        let a = try h.run(url).items.map { "\($0.key) \($0.sha256)" }
        let b = try h.run(url).items.map { "\($0.key) \($0.sha256)" }
        XCTAssertEqual(a, b)
    }

    func testPSTAttachedToAMessageIsAContainerInTheFamily() throws {
        let pst = try Data(contentsOf: try corpusFile("SampleContacts1.pst"))
        let b64 = pst.base64EncodedString(options: [.lineLength76Characters, .endLineWithCarriageReturn, .endLineWithLineFeed])
        let eml = "From: a@dpr.example.gov\r\nTo: b@dpr.example.gov\r\nSubject: backup\r\nMIME-Version: 1.0\r\n"
            + "Content-Type: multipart/mixed; boundary=\"b\"\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\nsee attached\r\n"
            + "--b\r\nContent-Type: application/vnd.ms-outlook; name=\"old.pst\"\r\nContent-Disposition: attachment; filename=\"old.pst\"\r\n"
            + "Content-Transfer-Encoding: base64\r\n\r\n" + b64 + "\r\n--b--\r\n"
        let (items, exc) = try h.run(try h.write("m.eml", Data(eml.utf8)))
        XCTAssertEqual(exc, [])
        XCTAssertEqual(items[0].kind, .email)
        XCTAssertEqual(items[1].kind, .container)
        XCTAssertEqual(items[1].format, "pst")
        XCTAssertEqual(items[1].parentKey, items[0].key)
        let contacts = items.filter { $0.parentKey == items[1].key }
        XCTAssertEqual(contacts.count, 6)
        XCTAssertTrue(contacts.allSatisfy { $0.fileName.hasSuffix(".vcf") })
        XCTAssertEqual(contacts.first?.key, items[1].key + ".00000001")
    }

    func testItemsLibpffRefusesAreReadByTheFallback() throws {
        // Aspose wrote contacts with a PT_UNSPECIFIED property; libpff rejects them whole.
        let (items, exc) = try h.run(try corpusFile("Chunks/Test_part1.pst"))
        XCTAssertEqual(exc, [])
        let contacts = items.filter { $0.folder == "Top of Personal Folders/Contacts" }
        XCTAssertEqual(contacts.count, 21)
        let margaret = try XCTUnwrap(contacts.first { $0.fileName == "Margaret J. Tolle.vcf" })
        XCTAssertTrue(try h.text(margaret).contains("TITLE:Recording engineer\r\n"))
    }

    func testDamagedPSTsNeverCrashAndAreAccountedFor() throws {
        var rng = SplitMix(seed: 99)
        var sources: [URL] = []
        var junk = Array("!BDN".utf8)
        for _ in 0..<20_000 { junk.append(UInt8(truncatingIfNeeded: rng.next())) }
        sources.append(try h.write("junk.pst", Data(junk)))
        sources.append(try h.write("tiny.pst", Data("!BDN".utf8)))
        if let good = try? Data(contentsOf: try corpusFile("Outlook.pst")) {
            let bytes = [UInt8](good)
            for cut in [600, bytes.count / 4, bytes.count / 2, bytes.count * 9 / 10] {
                sources.append(try h.write("cut-\(cut).pst", Data(bytes.prefix(cut))))
            }
            for n in 0..<12 {
                var b = bytes
                for _ in 0..<(1 + Int(rng.next() % 100)) { b[Int(rng.next() % UInt64(b.count))] = UInt8(truncatingIfNeeded: rng.next()) }
                sources.append(try h.write("flip-\(n).pst", Data(b)))
            }
        }
        for s in sources {
            let (items, exc) = try h.run(s)
            XCTAssertFalse(items.isEmpty && exc.isEmpty, "\(s.lastPathComponent): neither items nor exceptions")
        }
        let (_, junkExc) = try h.run(sources[0])
        XCTAssertEqual(junkExc.count, 1)
        XCTAssertTrue(junkExc[0].reason.hasPrefix("pst: cannot open PST/OST"), junkExc[0].reason)
    }

    func testExplore() throws {
        guard let path = ProcessInfo.processInfo.environment["EXPLORE"] else { throw XCTSkip("set EXPLORE") }
        let (items, exc) = try h.run(URL(fileURLWithPath: path))
        for i in items {
            print("ITEM", i.key, i.parentKey ?? "-", i.kind, i.format, i.fileName, "|", i.folder, "|", i.path, i.size)
        }
        for e in exc { print("EXC", e.key, e.parentKey ?? "-", e.path, e.reason) }
        if let dump = ProcessInfo.processInfo.environment["DUMP"] {
            for i in items where i.kind == .email || ["ics", "vcf", "txt"].contains((i.fileName as NSString).pathExtension) {
                if dump == "all" || i.key == dump {
                    print("=====", i.key)
                    print(try h.text(i).prefix(6000))
                }
            }
        }
    }
}

/// Long hostile-input runs on demand: FUZZ=<file> FUZZ_N=<count> mutates the file that many
/// times (seeded) and runs each copy through extract. Not part of the normal suite.
final class OutlookFuzzRuns: XCTestCase {
    func testFuzz() throws {
        guard let path = ProcessInfo.processInfo.environment["FUZZ"] else { throw XCTSkip("set FUZZ") }
        let n = Int(ProcessInfo.processInfo.environment["FUZZ_N"] ?? "100") ?? 100
        let good = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        let h = try OutlookHarness()
        var rng = SplitMix(seed: UInt64(ProcessInfo.processInfo.environment["FUZZ_SEED"] ?? "7") ?? 7)
        let ext = (path as NSString).pathExtension
        for i in 0..<n {
            var b = good
            switch rng.next() % 3 {
            case 0: b = Array(b.prefix(Int(rng.next() % UInt64(b.count))))
            case 1:
                for _ in 0..<(1 + Int(rng.next() % 200)) { b[Int(rng.next() % UInt64(b.count))] = UInt8(truncatingIfNeeded: rng.next()) }
            default:
                for _ in 0..<(1 + Int(rng.next() % 20)) {
                    let at = Int(rng.next() % UInt64(b.count))
                    let len = min(b.count - at, 1 + Int(rng.next() % 64))
                    for k in at..<at + len { b[k] = 0xFF }
                }
            }
            let url = try h.write("fuzz-\(i).\(ext)", Data(b))
            FileHandle.standardError.write(Data("fuzz \(i)\n".utf8))
            let (items, exc) = try h.run(url)
            XCTAssertFalse(items.isEmpty && exc.isEmpty, "copy \(i): nothing")
            try? FileManager.default.removeItem(at: url)
        }
    }
}
