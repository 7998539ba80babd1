import DiscloseCore
import Extract
import Foundation
import XCTest

/// Writes TNEF streams attribute by attribute (MS-OXTNEF), for tests that need to know every byte.
enum TNEFBuilder {
    static func le(_ v: UInt64, _ n: Int) -> [UInt8] { (0..<n).map { UInt8(truncatingIfNeeded: v >> (8 * UInt64($0))) } }

    static func attribute(_ level: UInt8, _ id: UInt32, _ data: [UInt8]) -> [UInt8] {
        let sum = data.reduce(0) { ($0 + Int($1)) & 0xFFFF }
        return [level] + le(UInt64(id), 4) + le(UInt64(data.count), 4) + data + le(UInt64(sum), 2)
    }

    static func padded(_ b: [UInt8]) -> [UInt8] { b + [UInt8](repeating: 0, count: (4 - b.count % 4) % 4) }

    static func unicode(_ id: UInt16, _ s: String) -> [UInt8] {
        let v: [UInt8] = s.utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] } + [0, 0]
        return le(0x001F, 2) + le(UInt64(id), 2) + le(1, 4) + le(UInt64(v.count), 4) + padded(v)
    }

    static func long(_ id: UInt16, _ v: UInt32) -> [UInt8] { le(0x0003, 2) + le(UInt64(id), 2) + le(UInt64(v), 4) }

    static func binary(_ id: UInt16, _ v: [UInt8]) -> [UInt8] {
        le(0x0102, 2) + le(UInt64(id), 2) + le(1, 4) + le(UInt64(v.count), 4) + padded(v)
    }

    static func props(_ list: [[UInt8]]) -> [UInt8] { le(UInt64(list.count), 4) + list.flatMap { $0 } }

    /// An RTF body in the uncompressed ("MELA") form of PR_RTF_COMPRESSED.
    static func rtfCompressed(_ rtf: String) -> [UInt8] {
        let raw = Array(rtf.utf8)
        return le(UInt64(raw.count + 12), 4) + le(UInt64(raw.count), 4) + Array("MELA".utf8) + [0, 0, 0, 0] + raw
    }

    static func stream(attachments: [(String, [UInt8])], messageProps: [[UInt8]] = []) -> [UInt8] {
        var out = le(0x223E_9F78, 4) + le(1, 2)
        out += attribute(1, 0x0008_9006, le(0x0001_0000, 4))
        out += attribute(1, 0x0007_8008, Array("IPM.Microsoft Mail.Note\u{0}".utf8))
        if !messageProps.isEmpty { out += attribute(1, 0x0006_9003, props(messageProps)) }
        for (name, data) in attachments {
            out += attribute(2, 0x0006_9002, [1, 0, 0xFF, 0xFF, 0xFF, 0xFF, 0, 0, 0, 0, 0, 0, 0, 0])
            out += attribute(2, 0x0001_8010, Array((String(name.prefix(8)) + "\u{0}").utf8))
            out += attribute(2, 0x0006_800F, data)
            out += attribute(2, 0x0006_9005, props([long(0x3705, 1), unicode(0x3707, name)]))
        }
        return out
    }

    static func email(carrying tnef: [UInt8]) -> Data {
        let b64 = Data(tnef).base64EncodedString(options: [.lineLength76Characters, .endLineWithCarriageReturn, .endLineWithLineFeed])
        return Data(("From: Jane Doe <jdoe@dpr.example.gov>\r\nTo: sam@dpr.example.gov\r\nSubject: rich text\r\n"
            + "Date: Tue, 05 Mar 2024 09:24:00 +0900\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"B\"\r\n\r\n"
            + "--B\r\nContent-Type: text/plain\r\n\r\nbody\r\n--B\r\nContent-Type: application/ms-tnef; name=\"winmail.dat\"\r\n"
            + "Content-Disposition: attachment; filename=\"winmail.dat\"\r\nContent-Transfer-Encoding: base64\r\n\r\n"
            + b64 + "\r\n--B--\r\n").utf8)
    }
}

final class TNEFReaderTests: XCTestCase {
    var h: OutlookHarness!

    override func setUpWithError() throws { h = try OutlookHarness() }
    override func tearDownWithError() throws { h = nil }

