import Foundation
import XCTest
@testable import Redact

/// The automaton audit against the audit it replaced (`LeakAuditReference`): the same findings,
/// in the same order, on generated text full of the forms the audit exists to see through.
final class LeakAuditDifferentialTests: XCTestCase {
    /// splitmix64, so every run generates the same texts.
    struct RNG {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        mutating func int(_ n: Int) -> Int { Int(next() % UInt64(n)) }
        mutating func pick<T>(_ a: [T]) -> T { a[int(a.count)] }
        mutating func chance(_ percent: Int) -> Bool { int(100) < percent }
    }

    static let firsts = ["Jane", "Elena", "José", "Zoë", "Mark", "Will", "Ann", "Li", "O'Brien", "Renée", "Nguyễn"]
    static let lasts = ["Doe", "Marsh", "Smith", "Müller", "García", "Łukasz", "Dvořák", "Ng", "Park"]
    static let cjk = ["山田太郎", "王小明", "田中", "李", "さくら", "東京都", "김민수", "中華人民共和国"]
    static let plain = ["the", "meeting", "said", "call", "at", "and", "will", "mark", "Park", "office", "re",
                        "Dear", "thanks", "see", "attached", "number", "email", "from", "to", "ref", "b", "6"]
    static let allowWords = ["Elena Marsh", "Park Service", "Mark Twain", "Will County"]

    static func number(_ r: inout RNG) -> String {
        let a = 100 + r.int(900), b = r.int(1000), c = r.int(10000)
        return r.pick([
            "(\(a)) \(String(format: "%03d", b))-\(String(format: "%04d", c))",
            "\(a).\(String(format: "%03d", b)).\(String(format: "%04d", c))",
            "\(a)-\(String(format: "%02d", b % 100))-\(String(format: "%04d", c))",
            "\(a)\(String(format: "%03d", b))\(String(format: "%04d", c))",
            "\(a) \(b)",
            "2024-0\(1 + r.int(9))-1\(r.int(10))",
        ])
    }

    /// A needle as redaction would record it.
    static func needle(_ r: inout RNG) -> String {
        switch r.int(9) {
        case 0, 1: return r.pick(firsts)
        case 2: return "\(r.pick(firsts)) \(r.pick(lasts))"
        case 3: return "\(r.pick(firsts)) \(r.pick(["A.", "B", "de la"])) \(r.pick(lasts))"
        case 4: return number(&r)
        case 5: return "\(r.pick(firsts).lowercased()).\(r.pick(lasts).lowercased())@agency.gov"
        case 6: return r.pick(cjk)
        case 7: return r.pick(lasts)
        default: return r.pick(plain + ["x", "7", "Ma rsh"])
        }
    }

    /// The same strings written the ways produced text writes them.
    static func disguise(_ s: String, _ r: inout RNG) -> String {
        switch r.int(10) {
        case 0: return s.uppercased()
        case 1: return s.lowercased()
        case 2: return s.replacingOccurrences(of: " ", with: "\n> ")
        case 3: return s.replacingOccurrences(of: " ", with: "  \t")
        case 4: return s.decomposedStringWithCanonicalMapping
        case 5:
            // Fullwidth forms and invisible characters inside words.
            var out = ""
            for ch in s {
                if let a = ch.asciiValue, ch.isNumber { out.unicodeScalars.append(Unicode.Scalar(0xFF10 + UInt32(a - 0x30))!) }
                else { out.append(ch) }
                if r.chance(15) { out.append(r.pick(["\u{200B}", "\u{00AD}", "\u{2060}"])) }
            }
            return out
        case 6: return s.replacingOccurrences(of: "-", with: "–")
        default: return s
        }
    }

    static func text(_ r: inout RNG, needles: [String], words: Int) -> String {
        var out = ""
        for _ in 0..<words {
            switch r.int(12) {
            case 0, 1: out += disguise(r.pick(needles), &r)
            case 2: out += r.pick(allowWords)
            case 3: out += number(&r)
            case 4: out += r.pick(cjk) + r.pick(cjk)
            case 5: out += r.pick(firsts)
            default: out += r.pick(plain)
            }
            out += r.pick([" ", " ", " ", "\n", ", ", ". ", " (", ") ", "\r\n", "\u{3000}", "「", "", "-", "—", " \u{0301}"])
        }
        return out
    }

    func testSameFindingsAsTheOldAuditOnGeneratedText() {
        var r = RNG(state: 20_261_203)
        var total = 0
        for round in 0..<300 {
            let coded = (0..<(1 + r.int(25))).map { _ in (Self.needle(&r), r.chance(50) ? ["(b)(6)"] : ["(b)(7)(C)", "(b)(6)"]) }
            let allow = r.chance(60) ? Array(Self.allowWords.prefix(1 + r.int(Self.allowWords.count))) + (r.chance(30) ? ["Jane"] : []) : []
            let text = Self.text(&r, needles: coded.map(\.0), words: 5 + r.int(200))
            let old = LeakAuditReference(coded: coded, allow: allow)
            let new = LeakAudit(coded: coded, allow: allow)
            XCTAssertEqual(new.needleCount, old.needleCount, "round \(round)")
            let want = old.scan(text)
            XCTAssertEqual(new.scan(text), want, "round \(round): \(coded.map(\.0)) allow \(allow) in \(text.debugDescription)")
            total += want.count
        }
        // The generator must plant leaks, or the comparison says nothing.
        XCTAssertGreaterThan(total, 1000)
    }

