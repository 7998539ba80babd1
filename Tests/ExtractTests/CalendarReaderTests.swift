import DiscloseCore
import Extract
import Foundation
import SQLiteStore
import XCTest

final class CalendarReaderTests: XCTestCase {
    var dir: URL!
    static let sampleData = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("SampleData")

    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("calendar-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: dir) }

    func crlf(_ s: String) -> String { s.replacingOccurrences(of: "\n", with: "\r\n") }

    func write(_ name: String, _ s: String) throws -> URL {
        let u = dir.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: u.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(s.utf8).write(to: u)
        return u
    }

    struct Run {
        var items: [Item]
        var exceptions: [ExceptionRecord]
        var blobs: BlobStore
        func bytes(_ i: Item) throws -> Data { try blobs.read(i.sha256) }
    }

    func run(_ sources: [URL], tag: String = "a") throws -> Run {
        let out = dir.appendingPathComponent("case-\(tag)")
        let yaml = "matter: T\nproduction: P\nsources:\n" + sources.map { "  - path: \($0.path)\n    custodian: \"Ruiz, Carmen\"\n" }.joined()
            + "bates: { prefix: T }\noutput: \(out.path)/out\n"
        let job = try Job.load(try write("job-\(tag).yml", yaml))
        try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
        let store = try SQLiteStore(path: out.appendingPathComponent("case.sqlite").path)
        let blobs = try BlobStore(root: out.appendingPathComponent("blobs"))
        _ = try ExtractStage(job: job, store: store, blobs: blobs).run()
        var items: [Item] = []
        try store.forEachItem { items.append($0) }
        return Run(items: items, exceptions: try store.exceptions(), blobs: blobs)
    }

    static let twoEvents = """
    BEGIN:VCALENDAR
    VERSION:2.0
    PRODID:-//t//EN
    METHOD:PUBLISH
    BEGIN:VTIMEZONE
    TZID:Europe/Berlin
    BEGIN:STANDARD
    DTSTART:19701025T030000
    TZOFFSETFROM:+0200
    TZOFFSETTO:+0100
    RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU
    END:STANDARD
    END:VTIMEZONE
    BEGIN:VEVENT
    UID:1@x
    DTSTAMP:20240101T000000Z
    DTSTART;TZID=Europe/Berlin:20240110T090000
    SUMMARY:First
    END:VEVENT
    BEGIN:VTODO
    UID:2@x
    DTSTAMP:20240101T000000Z
    SUMMARY:Second
    END:VTODO
    BEGIN:VJOURNAL
    UID:3@x
    DTSTAMP:20240101T000000Z
    SUMMARY:Third
    END:VJOURNAL
    END:VCALENDAR

    """

    func testMultiEventFileBecomesOneItemPerComponentDeterministically() throws {
        let url = try write("team.ics", crlf(Self.twoEvents))
        let a = try run([url], tag: "a")
        XCTAssertEqual(a.exceptions, [])
        XCTAssertEqual(a.items.map(\.key), ["0001.00000001", "0001.00000002", "0001.00000003"])
        XCTAssertEqual(a.items.map(\.kind), [.calendar, .calendar, .calendar])
        XCTAssertEqual(a.items.map(\.fileName), ["team-1.ics", "team-2.ics", "team-3.ics"])
        XCTAssertEqual(a.items.map(\.parentKey), [nil, nil, nil], "a loose .ics is walked through")
        XCTAssertEqual(a.items[0].path, url.path + "!/team-1.ics")
        let first = String(decoding: try a.bytes(a.items[0]), as: UTF8.self)
        XCTAssertTrue(first.contains("BEGIN:VTIMEZONE") && first.contains("SUMMARY:First") && !first.contains("Second"), first)
        XCTAssertTrue(first.contains("METHOD:PUBLISH"))
        let second = String(decoding: try a.bytes(a.items[1]), as: UTF8.self)
        XCTAssertTrue(second.contains("BEGIN:VTODO") && !second.contains("VTIMEZONE"), second)
        let b = try run([url], tag: "b")
        XCTAssertEqual(a.items.map(\.sha256), b.items.map(\.sha256), "same file, same bytes")
    }

    func testSingleEventFileIsTheItemItself() throws {
        let src = Self.sampleData.appendingPathComponent("custodian05-deputy-director/Calendar/oversight-briefing-prep.ics")
        let r = try run([src])
        XCTAssertEqual(r.items.count, 1)
        XCTAssertEqual(r.items[0].key, "0001")
        XCTAssertEqual(r.items[0].kind, .calendar)
        XCTAssertEqual(try r.bytes(r.items[0]), try Data(contentsOf: src), "original bytes kept")
    }

    func testCalendarsAttachedToAnEmailStayInItsFamily() throws {
        let multi = Data(crlf(Self.twoEvents).utf8).base64EncodedString(options: [.lineLength76Characters, .endLineWithCarriageReturn])
        let single = crlf("BEGIN:VCALENDAR\nVERSION:2.0\nMETHOD:REQUEST\nBEGIN:VEVENT\nUID:9@x\nDTSTART:20240301T100000Z\nSUMMARY:Invite\nEND:VEVENT\nEND:VCALENDAR\n")
        let mail = crlf("""
        From: a@x.example
        To: b@x.example
        Subject: invites
        Date: Tue, 05 Mar 2024 09:24:00 +0000
        Message-ID: <cal@x.example>
        MIME-Version: 1.0
        Content-Type: multipart/mixed; boundary="BB"

        --BB
        Content-Type: text/plain

        See attached.
        --BB
        Content-Type: text/calendar; method=REQUEST; name="invite.ics"
        Content-Disposition: attachment; filename="invite.ics"

        \(single)
        --BB
        Content-Type: application/octet-stream; name="team.ics"
        Content-Disposition: attachment; filename="team.ics"
        Content-Transfer-Encoding: base64

        \(multi)
        --BB--

        """)
        let r = try run([try write("m.eml", mail)])
        XCTAssertEqual(r.exceptions, [])
        XCTAssertEqual(r.items.map(\.key), ["0001", "0001.00000001", "0001.00000002.00000001", "0001.00000002.00000002", "0001.00000002.00000003"])
        XCTAssertEqual(r.items.map(\.kind), [.email, .calendar, .calendar, .calendar, .calendar])
        XCTAssertEqual(r.items.dropFirst().map(\.parentKey), ["0001", "0001", "0001", "0001"], "every component is a child of the email")
        XCTAssertEqual(r.items[1].fileName, "invite.ics")
    }

    func testDamagedCalendarsAreExceptions() throws {
        let truncated = try write("cut.ics", crlf("BEGIN:VCALENDAR\nVERSION:2.0\nBEGIN:VEVENT\nUID:1\nSUMMARY:cut off here"))
        let empty = try write("tz-only.ics", crlf("BEGIN:VCALENDAR\nVERSION:2.0\nBEGIN:VTIMEZONE\nTZID:X\nEND:VTIMEZONE\nEND:VCALENDAR\n"))
        let r = try run([truncated, empty])
        XCTAssertEqual(r.items, [])
        XCTAssertEqual(r.exceptions.count, 2)
        XCTAssertTrue(r.exceptions[0].reason.contains("truncated: BEGIN:VEVENT is never closed"), r.exceptions[0].reason)
        XCTAssertTrue(r.exceptions[1].reason.contains("no event"), r.exceptions[1].reason)
    }

    func testSampleDataCalendarAndInvitation() throws {
        let c5 = Self.sampleData.appendingPathComponent("custodian05-deputy-director")
        let r = try run([c5.appendingPathComponent("Calendar"), c5.appendingPathComponent("Inbox/msg-0074.eml")])
        XCTAssertEqual(r.exceptions, [])
        let loose = r.items.filter { $0.source == 1 }
        XCTAssertEqual(loose.map(\.kind), [.calendar, .calendar])
        XCTAssertEqual(Set(loose.map(\.fileName)), ["oversight-briefing-prep.ics", "parley-vendor-check-in-weekly.ics"])
        let mail = r.items.filter { $0.source == 2 }
        XCTAssertEqual(mail.first?.kind, .email)
        let invites = mail.filter { $0.kind == .calendar }
        XCTAssertTrue(invites.contains { $0.fileName == "invite.ics" }, "\(mail.map(\.fileName))")
        XCTAssertTrue(invites.allSatisfy { $0.parentKey == mail.first?.key })
    }
}
