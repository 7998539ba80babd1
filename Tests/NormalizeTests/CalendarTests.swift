import DiscloseCore
import Foundation
@testable import Normalize
import XCTest

final class CalendarTests: XCTestCase {
    func calendar(_ data: Data, name: String = "event.ics") throws -> Document {
        try Normalizer().document(for: Fixtures.item(name, kind: .calendar), bytes: data)
    }

    func crlf(_ s: String) -> Data { Data(s.replacingOccurrences(of: "\n", with: "\r\n").utf8) }

    func wrap(_ event: String, method: String = "", extra: String = "") -> Data {
        crlf("BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:-//t//EN\n" + (method.isEmpty ? "" : "METHOD:\(method)\n") + extra
             + "BEGIN:VEVENT\nUID:u@x\nDTSTAMP:20240101T000000Z\n" + event + "\nEND:VEVENT\nEND:VCALENDAR")
    }

    func testRecurringSample() throws {
        let d = try calendar(Data(contentsOf: Fixtures.deputy.appendingPathComponent("Calendar/parley-vendor-check-in-weekly.ics")))
        XCTAssertEqual(d.kind, .calendar)
        XCTAssertEqual(d.mimeType, "text/calendar")
        XCTAssertEqual(d.subject, "Parley vendor check-in (weekly)")
        XCTAssertEqual(d.from, Address(name: "Ferreira, Lucian", address: "lferreira@parley.example.com"))
        XCTAssertEqual(d.to, [Address(name: "Okafor, Samuel", address: "sokafor@dpr.example.gov"),
                              Address(name: "Ruiz, Carmen", address: "cruiz@dpr.example.gov"),
                              Address(name: "Priya Raghunathan", address: "priya.raghunathan@parley.example.com")])
        XCTAssertEqual(d.dateSent, "2024-02-06T18:00:00Z")
        XCTAssertEqual(d.dateOffset, "-05:00")
        XCTAssertEqual(d.properties, [
            NamedValue("When", "Tuesday 2024-02-06 13:00 – 13:30 America/New_York (UTC-05:00)"),
            NamedValue("Where", "Parley video bridge, room 2231"),
            NamedValue("Recurrence", "weekly on Tuesday, 12 times; except 2024-03-12 13:00"),
            NamedValue("Status", "Confirmed"),
            NamedValue("Method", "PUBLISH (published calendar entry)"),
            NamedValue("Responses", "Okafor, Samuel: accepted; Ruiz, Carmen: accepted; Priya Raghunathan: tentative"),
        ])
        XCTAssertEqual(d.text, "Weekly status call for the pilot.\nAgenda: open tickets, release plan, retention settings.\nNo call on March 12 (vendor offsite).")
        XCTAssertTrue(d.headerText.contains("RRULE: FREQ=WEEKLY"), d.headerText)
        XCTAssertTrue(d.headerText.contains("ATTENDEE: mailto:cr"), d.headerText)
        XCTAssertFalse(d.headerText.contains("DESCRIPTION"))
        XCTAssertFalse(d.headerText.contains("UID"), "a machine identifier, not an address")
        XCTAssertEqual(d.textNote, "")
    }

    func testSingleSampleInUTC() throws {
        let d = try calendar(Data(contentsOf: Fixtures.deputy.appendingPathComponent("Calendar/oversight-briefing-prep.ics")))
        XCTAssertEqual(d.subject, "Oversight committee briefing - prep")
        XCTAssertEqual(d.to.count, 4)
        XCTAssertEqual(d.from?.name, "Ruiz, Carmen")
        XCTAssertEqual(d.dateSent, "2024-04-16T17:00:00Z")
        XCTAssertEqual(d.dateOffset, "+00:00")
        XCTAssertEqual(d.property("When"), "Tuesday 2024-04-16 17:00 – 18:00 UTC")
        XCTAssertEqual(d.property("Where"), "Conference Room 4B; Parley video bridge as backup")
        XCTAssertNil(d.property("Responses"), "nobody has answered yet")
        XCTAssertNil(d.property("Recurrence"))
        XCTAssertTrue(d.text.contains("If you are running late, call my mobile: (555) 014-2204."), d.text)
        XCTAssertFalse(d.text.contains("Reminder"), "the alarm's text is not the event's")
    }

