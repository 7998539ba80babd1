import FuzzSupport
import Foundation
import XCTest

/// The fuzz entry points on the committed sample data and on damaged copies of it (empty,
/// truncated, one byte flipped), so the harness code runs in every `swift test` and a sample
/// that no longer reads cleanly shows up here before anyone runs `make fuzz`.
final class FuzzTargetSmokeTests: XCTestCase {
    static let sampleData = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("SampleData")

    static func file(_ path: String) throws -> Data {
        try Data(contentsOf: sampleData.appendingPathComponent(path))
    }

    /// SampleData has no RTF, TNEF or printed mail of its own; those samples are built here.
    static func sample(_ target: FuzzTarget) throws -> Data {
        switch target {
        case .readers: return try file("custodian06-foia-officer/mail-export.zip")
        case .mime: return try file("custodian05-deputy-director/Sent/msg-0019.eml")
        case .rtf: return Data(#"{\rtf1\ansi\ansicpg1252{\fonttbl\f0 Arial;}\f0 Caf\'e9 \u8364? total\par}"#.utf8)
        case .tnef: return tnef(subject: "Budget")
        case .mapi: return try file("custodian03-general-counsel/Saved Messages/FW Change ticket PAR-4471.msg")
        case .printed:
            return Data("""
                From: Alice Example <alice@example.org>
                Sent: Tuesday, March 5, 2024 10:15 AM
                To: Bob Example <bob@example.org>
                Subject: Budget

                The figures are attached.
                """.utf8)
        case .chat: return try file("custodian07-public-information-officer/Phone export/WhatsApp Chat with Press Desk.txt")
        case .normalize: return try file("custodian05-deputy-director/Calendar/oversight-briefing-prep.ics")
        }
    }

    /// Signature, key, then one message-level attSubject attribute with its checksum.
    static func tnef(subject: String) -> Data {
        let text = [UInt8](subject.utf8) + [0]
        func le32(_ v: UInt32) -> [UInt8] { (0..<4).map { UInt8(truncatingIfNeeded: v >> ($0 * 8)) } }
        let sum = text.reduce(UInt16(0)) { $0 &+ UInt16($1) }
        return Data([0x78, 0x9F, 0x3E, 0x22, 0x01, 0x00, 0x01] + le32(0x0001_8004) + le32(UInt32(text.count)) + text
                    + [UInt8(sum & 0xFF), UInt8(sum >> 8)])
    }

    func testEveryTargetReadsSamplesAndDamagedCopies() throws {
        for target in FuzzTarget.allCases {
            let data = try Self.sample(target)
            XCTAssertTrue(target.run(data), "\(target.rawValue): the intact sample was not read")
            var flipped = data
            flipped[flipped.count / 2] ^= 0xFF
            for variant in [Data(), data.prefix(data.count / 2), data.prefix(9), flipped] {
                target.run(variant)
            }
        }
    }
}
