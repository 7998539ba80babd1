@testable import Dedupe
import DiscloseCore
import XCTest

final class ThreaderTests: XCTestCase {
    func mail(_ key: String, id: String = "", irt: String = "", refs: [String] = [], subject: String,
              from: (String, String), date: String, offset: String = "+00:00", body: String) -> Document {
        var d = Document(key: key, kind: .email)
        d.messageID = id
        d.inReplyTo = irt
        d.references = refs
        d.subject = subject
        d.from = Address(name: from.0, address: from.1)
        d.dateSent = date
        d.dateOffset = offset
        d.text = body
        return d
    }

    func run(_ docs: [Document], attachments: [String: [String]] = [:]) -> [String: Threader.Result] {
        let emails = docs.map { Threader.Email(key: $0.key, document: $0, attachmentSHA256: attachments[$0.key] ?? []) }
        return Dictionary(uniqueKeysWithValues: Threader.run(emails).map { ($0.key, $0) })
    }

    let jane = ("Doe, Jane", "jdoe@dpr.example.gov")
    let maria = ("Lindqvist, Maria", "mlindqvist@dpr.example.gov")
    let haruto = ("佐藤 陽翔", "h.sato@parley.example.com")
    let sam = ("Okafor, Samuel", "sokafor@dpr.example.gov")

    let janeBody = """
    Hi Maria,

    I would like to settle the transitory rule before the schedule goes to the State Archives.

    Thanks,
    Jane
    """

    func testSubjectNormalisation() {
        XCTAssertEqual(Threader.normalizeSubject("RE: FW: Fwd:  [Parley] Retention   rule"), "retention rule")
        XCTAssertEqual(Threader.normalizeSubject("AW: WG: SV: Réf : Retention rule"), "retention rule")
        XCTAssertEqual(Threader.normalizeSubject("Re[2]: [Parley] RE: Retention rule (fwd)"), "retention rule")
        XCTAssertEqual(Threader.normalizeSubject("Re: 【Parley】監査ログ"), "監査ログ")
        XCTAssertEqual(Threader.normalizeSubject("Retention: the 90-day rule"), "retention: the 90-day rule", "a colon alone is not a prefix")
    }

    func testMessageIDLinksAndPhantomParents() {
        let r = run([
            mail("0001.00000001", id: "a@x", subject: "Plan", from: jane, date: "2024-03-05T10:00:00Z", body: "Plan A for the retention schedule is attached here."),
            mail("0001.00000002", id: "b@x", irt: "<a@x>", refs: ["<a@x>"], subject: "Re: Plan", from: maria, date: "2024-03-05T11:00:00Z", body: "Fine by me."),
            // Both reply to a message nobody holds: they still meet.
            mail("0001.00000003", id: "c@x", refs: ["<missing@x>"], subject: "Re: Budget", from: jane, date: "2024-03-06T10:00:00Z", body: "One."),
            mail("0001.00000004", id: "d@x", irt: "<missing@x>", subject: "Re: Budget", from: maria, date: "2024-03-06T11:00:00Z", body: "Two."),
        ])
        XCTAssertEqual(r["0001.00000001"]?.threadID, "T000001")
        XCTAssertEqual(r["0001.00000002"]?.threadID, "T000001")
        XCTAssertEqual(r["0001.00000003"]?.threadID, "T000002")
        XCTAssertEqual(r["0001.00000004"]?.threadID, "T000002")
    }

    func testHeadersStrippedQuotedHeaderMatchesSenderAndTime() {
        // Maria replies from Outlook; her client shows Jane's time in Maria's zone (-08:00), and
        // trims the quoted text, so only the header can link it.
        let reply = """
        Jane, Carmen —

        My recommendation, before we decide, is that we do not adopt the 90-day rule.

        Maria

        -----Original Message-----
        From: Doe, Jane <jdoe@dpr.example.gov>
        Sent: Tuesday, February 20, 2024 9:05 AM
        To: Lindqvist, Maria
        Subject: Parley retention - transitory message rule

        [quoted text trimmed]
        """
        let unrelated = "Hi Maria,\n\nA different question on the same subject, a week later, about the archives."
        let r = run([
            mail("0001.00000001", subject: "Parley retention - transitory message rule", from: jane,
                 date: "2024-02-20T17:05:30Z", offset: "-08:00", body: janeBody),
            mail("0002.00000001", subject: "RE: Parley retention - transitory message rule", from: maria,
                 date: "2024-02-20T19:25:00Z", offset: "-08:00", body: reply),
            mail("0003.00000001", subject: "Parley retention - transitory message rule", from: jane,
                 date: "2024-02-27T17:05:00Z", offset: "-08:00", body: unrelated),
        ])
        XCTAssertEqual(r["0001.00000001"]?.threadID, r["0002.00000001"]?.threadID)
        XCTAssertNotEqual(r["0003.00000001"]?.threadID, r["0001.00000001"]?.threadID, "same subject, different conversation")
    }

