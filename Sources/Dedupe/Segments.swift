import DiscloseCore
import Foundation

/// The header a client writes above quoted history: an Outlook block, a forward block, or an
/// "On … wrote:" attribution.
public struct QuotedHeader: Equatable, Sendable {
    public enum Form: String, Sendable, Codable {
        /// `-----Original Message-----`, `----- Original message -----`
        case originalMessage = "original message"
        /// `-----Original Appointment-----` (with When:/Where:)
        case originalAppointment = "original appointment"
        /// `---------- Forwarded message ---------`
        case forwardedMessage = "forwarded message"
        /// Apple's `Begin forwarded message:`
        case beginForwarded = "begin forwarded message"
        /// `From:` `Sent:`/`Date:` `To:` `Subject:` with no separator line (newer Outlook, printed mail)
        case headerBlock = "header block"
        /// `On Tue, Mar 5, 2024 at 9:24 AM Jane Doe <j@x> wrote:`
        case attribution = "attribution"
    }

    public var form: Form
    public var fromName = ""
    public var fromAddress = ""
    /// `From: Delegate On Behalf Of Owner`: the owner (the delegate is `fromName`/`fromAddress`).
    public var onBehalfOf = ""
    /// The date as written.
    public var sentText = ""
    /// UTC (`2024-03-05T14:24:00Z`) when the written date carries a zone; otherwise empty.
    public var sentUTC = ""
    /// The wall-clock time as written (`2024-03-05T09:24:00`), whenever the date parsed.
    public var sentLocal = ""
    public var to = ""
    public var cc = ""
    public var subject = ""
    /// Appointment `When:` and `Where:`.
    public var when = ""
    public var location = ""

    /// Seconds since 1970 of `sentUTC` (nil without a zone) and of the wall clock read as if UTC.
    public var sentEpoch: Int64?
    public var localEpoch: Int64?

    public init(form: Form) { self.form = form }
}

/// One piece of an email body: the author's own text, or one quoted message.
public struct Segment: Equatable, Sendable {
    /// The segment's lines with quote markers stripped, header lines excluded.
    public var text: String
    /// The quoted header that opened this segment (nil for the author's own text and for
    /// quoted text that carries no header).
    public var header: QuotedHeader?
    /// `>` quoting depth of the segment's lines.
    public var depth: Int
    /// True for quoted history; false for the author's own text (the first segment, and text
    /// written between quotes in an inline reply).
    public var quoted: Bool
    /// `TextFold.fingerprint` of `text`; 0 when the text has no tokens.
    public var fingerprint: UInt64
    public var tokenCount: Int
}

/// Splits an email body at quoted header blocks and at changes of `>` depth (field guide §2:
/// threading compares emails segment by segment).
public enum Segments {
    public static func split(_ body: String) -> [Segment] {
        let lines = Line.split(body)
        var builders = [Builder(header: nil, depth: 0, quoted: false)]
        // After an Outlook-style block at depth 0 everything below is history even without '>'.
        var historyAtTop = false
        var i = 0
        while i < lines.count {
            let l = lines[i]
            if l.blank { builders[builders.count - 1].lines.append(""); i += 1; continue }
            if let (h, next) = HeaderParser.detect(lines, i) {
                builders[builders.count - 1].dropTrailingRule()
                if h.form != .attribution && l.depth == 0 { historyAtTop = true }
                builders.append(Builder(header: h, depth: nil, quoted: true))
                i = next
                continue
            }
            let last = builders.count - 1
            if builders[last].depth == nil {
                builders[last].depth = l.depth
            } else if builders[last].depth != l.depth {
                builders.append(Builder(header: nil, depth: l.depth, quoted: l.depth > 0 || historyAtTop))
            }
            builders[builders.count - 1].lines.append(l.content)
            i += 1
        }
        var out: [Segment] = []
        for (n, b) in builders.enumerated() {
            let text = b.text
            let hashes = TextFold.tokenHashes(text)
            if n > 0 && b.header == nil && hashes.isEmpty { continue }
            out.append(Segment(text: text, header: b.header, depth: b.depth ?? 0, quoted: b.quoted,
                               fingerprint: TextFold.fingerprint(tokenHashes: hashes), tokenCount: hashes.count))
        }
        return out
    }

    struct Builder {
        var header: QuotedHeader?
        var depth: Int?
        var quoted: Bool
        var lines: [Substring] = []

