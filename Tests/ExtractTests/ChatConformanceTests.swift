import ArchiveKit
import DiscloseCore
@testable import Extract
import Foundation
import SQLiteStore
import XCTest

/// Runs extract over sources in a scratch case and hands back what it recorded, with the
/// conversation-days decoded. Shared by the chat reader tests.
final class ChatHarness {
    let dir: URL
    init() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("chat-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    }

    func cleanup() { try? FileManager.default.removeItem(at: dir) }

    @discardableResult
    func write(_ rel: String, _ s: String) throws -> URL { try write(rel, Data(s.utf8)) }

    @discardableResult
    func write(_ rel: String, _ d: Data) throws -> URL {
        let u = dir.appendingPathComponent(rel)
        try FileManager.default.createDirectory(at: u.deletingLastPathComponent(), withIntermediateDirectories: true)
        try d.write(to: u)
        return u
    }

    struct Result {
        var items: [Item]
        var exceptions: [ExceptionRecord]
        var blobs: BlobStore
        var days: [ChatDay]
        var dayItems: [Item]

        func day(_ conversation: String, _ day: String) -> ChatDay? {
            days.first { $0.conversation == conversation && $0.day == day }
        }
        var messageCount: Int { days.reduce(0) { $0 + $1.messages.count } }
        func children(of key: String) -> [Item] { items.filter { $0.parentKey == key } }
    }

    func run(_ sources: [URL], name: String = UUID().uuidString) throws -> Result {
        let caseDir = dir.appendingPathComponent("case-\(name)")
        try FileManager.default.createDirectory(at: caseDir, withIntermediateDirectories: true)
        let yaml = "matter: T\nproduction: P\nsources:\n"
            + sources.map { "  - path: \"\($0.path)\"\n    custodian: \"Doe, Jane\"\n" }.joined()
            + "bates: { prefix: T }\noutput: \(caseDir.path)/out\n"
        let jobURL = caseDir.appendingPathComponent("job.yml")
        try Data(yaml.utf8).write(to: jobURL)
        let job = try Job.load(jobURL)
        let store = try SQLiteStore(path: caseDir.appendingPathComponent("case.sqlite").path)
        let blobs = try BlobStore(root: caseDir.appendingPathComponent("blobs"))
        _ = try ExtractStage(job: job, store: store, blobs: blobs).run()
        var items: [Item] = []
        try store.forEachItem { items.append($0) }
        let dayItems = items.filter { $0.kind == .chat }
        let days = try dayItems.map { try ChatDay.decode(try blobs.read($0.sha256)) }
        return Result(items: items, exceptions: try store.exceptions(), blobs: blobs, days: days, dayItems: dayItems)
    }
}

/// The chat readers against exports other projects published with their test suites
/// (../shared/corpora). Numbers are printed for the closing note; floors are what is reached.
final class ChatConformanceTests: XCTestCase {
    static let corpora = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("shared/corpora")

    var h: ChatHarness!
    override func setUpWithError() throws { h = try ChatHarness() }
    override func tearDownWithError() throws { h.cleanup() }

    func corpus(_ rel: String) throws -> URL {
        let u = Self.corpora.appendingPathComponent(rel)
        guard FileManager.default.fileExists(atPath: u.path) else {
            throw XCTSkip("corpus \(rel) not found under \(Self.corpora.path); conformance check skipped")
        }
        return u
    }

    func objects(_ url: URL) throws -> [[String: Any]] {
        (try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [[String: Any]]) ?? []
    }

    // MARK: slack-export-viewer

