import DiscloseCore
import Extract
import Foundation
import MIMEKit
import OLEKit
import XCTest

/// Builds .msg files property by property (MS-OXMSG layout), so the tests know every value.
enum MSGBuilder {
    struct Prop {
        var id: UInt16
        var type: UInt16
        var bytes: [UInt8]
        static func unicode(_ id: UInt16, _ s: String) -> Prop {
            Prop(id: id, type: 0x001F, bytes: s.utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] } + [0, 0])
        }
        static func ansi(_ id: UInt16, _ bytes: [UInt8]) -> Prop { Prop(id: id, type: 0x001E, bytes: bytes + [0]) }
        static func long(_ id: UInt16, _ v: UInt32) -> Prop { Prop(id: id, type: 0x0003, bytes: le(UInt64(v), 4)) }
        static func binary(_ id: UInt16, _ b: [UInt8]) -> Prop { Prop(id: id, type: 0x0102, bytes: b) }
        static func time(_ id: UInt16, unix: Int) -> Prop {
            Prop(id: id, type: 0x0040, bytes: le(UInt64(unix + 11_644_473_600) * 10_000_000, 8))
        }
    }

    static func le(_ v: UInt64, _ n: Int) -> [UInt8] { (0..<n).map { UInt8(truncatingIfNeeded: v >> (8 * UInt64($0))) } }

    struct Attachment {
        var props: [Prop]
        var embedded: Message?
    }

    final class Message {
        var props: [Prop]
        var recipients: [[Prop]]
        var attachments: [Attachment]
        init(props: [Prop], recipients: [[Prop]] = [], attachments: [Attachment] = []) {
            self.props = props; self.recipients = recipients; self.attachments = attachments
        }
    }

    /// The property stream and one __substg1.0_ stream per variable-size value.
    static func propertyNodes(_ props: [Prop], header: [UInt8]) -> [OLEWriter.Node] {
        var stream = header
        var nodes: [OLEWriter.Node] = []
        for p in props {
            let tag = UInt32(p.id) << 16 | UInt32(p.type)
            stream += le(UInt64(tag), 4) + le(6, 4)
            if [0x0002, 0x0003, 0x000B, 0x0040, 0x0014, 0x0005].contains(p.type) {
                stream += p.bytes + [UInt8](repeating: 0, count: 8 - p.bytes.count)
            } else {
                stream += le(UInt64(p.bytes.count), 4) + le(0, 4)
                nodes.append(.stream(String(format: "__substg1.0_%08X", tag), Data(p.bytes)))
            }
        }
        return [.stream("__properties_version1.0", Data(stream))] + nodes
    }

    static func nodes(_ m: Message, top: Bool) -> [OLEWriter.Node] {
        let counts = le(UInt64(m.recipients.count), 4) + le(UInt64(m.attachments.count), 4)
        let header = top ? [UInt8](repeating: 0, count: 8) + counts + counts + [UInt8](repeating: 0, count: 8)
            : [UInt8](repeating: 0, count: 8) + counts + counts
        var out = propertyNodes(m.props, header: header)
        for (i, r) in m.recipients.enumerated() {
            out.append(.storage(String(format: "__recip_version1.0_#%08X", i), propertyNodes(r, header: [UInt8](repeating: 0, count: 8))))
        }
        for (i, a) in m.attachments.enumerated() {
            var kids = propertyNodes(a.props, header: [UInt8](repeating: 0, count: 8))
            if let e = a.embedded { kids.append(.storage("__substg1.0_3701000D", nodes(e, top: false))) }
            out.append(.storage(String(format: "__attach_version1.0_#%08X", i), kids))
        }
        if top { out.append(.storage("__nameid_version1.0", [])) }
        return out
    }

    static func write(_ m: Message, to url: URL) throws {
        try OLEWriter.write(nodes(m, top: true), to: url.path)
    }

    static func recipient(_ name: String, _ address: String, type: UInt32) -> [Prop] {
        [.long(0x0C15, type), .unicode(0x3001, name), .unicode(0x3002, "SMTP"), .unicode(0x3003, address)]
    }
}