        init(header: QuotedHeader?, depth: Int?, quoted: Bool) {
            self.header = header; self.depth = depth; self.quoted = quoted
        }

        /// Newer Outlook draws a rule (`____…`) above the quoted header block; it is decoration.
        mutating func dropTrailingRule() {
            while let l = lines.last, l.isEmpty { lines.removeLast() }
            if let l = lines.last, Line.isRule(l) { lines.removeLast() }
        }

        var text: String {
            var a = lines.startIndex, b = lines.endIndex
            // Blank lines are stored empty.
            while a < b, lines[a].isEmpty { a += 1 }
            while b > a, lines[b - 1].isEmpty { b -= 1 }
            return lines[a..<b].joined(separator: "\n")
        }
    }
}

/// One body line with its `>` markers counted and removed.
struct Line {
    var depth: Int
    var content: Substring
    var trimmed: Substring
    var blank: Bool { trimmed.isEmpty }

    static func split(_ body: String) -> [Line] {
        var out: [Line] = []
        out.reserveCapacity(body.utf8.count / 40 + 1)
        // Splitting the UTF-8 view avoids grapheme breaking over the whole body.
        for raw in body.utf8.split(separator: 10, omittingEmptySubsequences: false) {
            out.append(Line(Substring(raw)))
        }
        return out
    }

    init(_ rawIn: Substring) {
        var raw = rawIn
        if raw.utf8.last == 13 { raw = raw.dropLast() }
        let u = raw.utf8
        var i = u.startIndex
        var depth = 0
        var contentStart = i
        while true {
            var j = i
            while j < u.endIndex, u[j] == 32 || u[j] == 9 { j = u.index(after: j) }
            if j < u.endIndex, u[j] == 62 {
                depth += 1
                i = u.index(after: j)
                contentStart = i
            } else { break }
        }
        if depth > 0, contentStart < u.endIndex, u[contentStart] == 32 { contentStart = u.index(after: contentStart) }
        self.depth = depth
        content = raw[contentStart...]
        trimmed = Line.trim(content)
    }

    /// ASCII whitespace and no-break spaces off both ends, on the UTF-8 view.
    static func trim(_ s: Substring) -> Substring {
        let u = s.utf8
        var a = u.startIndex, b = u.endIndex
        while a < b {
            let c = u[a]
            if c <= 32 { a = u.index(after: a); continue }
            if c == 0xC2, u.index(after: a) < b, u[u.index(after: a)] == 0xA0 { a = u.index(a, offsetBy: 2); continue }
            break
        }
        while b > a {
            let p = u.index(before: b)
            let c = u[p]
            if c <= 32 { b = p; continue }
            if c == 0xA0, p > a, u[u.index(before: p)] == 0xC2 { b = u.index(before: p); continue }
            break
        }
        return s[a..<b]
    }

    /// A line made only of `_`, `-`, `=` or `*` (at least 8).
    static func isRule<S: StringProtocol>(_ s: S) -> Bool {
        var n = 0
        for c in s.utf8 {
            if c == 95 || c == 45 || c == 61 || c == 42 { n += 1 } else if c == 32 || c == 9 { continue } else { return false }
        }
        return n >= 8
    }
}

/// Whitespace and the ASCII `extra` characters off both ends, on the UTF-8 view: Foundation's
/// trimming is slow on Linux and this runs on every quoted header.
func trim<S: StringProtocol>(_ s: S, _ extra: StaticString = "") -> Substring {
    let sub = Substring(s)
    let ex = UnsafeBufferPointer(start: extra.utf8Start, count: extra.utf8CodeUnitCount)
    func strip(_ c: UInt8) -> Bool { c <= 32 || ex.contains(c) }
    let t = Line.trim(sub)
    let u = t.utf8
    var a = u.startIndex, b = u.endIndex
    while a < b, strip(u[a]) { a = u.index(after: a) }
    while b > a, strip(u[u.index(before: b)]) { b = u.index(before: b) }
    return t[a..<b]
}