    func testEmailInvitation() throws {
        let atts = try Fixtures.attachments("msg-0074")
        let invite = try XCTUnwrap(atts.first { $0.fileName == "invite.ics" })
        let d = try calendar(invite.data, name: "invite.ics")
        XCTAssertEqual(d.subject, "Vendor statement on the retention setting")
        XCTAssertEqual(d.property("When"), "Tuesday 2024-03-26 11:00 – 11:45 America/New_York (UTC-04:00)")
        XCTAssertEqual(d.dateSent, "2024-03-26T15:00:00Z")
        XCTAssertEqual(d.dateOffset, "-04:00")
        XCTAssertEqual(d.property("Method"), "REQUEST (invitation or update)")
        XCTAssertEqual(d.to.map(\.address), ["cruiz@dpr.example.gov", "mlindqvist@dpr.example.gov", "htanaka@dpr.example.gov"])
        XCTAssertEqual(d.text, "Walk-through of change ticket PAR-4471 and the signed statement.\nQuestions before the call: +1 555 014 2331.")
        // The text/calendar alternative part of the same message reads the same.
        if let inline = atts.first(where: { $0.contentType == "text/calendar" }) {
            XCTAssertEqual(try calendar(inline.data).properties, d.properties)
        }
    }

    func testAllDayFloatingAndUnknownZone() throws {
        let allDay = try calendar(wrap("DTSTART;VALUE=DATE:20240305\nDTEND;VALUE=DATE:20240308\nSUMMARY:Offsite"))
        XCTAssertEqual(allDay.property("When"), "Tuesday 2024-03-05 – Thursday 2024-03-07 (all day)")
        XCTAssertEqual(allDay.dateSent, "2024-03-05T00:00:00Z")
        XCTAssertEqual(allDay.dateOffset, "+00:00")
        let oneDay = try calendar(wrap("DTSTART;VALUE=DATE:20240305\nDTEND;VALUE=DATE:20240306"))
        XCTAssertEqual(oneDay.property("When"), "Tuesday 2024-03-05 (all day)")
        let floating = try calendar(wrap("DTSTART:20240305T093000\nDURATION:PT45M"))
        XCTAssertEqual(floating.property("When"), "Tuesday 2024-03-05 09:30 – 10:15 (floating time: no time zone given; read as UTC)")
        XCTAssertEqual(floating.dateSent, "2024-03-05T09:30:00Z")
        XCTAssertEqual(floating.dateOffset, "+00:00")
        let unknown = try calendar(wrap("DTSTART;TZID=Atlantis Standard Time:20240305T093000"))
        XCTAssertTrue(unknown.property("When")?.contains("Atlantis Standard Time (time zone not defined") == true)
        XCTAssertNotNil(unknown.property("Notes"))
        let overnight = try calendar(wrap("DTSTART:20240305T220000Z\nDTEND:20240306T013000Z"))
        XCTAssertEqual(overnight.property("When"), "Tuesday 2024-03-05 22:00 – Wednesday 2024-03-06 01:30 UTC")
    }

    func testToDoJournalAndChangedOccurrence() throws {
        let todo = try calendar(crlf("BEGIN:VCALENDAR\nVERSION:2.0\nBEGIN:VTODO\nUID:t\nDUE:20240801T170000Z\nSUMMARY:File the index\nSTATUS:NEEDS-ACTION\nDESCRIPTION:Vaughn index\\, draft 2\nEND:VTODO\nEND:VCALENDAR"))
        XCTAssertEqual(todo.properties.map(\.name), ["Type", "Due", "Status"])
        XCTAssertEqual(todo.property("Type"), "To-do")
        XCTAssertEqual(todo.property("Due"), "Thursday 2024-08-01 17:00 UTC")
        XCTAssertEqual(todo.property("Status"), "Needs action")
        XCTAssertEqual(todo.dateSent, "2024-08-01T17:00:00Z")
        XCTAssertEqual(todo.text, "Vaughn index, draft 2")
        let journal = try calendar(crlf("BEGIN:VCALENDAR\nVERSION:2.0\nBEGIN:VJOURNAL\nUID:j\nDTSTART;VALUE=DATE:20240102\nSUMMARY:Notes\nDESCRIPTION:first\nDESCRIPTION:second\nEND:VJOURNAL\nEND:VCALENDAR"))
        XCTAssertEqual(journal.property("Type"), "Journal entry")
        XCTAssertEqual(journal.text, "first\n\nsecond")
        let moved = try calendar(wrap("DTSTART:20240320T170000Z\nRECURRENCE-ID:20240319T170000Z\nSUMMARY:Moved", method: "REQUEST"))
        XCTAssertEqual(moved.property("Recurrence"), "changed occurrence of a recurring series (originally Tuesday 2024-03-19 17:00)")
        let cancelled = try calendar(wrap("DTSTART:20240320T170000Z\nSTATUS:CANCELLED", method: "CANCEL"))
        XCTAssertEqual(cancelled.property("Status"), "Cancelled")
        XCTAssertEqual(cancelled.property("Method"), "CANCEL (cancellation)")
    }

