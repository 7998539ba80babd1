import DiscloseCore
@testable import Extract
import Foundation
import MIMEKit
import SQLiteStore
import XCTest

/// Emails printed from Outlook (field guide §1) back into messages.
final class PrintedMailReaderTests: XCTestCase {
    /// Two emails printed one after the other, Outlook style: the printing user's name over a
    /// rule, labels on their own line in the first, inline in the second, quoted history in
    /// the body (including newer Outlook's underscore rule, which must not split the file).
    let printout = """
    Doe, Jane
    ______________________________________________________________________________
    From:
    Ruiz, Carmen <cruiz@dpr.example.gov>
    Sent:
    Tuesday, February 20, 2024 10:10 PM
    To:
    Doe, Jane; Lindqvist, Maria
    Cc:
    Okafor, Samuel <sokafor@dpr.example.gov>
    Subject:
    RE: Parley retention - transitory message rule
    Attachments:
    retention-schedule-v3.pdf

    Jane —

    Decision: we hold the 90-day rule until the investigation is closed. Jane, please note this in the cover memo.

    Carmen

    ________________________________
    From: Tanaka, Hiroshi <htanaka@dpr.example.gov>
    Sent: Tuesday, February 20, 2024 5:00 PM
    To: Novak, Peter
    Subject: Re: Parley retention - transitory message rule

    Please keep the complainant’s details in this thread to a minimum from now on.

    Hiro
    \u{0C}
    Doe, Jane
    ______________________________________________________________________________
    From: Novak, Peter <pnovak@dpr.example.gov> On Behalf Of Public Records Requests
    Sent: Wednesday, March 6, 2024 2:02 PM
    To: Declan Whitcombe <dwhitcombe@ledger.example.com>
    Subject: Your request 2024-0113
    Importance: High

    We received your request and assigned it number 2024-0113.

    -----Original Message-----
    From: Declan Whitcombe <dwhitcombe@ledger.example.com>
    Sent: Tuesday, March 5, 2024 9:24 AM
    To: Public Records Requests
    Subject: Records request: Parley pilot

    I am requesting all records about the Parley pilot.
    """

    func testSplitsRecordsAndParsesHeadersInBothLabelForms() {
        XCTAssertTrue(PrintedMail.looksPrinted(printout))
        let r = PrintedMail.split(printout)
        XCTAssertEqual(r.count, 2)
        XCTAssertEqual(r[0].from, "Ruiz, Carmen <cruiz@dpr.example.gov>")
        XCTAssertEqual(r[0].sent, "Tuesday, February 20, 2024 10:10 PM")
        XCTAssertEqual(r[0].to, "Doe, Jane; Lindqvist, Maria")
        XCTAssertEqual(r[0].cc, "Okafor, Samuel <sokafor@dpr.example.gov>")
        XCTAssertEqual(r[0].subject, "RE: Parley retention - transitory message rule")
        XCTAssertEqual(r[0].attachments, "retention-schedule-v3.pdf")
        XCTAssertTrue(r[0].body.hasPrefix("Jane —\n\nDecision:"))
        XCTAssertTrue(r[0].body.contains("From: Tanaka, Hiroshi"), "quoted history stays in the body")
        XCTAssertTrue(r[0].body.hasSuffix("Hiro"), r[0].body)
        XCTAssertFalse(r[0].body.contains("Doe, Jane\n___"), "the next printout's preamble is not body")
        XCTAssertEqual(r[1].subject, "Your request 2024-0113")
        XCTAssertEqual(r[1].importance, "High")
        XCTAssertTrue(r[1].body.hasPrefix("We received your request"))
        XCTAssertTrue(r[1].body.hasSuffix("I am requesting all records about the Parley pilot."))
    }

    func testMessageLineAndDashRuleSeparators() {
        let text = """
        Message

        From: Lindqvist, Maria <mlindqvist@dpr.example.gov>
        Sent: Monday, March 4, 2024 4:15 PM
        To: Doe, Jane
        Subject: Working session

        See you Thursday.

        Message

        From: Doe, Jane <jdoe@dpr.example.gov>
        Sent: Monday, March 4, 2024 4:20 PM
        To: Lindqvist, Maria
        Subject: RE: Working session

        Thursday works.
        ----------------------------------------
        From: Lindqvist, Maria <mlindqvist@dpr.example.gov>
        Date: Monday, March 4, 2024 at 4:25 PM
        To: Doe, Jane
        Subject: RE: Working session

        Great.
        """
        let r = PrintedMail.split(text)
        XCTAssertEqual(r.map(\.body), ["See you Thursday.", "Thursday works.", "Great."])
        XCTAssertEqual(r[2].sent, "Monday, March 4, 2024 at 4:25 PM")
    }

