import Foundation
import OLEKit
import XCTest

final class OLEFileTests: XCTestCase {
    var dir: URL!

    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("olekit-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: dir) }

    func testWrittenTreeReadsBack() throws {
        let url = dir.appendingPathComponent("t.msg")
        let big = Data((0..<70_000).map { UInt8($0 % 251) })
        try OLEWriter.write([
            .stream("__properties_version1.0", Data([1, 2, 3])),
            .storage("__attach_version1.0_#00000000", [.stream("__substg1.0_37010102", big)]),
            .stream("empty", Data()),
        ], to: url.path)
        let f = try OLEFile(path: url.path)
        let names = f.root.entries.map(\.name)
        XCTAssertEqual(Set(names), ["__properties_version1.0", "__attach_version1.0_#00000000", "empty"])
        XCTAssertTrue(f.root.has("__properties_version1.0"))
        XCTAssertFalse(f.root.has("nope"))
        XCTAssertEqual(try f.root.stream("__properties_version1.0"), Data([1, 2, 3]))
        XCTAssertNil(try f.root.stream("__attach_version1.0_#00000000"), "a storage is not a stream")
        XCTAssertEqual(try f.root.stream("empty"), Data())
        let att = try XCTUnwrap(f.root.storage("__attach_version1.0_#00000000"))
        XCTAssertEqual(try att.stream("__substg1.0_37010102"), big)
        XCTAssertThrowsError(try att.stream("__substg1.0_37010102", limit: 1000), "over-limit streams are refused")
        XCTAssertEqual(att.entries.first?.size, 70_000)

        // The same bytes opened from memory, with the file object gone before the storage.
        var child: OLEStorage?
        do {
            let m = try OLEFile(data: try Data(contentsOf: url))
            child = m.root.storage("__attach_version1.0_#00000000")
        }
        XCTAssertEqual(try child?.stream("__substg1.0_37010102"), big)
    }

    func testNonCompoundFilesAreRefused() throws {
        let url = dir.appendingPathComponent("x.msg")
        try Data(OLEFile.magic + [UInt8](repeating: 0xAB, count: 3000)).write(to: url)
        XCTAssertThrowsError(try OLEFile(path: url.path))
        XCTAssertThrowsError(try OLEFile(data: Data("plain text".utf8)))
        XCTAssertThrowsError(try OLEFile(data: Data()))
    }

    func testDamagedCompoundFilesFailCleanly() throws {
        let url = dir.appendingPathComponent("t.msg")
        try OLEWriter.write([.stream("a", Data(repeating: 1, count: 9000)), .storage("s", [.stream("b", Data(repeating: 2, count: 100))])], to: url.path)
        let good = [UInt8](try Data(contentsOf: url))
        var state: UInt64 = 3
        func next() -> UInt64 { state = state &* 6364136223846793005 &+ 1442695040888963407; return state >> 33 }
        for n in 0..<200 {
            var b = good
            if n % 3 == 0 { b = Array(b.prefix(Int(next() % UInt64(b.count)))) }
            else { for _ in 0..<(1 + Int(next() % 40)) { b[Int(next() % UInt64(b.count))] = UInt8(truncatingIfNeeded: next()) } }
            guard let f = try? OLEFile(data: Data(b)) else { continue }
            for e in f.root.entries {
                if e.isStorage { _ = f.root.storage(e.name)?.entries } else { _ = try? f.root.stream(e.name) }
            }
        }
    }
}

final class CodePageTests: XCTestCase {
    func testWindowsAndAsianCodePages() {
        XCTAssertEqual(CodePage.decode([0x93, 0xFA, 0x96, 0x7B, 0x8C, 0xEA], codePage: 932), "日本語")
        XCTAssertEqual(CodePage.decode([0x93, 0xFA, 0xFF, 0x96, 0x7B], codePage: 932), "日\u{FFFD}本", "bad bytes marked, the rest kept")
        XCTAssertEqual(CodePage.decode([0x80, 0x41], codePage: 1252), "€A")
        XCTAssertEqual(CodePage.decode([0xC0, 0xC1], codePage: 1251), "АБ")
        XCTAssertEqual(CodePage.decode([0xC4, 0xE3, 0xBA, 0xC3], codePage: 936), "你好")
        XCTAssertEqual(CodePage.decode(Array("plain".utf8), codePage: 932), "plain")
        XCTAssertEqual(CodePage.decode([0x41, 0xE9], codePage: 99999), "Aé", "unknown code pages fall back to windows-1252")
        XCTAssertEqual(CodePage.mimeCharset(932), "shift_jis")
        XCTAssertNil(CodePage.iconvName(0))
    }
}