    func testHTMLOnlyDescriptionAndComments() throws {
        let d = try calendar(wrap("DTSTART:20240320T170000Z\nX-ALT-DESC;FMTTYPE=text/html:<html><body><p>Bring the <b>memo</b></p></body></html>\nCOMMENT:Room changed"))
        XCTAssertEqual(d.text, "Bring the memo\n\nComment: Room changed")
    }

    func testRecurrenceInWords() {
        let cases: [(String, String)] = [
            ("FREQ=WEEKLY;COUNT=12;BYDAY=TU", "weekly on Tuesday, 12 times"),
            ("FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,WE,FR;UNTIL=20240630T035959Z", "every 2 weeks on Monday, Wednesday and Friday, until 2024-06-30 03:59 UTC"),
            ("FREQ=DAILY;BYDAY=MO,TU,WE,TH,FR", "daily on weekdays (Monday to Friday)"),
            ("FREQ=DAILY;COUNT=1", "daily, once"),
            ("FREQ=MONTHLY;BYDAY=2TU", "monthly on the second Tuesday"),
            ("FREQ=MONTHLY;BYDAY=-1FR;UNTIL=20241231", "monthly on the last Friday, until 2024-12-31"),
            ("FREQ=MONTHLY;BYMONTHDAY=15", "monthly on day 15"),
            ("FREQ=YEARLY;BYMONTH=3;BYMONTHDAY=5", "yearly on 5 March"),
            ("FREQ=YEARLY;BYMONTH=11;BYDAY=1SU", "yearly on the first Sunday of November"),
            ("FREQ=YEARLY", "yearly"),
            ("FREQ=MONTHLY;BYDAY=TU;BYSETPOS=2", "FREQ=MONTHLY;BYDAY=TU;BYSETPOS=2"),
            ("FREQ=SECONDLY;COUNT=2147483647", "FREQ=SECONDLY;COUNT=2147483647"),
            ("FREQ=WEEKLY;BYDAY=1TU", "FREQ=WEEKLY;BYDAY=1TU"),
            ("garbage", "garbage"),
        ]
        for (rule, words) in cases { XCTAssertEqual(CalendarNormalizer.describe(rule: rule), words, rule) }
    }

    func testHostileAndDamagedCalendarsAreExceptions() {
        let bad: [Data] = [
            crlf("BEGIN:VCALENDAR\nBEGIN:VEVENT\nSUMMARY:cut"),
            Data("not a calendar".utf8),
            crlf("BEGIN:VCALENDAR\nVERSION:2.0\nEND:VCALENDAR"),
        ]
        for b in bad {
            XCTAssertThrowsError(try calendar(b)) { e in XCTAssertTrue(e is ReadFailure, "\(e)") }
        }
        let huge = wrap("DTSTART:20240101T100000Z\nRRULE:FREQ=SECONDLY;COUNT=2000000000\nSUMMARY:x")
        XCTAssertEqual(try calendar(huge).property("Recurrence"), "FREQ=SECONDLY;COUNT=2000000000")
    }

    func testCorporaCalendarsNormalize() throws {
        guard let files = Fixtures.corpusFiles(["ics", "vcs"]) else { throw XCTSkip("corpora not present under ../shared/corpora; skipping") }
        var read = 0
        for f in files {
            let data = try Data(contentsOf: f)
            guard let d = try? calendar(data, name: f.lastPathComponent) else { continue }
            read += 1
            XCTAssertEqual(d.kind, .calendar)
            XCTAssertEqual(try calendar(data, name: f.lastPathComponent), d, f.path)
        }
        print("Calendar corpus: \(read) of \(files.count) files normalised")
        XCTAssertGreaterThan(read, 0)
    }

    func testDeterministic() throws {
        let data = try Data(contentsOf: Fixtures.deputy.appendingPathComponent("Calendar/parley-vendor-check-in-weekly.ics"))
        XCTAssertEqual(try calendar(data), try calendar(data))
    }
}
