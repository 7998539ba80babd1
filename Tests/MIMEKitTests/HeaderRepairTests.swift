import DiscloseCore
import XCTest
@testable import MIMEKit

/// Header values a hostile or careless sender writes, and what must come out of them.
final class HeaderRepairTests: XCTestCase {
    func message(_ headers: String) throws -> MIMEMessage {
        try MIME.parse(crlf(headers + "\nSubject: s\n\nbody\n"))
    }

    func testUnquotedCommaInADisplayNameKeepsTheAddress() throws {
        let m = try message("From: Smith, John <john.smith@example.com>\nTo: a@example.com, Doe, Jane <jane@example.com>, b@example.com")
        XCTAssertEqual(m.from, [Address(name: "Smith, John", address: "john.smith@example.com")])
        XCTAssertEqual(m.to, [Address(name: "", address: "a@example.com"),
                              Address(name: "Doe, Jane", address: "jane@example.com"),
                              Address(name: "", address: "b@example.com")])
    }

    func testCommaRepairLeavesWellFormedListsAlone() throws {
        let m = try message("From: \"Smith, John\" <john.smith@example.com>\nTo: Ann <ann@example.com>, Bob <bob@example.com>")
        XCTAssertEqual(m.from, [Address(name: "Smith, John", address: "john.smith@example.com")])
        XCTAssertEqual(m.to.map(\.address), ["ann@example.com", "bob@example.com"])
        // Bare names with no address anywhere stay separate people.
        XCTAssertEqual(GMimeSession.rejoinCommaNames([Address(name: "Alan", address: ""), Address(name: "Ned", address: "")]).count, 2)
        // An Exchange X.500 recipient is a recipient, not half of the next name.
        let x500 = [Address(name: "Smith, John", address: "/O=ORG/OU=NA/CN=RECIPIENTS/CN=JSMITH"),
                    Address(name: "Bob", address: "bob@example.com")]
        XCTAssertEqual(GMimeSession.rejoinCommaNames(x500), x500)
        XCTAssertEqual(GMimeSession.rejoinCommaNames([Address(name: "", address: "van der Berg"), Address(name: "Jan", address: "jan@example.com")]),
                       [Address(name: "van der Berg, Jan", address: "jan@example.com")])
    }

    func testYearsOutsideWhatTheLoadFilesCanHoldAreUnusableNotGuessed() throws {
        func date(_ h: String) throws -> MIMEDate? { try message("From: a@example.com\nDate: \(h)").date }
        // UTC is in year 10000: it used to become DATESENT "-0/-0/1000".
        XCTAssertNil(try date("Fri, 31 Dec 9999 23:00:00 -0500"))
        // GMime reads year 0 as a two-digit year and answers 2000.
        XCTAssertNil(try date("Sat, 1 Jan 0000 00:00:00 +0000"))
        XCTAssertNil(try date("0000-01-01T00:00:00Z"))
        let last = try XCTUnwrap(try date("Fri, 31 Dec 9999 23:59:59 +0000"))
        XCTAssertEqual(CivilDate.isoUTC(Int64(last.utc.timeIntervalSince1970)), "9999-12-31T23:59:59Z")
        let y2k = try XCTUnwrap(try date("Sat, 1 Jan 2000 00:00:00 +0000"))
        XCTAssertEqual(CivilDate.isoUTC(Int64(y2k.utc.timeIntervalSince1970)), "2000-01-01T00:00:00Z")
        let twoDigit = try XCTUnwrap(try date("Wed, 11 Feb 98 11:51 CST"))
        XCTAssertEqual(CivilDate.isoUTC(Int64(twoDigit.utc.timeIntervalSince1970)), "1998-02-11T17:51:00Z")
    }
}
