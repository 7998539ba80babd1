import DiscloseCore
import XCTest
@testable import Production

/// Every CSV report carries values a sender chose (names, subjects, file names); none may reach
/// a reviewer's spreadsheet as a formula.
final class ReportsCSVTests: XCTestCase {
    /// Cells of a CSV written by CSVWriter: RFC 4180 with CRLF rows.
    func cells(_ data: Data) -> [[String]] {
        var rows: [[String]] = [], row: [String] = [], cell = "", quoted = false
        let s = Array(String(decoding: data, as: UTF8.self).unicodeScalars)
        var i = 0
        while i < s.count {
            let c = s[i]
            if quoted {
                if c == "\"" { if i + 1 < s.count, s[i + 1] == "\"" { cell.unicodeScalars.append(c); i += 1 } else { quoted = false } }
                else { cell.unicodeScalars.append(c) }
            } else if c == "\"" { quoted = true }
            else if c == "," { row.append(cell); cell = "" }
            else if c == "\r" { }
            else if c == "\n" { row.append(cell); rows.append(row); row = []; cell = "" }
            else { cell.unicodeScalars.append(c) }
            i += 1
        }
        return rows
    }

    func assertNoFormula(_ data: Data, _ what: String, file: StaticString = #filePath, line: UInt = #line) {
        for row in cells(data) {
            for c in row {
                if let f = c.unicodeScalars.first {
                    XCTAssertFalse("=+-@\t\r".unicodeScalars.contains(f), "\(what): formula cell \(c)", file: file, line: line)
                }
            }
        }
    }

    let hostile = "+cmd|' /C calc'!A0"

    func row(author: String) -> Reports.IndexRow {
        .init(begBates: "B0001", endBates: "B0001", pages: "1", date: "03/05/2024", author: author, recipients: "=1+1",
              description: "Email: @SUM(1)", codes: ["(b)(6)"], withheldInFull: false, portions: 1, justification: "-x")
    }

    func testVaughnIndexAndPrivilegeLogNeutraliseFormulas() {
        let vaughn = Reports.vaughnCSV([row(author: hostile)])
        assertNoFormula(vaughn, "vaughn index")
        XCTAssertEqual(cells(vaughn)[1][4], "'" + hostile, "the text itself is kept, behind a quote")
        assertNoFormula(Reports.privilegeLog([row(author: hostile)]), "privilege log")
        assertNoFormula(Reports.redactionLog([.init(document: "B0001", page: "B0001", field: "=x", codes: ["(b)(6)"],
                                                    rule: "+r", propagatedFrom: "")]), "redaction log")
    }

    func testExceptionsAndNoTextReportsNeutraliseFormulas() {
        let exceptions = Reports.exceptions([["K1", "=HYPERLINK(\"http://evil\",\"Doe\")", "extract", "a.zip!/x", "corrupt"]])
        assertNoFormula(exceptions, "exceptions")
        XCTAssertEqual(cells(exceptions)[0], ["control", "custodian", "stage", "path", "reason"])
        XCTAssertEqual(cells(exceptions)[1][1], "'=HYPERLINK(\"http://evil\",\"Doe\")")
        let noText = Reports.noText([["B0002", "=HYPERLINK(1).png", "image/png", "no text layer"]])
        assertNoFormula(noText, "no-text")
        XCTAssertEqual(cells(noText)[1][1], "'=HYPERLINK(1).png")
    }
}
