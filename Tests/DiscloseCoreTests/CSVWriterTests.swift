import DiscloseCore
import XCTest

final class CSVWriterTests: XCTestCase {
    func testFormulaCellsAreNeutralisedAsOWASPRecommends() {
        XCTAssertEqual(CSVWriter.field("=HYPERLINK(\"http://x\",\"y\")"), "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\"")
        XCTAssertEqual(CSVWriter.field("+cmd|' /C calc'!A0"), "\"'+cmd|' /C calc'!A0\"")
        XCTAssertEqual(CSVWriter.field("@SUM(A1)"), "\"'@SUM(A1)\"")
        XCTAssertEqual(CSVWriter.field("-2+3"), "\"'-2+3\"")
        XCTAssertEqual(CSVWriter.field("\t=1"), "\"'\t=1\"")
        XCTAssertEqual(CSVWriter.field("\r\n=1"), "\"'\r\n=1\"")
        XCTAssertEqual(CSVWriter.field("a=b"), "a=b", "only a leading sign makes a formula")
    }

    func testQuotingFollowsRFC4180() {
        XCTAssertEqual(CSVWriter.field("plain"), "plain")
        XCTAssertEqual(CSVWriter.field("Doe, Jane"), "\"Doe, Jane\"")
        XCTAssertEqual(CSVWriter.field("say \"hi\""), "\"say \"\"hi\"\"\"")
        // "\r\n" is one Character in Swift, equal neither to "\r" nor to "\n".
        XCTAssertEqual(CSVWriter.field("a\r\nb"), "\"a\r\nb\"")
        XCTAssertEqual(String(decoding: CSVWriter.data(header: ["A", "B"], rows: [["1", "x,y"]]), as: UTF8.self),
                       "A,B\r\n1,\"x,y\"\r\n")
    }
}
