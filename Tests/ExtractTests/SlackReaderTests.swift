import ArchiveKit
import DiscloseCore
@testable import Extract
import Foundation
import XCTest

final class SlackReaderTests: XCTestCase {
    var h: ChatHarness!
    override func setUpWithError() throws { h = try ChatHarness() }
    override func tearDownWithError() throws { h.cleanup() }

    static let users = """
    [{"id":"U1","name":"jdoe","real_name":"Jane Doe","profile":{"display_name":"jane","email":"jdoe@dpr.example.gov"}},
     {"id":"U2","name":"sam","profile":{"real_name":"Sam Ruiz","display_name":"sam"}},
     {"id":"U3","name":"lee","real_name":"Lee Park","profile":{}}]
    """

    /// A small export with one of everything the reader maps.
    func makeExport(_ root: String) throws {
        try h.write("\(root)/users.json", Self.users)
        try h.write("\(root)/channels.json", #"[{"id":"C1","name":"general","members":["U1","U2","U3"]}]"#)
        try h.write("\(root)/groups.json", #"[{"id":"G1","name":"legal","members":["U1","U3"]}]"#)
        try h.write("\(root)/dms.json", #"[{"id":"D1","members":["U1","U2"]}]"#)
        try h.write("\(root)/mpims.json", "[]")
        try h.write("\(root)/integration_logs.json", "[]")
        // 1709251200 = 2024-03-01T00:00:00Z. The day files are by the exporter's day; the items
        // are by UTC day, so the late message of 03-01 below moves to 03-02.
        try h.write("\(root)/general/2024-03-01.json", """
        [{"type":"message","subtype":"channel_join","user":"U3","text":"<@U3> has joined the channel","ts":"1709251200.000100"},
         {"type":"message","user":"U1","text":"Hi <@U2|sam>, see <#C1|general> &amp; <https://dpr.example.gov/a?b=1&amp;c=2|the memo> or <mailto:x@y.gov|x@y.gov> <!here>","ts":"1709251260.000200"},
         {"type":"message","user":"U2","text":"reply in thread","ts":"1709251300.000300","thread_ts":"1709251260.000200","parent_user_id":"U1"},
         {"type":"message","subtype":"bot_message","bot_id":"B1","username":"deploybot","text":"","attachments":[{"fallback":"fb","pretext":"Deployed","text":"build 42"}],"ts":"1709251400.000400"},
         {"type":"message","subtype":"file_share","user":"U1","text":"<@U1> uploaded a file","files":[{"id":"F1","name":"budget.xlsx"},{"id":"F2","name":"missing.pdf"}],"ts":"1709251500.000500"},
         {"type":"message","user":"U2","text":"first draft","ts":"1709251600.000600"},
         {"type":"message","subtype":"message_changed","ts":"1709251700.000700","message":{"user":"U2","text":"second draft","ts":"1709251600.000600","edited":{"user":"U2","ts":"1709251700.000000"}},"previous_message":{"user":"U2","text":"first draft","ts":"1709251600.000600"}},
         {"type":"message","subtype":"message_changed","ts":"1709251800.000800","message":{"user":"U2","text":"final draft","ts":"1709251600.000600","edited":{"user":"U2","ts":"1709251800.000000"}}},
         {"type":"message","user":"U3","text":"oops wrong channel","ts":"1709251900.000900"},
         {"type":"message","subtype":"message_deleted","deleted_ts":"1709251900.000900","ts":"1709251950.000950"},
         {"type":"message","user":"U1","text":"late","ts":"1709337600.000000"}]
        """)
        try h.write("\(root)/general/2024-03-02.json", """
        [{"type":"message","user":"U9","text":"from someone not in users.json","ts":"1709337700.000000","user_profile":{"real_name":"Ghost Writer","name":"ghost"}}]
        """)
        try h.write("\(root)/__uploads/F1/budget.xlsx", "PK fake spreadsheet")
        try h.write("\(root)/legal/2024-03-01.json", #"[{"type":"message","user":"U3","text":"privileged","ts":"1709251200.000000"}]"#)
        try h.write("\(root)/legal/2024-03-03.json", #"[{"type":"message","user":"U3","text":"trunc"#)
        try h.write("\(root)/D1/2024-03-01.json", #"[{"type":"message","user":"U2","text":"dm","ts":"1709251200.000000"}]"#)
    }

    func testFolderExportBecomesConversationDays() throws {
        try makeExport("ws")
        let r = try h.run([h.dir.appendingPathComponent("ws")])

        XCTAssertEqual(r.dayItems.map(\.fileName), ["#general 2024-03-01.json", "#general 2024-03-02.json",
                                                    "#legal (private) 2024-03-01.json", "DM: Jane Doe, Sam Ruiz 2024-03-01.json"])
        XCTAssertTrue(r.dayItems.allSatisfy { $0.format == "slack-day" && $0.parentKey == nil })
        XCTAssertEqual(r.dayItems.map(\.key), (1...4).map { DocKey.child(of: "0001", $0) })
        XCTAssertEqual(r.dayItems[0].folder, "#general")
        XCTAssertTrue(r.dayItems[0].path.hasSuffix("ws!/#general/2024-03-01"), r.dayItems[0].path)

        let d = try XCTUnwrap(r.day("#general", "2024-03-01"))
        XCTAssertEqual(d.platform, "slack")
        XCTAssertEqual(d.participants, [Address(name: "Jane Doe", address: "jdoe@dpr.example.gov"),
                                        Address(name: "Sam Ruiz", address: "sam"), Address(name: "Lee Park", address: "lee"),
                                        Address(name: "deploybot", address: "B1")])
        let m = d.messages
        XCTAssertEqual(m.map(\.type), ["join", "message", "message", "bot", "file", "message", "message"])
        XCTAssertEqual(m[0].text, "@Lee Park has joined the channel")
        XCTAssertEqual(m[0].time, "2024-03-01T00:00:00Z")
        XCTAssertEqual(m[1].text, "Hi @Sam Ruiz, see #general & the memo (https://dpr.example.gov/a?b=1&c=2) or x@y.gov @here")
        XCTAssertEqual(m[2].threadOf, "1709251260.000200")
        XCTAssertEqual(m[2].id, "1709251300.000300")
        XCTAssertEqual(m[3].text, "Deployed\nbuild 42")
        XCTAssertEqual(m[4].attachments, ["budget.xlsx", "missing.pdf"])
        XCTAssertEqual(m[5].text, "final draft")
        XCTAssertEqual(m[5].edits, [ChatEdit(time: "2024-03-01T00:06:40Z", text: "first draft"),
                                    ChatEdit(time: "2024-03-01T00:08:20Z", text: "second draft")])
        XCTAssertTrue(m[6].deleted)
        XCTAssertEqual(m[6].text, "oops wrong channel", "a deleted message keeps the text the export has")

        let next = try XCTUnwrap(r.day("#general", "2024-03-02"))
        XCTAssertEqual(next.messages.map(\.text), ["late", "from someone not in users.json"])
        XCTAssertEqual(next.messages[1].sender, Address(name: "Ghost Writer", address: "ghost"))

        // The file in the export joins the family of its day; the one only named does not exist.
        let kids = r.children(of: r.dayItems[0].key)
        XCTAssertEqual(kids.map(\.fileName), ["budget.xlsx"])
        XCTAssertEqual(kids.first?.key, DocKey.child(of: r.dayItems[0].key, 1))
        XCTAssertEqual(kids.first?.folder, "#general")

        // The truncated day file is an exception; its sibling still produced a day.
        XCTAssertEqual(r.exceptions.count, 1)
        XCTAssertTrue(r.exceptions[0].path.hasSuffix("ws/legal/2024-03-03.json"), r.exceptions[0].path)
        XCTAssertTrue(r.exceptions[0].reason.contains("not valid JSON"), r.exceptions[0].reason)
        XCTAssertNotNil(r.day("#legal (private)", "2024-03-01"))
        // Unconsumed files stay in the production as loose files.
        XCTAssertEqual(r.items.filter { $0.kind == .file && $0.parentKey == nil }.map(\.fileName), ["integration_logs.json"])
    }

    func testZipExportGivesTheSameDaysAndRezippedFolderToo() throws {
        try makeExport("ws")
        let folder = try h.run([h.dir.appendingPathComponent("ws")], name: "folder")
        for (zipName, prefix) in [("export.zip", ""), ("rezipped.zip", "Workspace export/")] {
            let url = h.dir.appendingPathComponent(zipName)
            let w = try ZipWriter(path: url.path)
            let (files, _) = ExportStaging.files(under: h.dir.appendingPathComponent("ws"))
            for f in files { try w.addData(prefix + f, try Data(contentsOf: h.dir.appendingPathComponent("ws/" + f))) }
            try w.close()
            let r = try h.run([url], name: zipName)
            XCTAssertEqual(r.days, folder.days, zipName)
            XCTAssertEqual(r.dayItems.map(\.fileName), folder.dayItems.map(\.fileName))
            XCTAssertTrue(r.dayItems[0].path.hasSuffix(zipName + "!/#general/2024-03-01"), r.dayItems[0].path)
            XCTAssertEqual(r.children(of: r.dayItems[0].key).map(\.fileName), ["budget.xlsx"])
            XCTAssertEqual(r.exceptions.count, 1)
            XCTAssertTrue(r.exceptions[0].path.hasSuffix(zipName + "!/" + prefix + "legal/2024-03-03.json"), r.exceptions[0].path)
        }
        let scratch = h.dir.appendingPathComponent("case-export.zip/blobs/tmp")
        let left = (try? FileManager.default.contentsOfDirectory(atPath: scratch.path)) ?? []
        XCTAssertFalse(left.contains { $0.hasPrefix("export-") }, "the unpacked copy is removed")
    }

    func testTarGzExportIsReadWhole() throws {
        try makeExport("ws")
        let tgz = h.dir.appendingPathComponent("export.tar.gz")
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        p.arguments = ["-c", """
        import tarfile, os
        root = '\(h.dir.appendingPathComponent("ws").path)'
        with tarfile.open('\(tgz.path)', 'w:gz') as t:
            for d, dirs, files in sorted(os.walk(root)):
                dirs.sort()
                for f in sorted(files):
                    full = os.path.join(d, f)
                    t.add(full, arcname=os.path.relpath(full, root))
        """]
        try p.run()
        p.waitUntilExit()
        var input = Input(url: tgz, name: "export.tar.gz", path: tgz.path, key: "0001", parentKey: nil, folder: "",
                          digests: nil, depth: 0)
        XCTAssertEqual(SlackReader().confidence(&input), 95)
        let folder = try h.run([h.dir.appendingPathComponent("ws")], name: "folder")
        let r = try h.run([tgz], name: "tgz")
        XCTAssertEqual(r.days, folder.days)
        XCTAssertEqual(r.children(of: r.dayItems[0].key).map(\.fileName), ["budget.xlsx"])
    }

    func testConfidence() throws {
        try makeExport("ws")
        let reader = SlackReader()
        var dir = Input(url: h.dir.appendingPathComponent("ws"), name: "ws", path: "ws", key: "0001", parentKey: nil,
                        folder: "", digests: nil, isDirectory: true, depth: 0)
        XCTAssertEqual(reader.confidence(&dir), 100)
        // Metadata alone is not an export.
        try h.write("meta/users.json", Self.users)
        try h.write("meta/other/notes.txt", "x")
        var meta = Input(url: h.dir.appendingPathComponent("meta"), name: "meta", path: "meta", key: "0001", parentKey: nil,
                         folder: "", digests: nil, isDirectory: true, depth: 0)
        XCTAssertEqual(reader.confidence(&meta), 0)

        let plain = h.dir.appendingPathComponent("plain.zip")
        let w = try ZipWriter(path: plain.path)
        try w.addData("users.json", Data("[]".utf8))
        try w.addData("readme.txt", Data("no days".utf8))
        try w.close()
        var zip = Input(url: plain, name: "plain.zip", path: "plain.zip", key: "0001", parentKey: nil, folder: "",
                        digests: nil, depth: 0)
        XCTAssertEqual(reader.confidence(&zip), 0)
        XCTAssertEqual(SlackReader.exportPrefix(in: ["channels.json", "general/2024-01-02.json"]), "")
        XCTAssertEqual(SlackReader.exportPrefix(in: ["x/users.json", "x/general/2024-01-02.json"]), "x/")
        XCTAssertNil(SlackReader.exportPrefix(in: ["a/b/users.json", "a/b/general/2024-01-02.json"]))
        XCTAssertTrue(SlackReader.isDayFile("2024-01-02.json"))
        XCTAssertFalse(SlackReader.isDayFile("2024-1-02.json"))
    }

    func testHostileExportsDoNotCrash() throws {
        // Wrong types everywhere, a users.json that is an object, a day file that is a number.
        try h.write("bad/users.json", #"{"id":"U1"}"#)
        try h.write("bad/channels.json", #"[{"id":5,"name":["x"],"members":"U1"},"junk",{"id":"C2","name":"ok"}]"#)
        try h.write("bad/ok/2024-01-01.json", #"[{"ts":12,"user":[1],"text":{"a":1},"files":"nope","thread_ts":7},{"ts":"99999999999999999999.1","text":"far future"},"str",{"ts":"-1.5","text":"before 1970"}]"#)
        try h.write("bad/ok/2024-01-02.json", "42")
        try h.write("bad/ok/2024-01-03.json", String(repeating: "[", count: 100_000))
        let r = try h.run([h.dir.appendingPathComponent("bad")])
        XCTAssertEqual(r.exceptions.count, 3, "\(r.exceptions.map(\.reason))")
        XCTAssertTrue(r.exceptions.contains { $0.path.hasSuffix("bad/users.json") })
        let all = r.days.flatMap(\.messages)
        XCTAssertEqual(all.count, 3)
        XCTAssertEqual(r.day("#ok", "undated")?.messages.map(\.text), ["far future"])
        XCTAssertEqual(r.day("#ok", "1969-12-31")?.messages.first?.time, "1969-12-31T23:59:58Z")
    }

    func testTextRendering() {
        let users = ["U1": SlackReader.User(address: Address(name: "Jane Doe", address: "j@x"))]
        XCTAssertEqual(SlackText.render("<@U1> <@U7|pat> <@U8> <!channel> <!subteam^S1|@legal>", users: users, channels: [:]),
                       "@Jane Doe @pat @U8 @channel @legal")
        XCTAssertEqual(SlackText.render("a &lt; b &gt; c <https://x.y> &amp;lt;", users: [:], channels: [:]), "a < b > c https://x.y &lt;")
        XCTAssertEqual(SlackText.render("<#C9> <https://x.y|https://x.y>", users: [:], channels: ["C9": "random"]),
                       "#random https://x.y")
    }
}