final class MSGReaderTests: XCTestCase {
    var h: OutlookHarness!

    override func setUpWithError() throws { h = try OutlookHarness() }
    override func tearDownWithError() throws { h = nil }

    func sampleMessage() -> MSGBuilder.Message {
        let inner = MSGBuilder.Message(props: [
            .unicode(0x001A, "IPM.Note"), .unicode(0x0037, "Inner note"), .unicode(0x1000, "inner body"),
            .unicode(0x0C1A, "Sam Roe"), .unicode(0x0C1F, "sam@dpr.example.gov"), .unicode(0x0C1E, "SMTP"),
        ])
        return MSGBuilder.Message(
            props: [
                .unicode(0x001A, "IPM.Note"), .unicode(0x0037, "Budget – Q3 “final” ✓"),
                .unicode(0x1000, "Hello Sam,\r\nsee the attached.\r\n"),
                .unicode(0x0042, "Jane Doe"), .unicode(0x0064, "EX"),
                .unicode(0x0065, "/o=DPR/ou=Exchange/cn=Recipients/cn=jdoe"), .unicode(0x5D02, "jdoe@dpr.example.gov"),
                .unicode(0x0C1A, "Jane Doe"), .unicode(0x0C1F, "/o=DPR/ou=Exchange/cn=Recipients/cn=jdoe"),
                .unicode(0x0C1E, "EX"), .unicode(0x5D01, "jdoe@dpr.example.gov"),
                .unicode(0x1035, "<budget-1@dpr.example.gov>"), .unicode(0x1042, "<prior@dpr.example.gov>"),
                .time(0x0039, unix: 1_709_598_240),
            ],
            recipients: [
                MSGBuilder.recipient("Sam Roe", "sam@dpr.example.gov", type: 1),
                MSGBuilder.recipient("Émile Zola", "ez@dpr.example.gov", type: 2),
                MSGBuilder.recipient("Hidden", "bcc@dpr.example.gov", type: 3),
            ],
            attachments: [
                MSGBuilder.Attachment(props: [.long(0x3705, 1), .unicode(0x3707, "Résumé – très long nom de fichier pour vérifier RFC 2231.pdf"),
                                              .unicode(0x370E, "application/pdf"), .binary(0x3701, Array("%PDF-1.4 fake".utf8))]),
                MSGBuilder.Attachment(props: [.long(0x3705, 5), .unicode(0x3001, "Inner note")], embedded: inner),
            ])
    }