    func testSynthesizedMessageParsesAsMail() throws {
        let r = PrintedMail.split(printout)
        let m0 = try MIME.parse(PrintedMail.message(r[0]))
        XCTAssertEqual(m0.from.first?.name, "Ruiz, Carmen")
        XCTAssertEqual(m0.from.first?.address, "cruiz@dpr.example.gov")
        XCTAssertEqual(m0.to.map(\.name), ["Doe, Jane", "Lindqvist, Maria"], "names printed without addresses stay names")
        XCTAssertEqual(m0.to.map(\.address), ["", ""])
        XCTAssertEqual(m0.cc.first?.address, "sokafor@dpr.example.gov")
        XCTAssertEqual(m0.subject, "RE: Parley retention - transitory message rule")
        // No zone on a printout: read as UTC and said so.
        XCTAssertEqual(m0.date?.utc, ISO8601DateFormatter().date(from: "2024-02-20T22:10:00Z"))
        XCTAssertTrue(m0.headers.contains { $0.name == "X-Disclose-Date-Assumed" && $0.value == "UTC" })
        XCTAssertTrue(m0.headers.contains { $0.name == "X-Disclose-Source" && $0.value == "printed mail" })
        XCTAssertTrue(m0.bodyText.contains("Please keep the complainant’s details"), "UTF-8 body survives")
        XCTAssertTrue(m0.bodyText.hasPrefix("Jane —"))
        let m1 = try MIME.parse(PrintedMail.message(r[1]))
        XCTAssertEqual(m1.from.first?.address, "pnovak@dpr.example.gov")
        XCTAssertEqual(m1.date?.utc, ISO8601DateFormatter().date(from: "2024-03-06T14:02:00Z"))
        XCTAssertEqual(m1.to.first?.address, "dwhitcombe@ledger.example.com")
    }

    func testConfidenceLeavesRealMessagesToEmailReader() throws {
        let dir = try tempDir()
        func conf(_ text: String, _ name: String = "x.txt") throws -> Int {
            let u = dir.appendingPathComponent(name)
            try Data(text.utf8).write(to: u)
            var input = Input(url: u, name: name, path: name, key: "0001", parentKey: nil, folder: "", digests: nil, depth: 0)
            return PrintedMailReader().confidence(&input)
        }
        XCTAssertEqual(try conf(printout), 95)
        XCTAssertEqual(try conf("From: Doe, Jane <jdoe@x.example>\nSent: Tuesday, March 5, 2024 9:24 AM\nTo: Ruiz, Carmen\nSubject: Hi\n\nBody\n"), 95)
        let eml = "From: Jane Doe <jdoe@x.example>\nTo: c@x.example\nSubject: Hi\nDate: Tue, 05 Mar 2024 09:24:00 -0500\nMessage-ID: <a@x.example>\nMIME-Version: 1.0\n\nBody\n"
        XCTAssertEqual(try conf(eml, "a.eml"), 0)
        XCTAssertEqual(try conf("From: Jane Doe <jdoe@x.example>\nSent: Tuesday, March 5, 2024 9:24 AM\nMessage-ID: <a@x>\n\nBody\n"), 0)
        XCTAssertEqual(try conf("Meeting notes\n\nFrom: the budget office\nSent: yesterday\n"), 0)
        XCTAssertEqual(try conf("just some text\n"), 0)
        // iOS-printed Date form with Outlook's Message line.
        XCTAssertEqual(try conf("Message\n\nFrom: Doe, Jane\nDate: Tuesday, January 4, 2022 at 9:24 AM\nTo: Ruiz, Carmen\nSubject: Hi\n\nBody\n"), 95)
    }

