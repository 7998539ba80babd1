import DiscloseCore
import Foundation
import PopplerKit

/// Text of emails as printed from Outlook (field guide §1: prior productions, "print to text",
/// the text layer of a printed PDF). Each printed email becomes a synthesized RFC 5322 message
/// dispatched as a child, so it threads and dedupes like native mail. The file itself is walked
/// through like a mailbox, not produced.
public struct PrintedMailReader: Reader {
    public let name = "printed mail"
    public let mediaTypes = ["text/x-printed-mail"]
    /// Printed mail is text; anything bigger is not read into memory.
    public let maxBytes: Int64 = 256 << 20
    public init() {}

    public func confidence(_ input: inout Input) -> Int {
        if input.isDirectory { return 0 }
        let head = input.head
        if head.starts(with: Array("%PDF-".utf8)) {
            // A prior production printed to PDF: its text layer, first page, decides.
            guard let data = try? input.bytes(), let t = try? PDF.text(data, maxPages: 1),
                  let first = t.pages.first else { return 0 }
            return PrintedMail.looksPrinted(first) ? 95 : 0
        }
        guard !head.isEmpty, Sniff.looksLikeText(head) else { return 0 }
        return PrintedMail.looksPrinted(PrintedMail.decodeHead(head)) ? 95 : 0
    }

    public func read(_ input: inout Input, _ context: ExtractContext) throws {
        let size = (try? FileManager.default.attributesOfItem(atPath: input.url.path)[.size] as? Int64) ?? 0
        guard size <= maxBytes else { throw ReadFailure("printed mail of \(size) bytes is over the \(maxBytes)-byte limit") }
        let data: Data
        do { data = try Data(contentsOf: input.url) } catch { throw ReadFailure("cannot read: \(error.localizedDescription)") }
        let text: String
        if data.starts(with: Array("%PDF-".utf8)) {
            do { text = try PDF.text(data).pages.joined(separator: "\u{0C}\n") } catch { throw ReadFailure("PDF text layer unreadable: \(error)") }
        } else {
            text = TextDecoding.decode(data)
        }
        let records = PrintedMail.split(text)
        guard !records.isEmpty else { throw ReadFailure("no printed email header (From:/Sent:) found") }
        let folder = input.folder.isEmpty ? PathName.deletingExtension(input.name) : input.folder
        for (i, r) in records.enumerated() {
            let n = i + 1
            let d = try context.storeBlob(PrintedMail.message(r))
            let child = Input(url: context.blobs.url(for: d.sha256), name: "printed-\(n).eml",
                              path: input.path + "!/printed message \(n)", key: DocKey.child(of: input.key, n),
                              parentKey: input.parentKey, folder: folder, digests: d, isDirectory: false,
                              declaredType: "message/rfc822", depth: input.depth + 1)
            try context.dispatch(child)
        }
    }
}

/// Parsing of printed mail as a function of a String, so the text layer of a printed PDF can
/// reuse it.
public enum PrintedMail {
    /// One printed email: header values as printed, and the body (quoted history included).
    public struct Record: Equatable, Sendable {
        public var from = ""
        public var sent = ""
        public var to = ""
        public var cc = ""
        public var bcc = ""
        public var subject = ""
        public var importance = ""
        public var attachments = ""
        public var body = ""
        public init() {}
    }

    enum Label: String { case from, sent, date, to, cc, bcc, subject, importance, attachments, other }

    /// Labels an Outlook printout has; anything else RFC-shaped (Received, Message-ID,
    /// MIME-Version, X-…) means the text is a real message header, which EmailReader reads.
    static let labels: [String: Label] = [
        "from": .from, "sent": .sent, "date": .date, "to": .to, "cc": .cc, "bcc": .bcc, "subject": .subject,
        "importance": .importance, "attachments": .attachments, "sensitivity": .other, "categories": .other,
        "when": .other, "where": .other, "follow up flag": .other, "flag status": .other, "priority": .other,
        "recurrence": .other, "recurrence pattern": .other, "required attendees": .other, "optional attendees": .other,
    ]

    static func decodeHead(_ head: [UInt8]) -> String {
        // A 4 KiB window may end inside a UTF-8 sequence; cut back to the last whole line.
        var h = head
        if h.count >= 4096, let nl = h.lastIndex(of: 0x0A) { h = Array(h[...nl]) }
        return TextDecoding.decode(Data(h))
    }

    struct Line {
        var text: Substring
        var trimmed: Substring
        var formFeed: Bool
    }

