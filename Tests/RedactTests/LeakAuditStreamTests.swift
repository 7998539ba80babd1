import Foundation
import XCTest
@testable import Redact

/// The streaming audit keeps only the last words, whatever the size of the file.
final class LeakAuditStreamTests: XCTestCase {
    func testMemoryHeldDoesNotGrowWithTheText() {
        let audit = LeakAudit(coded: [("Jane Doe", ["(b)(6)"]), ("(555) 014-2231", ["(b)(6)"]), ("王小明", ["(b)(6)"])])
        var scanner = LeakScanner(audit.patterns)
        let line = Array("Dear team, the budget review moved to Thursday; call Jane Doe at (555) 014-2231 — 王小明.\n".utf8)
        var block: [UInt8] = []
        while block.count < 1 << 20 { block += line }
        var most = 0
        for _ in 0..<8 {
            _ = block.withUnsafeBufferPointer { scanner.feed($0, final: false) }
            most = max(most, scanner.retainedBytes)
        }
        let found = scanner.end()
        // 8 MiB read; a few hundred bytes of words held at a time (the arena is trimmed at 64 KiB).
        XCTAssertLessThan(most, 200_000)
        // Per line "jane doe", "555 014 2231" and 王小明 as a word; 王小明 once more as a substring.
        XCTAssertEqual(found.count, 1 + 3 * 8 * (block.count / line.count))
    }

    func testAWordLongerThanAnyNeedleDoesNotHideTheNeedlesAroundIt() throws {
        let long = String(repeating: "ab", count: 70_000)
        let text = "Jane \(long) Jane Doe \(long)王小明 end"
        let needles = ["Jane Doe", "Jane", "王小明"]
        let want = LeakAuditReference(needles: needles).scan(text)
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("leak-long-\(UUID().uuidString).txt")
        try Data(text.utf8).write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        var audit = LeakAudit(needles: needles)
        for size in [1000, 1 << 20] {
            audit.chunkSize = size
            let got = try audit.scan(file: url)
            // Only the context of the overlong word is shortened; what was found, and in what order, is the same.
            XCTAssertEqual(got.map(\.needle), want.map(\.needle))
            XCTAssertEqual(got.map(\.codes), want.map(\.codes))
        }
        XCTAssertEqual(want.map(\.needle), ["王小明", "Jane", "Jane", "jane doe"])
    }
}
