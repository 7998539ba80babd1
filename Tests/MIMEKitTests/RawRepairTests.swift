import XCTest
@testable import MIMEKit

/// Bytes that GMime reads differently from mail clients, repaired on the parsed copy.
final class RawRepairTests: XCTestCase {
    func testNULInRawHeadersDoesNotCutSubjectOrFileName() throws {
        var d = Data("From: a@example.com\r\nSubject: Hello".utf8) + Data([0])
        d += Data(" SSN 401-55-0101\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"B\"\r\n\r\n--B\r\n".utf8)
        d += Data("Content-Type: text/plain\r\n\r\nbody\r\n--B\r\nContent-Type: application/octet-stream\r\n".utf8)
        d += Data("Content-Disposition: attachment; filename=\"report".utf8) + Data([0]) + Data("-401-55-0101.txt\"\r\n".utf8)
        d += Data("Content-Transfer-Encoding: binary\r\n\r\nbin".utf8) + Data([0, 1, 0]) + Data("ary\r\n--B--\r\n".utf8)
        let m = try MIME.parse(d)
        XCTAssertEqual(m.subject, "Hello SSN 401-55-0101")
        XCTAssertEqual(m.attachments.map(\.fileName), ["report-401-55-0101.txt"])
        XCTAssertEqual(m.attachments.first?.data, Data("bin".utf8) + Data([0, 1, 0]) + Data("ary".utf8),
                       "NULs in a part's body are content and stay")
        XCTAssertEqual(m.bodyText, "body")
    }

    func testNULInTheHeaderOfAnAttachedMessage() throws {
        var d = Data("From: a@example.com\nSubject: outer\nContent-Type: multipart/mixed; boundary=\"B\"\n\n--B\n".utf8)
        d += Data("Content-Type: message/rfc822\n\nFrom: b@example.com\nSubject: inner".utf8) + Data([0])
        d += Data(" secret\n\ninner body\n--B--\n".utf8)
        let m = try MIME.parse(d)
        XCTAssertEqual(m.attachments.count, 1)
        XCTAssertEqual(try MIME.parse(m.attachments[0].data).subject, "inner secret")
    }

    func testNULInsideEncodedWordsDoesNotCutTheValue() throws {
        // "Hello\0 SSN 401-55-0101" as Q and as B; the file name as an RFC 2047 word too.
        let b64 = Data("Hello\u{0} SSN 401-55-0101".utf8).base64EncodedString()
        let m = try MIME.parse(Data("""
            From: a@example.com
            Subject: =?utf-8?q?Hello=00_SSN_401-55-0101?=
            X-Other: =?utf-8?B?\(b64)?=
            Content-Type: multipart/mixed; boundary="B"

            --B
            Content-Type: text/plain

            body
            --B
            Content-Type: application/octet-stream; name="=?utf-8?q?r=00eport.txt?="

            x
            --B--

            """.utf8))
        XCTAssertEqual(m.subject, "Hello SSN 401-55-0101")
        XCTAssertEqual(m.header("X-Other"), "Hello SSN 401-55-0101")
        XCTAssertEqual(m.attachments.map(\.fileName), ["report.txt"])
    }

    func testBareCRLineEndings() throws {
        let s = "From: a@example.com\rTo: b@example.com\rSubject: Old Mac\rDate: Tue, 5 Mar 2024 14:24:00 +0000\r\rSSN 401-55-0101\rsecond line\r"
        XCTAssertGreaterThanOrEqual(MIME.messageConfidence(head: Array(s.utf8)), 90)
        let m = try MIME.parse(Data(s.utf8))
        XCTAssertEqual(m.subject, "Old Mac")
        XCTAssertEqual(m.to.map(\.address), ["b@example.com"])
        XCTAssertEqual(m.bodyText, "SSN 401-55-0101\nsecond line\n")
    }

    func testCRLFMessageWithAStrayCRIsNotRewritten() throws {
        let m = try MIME.parse(Data("From: a@example.com\r\nSubject: a\rb\r\n\r\nbody\r\n".utf8))
        XCTAssertEqual(m.from.first?.address, "a@example.com")
        XCTAssertEqual(m.bodyText, "body\n")
    }

    func testPartsBelowTheDepthLimitAreLosses() throws {
        var s = "From: a@example.com\nSubject: deep\nMIME-Version: 1.0\n"
        for i in 0..<120 { s += "Content-Type: multipart/mixed; boundary=\"b\(i)\"\n\n--b\(i)\n" }
        s += "Content-Type: text/plain\n\nSSN 401-55-0101\n"
        for i in (0..<120).reversed() { s += "--b\(i)--\n" }
        let m = try MIME.parse(Data(s.utf8))
        XCTAssertEqual(m.bodyText, "")
        XCTAssertEqual(m.losses.count, 1)
        XCTAssertEqual(m.losses.first?.section, "part 1.1.1.….1.1.1 (101 levels down)")
    }
}
