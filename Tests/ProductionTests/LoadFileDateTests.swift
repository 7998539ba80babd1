import Production
import XCTest

final class LoadFileDateTests: XCTestCase {
    func testOnlyFourDigitYearInstantsReachTheLoadFile() {
        XCTAssertEqual(DateFormat.loadFile("9999-12-31T23:59:59Z").date, "12/31/9999")
        XCTAssertEqual(DateFormat.loadFile("10000-01-01T04:59:59Z").date, "", "was -0/-0/1000")
        XCTAssertEqual(DateFormat.loadFile("10000-01-01T04:59:59Z").time, "")
        XCTAssertEqual(DateFormat.loadFile("-001-01-01T00:00:00Z").date, "")
        XCTAssertEqual(DateFormat.loadFile("2024-03-05").date, "")
    }
}
