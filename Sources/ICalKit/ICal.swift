import CICal
import DiscloseCore
import Foundation

/// Why an iCalendar object could not be read.
public struct ICalError: Error, CustomStringConvertible, Sendable, Equatable {
    public let description: String
    public init(_ description: String) { self.description = description }
}

/// A calendar user (ORGANIZER, ATTENDEE): display name, address and the parameters reviewers ask about.
public struct ICalParty: Sendable, Equatable {
    /// CN, quotes removed.
    public var name: String
    /// The address with `mailto:` removed; other URIs as written.
    public var address: String
    /// ROLE, PARTSTAT, RSVP, CUTYPE upper-cased as written ("" when absent).
    public var role: String
    public var partstat: String
    public var rsvp: String
    public var cutype: String

    public init(name: String, address: String, role: String = "", partstat: String = "", rsvp: String = "", cutype: String = "") {
        self.name = name; self.address = address; self.role = role; self.partstat = partstat
        self.rsvp = rsvp; self.cutype = cutype
    }
}

/// One DATE or DATE-TIME value with its zone resolved.
public struct ICalTime: Sendable, Equatable {
    public enum Zone: Sendable, Equatable {
        case utc
        /// A TZID the calendar defines in a VTIMEZONE, or one the system time-zone database knows.
        case zoned(String)
        /// No zone at all: a floating local time, or a DATE.
        case floating
        /// A TZID that is neither defined in the calendar nor known to the system; the time is
        /// read as floating.
        case unknown(String)
    }

    /// The local (wall-clock) fields as written.
    public var year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0
    public var isDate = false
    public var zone: Zone = .floating
    /// The instant in seconds since 1970-01-01T00:00:00Z. Floating, unknown-zone and DATE values
    /// are read as if they were UTC.
    public var epoch: Int64 = 0
    /// The zone's UTC offset at this instant in seconds (0 for UTC, floating, unknown).
    public var offsetSeconds = 0

    public init() {}

    /// True when the offset is a real one (UTC or a resolved zone), not an assumption.
    public var hasKnownOffset: Bool {
        switch zone {
        case .utc, .zoned: return !isDate
        case .floating, .unknown: return false
        }
    }
}

/// One property line of a component, value decoded (TEXT escapes resolved), for header text.
public struct ICalLine: Sendable, Equatable {
    public var name: String
    public var value: String
    public init(name: String, value: String) { self.name = name; self.value = value }
}

/// What one VEVENT, VTODO or VJOURNAL says, in Swift values.
public struct ICalComponentInfo: Sendable, Equatable {
    /// VEVENT, VTODO or VJOURNAL.
    public var kind = ""
    /// METHOD of the enclosing VCALENDAR (REQUEST, CANCEL, PUBLISH...), "" when absent.
    public var method = ""
    public var uid = ""
    public var summary = ""
    public var location = ""
    public var status = ""
    public var classification = ""
    public var sequence = ""
    public var priority = ""
    public var categories: [String] = []
    /// DESCRIPTION values (VJOURNAL may have several), decoded.
    public var descriptions: [String] = []
    /// X-ALT-DESC with FMTTYPE=text/html, when present.
    public var htmlDescription = ""
    public var comments: [String] = []
    public var organizer: ICalParty?
    public var attendees: [ICalParty] = []
    public var start: ICalTime?
    /// DTEND, or DTSTART + DURATION when only a duration is given.
    public var end: ICalTime?
    public var due: ICalTime?
    public var duration = ""
    public var recurrenceID: ICalTime?
    /// RRULE values as libical writes them back (`FREQ=WEEKLY;COUNT=12;BYDAY=TU`).
    public var rrules: [String] = []
    public var exdates: [ICalTime] = []
    public var rdates: [String] = []
    /// Every property of the component itself (not of its alarms), in order.
    public var lines: [ICalLine] = []
    /// Things a reader should know: ignored time-zone rules, unknown zones, libical parse errors.
    public var notes: [String] = []