    static func lines(_ s: String) -> [Line] {
        s.split(separator: "\n", omittingEmptySubsequences: false).map { raw in
            var t = raw
            if t.last == "\r" { t = t.dropLast() }
            let ff = t.contains("\u{0C}")
            let clean = ff ? Substring(t.replacingOccurrences(of: "\u{0C}", with: "")) : t
            return Line(text: clean, trimmed: trim(clean), formFeed: ff)
        }
    }

    static func trim(_ s: Substring) -> Substring {
        var a = s.startIndex, b = s.endIndex
        while a < b, s[a].isWhitespace { a = s.index(after: a) }
        while b > a, s[s.index(before: b)].isWhitespace { b = s.index(before: b) }
        return s[a..<b]
    }

    /// `Label: value` for a printed label; `.other` with the name for any RFC-shaped field.
    static func field(_ t: Substring) -> (Label, String, Substring)? {
        guard let colon = t.firstIndex(of: ":") else { return nil }
        let name = t[..<colon]
        guard !name.isEmpty, name.count <= 40 else { return nil }
        let lower = name.lowercased().trimmingCharacters(in: .whitespaces)
        let value = trim(t[t.index(after: colon)...])
        if let l = labels[lower] { return (l, lower, value) }
        // RFC 5322 field names are printable ASCII without spaces.
        if name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }) {
            return (.other, lower, value)
        }
        return nil
    }

    static func isRule(_ t: Substring) -> Bool {
        t.count >= 8 && t.allSatisfy { "_-=*~".contains($0) } && Set(t).count == 1
    }

    static func isMessageLine(_ t: Substring) -> Bool { t == "Message" || t == "MESSAGE" }

    /// The header block starting at line `i`: labels inline (`From: x`) or on their own line
    /// with the value on the next. Returns the fields, the index of the first body line, and
    /// whether every field is a printed label.
    static func headerBlock(_ ls: [Line], _ i: Int) -> (fields: [(Label, String, String)], next: Int, printedOnly: Bool) {
        var fields: [(Label, String, String)] = []
        var pending = false
        var ownLine = false
        var printedOnly = true
        var k = i
        while k < ls.count {
            let t = ls[k].trimmed
            if t.isEmpty {
                if pending { k += 1; continue }
                if !fields.isEmpty { k += 1 }
                break
            }
            if k > i, ls[k].formFeed, !pending { break }
            let f = field(t)
            if pending {
                // An empty field followed by the next label (`Cc:` then `Subject:`) stays empty.
                if let (l, name, v) = f, labels[name] != nil {
                    fields.append((l, name, String(v)))
                    pending = v.isEmpty
                } else {
                    fields[fields.count - 1].2 = String(t)
                    pending = false
                }
                k += 1
                continue
            }
            if let (l, name, v) = f {
                if labels[name] == nil {
                    guard rfcOnly.contains(name) || name.hasPrefix("x-") || name.hasPrefix("arc-") else { break }
                    printedOnly = false
                }
                // Labels on their own line (the first one has no value) put every value on the
                // next line; in an inline block an empty value (no Cc) is just empty.
                if fields.isEmpty { ownLine = v.isEmpty }
                fields.append((l, name, String(v)))
                pending = v.isEmpty && ownLine
                k += 1
                continue
            }
            if let last = fields.last, [.to, .cc, .bcc].contains(last.0), last.2.hasSuffix(";") || last.2.hasSuffix(",") {
                fields[fields.count - 1].2 += " " + t
                k += 1
                continue
            }
            break
        }
        return (fields, k, printedOnly)
    }

    /// Fields only a real message header has: their presence means EmailReader's input.
    static let rfcOnly: Set<String> = [
        "message-id", "received", "mime-version", "return-path", "content-type", "content-transfer-encoding",
        "delivered-to", "dkim-signature", "in-reply-to", "references", "user-agent", "authentication-results",
        "thread-index", "thread-topic", "reply-to", "sender", "list-id", "precedence", "envelope-to",
    ]

    /// From and Sent (or an Outlook-style Date) with nothing RFC-only among the fields.
    static func isPrintedHeader(_ fields: [(Label, String, String)], printedOnly: Bool, strongPreamble: Bool) -> Bool {
        guard printedOnly, fields.first?.0 == .from else { return false }
        let names = Set(fields.map(\.0))
        if names.contains(.sent) { return true }
        // "Date:" is also an RFC 5322 header (and Apple Mail writes "16 May 2016 at 09:30:32
        // GMT+1" in real ones); count it as printed only under Outlook's "Message" line or a
        // rule, or in a client's display form: 12-hour clock, no zone.
        guard names.contains(.date), names.contains(.to) || names.contains(.subject) else { return false }
        if strongPreamble { return true }
        let lower = fields.first { $0.0 == .date }!.2.lowercased()
        let zoned = lower.range(of: #"([+-]\d{1,2}:?\d{2}|\b(gmt|utc|ut|z|[pmce][sd]t|akst|akdt|hst|bst|cet|cest|eet|eest|jst|ist|aest|aedt)\b)"#, options: .regularExpression) != nil
        return !zoned && (lower.hasSuffix(" am") || lower.hasSuffix(" pm"))
    }

    /// Where the first printed header starts, skipping the preamble Outlook prints above it:
    /// blank lines, a `Message` line, the printing user's name over a rule, rule lines.
    static func firstHeader(_ ls: [Line]) -> (index: Int, preamble: [Substring], strong: Bool)? {
        var i = 0
        var preamble: [Substring] = []
        var strong = false
        while i < ls.count, preamble.count <= 3 {
            let t = ls[i].trimmed
            if t.isEmpty { i += 1; continue }
            if let (l, _, _) = field(t), l == .from { return (i, preamble, strong) }
            if isMessageLine(t) || isRule(t) { strong = true; preamble.append(t); i += 1; continue }
            // One short line (the printing user's name) directly over a rule.
            if preamble.isEmpty, t.count <= 80, let n = nextNonBlank(ls, i + 1), isRule(ls[n].trimmed) {
                preamble.append(t); i += 1; continue
            }
            return nil
        }
        return nil
    }

    static func nextNonBlank(_ ls: [Line], _ i: Int) -> Int? {
        var k = i
        while k < ls.count {
            if !ls[k].trimmed.isEmpty { return k }
            k += 1
        }
        return nil
    }

    /// Whether the text starts like an Outlook printout (the reader's confidence test).
    public static func looksPrinted(_ text: String) -> Bool {
        let ls = lines(text)
        guard let (i, _, strong) = firstHeader(ls) else { return false }
        let (fields, _, printedOnly) = headerBlock(ls, i)
        return isPrintedHeader(fields, printedOnly: printedOnly, strongPreamble: strong)
    }

    /// Every printed email in the text, in order. A new email starts at a printed header block
    /// after a page break, after a `Message` line, after a rule of dashes, equals signs or
    /// asterisks, or after the same preamble the first email had. An underscore rule alone does
    /// not start one: newer Outlook puts that rule above the quoted history inside a body.
    public static func split(_ text: String) -> [Record] {
        let ls = lines(text)
        guard let (first, preamble, strong) = firstHeader(ls) else { return [] }
        var starts: [(header: Int, cut: Int)] = []
        let (f0, _, p0) = headerBlock(ls, first)
        guard isPrintedHeader(f0, printedOnly: p0, strongPreamble: strong) else { return [] }
        starts.append((first, first))
        var i = first
        while i + 1 < ls.count {
            i += 1
            guard let (l, _, _) = field(ls[i].trimmed), l == .from else { continue }
            let floor = starts.last!.header
            // What stands above this header, blank lines aside.
            var k = i - 1
            var pageBreak = ls[i].formFeed
            while k > floor, ls[k].trimmed.isEmpty { pageBreak = pageBreak || ls[k].formFeed; k -= 1 }
            var cut: Int? = pageBreak ? i : nil
            if k > floor {
                let t = ls[k].trimmed
                if ls[k].formFeed || isMessageLine(t) || (isRule(t) && !t.hasPrefix("_")) { cut = k }
                let n = preamble.count
                if n > 0, k - n + 1 > floor, (0..<n).allSatisfy({ ls[k - n + 1 + $0].trimmed == preamble[$0] }) {
                    cut = k - n + 1
                }
            }
            guard let c = cut else { continue }
            let (fields, _, printedOnly) = headerBlock(ls, i)
            if isPrintedHeader(fields, printedOnly: printedOnly, strongPreamble: true) { starts.append((i, c)) }
        }
        var out: [Record] = []
        for (n, s) in starts.enumerated() {
            let end = n + 1 < starts.count ? starts[n + 1].cut : ls.count
            let (fields, bodyStart, _) = headerBlock(ls, s.header)
            var r = Record()
            for (l, _, v) in fields {
                switch l {
                case .from: if r.from.isEmpty { r.from = v }
                case .sent, .date: if r.sent.isEmpty { r.sent = v }
                case .to: r.to = v
                case .cc: r.cc = v
                case .bcc: r.bcc = v
                case .subject: r.subject = v
                case .importance: r.importance = v
                case .attachments: r.attachments = v
                case .other: break
                }
            }
            var body = ls[min(bodyStart, end)..<end].map { String($0.text) }
            while let l = body.last, l.trimmingCharacters(in: .whitespaces).isEmpty { body.removeLast() }
            while let l = body.first, l.trimmingCharacters(in: .whitespaces).isEmpty { body.removeFirst() }
            r.body = body.joined(separator: "\n")
            out.append(r)
        }
        return out
    }

    // MARK: synthesis

    /// The record as an RFC 5322 message: From/To/Cc with names and addresses as printed, Date
    /// from Sent (a printout has no zone: read as UTC and said so in `X-Disclose-Date-Assumed`),
    /// the body as UTF-8 text/plain in quoted-printable.
    public static func message(_ r: Record) -> Data {
        var h: [String] = []
        let from = addresses(r.from)
        if !from.isEmpty { h.append("From: " + from) }
        if let d = PrintedDate.parse(r.sent) {
            let offset = d.offset ?? 0
            h.append("Date: " + PrintedDate.rfc5322(local: d.local, offset: offset))
            if d.offset == nil { h.append("X-Disclose-Date-Assumed: UTC") }
        } else if !r.sent.isEmpty {
            h.append("X-Disclose-Printed-Sent: " + encodeWords(r.sent))
        }
        for (name, v) in [("To", r.to), ("Cc", r.cc), ("Bcc", r.bcc)] {
            let a = addresses(v)
            if !a.isEmpty { h.append("\(name): " + a) }
        }
        h.append("Subject: " + encodeWords(r.subject))
        if !r.importance.isEmpty { h.append("Importance: " + encodeWords(r.importance)) }
        if !r.attachments.isEmpty { h.append("X-Disclose-Printed-Attachments: " + encodeWords(r.attachments)) }
        h.append("X-Disclose-Source: printed mail")
        h.append("MIME-Version: 1.0")
        h.append("Content-Type: text/plain; charset=utf-8")
        h.append("Content-Transfer-Encoding: quoted-printable")
        var out = h.joined(separator: "\r\n") + "\r\n\r\n"
        out += quotedPrintable(r.body)
        if !out.hasSuffix("\r\n") { out += "\r\n" }
        return Data(out.utf8)
    }

    /// `Lindqvist, Maria; Ruiz, Carmen <cruiz@x>` (Outlook separates with `;`) as an RFC 5322
    /// address list. A name printed without an address stays a quoted name: nothing is invented.
    static func addresses(_ v: String) -> String {
        let value = v.trimmingCharacters(in: .whitespaces)
        if value.isEmpty { return "" }
        var parts: [String]
        if value.contains(";") {
            parts = value.split(separator: ";").map(String.init)
        } else {
            // Commas separate only when every piece has an address ("Doe, Jane" is one name).
            let pieces = splitOutsideAngles(value)
            parts = pieces.allSatisfy({ $0.contains("@") }) ? pieces : [value]
        }
        var out: [String] = []
        for p in parts {
            let t = p.trimmingCharacters(in: .whitespaces)
            if t.isEmpty { continue }
            var name = t, addr = ""
            if let lt = t.lastIndex(of: "<"), let gt = t.lastIndex(of: ">"), lt < gt {
                addr = String(t[t.index(after: lt)..<gt]).trimmingCharacters(in: .whitespaces)
                name = String(t[..<lt])
            } else if let r = t.range(of: "[mailto:", options: .caseInsensitive), let close = t[r.upperBound...].firstIndex(of: "]") {
                addr = String(t[r.upperBound..<close])
                name = String(t[..<r.lowerBound])
            } else if t.contains("@"), !t.contains(" ") {
                addr = t; name = ""
            }
            if addr.lowercased().hasPrefix("mailto:") { addr = String(addr.dropFirst(7)) }
            name = name.trimmingCharacters(in: CharacterSet.whitespaces.union(CharacterSet(charactersIn: "\"'")))
            let quoted = name.isEmpty ? "" : quoteName(name)
            if addr.isEmpty { out.append(quoted + " <>") } else if quoted.isEmpty { out.append("<\(addr)>") } else { out.append("\(quoted) <\(addr)>") }
        }
        return out.joined(separator: ", ")
    }

    static func splitOutsideAngles(_ s: String) -> [String] {
        var out: [String] = [], cur = ""
        var inAngle = false, inQuote = false
        for c in s {
            if c == "\"" { inQuote.toggle() }
            if c == "<" { inAngle = true } else if c == ">" { inAngle = false }
            if c == ",", !inAngle, !inQuote { out.append(cur); cur = ""; continue }
            cur.append(c)
        }
        out.append(cur)
        return out
    }

    static func quoteName(_ n: String) -> String {
        if n.unicodeScalars.contains(where: { !$0.isASCII }) { return encodeWords(n) }
        let escaped = n.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
        return "\"\(escaped)\""
    }

    /// RFC 2047 encoded word when the value is not plain ASCII.
    static func encodeWords(_ s: String) -> String {
        let flat = s.replacingOccurrences(of: "\r", with: " ").replacingOccurrences(of: "\n", with: " ")
        if flat.unicodeScalars.allSatisfy({ $0.isASCII && $0.value >= 0x20 }) { return flat }
        // One encoded word per ≤ 45 bytes of UTF-8, cut on character boundaries.
        var words: [String] = []
        var chunk = ""
        for ch in flat {
            if chunk.utf8.count + String(ch).utf8.count > 45 {
                words.append("=?UTF-8?B?" + Data(chunk.utf8).base64EncodedString() + "?=")
                chunk = ""
            }
            chunk.append(ch)
        }
        if !chunk.isEmpty { words.append("=?UTF-8?B?" + Data(chunk.utf8).base64EncodedString() + "?=") }
        return words.joined(separator: "\r\n ")
    }

    static func quotedPrintable(_ text: String) -> String {
        var out = ""
        let hex = Array("0123456789ABCDEF")
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            var l = line
            if l.last == "\r" { l = l.dropLast() }
            var encoded = ""
            var width = 0
            let bytes = Array(l.utf8)
            for (i, b) in bytes.enumerated() {
                let last = i == bytes.count - 1
                var piece: String
                if (b >= 33 && b <= 126 && b != 61) || ((b == 32 || b == 9) && !last) {
                    piece = String(UnicodeScalar(b))
                } else {
                    piece = "=" + String(hex[Int(b >> 4)]) + String(hex[Int(b & 15)])
                }
                if width + piece.count > 75 {
                    encoded += "=\r\n"
                    width = 0
                }
                encoded += piece
                width += piece.count
            }
            out += encoded + "\r\n"
        }
        return out
    }
}