    func testMSGBecomesOneEmailItemUnderTheSameKeyWithItsFamily() throws {
        let url = h.dir.appendingPathComponent("Budget.msg")
        try MSGBuilder.write(sampleMessage(), to: url)
        let (items, exc) = try h.run(url)
        XCTAssertEqual(exc, [])
        XCTAssertEqual(items.map(\.key), ["0001", "0001.00000001", "0001.00000002"])
        XCTAssertEqual(items[0].kind, .email)
        XCTAssertEqual(items[0].fileName, "Budget.msg", "the .msg keeps its name; its bytes are the conversion")
        XCTAssertEqual(items[0].path, url.path)
        XCTAssertEqual(items[1].fileName, "Résumé – très long nom de fichier pour vérifier RFC 2231.pdf")
        XCTAssertEqual(try h.bytes(items[1]), Data("%PDF-1.4 fake".utf8))
        XCTAssertEqual(items[2].kind, .email)
        XCTAssertEqual(items[2].fileName, "Inner note.eml")
        XCTAssertEqual(items[2].parentKey, "0001")

        let m = try h.message(items[0])
        XCTAssertEqual(m.subject, "Budget – Q3 “final” ✓")
        XCTAssertEqual(m.from.first?.address, "jdoe@dpr.example.gov", "SMTP address preferred over the Exchange DN")
        XCTAssertEqual(m.from.first?.name, "Jane Doe")
        XCTAssertEqual(m.to.map(\.address), ["sam@dpr.example.gov"])
        XCTAssertEqual(m.cc.map(\.name), ["Émile Zola"])
        XCTAssertEqual(m.bcc.map(\.address), ["bcc@dpr.example.gov"])
        XCTAssertEqual(m.messageID, "budget-1@dpr.example.gov")
        XCTAssertEqual(m.inReplyTo, "prior@dpr.example.gov")
        XCTAssertEqual(m.date?.utc, Date(timeIntervalSince1970: 1_709_598_240))
        XCTAssertEqual(m.bodyText.trimmingCharacters(in: .newlines), "Hello Sam,\nsee the attached.")
        let raw = try h.text(items[0])
        XCTAssertFalse(raw.replacingOccurrences(of: "\r\n", with: "").contains("\n"), "CRLF line ends only")
        XCTAssertTrue(raw.contains("filename*0*=UTF-8''"), "long non-ASCII names use RFC 2231 continuations")
        XCTAssertTrue(raw.contains("Subject: =?UTF-8?B?"), "non-ASCII subjects are RFC 2047 words")
        XCTAssertTrue(raw.utf8.allSatisfy { $0 < 0x80 }, "7-bit output")
    }

    func testSameInputGivesSameBytes() throws {
        let url = h.dir.appendingPathComponent("Budget.msg")
        try MSGBuilder.write(sampleMessage(), to: url)
        let a = try h.run(url).items.map(\.sha256)
        let b = try h.run(url).items.map(\.sha256)
        XCTAssertEqual(a, b)
        XCTAssertEqual(a.count, 3)
    }

    func testAnsiStringsUseTheMessageCodePage() throws {
        // "日本語" in Shift_JIS, PR_MESSAGE_LOCALE_ID Japanese, no PR_MESSAGE_CODEPAGE.
        let sjis: [UInt8] = [0x93, 0xFA, 0x96, 0x7B, 0x8C, 0xEA]
        let m = MSGBuilder.Message(props: [
            .ansi(0x001A, Array("IPM.Note".utf8)), .ansi(0x0037, sjis), .ansi(0x1000, sjis + [0x0D, 0x0A]),
            .long(0x3FF1, 1041), .long(0x3FDE, 50220),
        ])
        let url = h.dir.appendingPathComponent("jp.msg")
        try MSGBuilder.write(m, to: url)
        let (items, _) = try h.run(url)
        let msg = try h.message(items[0])
        XCTAssertEqual(msg.subject, "日本語")
        XCTAssertEqual(msg.bodyText.trimmingCharacters(in: .whitespacesAndNewlines), "日本語")
    }

    func testRTFOnlyBodyIsReducedToText() throws {
        let rtf = Array("{\\rtf1\\ansi\\ansicpg1252{\\fonttbl{\\f0 Arial;}}\\f0 Caf\\'e9 au lait\\par Second line\\par}".utf8)
        // The "MELA" form: stored uncompressed behind the same header.
        let header = MSGBuilder.le(UInt64(rtf.count + 12), 4) + MSGBuilder.le(UInt64(rtf.count), 4) + Array("MELA".utf8) + [0, 0, 0, 0]
        let m = MSGBuilder.Message(props: [.unicode(0x001A, "IPM.Note"), .unicode(0x0037, "rtf"), .binary(0x1009, header + rtf)])
        let url = h.dir.appendingPathComponent("rtf.msg")
        try MSGBuilder.write(m, to: url)
        let msg = try h.message(try h.run(url).items[0])
        XCTAssertEqual(msg.bodyText.trimmingCharacters(in: .whitespacesAndNewlines), "Café au lait\nSecond line")
    }