    public init() {}
}

/// libical behind a value API: nothing of libical's memory leaves this file.
///
/// Input is checked in Swift before libical sees it: size, NUL bytes, balanced BEGIN/END
/// (so a truncated file is an error, not a silently shorter calendar) and the number of
/// components. Time-zone rules that could make libical's VTIMEZONE expansion run for a very
/// long time (anything but a yearly or monthly rule) are dropped before any offset is asked
/// for; the event's own RRULE is only described, never expanded.
public enum ICal {
    public static let maxBytes = 128 << 20
    public static let maxComponents = 200_000
    public static let maxDepth = 16
    /// Components read as calendar items.
    public static let itemKinds: Set<String> = ["VEVENT", "VTODO", "VJOURNAL"]

    private static let builtinLock = NSLock()

    private static let setup: Void = {
        icalerror_set_errors_are_fatal(0)
    }()

    /// The first bytes look like an iCalendar object (after a BOM and blank lines).
    public static func looksLikeCalendar(_ head: [UInt8]) -> Bool {
        var i = 0
        if head.starts(with: [0xEF, 0xBB, 0xBF]) { i = 3 }
        while i < head.count, [0x20, 0x09, 0x0D, 0x0A].contains(head[i]) { i += 1 }
        let want = Array("BEGIN:VCALENDAR".utf8)
        guard head.count >= i + want.count else { return false }
        for (k, w) in want.enumerated() {
            var b = head[i + k]
            if b >= 0x61 && b <= 0x7A { b -= 0x20 }
            if b != w { return false }
        }
        return true
    }

    /// The events, to-dos and journal entries, in file order.
    public static func read(_ data: Data) throws -> [ICalComponentInfo] {
        try withCalendars(data) { roots in
            var out: [ICalComponentInfo] = []
            for root in roots {
                let method = propertyText(root, ICAL_METHOD_PROPERTY) ?? ""
                let notes = sanitizeTimezones(root)
                for c in itemComponents(root) {
                    var info = describe(c, root: root)
                    info.method = method.uppercased()
                    info.notes = notes + info.notes
                    out.append(info)
                }
            }
            return out
        }
    }

    /// One stand-alone VCALENDAR per event, to-do or journal entry, in file order: the
    /// calendar's own properties (VERSION, PRODID, METHOD, CALSCALE, X-…), the VTIMEZONEs the
    /// component refers to, and the component, serialised by libical (deterministic bytes).
    public static func split(_ data: Data) throws -> [Data] {
        try withCalendars(data) { roots in
            var out: [Data] = []
            for root in roots {
                let timezones = children(root, ICAL_VTIMEZONE_COMPONENT)
                var zoneByID: [String: OpaquePointer] = [:]
                for z in timezones {
                    if let id = propertyText(z, ICAL_TZID_PROPERTY), zoneByID[id] == nil { zoneByID[id] = z }
                }
                let calendarProps = properties(root, ICAL_ANY_PROPERTY)
                for c in itemComponents(root) {
                    guard let cal = icalcomponent_new(ICAL_VCALENDAR_COMPONENT) else { throw ICalError("out of memory") }
                    defer { icalcomponent_free(cal) }
                    for p in calendarProps { if let q = icalproperty_new_clone(p) { icalcomponent_add_property(cal, q) } }
                    var seen = Set<String>()
                    for id in referencedTZIDs(c) where !seen.contains(id) {
                        seen.insert(id)
                        if let z = zoneByID[id], let clone = icalcomponent_new_clone(z) { icalcomponent_add_component(cal, clone) }
                    }
                    guard let clone = icalcomponent_new_clone(c) else { throw ICalError("out of memory") }
                    icalcomponent_add_component(cal, clone)
                    guard let s = icalcomponent_as_ical_string_r(cal) else { throw ICalError("libical could not serialise the component") }
                    out.append(Data(bytes: s, count: strlen(s)))
                    icalmemory_free_buffer(s)
                }
            }
            return out
        }
    }

