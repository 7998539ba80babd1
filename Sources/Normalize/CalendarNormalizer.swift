import DiscloseCore
import Foundation
import ICalKit
import XMLKit

/// A calendar item (one VEVENT, VTODO or VJOURNAL in a VCALENDAR) as a `Document`:
///
/// - subject: SUMMARY; from: ORGANIZER; to: the ATTENDEEs (CN and address, `mailto:` removed)
/// - dateSent: DTSTART as a UTC instant (DUE for a to-do without a start); dateOffset: the UTC
///   offset of DTSTART's zone at that instant (from the calendar's VTIMEZONE, else the system
///   zone database). A floating time or an all-day date has no zone: it is read as UTC, the
///   offset is "+00:00" and `When` says so.
/// - properties, in order: Type (to-dos and journal entries only), When, Due (to-dos), Where,
///   Recurrence, Status, Method, Responses (attendees' answers and roles, when any was given),
///   Notes (time-zone rules ignored, unknown zones, libical parse errors)
/// - text: DESCRIPTION (unfolded, escapes decoded; the HTML X-ALT-DESC when there is no plain
///   one), then COMMENTs
/// - headerText: every property of the component as `NAME: value` (DESCRIPTION, which is the text,
///   and UID, a machine identifier, left out), for the detectors and the leak audit.
enum CalendarNormalizer {
    static func document(_ item: Item, _ bytes: Data) throws -> Document {
        let components: [ICalComponentInfo]
        do { components = try ICal.read(bytes) } catch { throw ReadFailure("iCalendar: \(error)") }
        guard let e = components.first else { throw ReadFailure("iCalendar object holds no event, to-do or journal entry") }
        var d = Document(key: item.key, kind: .calendar)
        d.fileName = item.fileName
        d.mimeType = "text/calendar"
        d.subject = Normalizer.oneLine(e.summary)
        d.from = e.organizer.map(address)
        d.to = e.attendees.map(address)
        if let t = e.start ?? e.due {
            d.dateSent = iso(t.epoch)
            d.dateOffset = Dates.offset(t.hasKnownOffset ? t.offsetSeconds : 0)
        }

        var props: [NamedValue] = []
        func add(_ name: String, _ value: String) { if !value.isEmpty { props.append(NamedValue(name, value)) } }
        switch e.kind {
        case "VTODO": add("Type", "To-do")
        case "VJOURNAL": add("Type", "Journal entry")
        default: break
        }
        add("When", e.start.map { when($0, e.end) } ?? "")
        if e.kind == "VTODO" { add("Due", e.due.map { when($0, nil) } ?? "") }
        add("Where", Normalizer.oneLine(e.location))
        add("Recurrence", recurrence(e))
        add("Status", words(e.status))
        add("Method", method(e.method))
        add("Responses", responses(e.attendees))
        if !e.notes.isEmpty {
            let shown = e.notes.prefix(5).joined(separator: "; ")
            add("Notes", Normalizer.oneLine(shown + (e.notes.count > 5 ? "; and \(e.notes.count - 5) more" : "")))
        }
        d.properties = props

        var text = e.descriptions.filter { !$0.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty }.joined(separator: "\n\n")
        if text.isEmpty, !e.htmlDescription.isEmpty {
            text = HTMLText.text(html: Data(e.htmlDescription.utf8), charset: "utf-8")
        }
        for c in e.comments where !c.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            text += (text.isEmpty ? "" : "\n\n") + "Comment: " + c
        }
        d.text = Normalizer.normalizeNewlines(text)
        // UID is a machine identifier shaped like an address (`0400…@parley.example.com`): like
        // Message-ID it is kept out of the header text the detectors scan.
        d.headerText = e.lines.filter { !["DESCRIPTION", "X-ALT-DESC", "UID"].contains($0.name.uppercased()) }
            .map { "\($0.name): \(Normalizer.oneLine($0.value))" }.joined(separator: "\n")
        return d
    }

    /// A CN that only repeats the address (`CN=a@x:mailto:a@x`) is not a name.
    static func address(_ p: ICalParty) -> Address {
        Address(name: p.name.caseInsensitiveCompare(p.address) == .orderedSame ? "" : p.name, address: p.address)
    }

    static func iso(_ epoch: Int64) -> String {
        let f = Civil.fields(epoch)
        return String(format: "%04d-%02d-%02dT%02d:%02d:%02dZ", f.year, f.month, f.day, f.hour, f.minute, f.second)
    }

    static let weekdays = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"]

    static func weekday(_ t: ICalTime) -> String {
        weekdays[Civil.fields(Civil.epoch(year: t.year, month: t.month, day: t.day)).weekday]
    }

    static func date(_ t: ICalTime) -> String { String(format: "%04d-%02d-%02d", t.year, t.month, t.day) }

    static func clock(_ t: ICalTime) -> String {
        String(format: "%02d:%02d", t.hour, t.minute) + (t.second != 0 ? String(format: ":%02d", t.second) : "")
    }

    /// "UTC", "America/New_York (UTC-05:00)", or what is known about a zone that is missing.
    static func zoneLabel(_ t: ICalTime) -> String {
        switch t.zone {
        case .utc: return "UTC"
        case .zoned(let id): return "\(id) (UTC\(Dates.offset(t.offsetSeconds)))"
        case .floating: return "(floating time: no time zone given; read as UTC)"
        case .unknown(let id): return "\(id) (time zone not defined in the calendar; read as UTC)"
        }
    }

    /// "Tuesday 2024-03-05 09:30 – 10:00 America/New_York (UTC-05:00)"; all-day events as
    /// "Tuesday 2024-03-05 (all day)" or a range of days (DTEND of a date is exclusive).
    static func when(_ s: ICalTime, _ e: ICalTime?) -> String {
        if s.isDate {
            var text = "\(weekday(s)) \(date(s))"
            if let e, e.isDate {
                let last = Civil.fields(Civil.epoch(year: e.year, month: e.month, day: e.day) - 86_400)
                var lastDay = ICalTime()
                lastDay.year = last.year; lastDay.month = last.month; lastDay.day = last.day
                if (last.year, last.month, last.day) > (s.year, s.month, s.day) {
                    text += " – \(weekday(lastDay)) \(date(lastDay))"
                }
            }
            return text + " (all day)"
        }
        let startText = "\(weekday(s)) \(date(s)) \(clock(s))"
        guard let e, !e.isDate, e.epoch != s.epoch || e.zone != s.zone else { return startText + " " + zoneLabel(s) }
        let sameDay = (e.year, e.month, e.day) == (s.year, s.month, s.day)
        let endText = sameDay ? clock(e) : "\(weekday(e)) \(date(e)) \(clock(e))"
        if e.zone != s.zone || e.offsetSeconds != s.offsetSeconds {
            return "\(startText) \(zoneLabel(s)) – \(endText) \(zoneLabel(e))"
        }
        return "\(startText) – \(endText) \(zoneLabel(s))"
    }

    // MARK: - Recurrence in words

    static let dayNames: [String: String] = ["MO": "Monday", "TU": "Tuesday", "WE": "Wednesday", "TH": "Thursday",
                                             "FR": "Friday", "SA": "Saturday", "SU": "Sunday"]
    static let monthNames = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
                             "October", "November", "December"]
    static let ordinals = [1: "first", 2: "second", 3: "third", 4: "fourth", 5: "fifth", -1: "last", -2: "second to last"]

    static func recurrence(_ e: ICalComponentInfo) -> String {
        var parts: [String] = []
        for rule in e.rrules { parts.append(describe(rule: rule)) }
        if !e.rdates.isEmpty { parts.append("also on " + e.rdates.prefix(20).joined(separator: ", ") + (e.rdates.count > 20 ? " and \(e.rdates.count - 20) more" : "")) }
        if !e.exdates.isEmpty {
            let shown = e.exdates.prefix(50).map { x -> String in
                var s = x.isDate ? date(x) : "\(date(x)) \(clock(x))"
                if let start = e.start, x.zone != start.zone, !x.isDate { s += " " + zoneLabel(x) }
                return s
            }
            parts.append("except " + shown.joined(separator: ", ") + (e.exdates.count > 50 ? " and \(e.exdates.count - 50) more" : ""))
        }
        if let r = e.recurrenceID {
            let original = r.isDate ? "\(weekday(r)) \(date(r))" : "\(weekday(r)) \(date(r)) \(clock(r))"
            parts.append("changed occurrence of a recurring series (originally \(original))")
        }
        return parts.joined(separator: "; ")
    }

    /// "weekly on Tuesday, 12 times"; a rule outside the simple shapes is given as written.
    static func describe(rule: String) -> String {
        var r: [String: String] = [:]
        for part in rule.split(separator: ";") {
            let kv = part.split(separator: "=", maxSplits: 1).map { String($0).uppercased() }
            guard kv.count == 2, r[kv[0]] == nil else { return rule }
            r[kv[0]] = kv[1]
        }
        guard let freq = r.removeValue(forKey: "FREQ") else { return rule }
        let interval = r.removeValue(forKey: "INTERVAL").map { Int($0) } ?? 1
        guard let n = interval, n >= 1 else { return rule }
        _ = r.removeValue(forKey: "WKST")
        var end = ""
        if let c = r.removeValue(forKey: "COUNT") {
            guard let k = Int(c), k >= 1 else { return rule }
            end = k == 1 ? ", once" : ", \(k) times"
        } else if let u = r.removeValue(forKey: "UNTIL") {
            guard let until = untilText(u) else { return rule }
            end = ", until \(until)"
        }
        let byDay = r.removeValue(forKey: "BYDAY")
        let byMonthDay = r.removeValue(forKey: "BYMONTHDAY")
        let byMonth = r.removeValue(forKey: "BYMONTH")
        guard r.isEmpty else { return rule }  // BYSETPOS, BYHOUR, BYWEEKNO...: not simple

        func unit(_ one: String, _ many: String, _ adverb: String) -> String {
            n == 1 ? adverb : "every \(n) \(many)"
        }
        var text: String
        switch freq {
        case "DAILY":
            guard byMonthDay == nil, byMonth == nil else { return rule }
            text = unit("day", "days", "daily")
            if let days = byDay {
                guard let list = plainDays(days) else { return rule }
                text += " on " + list
            }
        case "WEEKLY":
            guard byMonthDay == nil, byMonth == nil else { return rule }
            text = unit("week", "weeks", "weekly")
            if let days = byDay {
                guard let list = plainDays(days) else { return rule }
                text += " on " + list
            }
        case "MONTHLY":
            guard byMonth == nil else { return rule }
            text = unit("month", "months", "monthly")
            if let md = byMonthDay {
                guard byDay == nil, let days = monthDays(md) else { return rule }
                text += " on " + days
            } else if let days = byDay {
                guard let d = positionedDay(days) else { return rule }
                text += " on " + d
            }
        case "YEARLY":
            text = unit("year", "years", "yearly")
            if let m = byMonth {
                guard let month = Int(m), (1...12).contains(month) else { return rule }
                let name = monthNames[month - 1]
                if let md = byMonthDay {
                    guard byDay == nil, let day = Int(md), (1...31).contains(day) else { return rule }
                    text += " on \(day) \(name)"
                } else if let days = byDay {
                    guard let d = positionedDay(days) else { return rule }
                    text += " on " + d + " of " + name
                } else {
                    text += " in " + name
                }
            } else if byDay != nil || byMonthDay != nil {
                return rule
            }
        default:
            return rule
        }
        return text + end
    }

    /// "TU,TH" -> "Tuesday and Thursday"; nil when a day carries a position.
    static func plainDays(_ s: String) -> String? {
        let names = s.split(separator: ",").map { dayNames[String($0)] }
        guard !names.isEmpty, names.allSatisfy({ $0 != nil }) else { return nil }
        let list = names.map { $0! }
        if Set(list) == ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"] && list.count == 5 { return "weekdays (Monday to Friday)" }
        return join(list)
    }

    /// "2TU" -> "the second Tuesday"; a single positioned day only.
    static func positionedDay(_ s: String) -> String? {
        guard !s.contains(","), s.count >= 3 else { return nil }
        let day = String(s.suffix(2))
        guard let name = dayNames[day], let pos = Int(s.dropLast(2)), let ord = ordinals[pos] else { return nil }
        return "the \(ord) \(name)"
    }

    static func monthDays(_ s: String) -> String? {
        let days = s.split(separator: ",").map { Int($0) }
        guard !days.isEmpty, days.allSatisfy({ $0 != nil && $0! != 0 && abs($0!) <= 31 }) else { return nil }
        let words = days.map { $0! == -1 ? "the last day" : ($0! < 0 ? "day \($0!)" : "day \($0!)") }
        return join(words)
    }

    static func join(_ items: [String]) -> String {
        if items.count <= 1 { return items.first ?? "" }
        return items.dropLast().joined(separator: ", ") + " and " + items.last!
    }

    /// UNTIL as written: a date, or a date-time (UTC when it ends in Z).
    static func untilText(_ s: String) -> String? {
        let digits = s.filter(\.isNumber)
        guard digits.count >= 8 else { return nil }
        let d = Array(digits)
        var text = "\(String(d[0..<4]))-\(String(d[4..<6]))-\(String(d[6..<8]))"
        if s.contains("T"), d.count >= 12 {
            text += " \(String(d[8..<10])):\(String(d[10..<12]))"
            if s.hasSuffix("Z") { text += " UTC" }
        }
        return text
    }

    // MARK: - Other properties

    static func words(_ s: String) -> String {
        guard !s.isEmpty else { return "" }
        let lower = s.lowercased().replacingOccurrences(of: "-", with: " ")
        return lower.prefix(1).uppercased() + lower.dropFirst()
    }

    static func method(_ m: String) -> String {
        switch m {
        case "": return ""
        case "REQUEST": return "REQUEST (invitation or update)"
        case "CANCEL": return "CANCEL (cancellation)"
        case "REPLY": return "REPLY (response to an invitation)"
        case "COUNTER": return "COUNTER (proposed change)"
        case "PUBLISH": return "PUBLISH (published calendar entry)"
        default: return m
        }
    }

    static let partstatWords = ["ACCEPTED": "accepted", "DECLINED": "declined", "TENTATIVE": "tentative",
                                "NEEDS-ACTION": "no response", "DELEGATED": "delegated", "COMPLETED": "completed",
                                "IN-PROCESS": "in process"]
    static let roleWords = ["CHAIR": "chair", "OPT-PARTICIPANT": "optional", "NON-PARTICIPANT": "for information"]

    /// "Okafor, Samuel: accepted; Priya Raghunathan: tentative (optional)", when any attendee
    /// has an answer other than none or a role other than required.
    static func responses(_ attendees: [ICalParty]) -> String {
        let informative = attendees.contains {
            (!$0.partstat.isEmpty && $0.partstat != "NEEDS-ACTION") || roleWords[$0.role] != nil
        }
        guard informative else { return "" }
        return attendees.map { a -> String in
            let who = a.name.isEmpty ? a.address : a.name
            var s = who + ": " + (partstatWords[a.partstat] ?? (a.partstat.isEmpty ? "no response" : a.partstat.lowercased()))
            if let r = roleWords[a.role] { s += " (\(r))" }
            return s
        }.joined(separator: "; ")
    }
}