    func testTimeZoneCrossingMatchesCompareUTC() {
        // Haruto sends from Tokyo at 09:24 (+09:00) = 00:24 UTC; Sam in New York (-05:00) quotes
        // it as 7:24 PM the day before, without a zone; Maria's Apple client writes a zone.
        let original = "Okafor様\n\nThe audit export will be JSON Lines, one event per line, from release 4.6."
        let samReply = """
        Thanks, that works for us.

        On Mon, Mar 4, 2024 at 7:24 PM 佐藤 陽翔 <h.sato@parley.example.com> wrote:
        > (summary) The audit export will be JSON Lines.
        """
        let mariaForward = """
        For the file.

        Begin forwarded message:

        From: Haruto Sato <h.sato@parley.example.com>
        Subject: Audit export format
        Date: March 4, 2024 at 7:24:00 PM EST
        To: Samuel Okafor <sokafor@dpr.example.gov>

        (excerpt only)
        """
        let wrongHour = """
        Thanks.

        On Mon, Mar 4, 2024 at 8:24 PM 佐藤 陽翔 <h.sato@parley.example.com> wrote:
        > (summary) something else entirely.
        """
        let r = run([
            mail("0001.00000001", subject: "Audit export format", from: haruto, date: "2024-03-05T00:24:00Z", offset: "+09:00", body: original),
            mail("0002.00000001", subject: "Re: Audit export format", from: sam, date: "2024-03-05T01:00:00Z", offset: "-05:00", body: samReply),
            mail("0003.00000001", subject: "Fwd: Audit export format", from: maria, date: "2024-03-05T16:00:00Z", offset: "-08:00", body: mariaForward),
            mail("0004.00000001", subject: "Re: Audit export format", from: sam, date: "2024-03-06T01:00:00Z", offset: "-05:00", body: wrongHour),
        ])
        let t = r["0001.00000001"]!.threadID
        XCTAssertEqual(r["0002.00000001"]?.threadID, t, "quoter's wall clock, read in the quoter's zone")
        XCTAssertEqual(r["0003.00000001"]?.threadID, t, "a zone in the quoted date is converted to UTC")
        XCTAssertNotEqual(r["0004.00000001"]?.threadID, t, "an hour off is another message")
    }

    func testQuotedFingerprintEqualsOwnSegmentWithoutAnyHeader() {
        let quoted = janeBody.split(separator: "\n", omittingEmptySubsequences: false).map { "> " + $0 }.joined(separator: "\n")
        let r = run([
            mail("0001.00000001", subject: "Transitory rule", from: jane, date: "2024-02-20T17:05:00Z", body: janeBody),
            mail("0002.00000001", subject: "Re: Transitory rule", from: maria, date: "2024-02-21T17:05:00Z",
                 body: quoted + "\n\nAgreed; let us settle it at the working session."),
            // Same subject, does not quote Jane: its own thread.
            mail("0003.00000001", subject: "Re: Transitory rule", from: sam, date: "2024-02-22T17:05:00Z",
                 body: "> Something else that was said elsewhere entirely, at length.\n\nNo."),
        ])
        XCTAssertEqual(r["0001.00000001"]?.threadID, r["0002.00000001"]?.threadID)
        XCTAssertNotEqual(r["0003.00000001"]?.threadID, r["0001.00000001"]?.threadID)
    }

    func testInclusiveReasons() {
        let a = "Hi Maria,\n\nThe draft keeps transitory direct messages for 90 days and everything else for three years."
        let b = "Jane,\n\nI would keep everything for one more quarter.\n\nMaria\n\n-----Original Message-----\nFrom: Doe, Jane <jdoe@dpr.example.gov>\nSent: Tuesday, February 20, 2024 9:05 AM\nTo: Lindqvist, Maria\nSubject: Retention\n\n" + a
        let d = "---------- Forwarded message ---------\nFrom: Jane Doe <jdoe@dpr.example.gov>\nDate: Tue, Feb 20, 2024 at 9:05 AM\nSubject: Retention\nTo: Maria Lindqvist <mlindqvist@dpr.example.gov>\n\n" + a
        let r = run([
            mail("0001.00000001", id: "a@x", subject: "Retention", from: jane, date: "2024-02-20T17:05:00Z", offset: "-08:00", body: a),
            mail("0001.00000002", id: "b@x", irt: "<a@x>", subject: "RE: Retention", from: maria, date: "2024-02-20T19:05:00Z", offset: "-08:00", body: b),
            mail("0002.00000001", id: "b@x", irt: "<a@x>", subject: "RE: Retention", from: maria, date: "2024-02-20T19:05:00Z", offset: "-08:00", body: b),
            mail("0003.00000001", id: "d@x", irt: "<a@x>", subject: "Fwd: Retention", from: jane, date: "2024-02-21T19:05:00Z", offset: "-08:00", body: d),
            mail("0004.00000001", id: "e@x", subject: "Lunch", from: sam, date: "2024-02-21T19:05:00Z", body: "Lunch on Friday?"),
        ], attachments: ["0003.00000001": [String(repeating: "ab", count: 32)]])
        XCTAssertEqual(r["0001.00000001"]?.inclusive, false)
        XCTAssertEqual(r["0001.00000001"]?.reason, "content contained in 0001.00000002")
        XCTAssertEqual(r["0001.00000001"]?.containedIn.first, "0001.00000002")
        XCTAssertEqual(r["0001.00000002"]?.inclusive, true)
        XCTAssertEqual(r["0001.00000002"]?.reason, "unique segment; identical content; first copy")
        XCTAssertEqual(r["0002.00000001"]?.inclusive, false)
        XCTAssertEqual(r["0002.00000001"]?.reason, "content contained in 0001.00000002")
        XCTAssertEqual(r["0003.00000001"]?.inclusive, true)
        XCTAssertEqual(r["0003.00000001"]?.reason, "unique attachment", "a forward with nothing new but the attachment")
        XCTAssertEqual(r["0004.00000001"]?.inclusive, true)
        XCTAssertEqual(r["0004.00000001"]?.reason, "only email in thread")
    }

