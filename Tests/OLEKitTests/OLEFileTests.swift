import Foundation
import OLEKit
import XCTest

final class OLEFileTests: XCTestCase {
    func testExploreOLE() throws {
        guard let path = ProcessInfo.processInfo.environment["EXPLORE_OLE"] else { throw XCTSkip("set EXPLORE_OLE") }
        let f = try OLEFile(path: path)
        for e in f.root.entries { print(e.name, e.isStorage, e.size) }
        print(f.root.has("__properties_version1.0"))
    }
}

final class CodePageTests: XCTestCase {
    func testShiftJIS() {
        // "日本語" in Shift_JIS.
        XCTAssertEqual(CodePage.decode([0x93, 0xFA, 0x96, 0x7B, 0x8C, 0xEA], codePage: 932), "日本語")
        XCTAssertEqual(CodePage.decode([0x93, 0xFA, 0xFF, 0x96, 0x7B], codePage: 932), "日\u{FFFD}本")
        XCTAssertEqual(CodePage.decode([0x80, 0x41], codePage: 1252), "€A")
        XCTAssertEqual(CodePage.decode([0xC0, 0xC1], codePage: 1251), "АБ")
        XCTAssertEqual(CodePage.iconvName(99999), "CP99999")
        XCTAssertEqual(CodePage.decode([0x41, 0xE9], codePage: 99999), "Aé", "unknown code pages fall back to windows-1252")
    }
}
