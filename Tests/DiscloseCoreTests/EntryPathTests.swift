import DiscloseCore
import XCTest

final class EntryPathTests: XCTestCase {
    /// swift-corelibs-foundation's `NSString.deletingLastPathComponent` traps on any
    /// one-character string; a zip entry or export file named `a` took the whole run down.
    func testOneCharacterNameHasNoFolder() {
        XCTAssertEqual(EntryPath.folder(of: "a"), "")
        XCTAssertEqual(EntryPath.folder(of: "{"), "")
    }

    func testFolderOfNestedNames() {
        XCTAssertEqual(EntryPath.folder(of: "word/document.xml"), "word")
        XCTAssertEqual(EntryPath.folder(of: "a/b/c"), "a/b")
        XCTAssertEqual(EntryPath.folder(of: "a/b"), "a")
        XCTAssertEqual(EntryPath.folder(of: "a//b"), "a")
        XCTAssertEqual(EntryPath.folder(of: "a/b/"), "a")
        XCTAssertEqual(EntryPath.folder(of: "/a"), "/")
        XCTAssertEqual(EntryPath.folder(of: "/"), "/")
        XCTAssertEqual(EntryPath.folder(of: ""), "")
        XCTAssertEqual(EntryPath.folder(of: "report.pdf"), "")
    }
}