/// Dates as printouts show them ("Tuesday, March 5, 2024 9:24 AM", "Tuesday, January 4, 2022 at
/// 9:24 AM", "03/05/2024 9:24 AM", RFC 5322, with an optional zone). The quoted-header parser in
/// Dedupe reads the same forms; Extract cannot depend on Dedupe, hence this copy.
enum PrintedDate {
    static func parse(_ text: String) -> (local: Int64, offset: Int?)? {
        var year: Int?, month: Int?, day: Int?, hour: Int?, minute = 0, second = 0
        var meridiem: Int?
        var offset: Int?
        var numbers: [Int] = []
        let cleaned = text.replacingOccurrences(of: ",", with: " ").replacingOccurrences(of: "(", with: " ")
            .replacingOccurrences(of: ")", with: " ")
        for sub in cleaned.split(whereSeparator: { $0 == " " || $0 == "\t" }) {
            var w = sub.lowercased()
            if w.hasSuffix(".") && !w.contains(":") { w.removeLast() }
            if w.isEmpty || w == "at" { continue }
            if let m = months[w] { month = m; continue }
            if ["mon", "tue", "wed", "thu", "fri", "sat", "sun"].contains(where: { w.hasPrefix($0) }) && w.allSatisfy(\.isLetter) { continue }
            if w == "am" || w == "a.m." { meridiem = 0; continue }
            if w == "pm" || w == "p.m." { meridiem = 12; continue }
            if hour == nil, let t = time(w) { hour = t.0; minute = t.1; second = t.2; if let m = t.3 { meridiem = m }; continue }
            let dash = w.split(separator: "-")
            if dash.count == 3, dash[0].count == 4, let y = Int(dash[0]), let mo = Int(dash[1]), let d = Int(dash[2]) {
                year = y; month = mo; day = d; continue
            }
            let sep: Character? = w.contains("/") ? "/" : (w.filter { $0 == "." }.count == 2 ? "." : nil)
            if let sep {
                let p = w.split(separator: sep)
                if p.count == 3, let a = Int(p[0]), let b = Int(p[1]), let c = Int(p[2]) {
                    if sep == "." || a > 12 { day = a; month = b } else { month = a; day = b }
                    year = c
                    continue
                }
            }
            if hour != nil, let z = zone(w) { offset = z; continue }
            if let n = Int(w.filter(\.isNumber)), w.first?.isNumber == true,
               w.allSatisfy({ $0.isNumber }) || ["st", "nd", "rd", "th"].contains(where: { w.hasSuffix($0) }) {
                numbers.append(n)
            }
        }
        if month != nil {
            for n in numbers {
                if n > 31 { year = year ?? n } else if day == nil { day = n } else if year == nil { year = n }
            }
        }
        guard var y = year, let mo = month, let d = day, var h = hour else { return nil }
        if y < 100 { y += y < 70 ? 2000 : 1900 }
        if let m = meridiem { guard (1...12).contains(h) else { return nil }; h = h % 12 + m }
        guard (1970...2200).contains(y), (1...12).contains(mo), (1...31).contains(d), h < 24, minute < 60 else { return nil }
        return (Int64(days(y, mo, d)) * 86_400 + Int64(h * 3600 + minute * 60 + min(second, 59)), offset)
    }