/// ASCII-case-insensitive search for an ASCII needle, on the UTF-8 view.
func findASCII(_ hay: String, _ needle: StaticString) -> Range<String.Index>? {
    let n = UnsafeBufferPointer(start: needle.utf8Start, count: needle.utf8CodeUnitCount)
    let u = hay.utf8
    guard n.count > 0, u.count >= n.count else { return nil }
    var i = u.startIndex
    let last = u.index(u.endIndex, offsetBy: -n.count)
    while i <= last {
        var j = i, k = 0
        while k < n.count {
            var c = u[j]
            if c >= 65 && c <= 90 { c |= 0x20 }
            if c != n[k] { break }
            j = u.index(after: j); k += 1
        }
        if k == n.count { return i..<j }
        i = u.index(after: i)
    }
    return nil
}

/// Recognises quoted header blocks and parses their fields.
enum HeaderParser {
    enum Field { case from, sent, date, to, cc, bcc, subject, when, location, other }

    /// Labels as Outlook and other clients write them, in the languages seen most in US
    /// government and litigation collections.
    static let labels: [String: Field] = [
        "from": .from, "von": .from, "de": .from, "van": .from, "da": .from,
        "sent": .sent, "gesendet": .sent, "envoyé": .sent, "enviado": .sent, "verzonden": .sent, "inviato": .sent,
        "date": .date, "datum": .date, "fecha": .date, "data": .date,
        "to": .to, "an": .to, "à": .to, "para": .to, "aan": .to,
        "cc": .cc, "kopie": .cc,
        "bcc": .bcc,
        "subject": .subject, "betreff": .subject, "objet": .subject, "asunto": .subject, "onderwerp": .subject, "oggetto": .subject,
        "when": .when, "where": .location,
        "importance": .other, "attachments": .other, "reply-to": .other, "sender": .other, "sensitivity": .other,
        "categories": .other, "priority": .other,
    ]

    /// `Label: value` when the label is a known header label; `*From:*` (bold made text) too.
    static func labelLine(_ t: Substring) -> (Field, Substring)? {
        guard let colon = t.utf8.prefix(20).firstIndex(where: { $0 == 58 }) else { return nil }
        let labelPart = t[t.startIndex..<colon]
        guard labelPart.utf8.count <= 16, !labelPart.isEmpty else { return nil }
        guard let f = labels[trim(labelPart, "*").lowercased()] else { return nil }
        var value = t[t.index(after: colon)...]
        while let c = value.first, c == "*" || c == " " || c == "\t" { value = value.dropFirst() }
        return (f, value)
    }

    static func detect(_ lines: [Line], _ i: Int) -> (QuotedHeader, Int)? {
        let l = lines[i]
        guard let first = l.trimmed.utf8.first else { return nil }
        // Cheap filter: every form starts with one of these bytes.
        switch first {
        case 45, 95, 61, 42: // - _ = *
            if let form = separatorForm(l.trimmed) {
                return parseFields(lines, i + 1, depth: l.depth, form: form, leadingBlankOK: true)
            }
            if first == 42, let (f, _) = labelLine(l.trimmed), f == .from { return block(lines, i) }
            return nil
        case 66, 98, 65, 68:  // B b A D: Begin forwarded / Anfang / Début
            if l.trimmed.utf8.last == 58, let form = separatorForm(l.trimmed) {
                return parseFields(lines, i + 1, depth: l.depth, form: form, leadingBlankOK: true)
            }
            if let a = attribution(lines, i) { return a }
            if let (f, _) = labelLine(l.trimmed), f == .from { return block(lines, i) }
            return nil
        default:
            if let a = attribution(lines, i) { return a }
            if let (f, _) = labelLine(l.trimmed), f == .from { return block(lines, i) }
            return nil
        }
    }

    /// A bare `From:` block counts only when it looks like a header: a date and a recipient
    /// or subject follow, so a body line "From: the budget office" is left alone.
    static func block(_ lines: [Line], _ i: Int) -> (QuotedHeader, Int)? {
        let (h, next, fields) = parseFieldList(lines, i, depth: lines[i].depth, form: .headerBlock, leadingBlankOK: false)
        let has = Set(fields.map { "\($0)" })
        guard has.contains("from"), has.contains("sent") || has.contains("date"),
              has.contains("to") || has.contains("subject") else { return nil }
        return (h, next)
    }