    func testFilesReadInTinyChunksFindWhatTheWholeTextFinds() throws {
        var r = RNG(state: 7)
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("leak-chunks-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        for round in 0..<40 {
            let coded = (0..<(1 + r.int(20))).map { _ in (Self.needle(&r), ["(b)(6)"]) }
            let text = Self.text(&r, needles: coded.map(\.0), words: 20 + r.int(150))
            let url = dir.appendingPathComponent("\(round).txt")
            try Data(text.utf8).write(to: url)
            let want = LeakAuditReference(coded: coded).scan(text)
            var audit = LeakAudit(coded: coded)
            XCTAssertEqual(audit.scan(text), want)
            for size in [1, 2, 3, 5, 64, 1 << 20] {
                audit.chunkSize = size
                XCTAssertEqual(try audit.scan(file: url), want, "round \(round), chunks of \(size)")
            }
        }
    }

    func testANameAndANumberCutByEveryChunkBoundary() throws {
        let text = "Mail from 王小明 to Elena\nMarsh: call (555) 014-2231, ask for Jane."
        let needles = ["王小明", "elena marsh", "555.014.2231", "Jane"]
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("leak-cut-\(UUID().uuidString).txt")
        try Data(text.utf8).write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        let want = LeakAuditReference(needles: needles).scan(text)
        XCTAssertEqual(want.map(\.needle), ["王小明", "王小明", "elena marsh", "555 014 2231", "Jane"])
        var audit = LeakAudit(needles: needles)
        for size in 1...text.utf8.count {
            audit.chunkSize = size
            XCTAssertEqual(try audit.scan(file: url), want, "chunks of \(size)")
        }
    }

    func testBytesThatAreNotUTF8ReadAsTheOldAuditReadThem() throws {
        var r = RNG(state: 99)
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("leak-bad-\(UUID().uuidString).txt")
        defer { try? FileManager.default.removeItem(at: url) }
        let needles = ["Jane Doe", "José", "山田太郎", "5550142231"]
        let pieces: [[UInt8]] = [Array("Jane".utf8), Array(" Doe".utf8), Array("José".utf8), Array("山田太郎".utf8),
                                 [0xFF], [0xC3], [0xE5, 0xB1], [0xED, 0xA0, 0x80], [0xF0, 0x9F], [0x80], [0xC0, 0xAF],
                                 Array(" 555 014 2231 ".utf8), [0x20], [0x0A]]
        for round in 0..<200 {
            var bytes: [UInt8] = []
            for _ in 0..<(1 + r.int(30)) { bytes += r.pick(pieces) }
            try Data(bytes).write(to: url)
            let want = LeakAuditReference(needles: needles).scan(String(decoding: bytes, as: UTF8.self))
            var audit = LeakAudit(needles: needles)
            for size in [1, 2, 3, 1 << 20] {
                audit.chunkSize = size
                XCTAssertEqual(try audit.scan(file: url), want, "round \(round) \(bytes), chunks of \(size)")
            }
        }
    }

    func testAPlantedLeakInAProductionFolderIsReportedAsBefore() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("leak-prod-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let files = ["VOL001/TEXT/PROD0001.txt", "VOL001/TEXT/PROD0002.txt", "VOL001/NATIVES/PROD0003.eml", "PROD001.dat"]
        let contents = [
            "From: [REDACTED (b)(6)]\nTo: Elena Marsh\nSee you at the Park Service office.\n",
            "Forwarded by jane.doe@agency.gov -- call Jane at 555\n014 2231 (mobile)\n",
            "Subject: Jane Doe\n\nattachment for Jane\n",
            "þDOCIDþþBEGBATESþ\nþPROD0001þþPROD0001þ\n",
        ]
        for (f, c) in zip(files, contents) {
            let u = root.appendingPathComponent(f)
            try FileManager.default.createDirectory(at: u.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(c.utf8).write(to: u)
        }
        let coded = [("Jane Doe", ["(b)(6)"]), ("jane.doe@agency.gov", ["(b)(6)"]), ("(555) 014-2231", ["(b)(7)(C)"]),
                     ("Marsh", ["(b)(6)"]), ("Jane", ["(b)(6)"])]
        let allow = ["Elena Marsh"]
        let old = LeakAuditReference(coded: coded, allow: allow)
        var want: [(String, LeakAudit.Finding)] = []
        for (f, c) in zip(files, contents) {
            for x in old.scan(f) { want.append((f + " (file name)", x)) }
            if f.hasPrefix("VOL001/NATIVES/") { continue }
            for x in old.scan(c) { want.append((f, x)) }
        }
        var audit = LeakAudit(coded: coded, allow: allow)
        audit.chunkSize = 4
        let got = try audit.scan(folder: root, files: files, skipContentsUnder: "VOL001/NATIVES/")
        XCTAssertEqual(got.map(\.file), want.map(\.0))
        XCTAssertEqual(got.map(\.finding), want.map(\.1))
        XCTAssertEqual(Set(got.map(\.finding.needle)), ["jane doe agency gov", "jane doe", "Jane", "555 014 2231"])
    }

    func testManyNeedlesFindTheSameAsFew() {
        var r = RNG(state: 3)
        let few = (0..<10).map { _ in Self.needle(&r) }
        var many = few
        for k in 0..<20_000 { many.append("Person\(k) Surname\(k % 97)") }
        for k in 0..<5_000 { many.append("Given\(k)") }
        let text = Self.text(&r, needles: few, words: 3000) + " person19999 surname\(19_999 % 97) and Given4999 "
        let old = LeakAuditReference(needles: many).scan(text)
        XCTAssertEqual(LeakAudit(needles: many).scan(text), old)
        XCTAssertEqual(old.suffix(2).map(\.needle), ["person19999 surname17", "Given4999"])
    }
}