    static let months: [String: Int] = {
        var m: [String: Int] = [:]
        for (i, n) in ["january", "february", "march", "april", "may", "june", "july", "august", "september",
                       "october", "november", "december"].enumerated() {
            m[n] = i + 1; m[String(n.prefix(3))] = i + 1
        }
        m["sept"] = 9
        return m
    }()

    static func time(_ wIn: String) -> (Int, Int, Int, Int?)? {
        var w = Substring(wIn)
        var mer: Int?
        if w.hasSuffix("am") { mer = 0; w = w.dropLast(2) } else if w.hasSuffix("pm") { mer = 12; w = w.dropLast(2) }
        let p = w.split(separator: ":", omittingEmptySubsequences: false)
        guard p.count == 2 || p.count == 3, p[0].count <= 2, let h = Int(p[0]), p[1].count == 2, let m = Int(p[1]) else { return nil }
        var s = 0
        if p.count == 3 { guard let v = Int(p[2].prefix(2)) else { return nil }; s = v }
        return (h, m, s, mer)
    }

    static let zones: [String: Int] = ["utc": 0, "gmt": 0, "z": 0, "est": -5, "edt": -4, "cst": -6, "cdt": -5,
                                       "mst": -7, "mdt": -6, "pst": -8, "pdt": -7, "bst": 1, "cet": 1, "cest": 2,
                                       "jst": 9, "aest": 10, "aedt": 11]