    static func separatorForm(_ t: Substring) -> QuotedHeader.Form? {
        let lower = t.lowercased()
        switch lower {
        case "begin forwarded message:", "anfang der weitergeleiteten nachricht:", "début du message réexpédié :",
             "début du message réexpédié:", "inicio del mensaje reenviado:":
            return .beginForwarded
        default: break
        }
        guard let f = lower.first, "-_=*".contains(f) else { return nil }
        let lead = lower.prefix { "-_=* ".contains($0) }
        guard lead.filter({ $0 != " " }).count >= 2 else { return nil }
        switch String(trim(lower, "-_=*")) {
        case "original message", "original message follows", "ursprüngliche nachricht", "message d'origine",
             "mensaje original", "oorspronkelijk bericht", "messaggio originale", "original":
            return .originalMessage
        case "original appointment":
            return .originalAppointment
        case "forwarded message", "forwarded message follows", "weitergeleitete nachricht", "message transféré",
             "mensaje reenviado", "doorgestuurd bericht", "messaggio inoltrato":
            return .forwardedMessage
        default:
            return nil
        }
    }

    static func parseFields(_ lines: [Line], _ j: Int, depth: Int, form: QuotedHeader.Form,
                            leadingBlankOK: Bool) -> (QuotedHeader, Int) {
        let (h, next, _) = parseFieldList(lines, j, depth: depth, form: form, leadingBlankOK: leadingBlankOK)
        return (h, next)
    }

    /// Fields from line `j` on: `Label: value`, or the label alone on its line with the value on
    /// the next (Outlook's printed and some HTML-to-text forms). Ends after the blank line that
    /// closes the block, or at the first line that is neither a field nor a value.
    static func parseFieldList(_ lines: [Line], _ j: Int, depth: Int, form: QuotedHeader.Form,
                               leadingBlankOK: Bool) -> (QuotedHeader, Int, [Field]) {
        var fields: [(Field, String)] = []
        var pending = false
        var ownLine = false
        var k = j
        var blanksBefore = 0
        while k < lines.count {
            let l = lines[k]
            if l.blank {
                if fields.isEmpty {
                    guard leadingBlankOK, blanksBefore < 2 else { break }
                    blanksBefore += 1
                    k += 1
                    continue
                }
                if pending { k += 1; continue }
                k += 1
                break
            }
            if l.depth != depth { break }
            if let (f, v) = labelLine(l.trimmed) {
                // A block whose first label has no value puts every value on the next line;
                // in an inline block an empty value (no Cc, no subject) is just empty.
                if fields.isEmpty { ownLine = v.isEmpty }
                fields.append((f, String(v)))
                pending = v.isEmpty && ownLine
                k += 1
                continue
            }
            if pending, !fields.isEmpty {
                fields[fields.count - 1].1 = String(l.trimmed)
                pending = false
                k += 1
                continue
            }
            if let last = fields.last, [.to, .cc, .bcc].contains(last.0), last.1.hasSuffix(";") || last.1.hasSuffix(",") {
                fields[fields.count - 1].1 += " " + l.trimmed
                k += 1
                continue
            }
            break
        }
        if fields.isEmpty { k = j }
        var h = QuotedHeader(form: form)
        for (f, v) in fields {
            switch f {
            case .from:
                let p = PersonText.parseFrom(v)
                h.fromName = p.name; h.fromAddress = p.address; h.onBehalfOf = p.onBehalfOf
            case .sent, .date:
                if h.sentText.isEmpty { setDate(&h, v) }
            case .to: h.to = v
            case .cc: h.cc = v
            case .subject: h.subject = v
            case .when: h.when = v
            case .location: h.location = v
            case .bcc, .other: break
            }
        }
        return (h, k, fields.map(\.0))
    }

    static func setDate(_ h: inout QuotedHeader, _ text: String) {
        h.sentText = text
        guard let d = LooseDate.parse(text) else { return }
        h.localEpoch = d.local
        h.sentLocal = LooseDate.iso(d.local, zone: false)
        if let off = d.offset {
            h.sentEpoch = d.local - Int64(off)
            h.sentUTC = LooseDate.iso(d.local - Int64(off), zone: true)
        }
    }

    // MARK: attributions

    static let attributionStarts = ["On ", "on ", "Le ", "Am ", "El ", "Il ", "Op "]

    static func endsAttribution(_ t: Substring) -> Bool {
        let lower = t.lowercased()
        return lower.hasSuffix("wrote:") || lower.hasSuffix("a écrit :") || lower.hasSuffix("a écrit:")
            || lower.hasSuffix("escribió:") || lower.hasSuffix("schrieb:") || lower.hasSuffix("ha scritto:")
            || lower.hasSuffix("schreef:") || (lower.contains(" schrieb ") && lower.hasSuffix(":"))
    }

