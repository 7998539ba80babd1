import ArchiveKit
import DiscloseCore
@testable import Extract
import Foundation
import XCTest

final class WhatsAppReaderTests: XCTestCase {
    var h: ChatHarness!
    override func setUpWithError() throws { h = try ChatHarness() }
    override func tearDownWithError() throws { h.cleanup() }

    func header(_ s: String) -> WhatsAppParser.Header? { WhatsAppParser.header(s[...]) }

    func testLineForms() throws {
        let ios = try XCTUnwrap(header("[02/01/2024, 10:11:12] Jane Doe: hello"))
        XCTAssertEqual([ios.a, ios.b, ios.c, ios.hour, ios.minute, ios.second], [2, 1, 2024, 10, 11, 12])
        XCTAssertEqual(String(ios.rest), "Jane Doe: hello")
        let android = try XCTUnwrap(header("02/01/2024, 10:11 - Jane Doe: hello"))
        XCTAssertEqual(String(android.rest), "Jane Doe: hello")
        // 12-hour clocks: narrow no-break space before PM (iOS 17), Spanish "p. m.", no seconds.
        let pm = try XCTUnwrap(header("[1/2/24, 9:05:01\u{202F}PM] Sam: late"))
        XCTAssertEqual(pm.meridiem, "p")
        XCTAssertEqual(WhatsAppParser.micros(pm, .monthFirst).flatMap(ChatGrouping.iso), "2024-01-02T21:05:01Z")
        let es = try XCTUnwrap(header("12/30/2021, 12:10 a. m. - Ana: hola"))
        XCTAssertEqual(WhatsAppParser.micros(es, .monthFirst).flatMap(ChatGrouping.iso), "2021-12-30T00:10:00Z")
        XCTAssertNotNil(header("\u{200E}[31.12.20, 21:05:01] Max: Prost"))
        XCTAssertNotNil(header("2019/01/01, 11:25 - John Doe: x"))
        XCTAssertNotNil(header("[01/01/19 11:25] John Doe: no comma"))
        // Not headers: continuation text that merely starts with numbers.
        XCTAssertNil(header("12/05 is the deadline"))
        XCTAssertNil(header("10:11 - not a date"))
        XCTAssertNil(header("02/01/2024, 25:11 - bad hour"))
        XCTAssertNil(header("02/01/2024 10:11 Jane: no separator"))
    }

    func testDateOrderIsInferredPerFile() {
        let dayFirst = WhatsAppParser.parse("01/02/2024, 10:00 - A: x\n13/02/2024, 10:00 - A: y\n")
        XCTAssertEqual(dayFirst.order, .dayFirst)
        XCTAssertEqual(dayFirst.messages.map(\.message.time), ["2024-02-01T10:00:00Z", "2024-02-13T10:00:00Z"])
        let monthFirst = WhatsAppParser.parse("01/02/24, 10:00 - A: x\n02/13/24, 10:00 - A: y\n")
        XCTAssertEqual(monthFirst.order, .monthFirst)
        XCTAssertEqual(monthFirst.messages.map(\.message.time), ["2024-01-02T10:00:00Z", "2024-02-13T10:00:00Z"])
        let ambiguous = WhatsAppParser.parse("01/02/2024, 10:00 - A: x\n")
        XCTAssertEqual(ambiguous.order, .dayFirst, "ambiguous files are read day-first (documented)")
        XCTAssertEqual(ambiguous.warnings, [])
        let mixed = WhatsAppParser.parse("13/02/2024, 10:00 - A: x\n02/13/2024, 10:00 - A: y\n")
        XCTAssertEqual(mixed.order, .dayFirst)
        XCTAssertEqual(mixed.warnings.count, 2, "\(mixed.warnings)")
        XCTAssertEqual(mixed.messages[1].micros, nil)
    }