    func testAppointmentBecomesICalendarUnderTheSameKey() throws {
        // Named properties need a name map; write PidLidLocation/StartWhole/EndWhole via it.
        let guid: [UInt8] = [0x02, 0x20, 0x06, 0x00, 0x00, 0x00, 0x00, 0x00, 0xC0, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x46]
        func entry(_ lid: UInt32, _ index: UInt16) -> [UInt8] {
            MSGBuilder.le(UInt64(lid), 4) + MSGBuilder.le(UInt64(3 << 1), 2) + MSGBuilder.le(UInt64(index), 2)
        }
        let nameid: OLEWriter.Node = .storage("__nameid_version1.0", [
            .stream("__substg1.0_00020102", Data(guid)),
            .stream("__substg1.0_00030102", Data(entry(0x8208, 0) + entry(0x820D, 1) + entry(0x820E, 2))),
            .stream("__substg1.0_00040102", Data()),
        ])
        let props: [MSGBuilder.Prop] = [
            .unicode(0x001A, "IPM.Appointment"), .unicode(0x0037, "Budget review"), .unicode(0x1000, "Bring the numbers"),
            .unicode(0x8000, "Room 5"), .time(0x8001, unix: 1_709_600_400), .time(0x8002, unix: 1_709_604_000),
            .unicode(0x0C1A, "Jane Doe"), .unicode(0x0C1F, "jdoe@dpr.example.gov"),
        ]
        var nodes = MSGBuilder.nodes(MSGBuilder.Message(props: props, recipients: [MSGBuilder.recipient("Sam Roe", "sam@dpr.example.gov", type: 1)]), top: true)
        nodes.removeLast()
        nodes.append(nameid)
        let url = h.dir.appendingPathComponent("Review.msg")
        try OLEWriter.write(nodes, to: url.path)
        let (items, exc) = try h.run(url)
        XCTAssertEqual(exc, [])
        XCTAssertEqual(items.map(\.key), ["0001"])
        XCTAssertEqual(items[0].fileName, "Review.ics")
        let ics = try h.text(items[0])
        for line in ["BEGIN:VEVENT", "SUMMARY:Budget review", "LOCATION:Room 5", "DTSTART:20240305T010000Z",
                     "DTEND:20240305T020000Z", "DESCRIPTION:Bring the numbers",
                     "ORGANIZER;CN=Jane Doe:mailto:jdoe@dpr.example.gov",
                     "ATTENDEE;ROLE=REQ-PARTICIPANT;CN=Sam Roe:mailto:sam@dpr.example.gov"] {
            XCTAssertTrue(ics.contains(line + "\r\n"), "\(line) missing from\n\(ics)")
        }
    }

    func testOtherCompoundFilesStayFiles() throws {
        let url = h.dir.appendingPathComponent("notes.doc")
        try OLEWriter.write([.stream("WordDocument", Data(repeating: 7, count: 600))], to: url.path)
        let (items, exc) = try h.run(url)
        XCTAssertEqual(exc, [])
        XCTAssertEqual(items.map(\.kind), [.file])
        XCTAssertEqual(items[0].fileName, "notes.doc")
    }

    func testHostileMSGNeverCrashesAndIsAccountedFor() throws {
        let url = h.dir.appendingPathComponent("src.msg")
        try MSGBuilder.write(sampleMessage(), to: url)
        let good = [UInt8](try Data(contentsOf: url))
        var rng = SplitMix(seed: 42)
        var sources: [URL] = []
        for cut in [600, good.count / 3, good.count / 2, good.count - 100] {
            sources.append(try h.write("cut-\(cut).msg", Data(good.prefix(cut))))
        }
        for n in 0..<40 {
            var b = good
            for _ in 0..<(1 + Int(rng.next() % 64)) {
                let at = 512 + Int(rng.next() % UInt64(b.count - 512))
                b[at] = UInt8(truncatingIfNeeded: rng.next())
            }
            sources.append(try h.write("flip-\(n).msg", Data(b)))
        }
        var junk = OLEFile.magic
        for _ in 0..<4000 { junk.append(UInt8(truncatingIfNeeded: rng.next())) }
        sources.append(try h.write("junk.msg", Data(junk)))
        for s in sources {
            let (items, exc) = try h.run(s)
            XCTAssertFalse(items.isEmpty && exc.isEmpty, "\(s.lastPathComponent): neither item nor exception")
        }
    }

