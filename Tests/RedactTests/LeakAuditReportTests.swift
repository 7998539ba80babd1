import DiscloseCore
import XCTest
@testable import Redact

final class LeakAuditReportTests: XCTestCase {
    func testReportGoesThroughTheProjectCSVWriter() {
        let f = LeakAudit.Finding(needle: "=cmd|' /C calc'!A0", context: "x, y", codes: ["(b)(6)"])
        let report = String(decoding: LeakAudit.report([(file: "-a.txt", finding: f)]), as: UTF8.self)
        XCTAssertEqual(report, "FILE,STRING,CODES,CONTEXT\r\n\"'-a.txt\",\"'=cmd|' /C calc'!A0\",(b)(6),\"x, y\"\r\n")
    }
}
