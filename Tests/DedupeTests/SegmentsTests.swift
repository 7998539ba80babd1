@testable import Dedupe
import XCTest

/// Every quoting form of the field guide (§1), in bodies shaped the way the clients write them.
final class SegmentsTests: XCTestCase {
    func testOutlookInlineLabels() {
        let body = """
        Carmen,

        The schedule is attached. Please review the transitory category before Friday.

        Jane

        -----Original Message-----
        From: Ruiz, Carmen <cruiz@dpr.example.gov>
        Sent: Tuesday, February 20, 2024 10:10 PM
        To: Doe, Jane; Lindqvist, Maria
        Cc: Okafor, Samuel
        Subject: RE: Parley retention - transitory message rule

        Decision: we hold the 90-day rule until the investigation is closed.

        Carmen
        """
        let s = Segments.split(body)
        XCTAssertEqual(s.count, 2)
        XCTAssertFalse(s[0].quoted)
        XCTAssertEqual(s[0].text, "Carmen,\n\nThe schedule is attached. Please review the transitory category before Friday.\n\nJane")
        let h = try! XCTUnwrap(s[1].header)
        XCTAssertEqual(h.form, .originalMessage)
        XCTAssertEqual(h.fromName, "Ruiz, Carmen")
        XCTAssertEqual(h.fromAddress, "cruiz@dpr.example.gov")
        XCTAssertEqual(h.sentText, "Tuesday, February 20, 2024 10:10 PM")
        XCTAssertEqual(h.sentLocal, "2024-02-20T22:10:00")
        XCTAssertEqual(h.sentUTC, "", "Outlook writes no zone")
        XCTAssertEqual(h.to, "Doe, Jane; Lindqvist, Maria")
        XCTAssertEqual(h.cc, "Okafor, Samuel")
        XCTAssertEqual(h.subject, "RE: Parley retention - transitory message rule")
        XCTAssertTrue(s[1].quoted)
        XCTAssertEqual(s[1].text, "Decision: we hold the 90-day rule until the investigation is closed.\n\nCarmen")
    }

    func testOutlookLabelsOnTheirOwnLine() {
        let body = """
        Happy to discuss at the working session.

        Maria

        -----Original Message-----
        From:
        Doe, Jane <jdoe@dpr.example.gov>
        Sent:
        Tuesday, February 20, 2024 9:05 AM
        To:
        Lindqvist, Maria; Ruiz, Carmen
        Cc:
        Okafor, Samuel; Novak, Peter
        Subject:
        RE: Parley retention - transitory message rule

        Hi Maria,

        Can counsel weigh in before Friday?
        """
        let s = Segments.split(body)
        XCTAssertEqual(s.count, 2)
        let h = s[1].header!
        XCTAssertEqual(h.fromName, "Doe, Jane")
        XCTAssertEqual(h.fromAddress, "jdoe@dpr.example.gov")
        XCTAssertEqual(h.sentLocal, "2024-02-20T09:05:00")
        XCTAssertEqual(h.to, "Lindqvist, Maria; Ruiz, Carmen")
        XCTAssertEqual(h.cc, "Okafor, Samuel; Novak, Peter")
        XCTAssertEqual(h.subject, "RE: Parley retention - transitory message rule", "a value that looks like a label is still the value")
        XCTAssertEqual(s[1].text, "Hi Maria,\n\nCan counsel weigh in before Friday?")
    }

    func testInlineBlockWithEmptyCcAndSubjectKeepsTheBody() {
        let body = """
        Forwarding for the file.

        -----Original Message-----
        From: Brennan, Siobhan <sbrennan@dpr.example.gov>
        Sent: Friday, March 8, 2024 8:02 AM
        To: Ruiz, Carmen
        Cc:
        Subject:

        Hi Carmen, the draft statement is ready.
        """
        let s = Segments.split(body)
        XCTAssertEqual(s.count, 2)
        XCTAssertEqual(s[1].header?.cc, "")
        XCTAssertEqual(s[1].header?.subject, "", "an inline block's empty value does not swallow the body")
        XCTAssertEqual(s[1].text, "Hi Carmen, the draft statement is ready.")
    }

