import DiscloseCore
import XCTest

final class PathNameTests: XCTestCase {
    func testOneCharacterNamesDoNotTrap() {
        for n in ["x", ".", "é", "/", ""] {
            XCTAssertEqual(PathName.parent(n), n == "/" ? "/" : "")
            XCTAssertEqual(PathName.last(n), n)
        }
    }

    func testComponentsAndExtensions() {
        XCTAssertEqual(PathName.parent("a/b/c.txt"), "a/b")
        XCTAssertEqual(PathName.parent("a/b/"), "a")
        XCTAssertEqual(PathName.parent("/x"), "/")
        XCTAssertEqual(PathName.last("a/b/"), "b")
        XCTAssertEqual(PathName.fileExtension("d/a.tar.GZ"), "GZ")
        XCTAssertEqual(PathName.fileExtension(".gz"), "")
        XCTAssertEqual(PathName.fileExtension("a."), "")
        XCTAssertEqual(PathName.deletingExtension("d/x.gz"), "d/x")
        XCTAssertEqual(PathName.deletingExtension("é.eml"), "é")
        XCTAssertEqual(PathName.deletingExtension(".gz"), ".gz")
    }
}
