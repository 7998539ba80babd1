import Foundation
import TNEFKit
import XCTest

final class TNEFTests: XCTestCase {
    func le(_ v: UInt64, _ n: Int) -> [UInt8] { (0..<n).map { UInt8(truncatingIfNeeded: v >> (8 * UInt64($0))) } }

    func attribute(_ level: UInt8, _ id: UInt32, _ data: [UInt8], badChecksum: Bool = false) -> [UInt8] {
        let sum = data.reduce(0) { ($0 + Int($1)) & 0xFFFF } ^ (badChecksum ? 1 : 0)
        return [level] + le(UInt64(id), 4) + le(UInt64(data.count), 4) + data + le(UInt64(sum), 2)
    }

    var header: [UInt8] { le(0x223E_9F78, 4) + le(0x1234, 2) }

    func testAttributesAttachmentsAndProperties() throws {
        let name: [UInt8] = Array("Keywords".utf16).flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] } + [0, 0]
        let guid: [UInt8] = [0x29, 0x03, 0x02, 0x00, 0, 0, 0, 0, 0xC0, 0, 0, 0, 0, 0, 0, 0x46]
        var props = le(3, 4)
        props += le(0x0003, 2) + le(0x3705, 2) + le(1, 4)                                         // PT_LONG
        props += le(0x001E, 2) + le(0x3707, 2) + le(1, 4) + le(6, 4) + Array("a.txt\u{0}".utf8) + [0, 0]  // string, padded
        // A named, multi-valued property.
        props += le(0x101F, 2) + le(0x8001, 2) + guid
        props += le(1, 4) + le(UInt64(name.count), 4) + name + [0, 0]
        let first: [UInt8] = le(4, 4) + [0x41, 0, 0, 0]
        let second: [UInt8] = le(4, 4) + [0x42, 0, 0, 0]
        props += le(2, 4) + first + second
        var s = header
        s += attribute(1, 0x0007_8008, Array("IPM.Microsoft Mail.Note\u{0}".utf8))
        s += attribute(1, 0x0001_8004, Array("Hello\u{0}".utf8), badChecksum: true)
        s += attribute(1, 0x0003_8005, le(2024, 2) + le(3, 2) + le(5, 2) + le(9, 2) + le(24, 2) + le(0, 2) + le(2, 2))
        s += attribute(2, 0x0006_800F, Array("data first".utf8))
        s += attribute(2, 0x0006_9005, props)
        s += attribute(2, 0x0006_9002, [UInt8](repeating: 0, count: 14))
        s += attribute(2, 0x0001_8010, Array("B.TXT\u{0}".utf8))
        let t = try TNEF.parse(s)
        XCTAssertEqual(t.key, 0x1234)
        XCTAssertEqual(t.messageClass, Array("IPM.Microsoft Mail.Note".utf8))
        XCTAssertEqual(t.subject, Array("Hello".utf8))
        XCTAssertEqual(t.dateSent.map { [$0.year, $0.month, $0.day, $0.hour, $0.minute, $0.second] }, [2024, 3, 5, 9, 24, 0])
        XCTAssertEqual(t.warnings, ["checksum mismatch in attribute 0x18004"])
        XCTAssertEqual(t.attachments.count, 2, "data before the render attribute still makes an attachment")
        XCTAssertEqual(t.attachments[0].data, Array("data first".utf8))
        XCTAssertEqual(t.attachments[0].properties.map(\.id), [0x3705, 0x3707, 0x8001])
        XCTAssertEqual(t.attachments[0].properties[1].values, [Array("a.txt\u{0}".utf8)])
        XCTAssertEqual(t.attachments[0].properties[2].name, "Keywords")
        XCTAssertEqual(t.attachments[0].properties[2].guid, guid)
        XCTAssertEqual(t.attachments[0].properties[2].values.count, 2)
        XCTAssertEqual(t.attachments[1].title, Array("B.TXT".utf8))
    }

    func testDamageEndsTheParseWithAWarningAndKeepsTheRest() throws {
        var s = header + attribute(2, 0x0006_9002, [UInt8](repeating: 0, count: 14)) + attribute(2, 0x0006_800F, [1, 2, 3])
        s += [2] + le(0x0006_800F, 4) + le(0xFFFF_FFF0, 4) + [9, 9, 9]  // a length far past the end
        let t = try TNEF.parse(s)
        XCTAssertEqual(t.attachments.first?.data, [1, 2, 3])
        XCTAssertEqual(t.warnings.count, 1)
        XCTAssertTrue(t.warnings[0].contains("truncated"))

        let badLevel = try TNEF.parse(header + [7] + le(1, 4) + le(0, 4) + [0, 0])
        XCTAssertTrue(badLevel.warnings[0].contains("invalid attribute level"))
        XCTAssertThrowsError(try TNEF.parse(Array("not tnef".utf8)))
    }

    func testLyingCountsDoNotAllocate() throws {
        // A property list claiming four billion properties, and a value claiming a huge count.
        let list = le(0xFFFF_FFFF, 4) + le(0x101F, 2) + le(0x0E1D, 2) + le(0x7FFF_FFFF, 4)
        let t = try TNEF.parse(header + attribute(1, 0x0006_9003, list) + attribute(1, 0x0006_9004, le(0xFFFF_FFFF, 4) + le(0xFFFF_FFFF, 4)))
        XCTAssertTrue(t.properties.isEmpty)
        XCTAssertFalse(t.warnings.isEmpty)
    }

    func testRandomBytesNeverTrap() throws {
        var state: UInt64 = 7
        func next() -> UInt64 { state = state &* 6364136223846793005 &+ 1442695040888963407; return state >> 33 }
        for _ in 0..<3000 {
            var b = header
            let n = Int(next() % 600)
            for _ in 0..<n { b.append(UInt8(truncatingIfNeeded: next())) }
            // Half the runs get a plausible attribute framing so the property reader is reached.
            if next() % 2 == 0 {
                let body = Array(b.dropFirst(6))
                b = header + attribute(UInt8(1 + next() % 2), [0x0006_9003, 0x0006_9005, 0x0006_9004][Int(next() % 3)], body)
            }
            _ = try? TNEF.parse(b)
        }
    }
}