    func testAndroidOriginalMessageWithNumericDate() {
        let body = """
        Sounds right to me.

        ----- Original message -----
        From: Peter Novak <pnovak@dpr.example.gov>
        Date: 03/05/2024 9:24 AM
        To: Siobhan Brennan <sbrennan@dpr.example.gov>
        Subject: Ledger request scope

        Siobhan, the Ledger request covers the pilot period only.
        """
        let s = Segments.split(body)
        XCTAssertEqual(s.count, 2)
        let h = s[1].header!
        XCTAssertEqual(h.form, .originalMessage)
        XCTAssertEqual(h.fromAddress, "pnovak@dpr.example.gov")
        XCTAssertEqual(h.fromName, "Peter Novak")
        XCTAssertEqual(h.sentLocal, "2024-03-05T09:24:00")
        XCTAssertEqual(h.subject, "Ledger request scope")
    }

    func testOriginalAppointmentWithWhenAndWhere() {
        let body = """
        I can't make Thursday; can we move it?

        -----Original Appointment-----
        From: Lindqvist, Maria
        Sent: Monday, March 4, 2024 4:15 PM
        To: Doe, Jane; Ruiz, Carmen
        Subject: Retention working session
        When: Thursday, March 7, 2024 10:00 AM-11:00 AM (UTC-08:00) Pacific Time (US & Canada).
        Where: Conference Room 4B

        Agenda: the transitory rule and the hold.
        """
        let s = Segments.split(body)
        XCTAssertEqual(s.count, 2)
        let h = s[1].header!
        XCTAssertEqual(h.form, .originalAppointment)
        XCTAssertEqual(h.fromName, "Lindqvist, Maria")
        XCTAssertEqual(h.fromAddress, "")
        XCTAssertEqual(h.sentLocal, "2024-03-04T16:15:00")
        XCTAssertTrue(h.when.hasPrefix("Thursday, March 7, 2024 10:00 AM"))
        XCTAssertEqual(h.location, "Conference Room 4B")
        XCTAssertEqual(s[1].text, "Agenda: the transitory rule and the hold.")
    }

    func testGmailWroteWithAngleQuotesAndNesting() {
        let body = """
        Hello Samuel,

        For the records requests we have open, a longer retention is simpler for me too.

        Pete

        On Tue, Feb 20, 2024 at 12:10 PM Samuel Okafor <sokafor@dpr.example.gov> wrote:
        > Hello Maria,
        >
        > From the IT side: the 90-day rule would be a single setting, so it is easy to delay.
        >
        > Sam
        >
        > On 2/20/24 11:25 AM, Maria Lindqvist wrote:
        >> My recommendation, before we decide, is that we do not adopt the 90-day rule.
        >>
        >> Maria
        """
        let s = Segments.split(body)
        XCTAssertEqual(s.count, 3)
        XCTAssertEqual(s[1].header?.form, .attribution)
        XCTAssertEqual(s[1].header?.fromName, "Samuel Okafor")
        XCTAssertEqual(s[1].header?.fromAddress, "sokafor@dpr.example.gov")
        XCTAssertEqual(s[1].header?.sentLocal, "2024-02-20T12:10:00")
        XCTAssertEqual(s[1].depth, 1)
        XCTAssertEqual(s[1].text, "Hello Maria,\n\nFrom the IT side: the 90-day rule would be a single setting, so it is easy to delay.\n\nSam")
        XCTAssertEqual(s[2].header?.fromName, "Maria Lindqvist")
        XCTAssertEqual(s[2].header?.fromAddress, "")
        XCTAssertEqual(s[2].header?.sentLocal, "2024-02-20T11:25:00", "Thunderbird's M/D/YY form")
        XCTAssertEqual(s[2].depth, 2)
        XCTAssertEqual(s[2].text, "My recommendation, before we decide, is that we do not adopt the 90-day rule.\n\nMaria")
    }

    func testWroteLineWrappedOverTwoLines() {
        let body = """
        Noted.

        > On Feb 20, 2024, at 3:30 PM, Peter Novak <pnovak@dpr.example.gov>
        > wrote:
        >
        >> Hello Samuel,
        >>
        >> For the records requests we have open, a longer retention is simpler
        >> for me too.
        """
        let s = Segments.split(body)
        XCTAssertEqual(s.count, 2)
        let h = s[1].header!
        XCTAssertEqual(h.form, .attribution)
        XCTAssertEqual(h.fromName, "Peter Novak")
        XCTAssertEqual(h.fromAddress, "pnovak@dpr.example.gov")
        XCTAssertEqual(h.sentLocal, "2024-02-20T15:30:00")
        XCTAssertEqual(s[1].depth, 2)
        XCTAssertEqual(s[1].tokenCount, TextFold.tokens("Hello Samuel, For the records requests we have open, a longer retention is simpler for me too.").count)
    }