    // MARK: - Checking and parsing

    /// Text libical can take: UTF-8 (a legacy 8-bit file is decoded first), NUL-free, balanced.
    static func prepare(_ data: Data) throws -> String {
        guard data.count <= maxBytes else { throw ICalError("iCalendar file of \(data.count) bytes is over the \(maxBytes)-byte limit") }
        var bytes = [UInt8](data)
        while bytes.last == 0 { bytes.removeLast() }
        if bytes.contains(0) { throw ICalError("not iCalendar text: binary data (NUL bytes)") }
        let text = TextDecoding.decode(Data(bytes))
        try checkStructure(text)
        return text
    }

    /// BEGIN/END must pair up: an unterminated component is a truncated file and is reported,
    /// not parsed into a shorter calendar.
    static func checkStructure(_ text: String) throws {
        var stack: [String] = []
        var components = 0
        var sawCalendar = false
        var current = ""
        func check(_ line: String) throws {
            // Only BEGIN/END lines matter; a long folded value (ATTACH, DESCRIPTION) is not upper-cased.
            guard let f = line.utf8.first, f == 0x42 || f == 0x62 || f == 0x45 || f == 0x65, line.utf8.count < 256 else { return }
            let upper = line.uppercased()
            if upper.hasPrefix("BEGIN:") {
                let name = String(upper.dropFirst(6)).trimmingCharacters(in: .whitespaces)
                if stack.isEmpty && name != "VCALENDAR" {
                    throw ICalError("BEGIN:\(name) outside a VCALENDAR")
                }
                if name == "VCALENDAR" {
                    if !stack.isEmpty { throw ICalError("BEGIN:VCALENDAR inside \(stack.last!)") }
                    sawCalendar = true
                }
                stack.append(name)
                components += 1
                if stack.count > maxDepth { throw ICalError("components nested more than \(maxDepth) deep") }
                if components > maxComponents { throw ICalError("more than \(maxComponents) components") }
            } else if upper.hasPrefix("END:") {
                let name = String(upper.dropFirst(4)).trimmingCharacters(in: .whitespaces)
                guard let open = stack.last else { throw ICalError("END:\(name) without BEGIN") }
                guard open == name else { throw ICalError("END:\(name) where END:\(open) was expected (truncated or damaged)") }
                stack.removeLast()
            }
        }
        for raw in text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" || $0 == "\r" }) {
            if let f = raw.first, f == " " || f == "\t" {
                current += raw.dropFirst()
                continue
            }
            try check(current)
            current = String(raw)
        }
        try check(current)
        guard sawCalendar else { throw ICalError("no BEGIN:VCALENDAR") }
        if let open = stack.last { throw ICalError("truncated: BEGIN:\(open) is never closed") }
    }

    /// Parses and hands the VCALENDAR components to `body`; libical's tree is freed afterwards.
    static func withCalendars<T>(_ data: Data, _ body: ([OpaquePointer]) throws -> T) throws -> T {
        _ = setup
        let text = try prepare(data)
        guard let root = text.withCString({ icalparser_parse_string($0) }) else {
            throw ICalError("libical found no iCalendar component")
        }
        defer { icalcomponent_free(root) }
        var roots: [OpaquePointer] = []
        switch icalcomponent_isa(root) {
        case ICAL_VCALENDAR_COMPONENT: roots = [root]
        case ICAL_XROOT_COMPONENT: roots = children(root, ICAL_VCALENDAR_COMPONENT)
        default: break
        }
        guard !roots.isEmpty else { throw ICalError("no VCALENDAR component") }
        return try body(roots)
    }

    static func itemComponents(_ root: OpaquePointer) -> [OpaquePointer] {
        children(root, ICAL_ANY_COMPONENT).filter {
            let k = icalcomponent_isa($0)
            return k == ICAL_VEVENT_COMPONENT || k == ICAL_VTODO_COMPONENT || k == ICAL_VJOURNAL_COMPONENT
        }
    }

    // MARK: - libical tree access

    static func children(_ c: OpaquePointer, _ kind: icalcomponent_kind) -> [OpaquePointer] {
        var out: [OpaquePointer] = []
        var k = icalcomponent_get_first_component(c, kind)
        while let x = k {
            out.append(x)
            k = icalcomponent_get_next_component(c, kind)
        }
        return out
    }

    static func properties(_ c: OpaquePointer, _ kind: icalproperty_kind) -> [OpaquePointer] {
        var out: [OpaquePointer] = []
        var p = icalcomponent_get_first_property(c, kind)
        while let x = p {
            out.append(x)
            p = icalcomponent_get_next_property(c, kind)
        }
        return out
    }

    static func propertyName(_ p: OpaquePointer) -> String {
        guard let s = icalproperty_get_property_name_r(p) else { return "" }
        defer { icalmemory_free_buffer(s) }
        return String(cString: s)
    }

    /// The value decoded: TEXT as its characters (escapes resolved), anything else as written.
    static func value(_ p: OpaquePointer) -> String {
        if let v = icalproperty_get_value(p), icalvalue_isa(v) == ICAL_TEXT_VALUE {
            guard let t = icalvalue_get_text(v) else { return "" }
            return String(cString: t)
        }
        guard let s = icalproperty_get_value_as_string_r(p) else { return "" }
        defer { icalmemory_free_buffer(s) }
        return String(cString: s)
    }

    static func parameter(_ p: OpaquePointer, _ name: String) -> String? {
        guard let s = icalproperty_get_parameter_as_string_r(p, name) else { return nil }
        defer { icalmemory_free_buffer(s) }
        return String(cString: s)
    }

    static func propertyText(_ c: OpaquePointer, _ kind: icalproperty_kind) -> String? {
        guard let p = icalcomponent_get_first_property(c, kind) else { return nil }
        return value(p)
    }

    /// TZIDs named by any property of the component or its sub-components (alarms).
    static func referencedTZIDs(_ c: OpaquePointer) -> [String] {
        var out: [String] = []
        for p in properties(c, ICAL_ANY_PROPERTY) {
            if let id = parameter(p, "TZID") { out.append(id) }
        }
        for sub in children(c, ICAL_ANY_COMPONENT) { out += referencedTZIDs(sub) }
        return out
    }

    // MARK: - Time zones

    static let safeRuleKeys: Set<String> = ["FREQ", "INTERVAL", "UNTIL", "COUNT", "BYMONTH", "BYDAY", "BYMONTHDAY",
                                            "BYYEARDAY", "BYWEEKNO", "BYSETPOS", "WKST"]

    /// A VTIMEZONE rule libical can expand in bounded time: yearly or monthly, known parts only.
    static func isSafeZoneRule(_ rule: String) -> Bool {
        var freq = ""
        for part in rule.uppercased().split(separator: ";") {
            let kv = part.split(separator: "=", maxSplits: 1).map(String.init)
            guard kv.count == 2, safeRuleKeys.contains(kv[0]) else { return false }
            if kv[0] == "FREQ" { freq = kv[1] }
            if kv[0] == "INTERVAL" { guard let n = Int(kv[1]), n >= 1, n <= 100 else { return false } }
        }
        return freq == "YEARLY" || freq == "MONTHLY"
    }

    /// Drops VTIMEZONE rules whose expansion could run away (FREQ=SECONDLY from 1601 is two
    /// billion steps). Must run before the first offset is asked for: libical expands lazily.
    static func sanitizeTimezones(_ root: OpaquePointer) -> [String] {
        var notes: [String] = []
        for z in children(root, ICAL_VTIMEZONE_COMPONENT) {
            let id = propertyText(z, ICAL_TZID_PROPERTY) ?? "?"
            for sub in children(z, ICAL_ANY_COMPONENT) {
                for p in properties(sub, ICAL_RRULE_PROPERTY) {
                    let rule = value(p)
                    if !isSafeZoneRule(rule) {
                        icalcomponent_remove_property(sub, p)
                        icalproperty_free(p)
                        notes.append("time zone \(id): rule \(rule) ignored")
                    }
                }
            }
        }
        return notes
    }

    /// Zone names passed to the system database must look like IANA names (no paths).
    static func isPlausibleZoneName(_ s: String) -> Bool {
        guard !s.isEmpty, s.count <= 64, !s.contains(".."), !s.hasPrefix("/") else { return false }
        return s.unicodeScalars.allSatisfy {
            ($0.value >= 0x41 && $0.value <= 0x5A) || ($0.value >= 0x61 && $0.value <= 0x7A)
                || ($0.value >= 0x30 && $0.value <= 0x39) || "_+-/".unicodeScalars.contains($0)
        }
    }

    static func resolve(_ raw: icaltimetype, tzid: String?, root: OpaquePointer) -> ICalTime {
        var t = ICalTime()
        t.year = Int(raw.year); t.month = Int(raw.month); t.day = Int(raw.day)
        t.hour = Int(raw.hour); t.minute = Int(raw.minute); t.second = Int(raw.second)
        t.isDate = raw.is_date != 0
        if t.isDate { t.hour = 0; t.minute = 0; t.second = 0 }
        let civil = Civil.epoch(year: t.year, month: t.month, day: t.day) + Int64(t.hour * 3600 + t.minute * 60 + t.second)
        t.epoch = civil
        if icaltime_is_utc(raw) != 0 {
            t.zone = .utc
            return t
        }
        guard let id = tzid, !id.isEmpty else { return t }
        // A zone defined in this calendar belongs to this parse alone. The system database's
        // zones are process-wide objects that libical fills in lazily, so they are used under a lock.
        var zone = icalcomponent_get_timezone(root, id)
        let shared = zone == nil
        if shared {
            builtinLock.lock()
            if isPlausibleZoneName(id) { zone = icaltimezone_get_builtin_timezone(id) }
        }
        defer { if shared { builtinLock.unlock() } }
        guard let z = zone else {
            t.zone = .unknown(id)
            return t
        }
        t.zone = .zoned(id)
        guard !t.isDate else { return t }
        var local = raw
        local.zone = nil
        var daylight: Int32 = 0
        let offset = Int(icaltimezone_get_utc_offset(z, &local, &daylight))
        // A sane offset is within ±18 h (RFC 5545 TZOFFSET range); anything else is damage.
        if abs(offset) <= 18 * 3600 {
            t.offsetSeconds = offset
            t.epoch = civil - Int64(offset)
        }
        return t
    }

    static func time(_ p: OpaquePointer, _ raw: icaltimetype, root: OpaquePointer) -> ICalTime {
        resolve(raw, tzid: parameter(p, "TZID"), root: root)
    }

    // MARK: - Describing a component

    static func party(_ p: OpaquePointer) -> ICalParty {
        var address = value(p).trimmingCharacters(in: .whitespaces)
        if address.lowercased().hasPrefix("mailto:") { address = String(address.dropFirst(7)) }
        return ICalParty(name: (parameter(p, "CN") ?? "").trimmingCharacters(in: .whitespaces),
                         address: address,
                         role: (parameter(p, "ROLE") ?? "").uppercased(),
                         partstat: (parameter(p, "PARTSTAT") ?? "").uppercased(),
                         rsvp: (parameter(p, "RSVP") ?? "").uppercased(),
                         cutype: (parameter(p, "CUTYPE") ?? "").uppercased())
    }

    static func describe(_ c: OpaquePointer, root: OpaquePointer) -> ICalComponentInfo {
        var info = ICalComponentInfo()
        info.kind = String(cString: icalcomponent_kind_to_string(icalcomponent_isa(c)))
        var durationValue: icaldurationtype? = nil
        var startRaw: icaltimetype? = nil
        var startTZID: String? = nil
        for p in properties(c, ICAL_ANY_PROPERTY) {
            let kind = icalproperty_isa(p)
            let name = propertyName(p)
            let v = value(p)
            info.lines.append(ICalLine(name: name, value: v))
            switch kind {
            case ICAL_UID_PROPERTY: info.uid = v
            case ICAL_SUMMARY_PROPERTY: info.summary = v
            case ICAL_LOCATION_PROPERTY: info.location = v
            case ICAL_STATUS_PROPERTY: info.status = v.uppercased()
            case ICAL_CLASS_PROPERTY: info.classification = v.uppercased()
            case ICAL_SEQUENCE_PROPERTY: info.sequence = v
            case ICAL_PRIORITY_PROPERTY: info.priority = v
            case ICAL_CATEGORIES_PROPERTY: info.categories.append(v)
            case ICAL_DESCRIPTION_PROPERTY: info.descriptions.append(v)
            case ICAL_COMMENT_PROPERTY: info.comments.append(v)
            case ICAL_ORGANIZER_PROPERTY: if info.organizer == nil { info.organizer = party(p) }
            case ICAL_ATTENDEE_PROPERTY: info.attendees.append(party(p))
            case ICAL_DTSTART_PROPERTY:
                if startRaw == nil {
                    let raw = icalproperty_get_dtstart(p)
                    startRaw = raw
                    startTZID = parameter(p, "TZID")
                    info.start = time(p, raw, root: root)
                }
            case ICAL_DTEND_PROPERTY: if info.end == nil { info.end = time(p, icalproperty_get_dtend(p), root: root) }
            case ICAL_DUE_PROPERTY: if info.due == nil { info.due = time(p, icalproperty_get_due(p), root: root) }
            case ICAL_DURATION_PROPERTY:
                info.duration = v
                durationValue = icalproperty_get_duration(p)
            case ICAL_RECURRENCEID_PROPERTY: info.recurrenceID = time(p, icalproperty_get_recurrenceid(p), root: root)
            case ICAL_RRULE_PROPERTY: info.rrules.append(v)
            case ICAL_EXDATE_PROPERTY: info.exdates.append(time(p, icalproperty_get_exdate(p), root: root))
            case ICAL_RDATE_PROPERTY: info.rdates.append(v)
            case ICAL_XLICERROR_PROPERTY:
                info.notes.append("libical: " + v.trimmingCharacters(in: CharacterSet(charactersIn: ": ").union(.whitespacesAndNewlines)))
            case ICAL_X_PROPERTY:
                if name.uppercased() == "X-ALT-DESC", (parameter(p, "FMTTYPE") ?? "").lowercased() == "text/html" {
                    info.htmlDescription = v
                }
            default: break
            }
        }
        if info.end == nil, let s = startRaw, let d = durationValue, icaldurationtype_is_bad_duration(d) == 0 {
            var e = icaltime_add(s, d)
            e.zone = s.zone
            info.end = resolve(e, tzid: startTZID, root: root)
        }
        if case .unknown(let id)? = info.start?.zone {
            info.notes.append("time zone \(id) is not defined in the calendar and not known; times read as written")
        }
        return info
    }
}

/// Proleptic Gregorian civil dates without Foundation's calendars (no machine settings involved).
public enum Civil {
    public static func epoch(year: Int, month: Int, day: Int) -> Int64 {
        Int64(CivilDate.days(year: year, month: month, day: day)) * 86_400
    }

    /// (year, month, day, hour, minute, second, weekday 0 = Sunday) of an epoch second.
    public static func fields(_ epoch: Int64) -> (year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int, weekday: Int) {
        CivilDate.fields(epoch)
    }
}