    func testCompressedRTFMatchesTheDecompressedCorpusFiles() throws {
        let folder = try Corpus.folder("msgreader-msg").appendingPathComponent("test")
        var checked = 0
        for rtfURL in Corpus.files(folder, extensions: ["rtf"]) {
            let msgURL = rtfURL.deletingPathExtension().appendingPathExtension("msg")
            guard let ole = try? OLEFile(path: msgURL.path), let c = try ole.root.stream("__substg1.0_10090102") else { continue }
            let ours = CompressedRTF.decompress([UInt8](c))
            XCTAssertEqual(ours.map { Data($0) }, try Data(contentsOf: rtfURL), rtfURL.lastPathComponent)
            checked += 1
        }
        XCTAssertGreaterThanOrEqual(checked, 10)
    }

    func testRTFReadingAndDecompressionNeverTrapOnGarbage() {
        var rng = SplitMix(seed: 17)
        let pieces = ["{", "}", "\\", "\\u-99999 ", "\\u70000?", "\\'", "\\'zz", "\\'e9", "\\*\\htmltag4 ", "\\htmlrtf",
                      "\\htmlrtf0 ", "\\bin-5 ", "\\bin99999999999 ", "\\fonttbl", "\\f", "\\fcharset128 ", "\\uc9 ",
                      "\\par", "text", "\\fromhtml1 ", "\\ansicpg932 ", "\\ansicpg-1 ", "\\uc-3 ", "\u{0}", "\\"]
        for _ in 0..<2000 {
            var s = rng.next() % 2 == 0 ? "{\\rtf1\\fromhtml1 " : "{\\rtf1 "
            for _ in 0..<Int(rng.next() % 60) { s += pieces[Int(rng.next() % UInt64(pieces.count))] }
            _ = RTFBody.body(Array(s.utf8))
            var junk = [UInt8]()
            for _ in 0..<Int(rng.next() % 300) { junk.append(UInt8(truncatingIfNeeded: rng.next())) }
            _ = RTFBody.body(junk)
            let header = MSGBuilder.le(UInt64(junk.count + 12), 4) + MSGBuilder.le(rng.next() % 100_000, 4) + Array("LZFu".utf8) + [0, 0, 0, 0]
            _ = CompressedRTF.decompress(header + junk)
        }
        // A forged raw size cannot make decompression allocate past the cap.
        let bomb = MSGBuilder.le(16, 4) + MSGBuilder.le(0xFFFF_FFFF, 4) + Array("LZFu".utf8) + [0, 0, 0, 0] + [UInt8](repeating: 0xFF, count: 4000)
        XCTAssertLessThanOrEqual(CompressedRTF.decompress(bomb, limit: 1 << 16)?.count ?? 0, 1 << 16)
    }

    func testEncapsulatedHTMLIsRecovered() {
        let rtf = "{\\rtf1\\ansi\\fromhtml1 {\\*\\htmltag19 <html>}{\\*\\htmltag34 <body>}\\htmlrtf {\\b\\htmlrtf0 Hello {\\*\\htmltag84 &amp;} caf\\'e9\\htmlrtf }\\htmlrtf0 {\\*\\htmltag64 </body>}{\\*\\htmltag27 </html>}}"
        XCTAssertEqual(RTFBody.body(Array(rtf.utf8)), .html("<html><body>Hello &amp; café</body></html>"))
    }
}

/// A small deterministic generator so hostile-input tests are the same every run.
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