    func testReaderDispatchesOneEmailChildPerPrintedEmail() throws {
        let dir = try tempDir()
        let src = dir.appendingPathComponent("printed.txt")
        try Data(printout.utf8).write(to: src)
        let store = try SQLiteStore(path: dir.appendingPathComponent("case.sqlite").path)
        let blobs = try BlobStore(root: dir.appendingPathComponent("blobs"))
        let ctx = ExtractContext(source: 1, custodian: "Doe, Jane", passwords: [], blobs: blobs,
                                 dispatcher: Dispatcher(), store: store)
        try ctx.dispatch(Input(url: src, name: "printed.txt", path: "printed.txt", key: "0001", parentKey: nil,
                               folder: "", digests: nil, depth: 0))
        try ctx.flush()
        let items = try store.items(after: nil, limit: 100)
        XCTAssertEqual(items.map(\.key), ["0001.00000001", "0001.00000002"])
        XCTAssertEqual(items.map(\.kind), [.email, .email])
        XCTAssertEqual(items.map(\.parentKey), [nil, nil])
        XCTAssertEqual(items[0].path, "printed.txt!/printed message 1")
        XCTAssertEqual(try store.exceptions(), [])
    }

    func tempDir() throws -> URL {
        let u = FileManager.default.temporaryDirectory.appendingPathComponent("printed-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: u, withIntermediateDirectories: true)
        return u
    }
}

extension PrintedMailReaderTests {
    func testDateFormsThatBelongToRealMessages() {
        XCTAssertFalse(PrintedMail.looksPrinted("From: A <a@x.example>\nSubject: Test\nDate: 16 May 2016 at 09:30:32  GMT+1\nTo: B <b@x.example>\n\nBody\n"))
        XCTAssertTrue(PrintedMail.looksPrinted("From: A <a@x.example>\nDate: Thursday, August 4, 2022 at 9:24 AM\nTo: B <b@x.example>\nSubject: Test\n\nBody\n"))
        XCTAssertFalse(PrintedMail.looksPrinted("From: A <a@x.example>\nDate: Thursday, August 4, 2022 at 9:24 AM PDT\nTo: B\n\nBody\n"))
    }
}

/// A prior production printed to PDF: its text layer is read like printed text.
final class PrintedMailPDFTests: XCTestCase {
    static func pdf(lines: [String]) -> Data {
        var content = "BT /F1 10 Tf 12 TL 40 780 Td\n"
        for l in lines {
            let esc = l.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "(", with: "\\(").replacingOccurrences(of: ")", with: "\\)")
            content += "(\(esc)) Tj T*\n"
        }
        content += "ET"
        let objects = [
            "<< /Type /Catalog /Pages 2 0 R >>",
            "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 842] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
            "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
            "<< /Length \(content.utf8.count) >>\nstream\n\(content)\nendstream",
        ]
        var out = "%PDF-1.4\n"
        var offsets: [Int] = []
        for (i, o) in objects.enumerated() {
            offsets.append(out.utf8.count)
            out += "\(i + 1) 0 obj\n\(o)\nendobj\n"
        }
        let xref = out.utf8.count
        out += "xref\n0 \(objects.count + 1)\n0000000000 65535 f \n"
        for o in offsets { out += String(format: "%010d 00000 n \n", o) }
        out += "trailer\n<< /Size \(objects.count + 1) /Root 1 0 R >>\nstartxref\n\(xref)\n%%EOF\n"
        return Data(out.utf8)
    }

    func testPrintedPDFBecomesEmails() throws {
        let data = Self.pdf(lines: [
            "From: Jane Doe <jdoe@dpr.example.gov>",
            "Sent: Tuesday, March 5, 2024 9:24 AM",
            "To: Samuel Okafor <sokafor@dpr.example.gov>",
            "Subject: Parley retention",
            "",
            "Sam, the draft schedule is attached for review.",
        ])
        var input = Input(url: URL(fileURLWithPath: "/nonexistent.pdf"), name: "prior-production.pdf", path: "p.pdf",
                          key: "0001", parentKey: nil, folder: "", digests: nil, depth: 0, data: data)
        XCTAssertEqual(PrintedMailReader().confidence(&input), 95)
        var plain = Input(url: URL(fileURLWithPath: "/nonexistent.pdf"), name: "report.pdf", path: "r.pdf", key: "0002",
                          parentKey: nil, folder: "", digests: nil, depth: 0, data: Self.pdf(lines: ["Annual report", "2024"]))
        XCTAssertEqual(PrintedMailReader().confidence(&plain), 0, "an ordinary PDF stays a file")
    }
}