    static func zone(_ w: String) -> Int? {
        if let h = zones[w] { return h * 3600 }
        var r = Substring(w)
        for p in ["utc", "gmt"] where r.hasPrefix(p) { r = r.dropFirst(3) }
        guard let sign = r.first, sign == "+" || sign == "-" else { return nil }
        let digits = r.dropFirst().filter { $0 != ":" }
        guard !digits.isEmpty, digits.count <= 4, let v = Int(digits) else { return nil }
        let secs = digits.count <= 2 ? v * 3600 : (v / 100) * 3600 + (v % 100) * 60
        return sign == "-" ? -secs : secs
    }

    static func days(_ y0: Int, _ m: Int, _ d: Int) -> Int { CivilDate.days(year: y0, month: m, day: d) }

    /// `Tue, 05 Mar 2024 09:24:00 +0000`
    static func rfc5322(local: Int64, offset: Int) -> String {
        var dayNumber = Int(local / 86_400)
        var secs = Int(local % 86_400)
        if secs < 0 { secs += 86_400; dayNumber -= 1 }
        let (y, m, d) = CivilDate.civil(days: dayNumber)
        let weekday = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"][((dayNumber % 7) + 7) % 7]
        let month = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"][m - 1]
        let sign = offset < 0 ? "-" : "+"
        let a = abs(offset)
        return String(format: "%@, %02d %@ %04d %02d:%02d:%02d %@%02d%02d", weekday, d, month, y,
                      secs / 3600, secs / 60 % 60, secs % 60, sign, a / 3600, a / 60 % 60)
    }
}