    func testIOSDateLineAndBeginForwardedMessage() {
        let body = """
        FYI — see below.

        Sent from my iPhone

        Begin forwarded message:

        From: Declan Whitcombe <dwhitcombe@ledger.example.com>
        Date: Tuesday, January 4, 2022 at 9:24 AM
        To: Records Requests <records-requests@dpr.example.gov>
        Subject: Records request: Parley pilot

        I am requesting all records about the Parley pilot.
        """
        let s = Segments.split(body)
        XCTAssertEqual(s.count, 2)
        XCTAssertEqual(s[0].tokenCount, 3, "the footer is not content: \(TextFold.tokens(s[0].text))")
        let h = s[1].header!
        XCTAssertEqual(h.form, .beginForwarded)
        XCTAssertEqual(h.fromAddress, "dwhitcombe@ledger.example.com")
        XCTAssertEqual(h.sentText, "Tuesday, January 4, 2022 at 9:24 AM")
        XCTAssertEqual(h.sentLocal, "2022-01-04T09:24:00")
        XCTAssertEqual(h.subject, "Records request: Parley pilot")
        XCTAssertEqual(s[1].text, "I am requesting all records about the Parley pilot.")
    }

    func testAppleForwardWithZoneGivesUTC() {
        let body = """
        Begin forwarded message:

        From: Priya Raghunathan <priya@parley.example.com>
        Subject: Release 4.2 notes
        Date: February 20, 2024 at 3:30:00 PM PST
        To: Samuel Okafor <sokafor@dpr.example.gov>

        Release 4.2 changes the export format for direct messages.
        """
        let s = Segments.split(body)
        XCTAssertEqual(s.count, 2)
        XCTAssertEqual(s[0].tokenCount, 0)
        XCTAssertEqual(s[1].header?.sentUTC, "2024-02-20T23:30:00Z")
        XCTAssertEqual(s[1].header?.sentLocal, "2024-02-20T15:30:00")
    }

    func testGmailForwardedMessage() {
        let body = """
        Siobhan, for background only.

        ---------- Forwarded message ---------
        From: Carmen Ruiz <cruiz@dpr.example.gov>
        Date: Tue, Feb 20, 2024 at 10:10 PM
        Subject: RE: Parley retention - transitory message rule
        To: Jane Doe <jdoe@dpr.example.gov>, Maria Lindqvist <mlindqvist@dpr.example.gov>

        Decision: we hold the 90-day rule until the investigation is closed.
        """
        let s = Segments.split(body)
        XCTAssertEqual(s.count, 2)
        let h = s[1].header!
        XCTAssertEqual(h.form, .forwardedMessage)
        XCTAssertEqual(h.fromName, "Carmen Ruiz")
        XCTAssertEqual(h.sentLocal, "2024-02-20T22:10:00")
        XCTAssertEqual(h.to, "Jane Doe <jdoe@dpr.example.gov>, Maria Lindqvist <mlindqvist@dpr.example.gov>")
    }

    func testOnBehalfOf() {
        let body = """
        Thank you, received.

        -----Original Message-----
        From: Peter Novak <pnovak@dpr.example.gov> On Behalf Of Public Records Requests
        Sent: Wednesday, March 6, 2024 2:02 PM
        To: Declan Whitcombe
        Subject: Your request 2024-0113

        We received your request and assigned it number 2024-0113.
        """
        let h = Segments.split(body)[1].header!
        XCTAssertEqual(h.fromName, "Peter Novak")
        XCTAssertEqual(h.fromAddress, "pnovak@dpr.example.gov")
        XCTAssertEqual(h.onBehalfOf, "Public Records Requests")
        XCTAssertEqual(h.sentLocal, "2024-03-06T14:02:00")
    }

    func testNewerOutlookRuleAndBareHeaderBlock() {
        let body = """
        Agreed.

        ________________________________
        From: Tanaka, Hiroshi <htanaka@dpr.example.gov>
        Sent: Tuesday, February 20, 2024 5:00 PM
        To: Novak, Peter
        Subject: Re: Parley retention - transitory message rule

        Please keep the complainant's details in this thread to a minimum from now on.
        """
        let s = Segments.split(body)
        XCTAssertEqual(s.count, 2)
        XCTAssertEqual(s[0].text, "Agreed.", "the rule above the block is decoration")
        XCTAssertEqual(s[1].header?.form, .headerBlock)
        XCTAssertEqual(s[1].header?.fromAddress, "htanaka@dpr.example.gov")
    }