    func testAmbiguousDatesUseTheFilesOwnEvidence() {
        // Media names carry the real date: DOC-20240305 makes 03/05/24 the 5th of March.
        let android = WhatsAppParser.parse("03/05/24, 9:20\u{202F}AM - Pete: DOC-20240305-WA0003.txt (file attached)\n"
                                           + "03/06/24, 8:45\u{202F}AM - Sam: ok\n")
        XCTAssertEqual(android.order, .monthFirst)
        XCTAssertEqual(android.messages.map(\.message.time), ["2024-03-05T09:20:00Z", "2024-03-06T08:45:00Z"])
        let ios = WhatsAppParser.parse("[05/03/2024, 10:00:00] A: \u{200E}<attached: 00000012-PHOTO-2024-03-05-10-00-00.jpg>\n")
        XCTAssertEqual(ios.order, .dayFirst)
        // An export is chronological: the reading that runs backwards is the wrong one.
        XCTAssertEqual(WhatsAppParser.parse("03/05/24, 10:00 - A: x\n03/06/24, 10:00 - A: y\n04/01/24, 10:00 - A: z\n").order,
                       .monthFirst)
        XCTAssertEqual(WhatsAppParser.parse("05/03/24, 10:00 - A: x\n06/03/24, 10:00 - A: y\n01/04/24, 10:00 - A: z\n").order,
                       .dayFirst)
        XCTAssertEqual(WhatsAppParser.mediaDates("IMG-20240102-WA0001.jpg and 00000013-VIDEO-2023-12-31-23-59-59.mp4").count, 2)
    }

    func testGroupNameIsNotASender() {
        let r = WhatsAppParser.parse("""
        [14/02/2024, 07:58:10] Press Desk: \u{200E}Siobhan Brennan created group \u{201C}Press Desk\u{201D}
        [14/02/2024, 08:03:22] Siobhan Brennan: Morning all.
        [14/02/2024, 08:04:00] Siobhan Brennan: \u{200E}Report.pdf \u{2022} \u{200E}3 pages \u{200E}document omitted
        """)
        XCTAssertEqual(r.messages.map(\.message.sender.name), ["", "Siobhan Brennan", "Siobhan Brennan"])
        XCTAssertEqual(r.messages.map(\.message.type), ["system", "message", "file"])
    }

    func testMessageKinds() {
        let text = """
        \u{FEFF}[02/01/2024, 10:00:00] Family: \u{200E}Messages and calls are end-to-end encrypted. No one outside of this chat, not even WhatsApp, can read or listen to them.
        [02/01/2024, 10:01:00] Jane Doe: first line
        second line: with a colon
        [02/01/2024, 10:02:00] \u{202A}+1 555 0100\u{202C}: \u{200E}<attached: 00000012-PHOTO-2024-01-02-10-11-12.jpg>
        [02/01/2024, 10:03:00] Sam: \u{200E}image omitted
        [02/01/2024, 10:04:00] Sam: \u{200E}This message was deleted.
        [02/01/2024, 10:05:00] Jane Doe: \u{200E}Missed voice call
        [02/01/2024, 10:06:00] Jane Doe: Location: https://maps.google.com/?q=1,2
        [02/01/2024, 10:07:00] Sam changed the subject to "a: b"
        02/01/2024, 10:08 - Jane Doe: IMG-20240102-WA0001.jpg (file attached)
        caption here
        02/01/2024, 10:09 - Sam: <Media omitted>

        """
        let r = WhatsAppParser.parse(text)
        let m = r.messages.map(\.message)
        XCTAssertEqual(m.map(\.type), ["system", "message", "file", "file", "message", "call", "location", "system", "file", "file"])
        XCTAssertEqual(m[1].text, "first line\nsecond line: with a colon")
        XCTAssertEqual(m[1].sender, Address(name: "Jane Doe", address: ""))
        XCTAssertEqual(m[2].sender, Address(name: "+1 555 0100", address: "+1 555 0100"))
        XCTAssertEqual(m[2].attachments, ["00000012-PHOTO-2024-01-02-10-11-12.jpg"])
        XCTAssertEqual(m[2].text, "")
        XCTAssertTrue(m[4].deleted)
        XCTAssertEqual(m[7].sender, Address(name: "", address: ""))
        XCTAssertEqual(m[7].text, "Sam changed the subject to \"a: b\"")
        XCTAssertEqual(m[8].attachments, ["IMG-20240102-WA0001.jpg"])
        XCTAssertEqual(m[8].text, "caption here")
        XCTAssertEqual(m[9].text, "<Media omitted>")
        XCTAssertEqual(m[9].attachments, [])
        XCTAssertEqual(m.map(\.id), ["1", "2", "4", "5", "6", "7", "8", "9", "10", "12"], "ids are the line numbers")
    }

