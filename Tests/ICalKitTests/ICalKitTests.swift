import Foundation
import ICalKit
import XCTest

final class ICalKitTests: XCTestCase {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let calendarDir = root.appendingPathComponent("SampleData/custodian05-deputy-director/Calendar")

    static func sample(_ name: String) throws -> Data {
        try Data(contentsOf: calendarDir.appendingPathComponent(name))
    }

    static func crlf(_ s: String) -> Data { Data(s.replacingOccurrences(of: "\n", with: "\r\n").utf8) }

    /// Runs `body` on its own thread and fails instead of hanging when it takes too long.
    static func withDeadline(_ seconds: Double, _ body: @escaping @Sendable () -> Void) -> Bool {
        let done = DispatchSemaphore(value: 0)
        let t = Thread { body(); done.signal() }
        t.stackSize = 16 << 20
        t.start()
        return done.wait(timeout: .now() + seconds) == .success
    }

    static func rssKB() -> Int {
        guard let s = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return 0 }
        for line in s.split(separator: "\n") where line.hasPrefix("VmRSS:") {
            return Int(line.split(separator: " ").dropFirst().first ?? "0") ?? 0
        }
        return 0
    }

    func testRecurringSampleWithTimeZone() throws {
        let items = try ICal.read(Self.sample("parley-vendor-check-in-weekly.ics"))
        XCTAssertEqual(items.count, 1)
        let e = items[0]
        XCTAssertEqual(e.kind, "VEVENT")
        XCTAssertEqual(e.method, "PUBLISH")
        XCTAssertEqual(e.summary, "Parley vendor check-in (weekly)")
        XCTAssertEqual(e.location, "Parley video bridge, room 2231")
        XCTAssertEqual(e.organizer, ICalParty(name: "Ferreira, Lucian", address: "lferreira@parley.example.com"))
        XCTAssertEqual(e.attendees.map(\.name), ["Okafor, Samuel", "Ruiz, Carmen", "Priya Raghunathan"])
        XCTAssertEqual(e.attendees.map(\.address), ["sokafor@dpr.example.gov", "cruiz@dpr.example.gov",
                                                    "priya.raghunathan@parley.example.com"])
        XCTAssertEqual(e.attendees.map(\.partstat), ["ACCEPTED", "ACCEPTED", "TENTATIVE"])
        let start = try XCTUnwrap(e.start)
        XCTAssertEqual(start.zone, .zoned("America/New_York"))
        XCTAssertEqual([start.year, start.month, start.day, start.hour, start.minute], [2024, 2, 6, 13, 0])
        XCTAssertEqual(start.offsetSeconds, -5 * 3600)
        XCTAssertEqual(start.epoch, Civil.epoch(year: 2024, month: 2, day: 6) + 18 * 3600)
        XCTAssertEqual(e.end?.hour, 13)
        XCTAssertEqual(e.end?.minute, 30)
        XCTAssertEqual(e.rrules.count, 1)
        let rule = Set(e.rrules[0].split(separator: ";").map(String.init))
        XCTAssertEqual(rule, ["FREQ=WEEKLY", "BYDAY=TU", "COUNT=12"])
        XCTAssertEqual(e.exdates.count, 1)
        // 12 March is after the switch to daylight time (10 March 2024).
        XCTAssertEqual(e.exdates[0].offsetSeconds, -4 * 3600)
        XCTAssertEqual(e.exdates[0].day, 12)
        XCTAssertEqual(e.descriptions, ["Weekly status call for the pilot.\nAgenda: open tickets, release plan, retention settings.\nNo call on March 12 (vendor offsite)."])
        XCTAssertTrue(e.notes.isEmpty, "\(e.notes)")
    }

    func testSingleSampleInUTC() throws {
        let items = try ICal.read(Self.sample("oversight-briefing-prep.ics"))
        XCTAssertEqual(items.count, 1)
        let e = items[0]
        XCTAssertEqual(e.attendees.count, 4)
        XCTAssertEqual(e.start?.zone, .utc)
        XCTAssertEqual(e.start?.hour, 17)
        XCTAssertEqual(e.location, "Conference Room 4B; Parley video bridge as backup")
        XCTAssertTrue(e.descriptions.first?.contains("(555) 014-2204") == true)
        XCTAssertTrue(e.descriptions.first?.contains("memo, the Ledger") == true)
        XCTAssertEqual(e.status, "CONFIRMED")
        XCTAssertEqual(e.classification, "PRIVATE")
        // The alarm's DESCRIPTION is not the event's.
        XCTAssertEqual(e.descriptions.count, 1)
    }

    static let twoEvents = crlf("""
    BEGIN:VCALENDAR
    VERSION:2.0
    PRODID:-//test//EN
    METHOD:REQUEST
    BEGIN:VTIMEZONE
    TZID:Europe/Berlin
    BEGIN:STANDARD
    DTSTART:19701025T030000
    TZOFFSETFROM:+0200
    TZOFFSETTO:+0100
    RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU
    END:STANDARD
    BEGIN:DAYLIGHT
    DTSTART:19700329T020000
    TZOFFSETFROM:+0100
    TZOFFSETTO:+0200
    RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU
    END:DAYLIGHT
    END:VTIMEZONE
    BEGIN:VTIMEZONE
    TZID:Unused/Zone
    BEGIN:STANDARD
    DTSTART:19700101T000000
    TZOFFSETFROM:+0300
    TZOFFSETTO:+0300
    END:STANDARD
    END:VTIMEZONE
    BEGIN:VEVENT
    UID:a@x
    DTSTAMP:20240101T000000Z
    DTSTART;TZID=Europe/Berlin:20240710T090000
    DURATION:PT1H30M
    SUMMARY:First
    END:VEVENT
    BEGIN:VTODO
    UID:b@x
    DTSTAMP:20240101T000000Z
    DUE:20240801T170000Z
    SUMMARY:Second
    END:VTODO
    END:VCALENDAR
    """)

    func testSplitKeepsReferencedZonesOnlyAndIsDeterministic() throws {
        let parts = try ICal.split(Self.twoEvents)
        XCTAssertEqual(parts.count, 2)
        XCTAssertEqual(parts, try ICal.split(Self.twoEvents))
        let first = String(decoding: parts[0], as: UTF8.self)
        let second = String(decoding: parts[1], as: UTF8.self)
        XCTAssertTrue(first.contains("TZID:Europe/Berlin"))
        XCTAssertFalse(first.contains("Unused/Zone"))
        XCTAssertTrue(first.contains("METHOD:REQUEST"))
        XCTAssertTrue(first.contains("SUMMARY:First"))
        XCTAssertFalse(first.contains("Second"))
        XCTAssertFalse(second.contains("VTIMEZONE"))
        XCTAssertTrue(second.contains("BEGIN:VTODO"))
        // Each part reads back as one component with the same facts.
        let a = try ICal.read(parts[0])
        XCTAssertEqual(a.count, 1)
        XCTAssertEqual(a[0].start?.offsetSeconds, 2 * 3600)
        XCTAssertEqual(a[0].end?.hour, 10)
        XCTAssertEqual(a[0].end?.minute, 30)
        XCTAssertEqual(a[0].end?.zone, .zoned("Europe/Berlin"))
        XCTAssertEqual(a[0].method, "REQUEST")
        let b = try ICal.read(parts[1])
        XCTAssertEqual(b[0].kind, "VTODO")
        XCTAssertEqual(b[0].due?.zone, .utc)
    }

    func testSeveralCalendarsInOneFile() throws {
        let one = "BEGIN:VCALENDAR\nVERSION:2.0\nBEGIN:VEVENT\nUID:1\nDTSTART:20240101T100000Z\nSUMMARY:One\nEND:VEVENT\nEND:VCALENDAR\n"
        let two = one.replacingOccurrences(of: "One", with: "Two").replacingOccurrences(of: "UID:1", with: "UID:2")
        let items = try ICal.read(Self.crlf(one + two))
        XCTAssertEqual(items.map(\.summary), ["One", "Two"])
        XCTAssertEqual(try ICal.split(Self.crlf(one + two)).count, 2)
    }

    func testFloatingDateAndUnknownZone() throws {
        let data = Self.crlf("""
        BEGIN:VCALENDAR
        VERSION:2.0
        BEGIN:VEVENT
        UID:1
        DTSTART;VALUE=DATE:20240305
        DTEND;VALUE=DATE:20240306
        SUMMARY:All day
        END:VEVENT
        BEGIN:VEVENT
        UID:2
        DTSTART:20240305T093000
        SUMMARY:Floating
        END:VEVENT
        BEGIN:VEVENT
        UID:3
        DTSTART;TZID=Nowhere Standard Time:20240305T093000
        SUMMARY:Unknown zone
        END:VEVENT
        BEGIN:VEVENT
        UID:4
        DTSTART;TZID=America/Chicago:20240705T093000
        SUMMARY:System zone
        END:VEVENT
        END:VCALENDAR
        """)
        let items = try ICal.read(data)
        XCTAssertEqual(items.count, 4)
        XCTAssertEqual(items[0].start?.isDate, true)
        XCTAssertEqual(items[0].start?.zone, .floating)
        XCTAssertEqual(items[0].end?.day, 6)
        XCTAssertEqual(items[1].start?.zone, .floating)
        XCTAssertEqual(items[1].start?.epoch, Civil.epoch(year: 2024, month: 3, day: 5) + 9 * 3600 + 1800)
        XCTAssertEqual(items[2].start?.zone, .unknown("Nowhere Standard Time"))
        XCTAssertFalse(items[2].notes.isEmpty)
        XCTAssertEqual(items[3].start?.zone, .zoned("America/Chicago"))
        XCTAssertEqual(items[3].start?.offsetSeconds, -5 * 3600)
    }

    func testLegacyEightBitTextIsDecoded() throws {
        var bytes = [UInt8]("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nUID:1\r\nDTSTART:20240101T100000Z\r\nSUMMARY:Caf".utf8)
        bytes.append(0xE9)
        bytes += Array("\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n".utf8)
        XCTAssertEqual(try ICal.read(Data(bytes)).first?.summary, "Café")
    }

    func testDamagedInputIsAnErrorNotAHang() {
        let cases: [(String, Data)] = [
            ("truncated", Self.crlf("BEGIN:VCALENDAR\nVERSION:2.0\nBEGIN:VEVENT\nUID:1\nSUMMARY:cut here")),
            ("mismatched", Self.crlf("BEGIN:VCALENDAR\nBEGIN:VEVENT\nEND:VTODO\nEND:VCALENDAR")),
            ("garbage", Data((0..<4000).map { UInt8(truncatingIfNeeded: $0 &* 7919 &+ 13) })),
            ("text", Data("hello world\n".utf8)),
            ("empty", Data()),
            ("nul", Data("BEGIN:VCALENDAR\r\n\0\0BEGIN:VEVENT\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n".utf8)),
            ("deep", Self.crlf("BEGIN:VCALENDAR\n" + String(repeating: "BEGIN:X-A\n", count: 100) + String(repeating: "END:X-A\n", count: 100) + "END:VCALENDAR")),
        ]
        for (name, data) in cases {
            XCTAssertThrowsError(try ICal.read(data), name)
            XCTAssertThrowsError(try ICal.split(data), name)
        }
    }

    func testHostileRecurrenceAndZoneRulesFinishQuickly() throws {
        let data = Self.crlf("""
        BEGIN:VCALENDAR
        VERSION:2.0
        BEGIN:VTIMEZONE
        TZID:Evil
        BEGIN:STANDARD
        DTSTART:16010101T000000
        TZOFFSETFROM:+0100
        TZOFFSETTO:+0100
        RRULE:FREQ=SECONDLY
        END:STANDARD
        BEGIN:DAYLIGHT
        DTSTART:16010101T000000
        TZOFFSETFROM:+0100
        TZOFFSETTO:+0200
        RRULE:FREQ=YEARLY;INTERVAL=0;BYMONTH=2;BYMONTHDAY=30
        END:DAYLIGHT
        END:VTIMEZONE
        BEGIN:VEVENT
        UID:1
        DTSTART;TZID=Evil:99991231T235959
        RRULE:FREQ=SECONDLY;COUNT=2147483647
        EXDATE;TZID=Evil:20240101T000000
        SUMMARY:Hostile
        END:VEVENT
        END:VCALENDAR
        """)
        final class Box: @unchecked Sendable { var items: [ICalComponentInfo] = []; var error: Error? }
        let box = Box()
        XCTAssertTrue(Self.withDeadline(20) {
            do { box.items = try ICal.read(data) } catch { box.error = error }
            _ = try? ICal.split(data)
        }, "reading a hostile calendar did not finish")
        XCTAssertNil(box.error)
        XCTAssertEqual(box.items.first?.summary, "Hostile")
        XCTAssertTrue(box.items.first?.notes.contains { $0.contains("FREQ=SECONDLY") } == true, "\(box.items.first?.notes ?? [])")
    }

    func testManyEventsFinish() throws {
        var s = "BEGIN:VCALENDAR\nVERSION:2.0\n"
        for i in 0..<5000 { s += "BEGIN:VEVENT\nUID:\(i)\nDTSTART:20240101T100000Z\nSUMMARY:E\(i)\nEND:VEVENT\n" }
        s += "END:VCALENDAR\n"
        let data = Self.crlf(s)
        XCTAssertEqual(try ICal.read(data).count, 5000)
        XCTAssertEqual(try ICal.split(data).count, 5000)
    }

    func testNoLeakOver500Iterations() throws {
        let data = try Self.sample("parley-vendor-check-in-weekly.ics")
        for _ in 0..<50 { _ = try ICal.read(data); _ = try ICal.split(data) }
        let before = Self.rssKB()
        for _ in 0..<500 {
            _ = try ICal.read(data)
            _ = try ICal.split(data)
            _ = try? ICal.read(Self.crlf("BEGIN:VCALENDAR\nBEGIN:VEVENT\nUID:1"))
        }
        let after = Self.rssKB()
        XCTAssertLessThan(after - before, 8_000, "RSS grew by \(after - before) kB over 500 iterations")
    }

    func testTruncatedPrefixesOfSamplesNeverCrash() throws {
        for name in ["parley-vendor-check-in-weekly.ics", "oversight-briefing-prep.ics"] {
            let data = try Self.sample(name)
            for cut in stride(from: 0, to: data.count, by: 7) {
                _ = try? ICal.read(data.prefix(cut))
                _ = try? ICal.split(data.prefix(cut))
            }
        }
    }

    func testCorporaNeverCrash() throws {
        let dirs = ["tika-testdocs", "aspose-email-net-data"].map {
            Self.root.appendingPathComponent("../shared/corpora/\($0)").standardizedFileURL
        }
        let present = dirs.filter { FileManager.default.fileExists(atPath: $0.path) }
        guard !present.isEmpty else { throw XCTSkip("corpora not present under ../shared/corpora; skipping the .ics robustness run") }
        var files: [URL] = []
        for d in present {
            let e = FileManager.default.enumerator(at: d, includingPropertiesForKeys: nil)
            while let u = e?.nextObject() as? URL {
                if ["ics", "vcs"].contains(u.pathExtension.lowercased()) { files.append(u) }
            }
        }
        files.sort { $0.path < $1.path }
        var read = 0
        for f in files {
            let data = try Data(contentsOf: f)
            if let items = try? ICal.read(data) {
                read += 1
                XCTAssertEqual(try ICal.split(data).count, items.count, f.lastPathComponent)
            }
        }
        print("ICalKit corpus: \(read) of \(files.count) calendar files read")
        XCTAssertGreaterThan(read, 0)
    }
}

final class ICalKitConcurrencyTests: XCTestCase {
    func testConcurrentReadsWithSystemAndCalendarZones() throws {
        let system = Data("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nUID:1\r\nDTSTART;TZID=America/Chicago:20240705T093000\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n".utf8)
        let own = try ICalKitTests.sample("parley-vendor-check-in-weekly.ics")
        final class Box: @unchecked Sendable { var offsets = [Int](repeating: 0, count: 64) }
        let box = Box()
        let lock = NSLock()
        DispatchQueue.concurrentPerform(iterations: 64) { i in
            let o = (try? ICal.read(i % 2 == 0 ? system : own))?.first?.start?.offsetSeconds ?? 1
            lock.lock(); box.offsets[i] = o; lock.unlock()
        }
        for (i, o) in box.offsets.enumerated() { XCTAssertEqual(o, -5 * 3600, "iteration \(i)") }
    }
}