    /// `On <date>, <name> <address> wrote:`, on one line or wrapped onto a second.
    static func attribution(_ lines: [Line], _ i: Int) -> (QuotedHeader, Int)? {
        let t = lines[i].trimmed
        // Cheap test first: every opening word is two letters and a space.
        let u = t.utf8
        guard u.count > 3, u.count < 400, u[u.index(u.startIndex, offsetBy: 2)] == 32,
              attributionStarts.contains(where: { t.hasPrefix($0) }) else { return nil }
        var text = String(t)
        var next = i + 1
        if !endsAttribution(t) {
            guard i + 1 < lines.count, lines[i + 1].depth == lines[i].depth, !lines[i + 1].blank,
                  lines[i + 1].trimmed.utf8.count < 160, endsAttribution(lines[i + 1].trimmed) else { return nil }
            text += " " + lines[i + 1].trimmed
            next = i + 2
        }
        var h = QuotedHeader(form: .attribution)
        // Drop the opening word and the closing verb.
        var body = Substring(text)
        body = body.drop { $0 != " " }.dropFirst()
        for suffix in ["wrote:", "a écrit :", "a écrit:", "escribió:", "schrieb:", "ha scritto:", "schreef:", ":"] {
            if body.lowercased().hasSuffix(suffix) { body = body.dropLast(suffix.count); break }
        }
        var s = String(trim(body))
        // German puts the verb before the name: "Am 20.02.2024 um 09:05 schrieb Jane Doe <j@x>".
        if let r = s.range(of: " schrieb ") { s = String(s[..<r.lowerBound]) + ", " + String(s[r.upperBound...]) }
        let (date, who) = splitDateAndName(s)
        let p = PersonText.parseFrom(who)
        h.fromName = p.name
        h.fromAddress = p.address
        if !date.isEmpty { setDate(&h, date) }
        return (h, next)
    }

    /// Splits "Tue, Mar 5, 2024 at 9:24 AM Jane Doe <j@x>" after the time (and its AM/PM and
    /// zone), which is the one landmark every client's attribution has.
    static func splitDateAndName(_ s: String) -> (String, String) {
        let words = s.split(separator: " ", omittingEmptySubsequences: true)
        guard let t = words.firstIndex(where: { LooseDate.isTimeWord($0) }) else {
            // No time: a trailing "<address>" or the part after the last comma is the person.
            if let lt = s.lastIndex(of: "<"), s.contains("@") {
                let before = trim(s[..<lt])
                if let comma = before.lastIndex(of: ",") {
                    return (String(before[..<comma]), String(trim(s[before.index(after: comma)...])))
                }
                return ("", s)
            }
            return (s, "")
        }
        var end = t
        var k = t + 1
        while k < words.count {
            let w = String(trim(words[k], ",()"))
            if LooseDate.isMeridiem(w) || LooseDate.zoneOffset(w) != nil { end = k; k += 1; continue }
            break
        }
        let date = words[...end].joined(separator: " ")
        var who = words[(end + 1)...].joined(separator: " ")
        while who.hasPrefix(",") || who.hasPrefix(" ") { who.removeFirst() }
        return (String(trim(date, ",")), String(trim(who, ",")))
    }
}

/// Names and addresses as quoted headers write them.
public enum PersonText {
    public struct Parsed: Equatable, Sendable {
        public var name = ""
        public var address = ""
        public var onBehalfOf = ""
    }

    /// `Doe, Jane <jdoe@x>`, `"Doe, Jane" <jdoe@x>`, `Jane Doe [mailto:jdoe@x]`, `jdoe@x`,
    /// `Doe, Jane`, and `Delegate <d@x> On Behalf Of Owner`.
    public static func parseFrom(_ v: String) -> Parsed {
        var p = Parsed()
        var s = String(trim(v))
        if s.utf8.count > 14, let r = findASCII(s, " on behalf of ") {
            p.onBehalfOf = clean(String(s[r.upperBound...]))
            s = String(s[..<r.lowerBound])
        }
        let (name, address) = person(s)
        p.name = name
        p.address = address
        if p.onBehalfOf.contains("<") { p.onBehalfOf = person(p.onBehalfOf).0 }
        return p
    }