    func testSingleTextFile() throws {
        let url = try h.write("WhatsApp Chat with Sam Ruiz.txt", """
        02/01/2024, 23:59 - Jane Doe: before midnight
        03/01/2024, 00:01 - Sam Ruiz: after midnight
        03/01/2024, 00:02 - Sam Ruiz: IMG-1.jpg (file attached)
        """)
        var input = Input(url: url, name: url.lastPathComponent, path: url.path, key: "0001", parentKey: nil, folder: "",
                          digests: nil, depth: 0)
        XCTAssertEqual(WhatsAppReader().confidence(&input), 90)
        let r = try h.run([url])
        XCTAssertEqual(r.exceptions, [])
        XCTAssertEqual(r.dayItems.map(\.fileName), ["Sam Ruiz 2024-01-02.json", "Sam Ruiz 2024-01-03.json"])
        XCTAssertEqual(r.days[0].participants, [Address(name: "Jane Doe", address: "")])
        XCTAssertEqual(r.days[1].messages.last?.attachments, ["IMG-1.jpg"])
        XCTAssertEqual(r.items.count, 2, "a referenced file that is not there is only a name")
    }

    func testFolderAndZipExportAttachMedia() throws {
        let chat = """
        [02/01/2024, 10:11:12] Jane Doe: \u{200E}<attached: 00000012-PHOTO-2024-01-02-10-11-12.jpg>
        [02/01/2024, 10:12:00] Sam: thanks
        [03/01/2024, 09:00:00] Sam: \u{200E}<attached: 00000013-AUDIO-2024-01-03-09-00-00.opus>
        """
        try h.write("WhatsApp Chat - Family/_chat.txt", chat)
        try h.write("WhatsApp Chat - Family/00000012-PHOTO-2024-01-02-10-11-12.jpg", "jpeg bytes")
        try h.write("WhatsApp Chat - Family/00000013-AUDIO-2024-01-03-09-00-00.opus", "opus bytes")
        try h.write("WhatsApp Chat - Family/unrelated.pdf", "%PDF")
        let folder = h.dir.appendingPathComponent("WhatsApp Chat - Family")
        let r = try h.run([folder], name: "folder")
        XCTAssertEqual(r.exceptions, [])
        XCTAssertEqual(r.dayItems.map(\.fileName), ["Family 2024-01-02.json", "Family 2024-01-03.json"])
        XCTAssertEqual(r.children(of: r.dayItems[0].key).map(\.fileName), ["00000012-PHOTO-2024-01-02-10-11-12.jpg"])
        XCTAssertEqual(r.children(of: r.dayItems[1].key).map(\.fileName), ["00000013-AUDIO-2024-01-03-09-00-00.opus"])
        XCTAssertEqual(r.items.filter { $0.parentKey == nil && $0.kind == .file }.map(\.fileName), ["unrelated.pdf"])

        let zipURL = h.dir.appendingPathComponent("WhatsApp Chat - Family.zip")
        let w = try ZipWriter(path: zipURL.path)
        for n in ["_chat.txt", "00000012-PHOTO-2024-01-02-10-11-12.jpg", "00000013-AUDIO-2024-01-03-09-00-00.opus", "unrelated.pdf"] {
            try w.addData(n, try Data(contentsOf: folder.appendingPathComponent(n)))
        }
        try w.close()
        var input = Input(url: zipURL, name: zipURL.lastPathComponent, path: zipURL.path, key: "0001", parentKey: nil,
                          folder: "", digests: nil, depth: 0)
        XCTAssertEqual(WhatsAppReader().confidence(&input), 95)
        let z = try h.run([zipURL], name: "zip")
        XCTAssertEqual(z.days, r.days)
        XCTAssertEqual(z.items.map(\.sha256), r.items.map(\.sha256))
        XCTAssertEqual(z.items.map(\.key), r.items.map(\.key))
    }

    func testNotWhatsApp() throws {
        let url = try h.write("notes.txt", "Meeting notes\n02/01/2024, 10:11 - Jane: not first line\n")
        var input = Input(url: url, name: "notes.txt", path: url.path, key: "0001", parentKey: nil, folder: "",
                          digests: nil, depth: 0)
        XCTAssertEqual(WhatsAppReader().confidence(&input), 0)
        let r = try h.run([url])
        XCTAssertEqual(r.items.map(\.kind), [.file])
    }

    func testBinaryGarbageWithTxtNameIsNotACrash() throws {
        var bytes = [UInt8](repeating: 0, count: 100_000)
        var x: UInt32 = 3
        for i in bytes.indices { x = x &* 1_103_515_245 &+ 12345; bytes[i] = UInt8(x >> 24) }
        let prefix = Array("[02/01/2024, 10:11:12] A: ".utf8)
        let url = try h.write("_chat.txt", Data(prefix + bytes))
        let r = try h.run([url])
        XCTAssertEqual(r.dayItems.count, 1)
        XCTAssertEqual(r.exceptions, [])
    }
}