    func testCopiesPerCustodianStandAloneUnderCustodialScope() {
        let a = "Hi Maria,\n\nThe draft keeps transitory direct messages for 90 days."
        let docs = [
            mail("0001.00000001", id: "a@x", subject: "Retention", from: jane, date: "2024-02-20T17:05:00Z", body: a),
            mail("0002.00000001", id: "a@x", subject: "Retention", from: jane, date: "2024-02-20T17:05:00Z", body: a),
        ]
        let custodial = Threader.run(docs.map { Threader.Email(key: $0.key, document: $0, attachmentSHA256: [], copyGroup: String($0.key.prefix(4))) })
        XCTAssertEqual(custodial.map(\.inclusive), [true, true])
        let global = Threader.run(docs.map { Threader.Email(key: $0.key, document: $0, attachmentSHA256: []) })
        XCTAssertEqual(global.map(\.inclusive), [true, false])
        XCTAssertEqual(global[0].reason, "only email in thread; identical content; first copy")
    }

    /// Several independent threads built from one template, in different input orders and with
    /// different key assignments: the same threads, the same inclusive emails.
    func testDeterministicWhateverTheInputOrder() {
        func thread(_ n: Int, keyBase: String) -> [Document] {
            let subject = "Topic \(n)"
            let first = "Opening note number \(n) about the retention schedule and the archives."
            let second = "Reply number \(n): keep everything one more quarter.\n\nOn Tue, Mar 5, 2024 at 9:\(10 + n) AM Jane Doe <jdoe@dpr.example.gov> wrote:\n> " + first
            let third = "Third in thread \(n): agreed.\n\n-----Original Message-----\nFrom: Lindqvist, Maria <mlindqvist@dpr.example.gov>\nSent: Tuesday, March 5, 2024 10:\(10 + n) AM\nTo: Doe, Jane\nSubject: RE: \(subject)\n\n" + second
            return [
                mail(keyBase + ".00000001", subject: subject, from: jane, date: "2024-03-05T17:\(10 + n):00Z", offset: "-08:00", body: first),
                mail(keyBase + ".00000002", subject: "RE: " + subject, from: maria, date: "2024-03-05T18:\(10 + n):00Z", offset: "-08:00", body: second),
                mail(keyBase + ".00000003", subject: "RE: " + subject, from: sam, date: "2024-03-05T19:\(10 + n):00Z", offset: "-08:00", body: third),
            ]
        }
        let docs = (1...8).flatMap { thread($0, keyBase: String(format: "%04d", $0)) }
        let base = run(docs)
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<5 {
            XCTAssertEqual(run(docs.shuffled(using: &rng)), base)
        }
        // The threads in the opposite source order: same partition (by subject), same flags.
        let reversed = (1...8).flatMap { thread($0, keyBase: String(format: "%04d", 9 - $0)) }
        let r2 = run(reversed.shuffled(using: &rng))
        func summary(_ r: [String: Threader.Result], _ docs: [Document]) -> Set<String> {
            let subj = Dictionary(uniqueKeysWithValues: docs.map { ($0.key, Threader.normalizeSubject($0.subject)) })
            var byThread: [String: Set<String>] = [:]
            for (k, v) in r { byThread[v.threadID, default: []].insert(subj[k]!) }
            return Set(r.map { k, v in "\(byThread[v.threadID]!.sorted())|\(k.suffix(8))|\(v.inclusive)" })
        }
        XCTAssertEqual(summary(r2, reversed), summary(base, docs))
        XCTAssertEqual(Set(base.values.map(\.threadID)).count, 8)
        XCTAssertEqual(base.values.filter(\.inclusive).count, 8, "only the last message of each thread")
        XCTAssertEqual(base["0001.00000001"]?.threadID, "T000001")
        XCTAssertEqual(r2["0001.00000001"]?.threadID, "T000001", "ids follow the first member's key")
    }
}