    public static func person(_ sIn: String) -> (String, String) {
        let s = String(trim(sIn))
        if let lt = s.lastIndex(of: "<"), let gt = s.lastIndex(of: ">"), lt < gt {
            var addr = String(trim(s[s.index(after: lt)..<gt]))
            if addr.lowercased().hasPrefix("mailto:") { addr = String(addr.dropFirst(7)) }
            if addr.contains("@") { return (clean(String(s[..<lt])), addr.lowercased()) }
        }
        if let r = findASCII(s, "[mailto:"), let close = s[r.upperBound...].firstIndex(of: "]") {
            return (clean(String(s[..<r.lowerBound])), String(s[r.upperBound..<close]).lowercased())
        }
        if s.contains("@"), !s.contains(" ") { return ("", clean(s).lowercased()) }
        return (clean(s), "")
    }

    static func clean(_ s: String) -> String {
        var t = trim(s)
        while let f = t.first, f == "\"" || f == "'" { t = t.dropFirst() }
        while let l = t.last, l == "\"" || l == "'" || l == "," { t = t.dropLast() }
        return String(trim(t))
    }
}

/// Dates as mail clients print them in quoted headers: Outlook's "Tuesday, March 5, 2024 9:24 AM",
/// iOS's "Tuesday, January 4, 2022 at 9:24 AM", Gmail's "Tue, Mar 5, 2024 at 9:24 AM", Apple's
/// "Mar 5, 2024, at 9:24 AM" and "March 5, 2024 at 9:24:00 AM PST", Thunderbird's "3/5/24 9:24 AM",
/// RFC 5322, ISO 8601, and Outlook's "(UTC-05:00) Eastern Time" suffix. Numeric day/month order
/// is US unless the first number cannot be a month.
public enum LooseDate {
    /// `local`: the wall clock as seconds since 1970 read as UTC; `offset`: seconds east of UTC
    /// when the text names a zone.
    public static func parse(_ text: String) -> (local: Int64, offset: Int?)? {
        var year: Int?, month: Int?, day: Int?
        var hour: Int?, minute = 0, second = 0
        var meridiem: Int? = nil  // 0 am, 12 pm
        var offset: Int? = nil
        var numbers: [Int] = []
        for wordSub in text.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "," || $0 == "(" || $0 == ")" }) {
            var w = wordSub.lowercased()
            if w.hasSuffix(".") && !w.contains(":") { w.removeLast() }
            if w.isEmpty || w == "at" || w == "um" || w == "à" || w == "a" || w == "de" || w == "del" { continue }
            // ISO 8601 "2024-03-05T14:24:00Z"
            if w.count >= 10, w.contains("t"), let tIdx = w.firstIndex(of: "t"),
               let (y, mo, d) = ymd(String(w[..<tIdx])) {
                year = y; month = mo; day = d
                var rest = String(w[w.index(after: tIdx)...])
                if rest.hasSuffix("z") { rest.removeLast(); offset = 0 }
                if let zi = rest.lastIndex(where: { $0 == "+" || $0 == "-" }) {
                    offset = zoneOffset(String(rest[zi...])); rest = String(rest[..<zi])
                }
                if let t = time(rest) { hour = t.0; minute = t.1; second = t.2 }
                continue
            }
            if let m = monthNumber(w) { month = m; continue }
            if weekdays.contains(where: { w.hasPrefix($0) && w.count <= 9 && w.allSatisfy(\.isLetter) }) { continue }
            if let mer = meridiemValue(w) { meridiem = mer; continue }
            if hour == nil, let t = time(w) {
                hour = t.0; minute = t.1; second = t.2
                if let mer = t.3 { meridiem = mer }
                continue
            }
            if let (y, mo, d) = ymd(w) { year = y; month = mo; day = d; continue }
            if let (mo, d, y) = slashDate(w) { month = mo; day = d; year = y; continue }
            if hour != nil || w.hasPrefix("+") || w.hasPrefix("-") || w.hasPrefix("utc") || w.hasPrefix("gmt") || w == "z",
               let z = zoneOffset(w) { offset = z; continue }
            var digits = w
            for suf in ["st", "nd", "rd", "th", "er"] where digits.hasSuffix(suf) && digits.count > suf.count {
                if digits.dropLast(suf.count).allSatisfy(\.isNumber) { digits = String(digits.dropLast(suf.count)) }
            }
            if let n = Int(digits), digits.allSatisfy(\.isNumber) { numbers.append(n); continue }
        }
        if month != nil && (day == nil || year == nil) {
            for n in numbers {
                if n > 31 || (day != nil && year == nil) { if year == nil { year = n } } else if day == nil { day = n }
            }
        }
        guard var y = year, let mo = month, let d = day, var h = hour else { return nil }
        if y < 100 { y += y < 70 ? 2000 : 1900 }
        if let mer = meridiem {
            guard (1...12).contains(h) else { return nil }
            h = h % 12 + mer
        }
        guard (1970...2200).contains(y), (1...12).contains(mo), (1...31).contains(d), (0...23).contains(h),
              (0...59).contains(minute), (0...60).contains(second) else { return nil }
        let days = daysFromCivil(y, mo, d)
        let local = Int64(days) * 86_400 + Int64(h * 3600 + minute * 60 + min(second, 59))
        return (local, offset)
    }

    /// `2024-03-05T14:24:00Z` (zone) or `2024-03-05T09:24:00` (wall clock).
    public static func iso(_ epoch: Int64, zone: Bool) -> String {
        var days = Int(epoch / 86_400)
        var secs = Int(epoch % 86_400)
        if secs < 0 { secs += 86_400; days -= 1 }
        let (y, m, d) = civilFromDays(days)
        func pad(_ v: Int, _ w: Int) -> String {
            let t = String(v)
            return t.count >= w ? t : String(repeating: "0", count: w - t.count) + t
        }
        let s = "\(pad(y, 4))-\(pad(m, 2))-\(pad(d, 2))T\(pad(secs / 3600, 2)):\(pad(secs / 60 % 60, 2)):\(pad(secs % 60, 2))"
        return zone ? s + "Z" : s
    }

    /// `2024-03-05T14:24:00Z` → seconds since 1970; nil when not that form.
    public static func epoch(iso s: String) -> Int64? {
        let u = Array(s.utf8)
        guard u.count >= 19 else { return nil }
        func num(_ a: Int, _ b: Int) -> Int? {
            var v = 0
            for i in a..<b { guard u[i] >= 48 && u[i] <= 57 else { return nil }; v = v * 10 + Int(u[i] - 48) }
            return v
        }
        guard let y = num(0, 4), let mo = num(5, 7), let d = num(8, 10), let h = num(11, 13), let mi = num(14, 16),
              let se = num(17, 19) else { return nil }
        var off = 0
        if u.count >= 25, u[19] == 43 || u[19] == 45, let oh = num(20, 22), let om = num(23, 25) {
            off = (oh * 3600 + om * 60) * (u[19] == 45 ? -1 : 1)
        }
        return Int64(daysFromCivil(y, mo, d)) * 86_400 + Int64(h * 3600 + mi * 60 + se) - Int64(off)
    }

    /// `+09:00`, `-0500`, `Z` → seconds east of UTC.
    public static func offsetSeconds(_ s: String) -> Int { zoneOffset(s.lowercased()) ?? 0 }

    static let weekdays = ["mon", "tue", "wed", "thu", "fri", "sat", "sun", "lun", "mar", "mer", "jeu", "ven", "sam",
                           "dim", "mo", "di", "mi", "do", "fr", "sa", "so"]

    static let monthNames: [String: Int] = {
        var m: [String: Int] = [:]
        let en = ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
                  "november", "december"]
        for (i, n) in en.enumerated() { m[n] = i + 1; m[String(n.prefix(3))] = i + 1 }
        m["sept"] = 9
        let fr = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
                  "novembre", "décembre"]
        let de = ["januar", "februar", "märz", "april", "mai", "juni", "juli", "august", "september", "oktober",
                  "november", "dezember"]
        let es = ["enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre", "octubre",
                  "noviembre", "diciembre"]
        for list in [fr, de, es] { for (i, n) in list.enumerated() where m[n] == nil { m[n] = i + 1 } }
        m["mär"] = 3; m["okt"] = 10; m["dez"] = 12
        return m
    }()

    static func monthNumber(_ w: String) -> Int? { monthNames[w] }

    static func meridiemValue(_ w: String) -> Int? {
        switch w {
        case "am", "a.m", "a.m.": return 0
        case "pm", "p.m", "p.m.": return 12
        default: return nil
        }
    }

    static func isMeridiem(_ w: String) -> Bool { meridiemValue(w.lowercased()) != nil }

    /// `9:24`, `09:24:00`, `9:24am`, `21:05:00.123`.
    static func time(_ wIn: String) -> (Int, Int, Int, Int?)? {
        var w = Substring(wIn)
        var mer: Int? = nil
        if w.hasSuffix("am") { mer = 0; w = w.dropLast(2) } else if w.hasSuffix("pm") { mer = 12; w = w.dropLast(2) }
        let parts = w.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2 || parts.count == 3 else { return nil }
        guard let h = Int(parts[0]), parts[0].count <= 2, parts[1].count == 2, let m = Int(parts[1]) else { return nil }
        var s = 0
        if parts.count == 3 {
            let sp = parts[2].split(separator: ".").first ?? ""
            guard sp.count == 2, let v = Int(sp) else { return nil }
            s = v
        }
        return (h, m, s, mer)
    }

    static func isTimeWord<S: StringProtocol>(_ w: S) -> Bool {
        guard w.contains(":") else { return false }
        return time(trim(w, ",()").lowercased()) != nil
    }

    static func ymd(_ w: String) -> (Int, Int, Int)? {
        let p = w.split(separator: "-")
        guard p.count == 3, p[0].count == 4, let y = Int(p[0]), let m = Int(p[1]), let d = Int(p[2]) else { return nil }
        return (y, m, d)
    }

    /// `3/5/24`, `03/05/2024` (month first unless the first part cannot be a month) and
    /// `05.03.2024` (day first: dotted dates are European).
    static func slashDate(_ w: String) -> (Int, Int, Int)? {
        for sep: Character in ["/", "."] {
            let p = w.split(separator: sep, omittingEmptySubsequences: false)
            guard p.count == 3, let a = Int(p[0]), let b = Int(p[1]), let c = Int(p[2]),
                  p[2].count == 2 || p[2].count == 4 else { continue }
            // Normalised to (month, day, year).
            if sep == "." || a > 12 { return (b, a, c) }
            return (a, b, c)
        }
        return nil
    }

    static let zoneNames: [String: Int] = [
        "utc": 0, "gmt": 0, "ut": 0, "z": 0, "wet": 0,
        "est": -5, "edt": -4, "cst": -6, "cdt": -5, "mst": -7, "mdt": -6, "pst": -8, "pdt": -7,
        "akst": -9, "akdt": -8, "hst": -10, "ast": -4, "adt": -3, "nst": -3, "ndt": -2,
        "bst": 1, "cet": 1, "cest": 2, "met": 1, "mest": 2, "eet": 2, "eest": 3, "west": 1, "msk": 3,
        "ist": 5, "jst": 9, "kst": 9, "sgt": 8, "hkt": 8, "awst": 8, "acst": 9, "aest": 10, "aedt": 11,
        "nzst": 12, "nzdt": 13,
    ]

    /// `+0900`, `-05:00`, `UTC-8`, `GMT+01:00`, `PST`, `Z` → seconds east of UTC.
    static func zoneOffset(_ wIn: String) -> Int? {
        let w = wIn.lowercased()
        if w == "ist" { return 19_800 }
        if let h = zoneNames[w] { return h * 3600 }
        var rest = Substring(w)
        for p in ["utc", "gmt"] where rest.hasPrefix(p) { rest = rest.dropFirst(p.count) }
        guard let sign = rest.first, sign == "+" || sign == "-" else { return nil }
        let digits = rest.dropFirst().filter { $0 != ":" }
        guard !digits.isEmpty, digits.count <= 4, digits.allSatisfy(\.isNumber), let v = Int(digits) else { return nil }
        let secs = digits.count <= 2 ? v * 3600 : (v / 100) * 3600 + (v % 100) * 60
        guard secs <= 14 * 3600 else { return nil }
        return sign == "-" ? -secs : secs
    }

    /// Days since 1970-01-01 (Howard Hinnant's algorithm): no Calendar, no locale, no allocation.
    public static func daysFromCivil(_ y0: Int, _ m: Int, _ d: Int) -> Int { CivilDate.days(year: y0, month: m, day: d) }

    static func civilFromDays(_ z0: Int) -> (Int, Int, Int) { let c = CivilDate.civil(days: z0); return (c.year, c.month, c.day) }
}