    func testBodyLineStartingWithFromIsNotAHeader() {
        let body = """
        From: the budget office, a note on retention costs.
        Storage is cheap; review is not.
        """
        let s = Segments.split(body)
        XCTAssertEqual(s.count, 1)
        XCTAssertNil(s[0].header)
    }

    func testPlainAngleQuotingWithoutAttributionAndInlineReply() {
        let body = """
        > Can you send the schedule?
        > It is due Friday.

        Attached. The transitory rule is on page 3.

        > And the hold notice?

        Sending it separately.
        """
        let s = Segments.split(body)
        // own (empty) | quoted | own | quoted | own
        XCTAssertEqual(s.map(\.quoted), [false, true, false, true, false])
        XCTAssertEqual(s[1].text, "Can you send the schedule?\nIt is due Friday.")
        XCTAssertEqual(s[2].text, "Attached. The transitory rule is on page 3.")
        XCTAssertEqual(s[4].text, "Sending it separately.")
    }

    func testFingerprintSurvivesRewrapCurlyQuotesAndQuoteMarkers() {
        let plain = "I'd rather keep everything for one more quarter and revisit the \"transitory\" rule in July."
        let curly = "I\u{2019}d rather keep everything for one more\nquarter and revisit the \u{201C}transitory\u{201D} rule in July."
        let a = Segments.split("Note.\n\nOn Tue, Feb 20, 2024 at 12:10 PM Jane Doe <j@x.example> wrote:\n> " + plain)
        let b = Segments.split("Other note.\n\nOn Tue, Feb 20, 2024 at 12:10 PM Jane Doe <j@x.example> wrote:\n> "
                               + curly.replacingOccurrences(of: "\n", with: "\n> "))
        XCTAssertEqual(a[1].fingerprint, b[1].fingerprint)
        XCTAssertNotEqual(a[0].fingerprint, b[0].fingerprint)
    }

    func testSentDatesWithZonesAreUTC() {
        XCTAssertEqual(LooseDate.parse("Tue, 20 Feb 2024 09:05:00 -0800").map { LooseDate.iso($0.local - Int64($0.offset!), zone: true) },
                       "2024-02-20T17:05:00Z")
        XCTAssertEqual(LooseDate.parse("Tuesday, February 20, 2024 9:05 AM (UTC-08:00) Pacific Time (US & Canada)")?.offset, -8 * 3600)
        XCTAssertEqual(LooseDate.parse("2024-02-20T17:05:00Z")?.offset, 0)
        XCTAssertEqual(LooseDate.parse("20.02.2024 09:05").map { LooseDate.iso($0.local, zone: false) }, "2024-02-20T09:05:00")
        XCTAssertEqual(LooseDate.parse("Feb 20, 2024, at 12:10 AM").map { LooseDate.iso($0.local, zone: false) }, "2024-02-20T00:10:00")
        XCTAssertEqual(LooseDate.parse("Tuesday, 20 February 2024 21:05").map { LooseDate.iso($0.local, zone: false) }, "2024-02-20T21:05:00")
        XCTAssertNil(LooseDate.parse("sometime next week"))
    }

    func testTextFoldTokensAndRanges() {
        let s = "See <https://x.example/a?b=1> and [cid:image001.png@01DA] \u{201C}Don\u{2019}t\u{201D} — E-MAIL mailto:j@x.example\n> Sent from my iPhone"
        XCTAssertEqual(TextFold.tokens(s), ["see", "and", "dont", "e", "mail", "j", "x", "example"])
        let r = TextFold.tokensWithRanges("Ünïcode DON'T")
        XCTAssertEqual(r.map(\.token), ["ünïcode", "dont"])
        let bytes = Array("Ünïcode DON'T".utf8)
        XCTAssertEqual(String(decoding: bytes[r[1].start..<r[1].end], as: UTF8.self), "DON'T")
        XCTAssertEqual(String(decoding: bytes[r[0].start..<r[0].end], as: UTF8.self), "Ünïcode")
        XCTAssertEqual(TextFold.tokens("佐藤 陽翔"), ["佐", "藤", "陽", "翔"])
        XCTAssertEqual(TextFold.tokens("Get Outlook for iOS"), [])
        XCTAssertEqual(TextFold.tokens("Sent from Mail for Windows 10"), [])
    }
}