    func testAttachmentsJoinTheFamilyOfTheCarryingEmail() throws {
        let tnef = TNEFBuilder.stream(
            attachments: [("Quarterly report – final.docx", Array("PK fake docx".utf8)), ("notes.txt", Array("plain notes".utf8))],
            messageProps: [TNEFBuilder.binary(0x1009, TNEFBuilder.rtfCompressed("{\\rtf1\\ansi Hello \\b world\\b0\\par}"))])
        let (items, exc) = try h.run(try h.write("m.eml", TNEFBuilder.email(carrying: tnef)))
        XCTAssertEqual(exc, [])
        XCTAssertEqual(items.map(\.key), ["0001", "0001.00000001.00000001", "0001.00000001.00000002", "0001.00000001.00000003"])
        XCTAssertEqual(items.map(\.fileName), ["m.eml", "Quarterly report – final.docx", "notes.txt", "winmail-body.rtf"])
        XCTAssertTrue(items.dropFirst().allSatisfy { $0.parentKey == "0001" }, "winmail.dat itself is not a family member")
        XCTAssertEqual(try h.bytes(items[1]), Data("PK fake docx".utf8))
        XCTAssertEqual(try h.text(items[3]), "{\\rtf1\\ansi Hello \\b world\\b0\\par}")
        XCTAssertTrue(items[1].path.hasSuffix("m.eml!/winmail.dat!/Quarterly report – final.docx"), items[1].path)
    }

    func testAnEmptyWrapperIsKeptAsAFile() throws {
        let tnef = TNEFBuilder.stream(attachments: [])
        let (items, exc) = try h.run(try h.write("m.eml", TNEFBuilder.email(carrying: tnef)))
        XCTAssertEqual(exc, [])
        XCTAssertEqual(items.map(\.fileName), ["m.eml", "winmail.dat"])
        XCTAssertEqual(items[1].key, "0001.00000001")
        XCTAssertEqual(items[1].parentKey, "0001")
        XCTAssertEqual(items[1].format, "tnef")
    }

    func testTruncatedStreamKeepsWhatCameBeforeTheDamage() throws {
        let tnef = TNEFBuilder.stream(attachments: [("a.txt", Array("first".utf8)), ("b.txt", Array(repeating: 0x42, count: 5000))])
        let cut = Array(tnef.prefix(tnef.count - 3000))
        let (items, exc) = try h.run(try h.write("winmail.dat", Data(cut)))
        XCTAssertEqual(items.map(\.fileName), ["a.txt"])
        // The second attachment's name survived, its data did not; the stream's damage is noted.
        XCTAssertEqual(exc.map(\.key), ["0001.00000002", "0001.00000003"])
        XCTAssertTrue(exc[0].reason.contains("b.txt"), exc[0].reason)
        XCTAssertTrue(exc[1].reason.contains("truncated"), exc[1].reason)
    }

    func testEmbeddedMessageBecomesAnEmailInTheFamily() throws {
        let inner = TNEFBuilder.stream(attachments: [], messageProps: [
            TNEFBuilder.unicode(0x0037, "Forwarded note"), TNEFBuilder.unicode(0x1000, "inner text"),
            TNEFBuilder.unicode(0x0C1A, "Sam Roe"), TNEFBuilder.unicode(0x0C1F, "sam@dpr.example.gov"),
        ])
        let iid: [UInt8] = [0x07, 0x03, 0x02, 0x00, 0, 0, 0, 0, 0xC0, 0, 0, 0, 0, 0, 0, 0x46]
        var outer = TNEFBuilder.le(0x223E_9F78, 4) + TNEFBuilder.le(1, 2)
        outer += TNEFBuilder.attribute(2, 0x0006_9002, [1, 0, 0xFF, 0xFF, 0xFF, 0xFF, 0, 0, 0, 0, 0, 0, 0, 0])
        let object = TNEFBuilder.le(0x000D, 2) + TNEFBuilder.le(0x3701, 2) + TNEFBuilder.le(1, 4)
            + TNEFBuilder.le(UInt64(iid.count + inner.count), 4) + TNEFBuilder.padded(iid + inner)
        outer += TNEFBuilder.attribute(2, 0x0006_9005, TNEFBuilder.props([TNEFBuilder.long(0x3705, 5),
                                                                            TNEFBuilder.unicode(0x3001, "Forwarded note"), object]))
        let (items, exc) = try h.run(try h.write("winmail.dat", Data(outer)))
        XCTAssertEqual(exc, [])
        XCTAssertEqual(items.map(\.kind), [.email])
        XCTAssertEqual(items[0].fileName, "Forwarded note.eml")
        let m = try h.message(items[0])
        XCTAssertEqual(m.subject, "Forwarded note")
        XCTAssertEqual(m.from.first?.address, "sam@dpr.example.gov")
    }

    func testGarbageWithTheMagicIsAnException() throws {
        var rng = SplitMix(seed: 5)
        for n in 0..<30 {
            var b: [UInt8] = [0x78, 0x9F, 0x3E, 0x22]
            for _ in 0..<(Int(rng.next() % 3000)) { b.append(UInt8(truncatingIfNeeded: rng.next())) }
            let (items, exc) = try h.run(try h.write("junk-\(n).dat", Data(b)))
            XCTAssertFalse(items.isEmpty && exc.isEmpty, "junk \(n)")
        }
    }
}