    func testSlackExportViewerZipAndFolderAgree() throws {
        let folder = try corpus("slack-export-viewer/unzipped")
        let zip = try corpus("slack-export-viewer/tests/testarchive.zip")
        let fromFolder = try h.run([folder], name: "folder")
        let fromZip = try h.run([zip], name: "zip")

        XCTAssertEqual(fromFolder.exceptions, [], "\(fromFolder.exceptions)")
        XCTAssertEqual(fromZip.exceptions, [], "\(fromZip.exceptions)")
        XCTAssertEqual(fromFolder.days, fromZip.days, "the zip and the unpacked folder give the same conversation-days")
        XCTAssertEqual(fromFolder.dayItems.map(\.sha256), fromZip.dayItems.map(\.sha256))
        XCTAssertEqual(fromFolder.dayItems.map(\.fileName), fromZip.dayItems.map(\.fileName))

        // Every message object of each channel's day files is in that channel's days.
        var expected: [String: Int] = [:]
        var subtypes: [String: Int] = [:]
        for channel in ["enrique", "traveling-sailor"] {
            let dir = folder.appendingPathComponent(channel)
            for f in try FileManager.default.contentsOfDirectory(atPath: dir.path) where f.hasSuffix(".json") {
                let objs = try objects(dir.appendingPathComponent(f))
                expected["#" + channel, default: 0] += objs.count
                for o in objs { subtypes[o["subtype"] as? String ?? "", default: 0] += 1 }
            }
        }
        var got: [String: Int] = [:]
        var types: [String: Int] = [:]
        for d in fromZip.days {
            got[d.conversation, default: 0] += d.messages.count
            for m in d.messages { types[m.type, default: 0] += 1 }
        }
        XCTAssertEqual(got, expected)
        XCTAssertEqual(types["bot"], subtypes["bot_message"], "bot messages keep their type")
        XCTAssertEqual(types["join"], subtypes["channel_join"])
        XCTAssertEqual(types["file"], (subtypes["file_share"] ?? 0) + (subtypes["file_comment"] ?? 0))

        let all = fromZip.days.flatMap(\.messages)
        XCTAssertFalse(all.contains { $0.text.contains("<@U") }, "mentions resolved to names")
        XCTAssertTrue(all.contains { $0.text.hasPrefix("@Harry Potter") || $0.text.contains("@Harry Potter") })
        XCTAssertTrue(all.allSatisfy { $0.time.count == 20 && $0.time.hasSuffix("Z") })
        XCTAssertTrue(all.filter { $0.type == "bot" }.allSatisfy { !$0.text.isEmpty }, "integration posts keep their attachment text")
        let shares = all.filter { $0.type == "file" && !$0.attachments.isEmpty }
        XCTAssertTrue(shares.contains { $0.attachments == ["100_cities.js"] })
        XCTAssertTrue(fromZip.days.allSatisfy { d in d.messages.allSatisfy { $0.time.hasPrefix(d.day) } },
                      "each day holds only messages of that UTC day")
        XCTAssertTrue(fromZip.days.allSatisfy { $0.participants.count >= 4 }, "channel members are participants")
        // integration_logs.json is not consumed: it stays a loose file.
        XCTAssertEqual(fromZip.items.filter { $0.kind == .file }.map(\.fileName), ["integration_logs.json"])
        print("slack-export-viewer: \(fromZip.dayItems.count) conversation-days, \(fromZip.messageCount) messages "
              + "(\(got.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", "))); "
              + "types \(types.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")); "
              + "zip == folder: \(fromFolder.days == fromZip.days)")
        XCTAssertGreaterThanOrEqual(fromZip.dayItems.count, 17)
        XCTAssertEqual(fromZip.messageCount, 158)
    }

    // MARK: slackdump-fixtures

    func testSlackdumpExportFolderAndZip() throws {
        let base = "slackdump-fixtures/internal/fixtures/assets/"
        let folder = try corpus(base + "source_export_dir")
        let zip = try corpus(base + "source_export.zip")
        let a = try h.run([folder], name: "dir")
        let b = try h.run([zip], name: "zip")
        XCTAssertEqual(a.exceptions, [])
        XCTAssertEqual(b.exceptions, [])
        XCTAssertEqual(a.days, b.days)
        var expected = 0
        let dir = folder.appendingPathComponent("B75B4C7")
        for f in try FileManager.default.contentsOfDirectory(atPath: dir.path) { expected += try objects(dir.appendingPathComponent(f)).count }
        XCTAssertEqual(a.messageCount, expected)
        let threaded = a.days.flatMap(\.messages).filter { !$0.threadOf.isEmpty }
        XCTAssertFalse(threaded.isEmpty, "replies point at their thread")
        let ids = Set(a.days.flatMap(\.messages).map(\.id))
        let resolvable = threaded.filter { ids.contains($0.threadOf) }.count
        print("slackdump-fixtures export: \(a.dayItems.count) conversation-days, \(a.messageCount) of \(expected) messages, "
              + "\(threaded.count) thread replies (\(resolvable) with their parent in the export); folder == zip: \(a.days == b.days)")

        // slackdump's own archive format (per-channel .json.gz) is not a workspace export: each
        // file is unwrapped and kept as a loose file, nothing is lost and nothing breaks.
        let archive = try corpus(base + "source_archive")
        let c = try h.run([archive], name: "archive")
        XCTAssertEqual(c.dayItems.count, 0)
        XCTAssertEqual(c.items.count, 3)
        print("slackdump-fixtures source_archive (.json.gz, not an export): \(c.items.count) loose files, \(c.exceptions.count) exceptions")

        // Metadata without conversation folders is not claimed as an export.
        let meta = try corpus(base + "export")
        let d = try h.run([meta], name: "meta")
        XCTAssertEqual(d.dayItems.count, 0)
        XCTAssertEqual(d.items.count, try FileManager.default.contentsOfDirectory(atPath: meta.path).count)
    }

    // MARK: chat-miner-tests

    func testChatMinerWhatsAppVariants() throws {
        let dir = try corpus("chat-miner-tests/test/whatsapp")
        let target = try objects(dir.appendingPathComponent("target.json"))
        let expected = target.map { t -> (String, String, String) in
            ((t["timestamp"] as? String ?? "") + "Z", t["author"] as? String ?? "", t["message"] as? String ?? "")
        }.sorted { $0.0 < $1.0 }
        let files = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasSuffix(".txt") }.sorted()
        XCTAssertEqual(files.count, 5)
        var matched = 0
        for f in files {
            let r = try h.run([dir.appendingPathComponent(f)], name: f)
            XCTAssertEqual(r.exceptions, [], f)
            XCTAssertTrue(r.dayItems.allSatisfy { $0.format == "whatsapp-day" }, f)
            let all = r.days.flatMap(\.messages)
            let authored = all.filter { $0.type == "message" }
                .map { ($0.time, $0.sender.name, $0.text.replacingOccurrences(of: "\n", with: " ")) }
            XCTAssertEqual(authored.count, expected.count, f)
            for (g, e) in zip(authored, expected) {
                XCTAssertEqual(g.0, e.0, f); XCTAssertEqual(g.1, e.1, f); XCTAssertEqual(g.2, e.2, f)
                if g == e { matched += 1 }
            }
            let system = all.filter { $0.type == "system" }
            // 9 timestamped lines: the 6 authored ones and 3 without "Sender: " (group created,
            // you were added, "John Doe:."), which chat-miner drops and we keep as system lines.
            XCTAssertEqual(all.count, 9, f)
            XCTAssertEqual(system.count, 3, f)
            print("chat-miner \(f): \(r.dayItems.count) days, \(all.count) messages, \(authored.count) authored match target: "
                  + "\(zip(authored, expected).filter { $0 == $1 }.count)/\(expected.count)")
        }
        XCTAssertEqual(matched, 5 * expected.count)
        print("chat-miner whatsapp: \(files.count) variants, \(matched)/\(5 * expected.count) authored messages equal to target.json (time, sender, text)")
    }

    // MARK: rsmf-samples

    func testRSMFSamples() throws {
        let base = try corpus("rsmf-samples/Documentation")
        var summary: [String] = []
        for rel in ["Sample1/rsmf_manifest.json", "Sample2/rsmf.zip", "Sample3/sample.rsmf", "Sample3/message.eml",
                    "Sample4/rsmf_manifest.json"] {
            let r = try h.run([base.appendingPathComponent(rel)], name: rel.replacingOccurrences(of: "/", with: "-"))
            XCTAssertEqual(r.exceptions, [], rel)
            XCTAssertEqual(r.dayItems.count, 1, rel)
            XCTAssertTrue(r.dayItems.allSatisfy { $0.format == "rsmf-day" }, rel)
            let d = try XCTUnwrap(r.days.first)
            XCTAssertEqual(d.day, "2013-01-10", rel)
            XCTAssertEqual(d.messages.map(\.time), ["2013-01-10T15:53:00Z"], rel)
            summary.append("\(rel): \(r.dayItems.count) day, \(d.messages.count) message, platform \(d.platform), "
                           + "conversation \(d.conversation), \(r.items.count - r.dayItems.count) other item(s)")
            if rel.hasPrefix("Sample3") {
                XCTAssertEqual(d.platform, "skype")
                XCTAssertEqual(d.messages[0].sender, Address(name: "Participant Name", address: "1"))
                // The wrapper's preview image goes on as a loose file; the zip's avatar is not produced.
                XCTAssertEqual(r.items.filter { $0.kind != .chat }.map(\.fileName), ["avatar.png"])
            }
            if rel.hasPrefix("Sample4") {
                XCTAssertEqual(d.messages[0].text, "Here is an event body")
                XCTAssertEqual(d.messages[0].attachments, ["avatar.png"])
                XCTAssertEqual(d.messages[0].sender.name, "Participant Display")
            }
        }
        print("rsmf-samples: " + summary.joined(separator: "; "))
    }

    /// RSMF features the samples do not have: edits, deletions, threads, files in the zip.
    func testRSMFEditsFilesAndFallback() throws {
        let manifest = """
        {"version":"2.0.0","participants":[{"id":"P1","display":"Jane Doe","email":"jdoe@dpr.example.gov","avatar":"av1.png"},{"id":"P2","display":"Sam"}],
         "conversations":[{"id":"C1","display":"#records","platform":"slack","type":"channel","participants":["P1","P2"]}],
         "events":[
          {"id":"E1","type":"message","participant":"P1","conversation":"C1","timestamp":"2024-03-01T10:00:00Z","body":"v3",
           "edits":[{"participant":"P1","timestamp":"2024-03-01T10:05:00Z","previous":"v1","current":"v2"},
                    {"participant":"P1","timestamp":"2024-03-01T10:09:00Z","previous":"v2","current":"v3"}]},
          {"id":"E2","type":"message","participant":"P2","conversation":"C1","timestamp":"2024-03-01T13:00:00+02:00","parent":"E1","body":"reply","deleted":true,
           "attachments":[{"id":"ATT1.pdf","display":"memo.pdf","size":4},{"id":"gone.png","display":"gone.png"}]},
          {"id":"E3","type":"join","participant":"P2","conversation":"C1","timestamp":"2024-03-02T00:00:00"},
          {"id":"E4","type":"disclaimer","body":"Archived by X"}]}
        """
        let zipURL = h.dir.appendingPathComponent("rsmf.zip")
        let w = try ZipWriter(path: zipURL.path)
        try w.addData("rsmf_manifest.json", Data(manifest.utf8))
        try w.addData("ATT1.pdf", Data("%PDF".utf8))
        try w.addData("av1.png", Data("png".utf8))
        try w.close()
        let b64 = try Data(contentsOf: zipURL).base64EncodedString(options: [.lineLength76Characters, .endLineWithLineFeed])
        let eml = "From: Relativity <support@relativity.com>\nX-RSMF-Version: 2.0.0\nMIME-Version: 1.0\n"
            + "Content-Type: multipart/mixed; boundary=\"B\"\n\n--B\nContent-Type: text/plain\n\npreview\n"
            + "--B\nContent-Type: application/octet-stream; name=rsmf.zip\nContent-Disposition: attachment; filename=rsmf.zip\n"
            + "Content-Transfer-Encoding: base64\n\n\(b64)\n--B--\n"
        let r = try h.run([try h.write("chat.rsmf", eml)])
        XCTAssertEqual(r.exceptions, [])
        XCTAssertEqual(r.dayItems.map(\.fileName), ["#records 2024-03-01.json", "#records 2024-03-02.json", "RSMF events undated.json"])
        let d = try XCTUnwrap(r.day("#records", "2024-03-01"))
        XCTAssertEqual(d.platform, "slack")
        XCTAssertEqual(d.messages[0].text, "v3")
        XCTAssertEqual(d.messages[0].edits, [ChatEdit(time: "2024-03-01T10:00:00Z", text: "v1"), ChatEdit(time: "2024-03-01T10:05:00Z", text: "v2")])
        XCTAssertEqual(d.messages[1].time, "2024-03-01T11:00:00Z")
        XCTAssertEqual(d.messages[1].threadOf, "E1")
        XCTAssertTrue(d.messages[1].deleted)
        XCTAssertEqual(d.messages[1].attachments, ["memo.pdf", "gone.png"])
        XCTAssertEqual(r.children(of: r.dayItems[0].key).map(\.fileName), ["memo.pdf"])
        XCTAssertEqual(r.day("RSMF events", "undated")?.messages.map(\.type), ["system"])
        XCTAssertFalse(r.items.contains { $0.fileName == "av1.png" })

        // X-RSMF-Version but no zip: still a message.
        let plain = "From: a@b.c\nX-RSMF-Version: 2.0.0\nSubject: s\n\nbody\n"
        let p = try h.run([try h.write("plain.eml", plain)], name: "plain")
        XCTAssertEqual(p.items.map(\.kind), [.email])
    }

    // MARK: no false claims

    /// The mail and archive corpora hold no chat export but plenty that looks close: hostile
    /// archives (quines, bombs, truncated tars), JSON, XML, text. No chat reader may claim any
    /// of it, and looking must be quick. (SampleData is not swept: it has chat exports.)
    func testChatReadersClaimNothingInMailAndArchiveCorpora() throws {
        let readers: [Reader] = [SlackReader(), WhatsAppReader(), WickrReader(), ActianceReader(), RSMFReader()]
        var paths: [(URL, Bool)] = []
        let others = ["tika-testdocs", "MimeKit-TestData", "james-mime4j-testmsgs", "notmuch-corpora",
                      "aspose-email-net-data", "msgreader-msg"].map { Self.corpora.appendingPathComponent($0) }
        for top in others where FileManager.default.fileExists(atPath: top.path) {
            paths.append((top, true))
            let e = FileManager.default.enumerator(at: top, includingPropertiesForKeys: [.isDirectoryKey])
            while let u = e?.nextObject() as? URL {
                paths.append((u, (try? u.resourceValues(forKeys: [.isDirectoryKey]).isDirectory) == true))
            }
        }
        if paths.isEmpty { throw XCTSkip("no mail or archive corpora under \(Self.corpora.path); sweep skipped") }
        let start = Date()
        for (u, isDir) in paths {
            for r in readers {
                var input = Input(url: u, name: u.lastPathComponent, path: u.path, key: "0001", parentKey: nil, folder: "",
                                  digests: nil, isDirectory: isDir, depth: 0)
                XCTAssertEqual(r.confidence(&input), 0, "\(r.name) claims \(u.path)")
            }
        }
        let seconds = Date().timeIntervalSince(start)
        print("mail/archive corpora: \(paths.count) files and folders, no chat reader claims any (\(String(format: "%.2f", seconds)) s)")
        XCTAssertLessThan(seconds, 30)
    }
}
