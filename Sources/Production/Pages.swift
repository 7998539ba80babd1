import DiscloseCore
import Foundation

/// Renders a document to fixed-size text pages: an Outlook-style header block for email, then
/// the body, hard-wrapped to the page width. Page counts are therefore real and stay the same
/// when the pages are later drawn as images.
public struct PageRenderer {
    public let lines: Int
    public let columns: Int

    public init(page: PageConfig) { lines = page.lines; columns = page.columns }

    /// Lines of content per page; the last two lines hold a blank and the footer stamp.
    var bodyLines: Int { lines - 2 }

    public func pages(header: [(String, String)], body: String) -> [[String]] {
        var out: [String] = []
        let labelWidth = (header.map { $0.0.count }.max() ?? 0) + 2
        for (label, value) in header {
            let wrapped = wrap(Self.printable(value, keepLines: false), width: columns - labelWidth)
            for (i, l) in wrapped.enumerated() {
                let prefix = i == 0 ? (label + ":").padding(toLength: labelWidth, withPad: " ", startingAt: 0)
                    : String(repeating: " ", count: labelWidth)
                out.append(prefix + l)
            }
        }
        if !header.isEmpty { out.append("") }
        for raw in Self.printable(body, keepLines: true).split(separator: "\n", omittingEmptySubsequences: false) {
            out.append(contentsOf: wrap(String(raw), width: columns))
        }
        while let last = out.last, last.trimmingCharacters(in: .whitespaces).isEmpty, out.count > 1 { out.removeLast() }
        if out.isEmpty { out = [""] }
        var pages: [[String]] = []
        var i = 0
        while i < out.count {
            pages.append(Array(out[i..<min(i + bodyLines, out.count)]))
            i += bodyLines
        }
        return pages
    }

    /// A regular expression per line cost a third of the package stage.
    static func trimmingTrailingSpace(_ line: String) -> String {
        guard let last = line.unicodeScalars.last, last.properties.isWhitespace else { return line }
        var scalars = line.unicodeScalars[...]
        while let l = scalars.last, l.properties.isWhitespace { scalars = scalars.dropLast() }
        return String(String.UnicodeScalarView(scalars))
    }

    /// A form feed would start a page the load file does not count, and other control
    /// characters mean nothing on paper: line-ending controls become line breaks (or spaces in a
    /// one-line header value), the rest spaces. Tabs stay for `wrap`.
    static func printable(_ s: String, keepLines: Bool) -> String {
        let needs = s.unicodeScalars.contains { c in
            (c.value < 0x20 && c != "\t" && (c != "\n" || !keepLines)) || (0x7F...0x9F).contains(c.value)
                || c.value == 0x2028 || c.value == 0x2029
        }
        guard needs else { return s }
        var out = String.UnicodeScalarView()
        var previousCR = false
        for c in s.unicodeScalars {
            let lineEnd = c == "\n" || c == "\r" || c.value == 0x0B || c.value == 0x0C || c.value == 0x85
                || c.value == 0x2028 || c.value == 0x2029
            if c == "\n" && previousCR { previousCR = false; continue }
            previousCR = c == "\r"
            if lineEnd { out.append(keepLines ? "\n" : " ") }
            else if c != "\t" && (c.value < 0x20 || (0x7F...0x9F).contains(c.value)) { out.append(" ") }
            else { out.append(c) }
        }
        return String(out)
    }

    /// Page text with its footer: the confidentiality stamp on the left, the Bates number right.
    public func stamp(_ page: [String], bates: String, confidentiality: String) -> String {
        var lines = page
        while lines.count < bodyLines { lines.append("") }
        let gap = max(1, columns - confidentiality.count - bates.count)
        lines.append("")
        lines.append(confidentiality + String(repeating: " ", count: gap) + bates)
        return lines.map(Self.trimmingTrailingSpace).joined(separator: "\n") + "\n"
    }

    /// Wraps at spaces, never inside a redaction mark such as "[(b)(6), (b)(7)(C)]"; words
    /// longer than the width are cut. Tabs become spaces so columns are predictable.
    public func wrap(_ line: String, width: Int) -> [String] {
        // Most lines are printable ASCII, where a byte is a character: the same cuts on bytes
        // cost a fraction of building an array of Characters.
        if line.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) { return Self.wrap(ascii: Array(line.utf8), width: width) }
        return wrapCharacters(line, width: width)
    }

    static func wrap(ascii chars: [UInt8], width: Int) -> [String] {
        cuts(chars, width: width, bracket: 0x5B, paren: 0x28, closing: 0x5D, space: 0x20)
            .map { String(decoding: chars[$0], as: UTF8.self) }
    }

    func wrapCharacters(_ line: String, width: Int) -> [String] {
        let chars = line.utf8.contains(9) ? Array(line.replacingOccurrences(of: "\t", with: "    ")) : Array(line)
        return Self.cuts(chars, width: width, bracket: "[", paren: "(", closing: "]", space: " ").map { String(chars[$0]) }
    }

    /// The ranges of each wrapped line: cut at the last space that fits and is not inside a
    /// mark ("[(" … "]"), or at the width when there is none.
    static func cuts<T: Equatable>(_ chars: [T], width: Int, bracket: T, paren: T, closing: T, space: T) -> [Range<Int>] {
        if chars.count <= width { return [0..<chars.count] }
        var out: [Range<Int>] = []
        var start = 0
        while chars.count - start > width {
            var cut = -1
            var depth = 0
            var k = start
            while k <= start + width, k < chars.count {
                if chars[k] == bracket, k + 1 < chars.count, chars[k + 1] == paren { depth += 1 }
                if chars[k] == closing, depth > 0 { depth -= 1 }
                if chars[k] == space, depth == 0, k > start { cut = k }
                k += 1
            }
            if cut <= start {
                out.append(start..<(start + width))
                start += width
            } else {
                out.append(start..<cut)
                start = cut + 1
            }
        }
        out.append(start..<chars.count)
        return out
    }
}

public enum DateFormat {
    static let days = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"]

    /// "Tuesday 2024-03-05 09:24:00 +09:00": the sender's own clock, with its offset.
    public static func local(utcISO: String, offset: String) -> String {
        localFast(utcISO: utcISO, offset: offset) ?? localFoundation(utcISO: utcISO, offset: offset)
    }

    static func localFoundation(utcISO: String, offset: String) -> String {
        guard let utc = parseISO(utcISO) else { return utcISO }
        let seconds = offsetSeconds(offset)
        var cal = Calendar(identifier: .gregorian)
        cal.timeZone = TimeZone(secondsFromGMT: seconds) ?? TimeZone(identifier: "UTC")!
        let p = cal.dateComponents([.year, .month, .day, .hour, .minute, .second, .weekday], from: utc)
        return String(format: "%@ %04d-%02d-%02d %02d:%02d:%02d %@", days[(p.weekday ?? 1) - 1], p.year!, p.month!, p.day!,
                      p.hour!, p.minute!, p.second!, offset.isEmpty ? "+00:00" : offset)
    }

    /// The same result by plain arithmetic for the one form the case store holds
    /// (`YYYY-MM-DDTHH:MM:SSZ`, a valid date, an offset within ±14 h); Foundation's formatter
    /// and calendar cost more than the page they date. Anything else takes the general path.
    static func localFast(utcISO: String, offset: String) -> String? {
        let u = Array(utcISO.utf8)
        guard u.count == 20, u[4] == 45, u[7] == 45, u[10] == 84, u[13] == 58, u[16] == 58, u[19] == 90 else { return nil }
        func num(_ a: Int, _ b: Int) -> Int? {
            var n = 0
            for i in a..<b { guard u[i] >= 48, u[i] <= 57 else { return nil }; n = n * 10 + Int(u[i] - 48) }
            return n
        }
        guard let y = num(0, 4), let mo = num(5, 7), let d = num(8, 10), let h = num(11, 13), let mi = num(14, 16),
              let se = num(17, 19), (1...12).contains(mo), d >= 1, h < 24, mi < 60, se < 60,
              // Foundation's calendar is Julian before 1582; the arithmetic is not.
              y >= 1600 else { return nil }
        let days = CivilDate.days(year: y, month: mo, day: d)
        guard CivilDate.civil(days: days) == (y, mo, d) else { return nil }
        let shift = offsetSeconds(offset)
        guard abs(shift) <= 14 * 3600 else { return nil }
        let f = CivilDate.fields(Int64(days) * 86_400 + Int64(h * 3600 + mi * 60 + se + shift))
        return String(format: "%@ %04d-%02d-%02d %02d:%02d:%02d %@", days_[f.weekday], f.year, f.month, f.day,
                      f.hour, f.minute, f.second, offset.isEmpty ? "+00:00" : offset)
    }

    private static let days_ = days

    public static func parseISO(_ s: String) -> Date? {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime]
        return f.date(from: s)
    }

    static func offsetSeconds(_ o: String) -> Int {
        let parts = o.dropFirst().split(separator: ":")
        guard o.count == 6, parts.count == 2, let h = Int(parts[0]), let m = Int(parts[1]) else { return 0 }
        return (o.hasPrefix("-") ? -1 : 1) * (h * 3600 + m * 60)
    }

    /// Load-file date and time: MM/DD/YYYY and HH:MM:SS, both UTC. Anything but a four-digit-year
    /// ISO instant gives empty fields: slicing a five-digit or negative year by position made
    /// DATESENT "-0/-0/1000".
    public static func loadFile(_ utcISO: String) -> (date: String, time: String) {
        let c = Array(utcISO)
        guard c.count == 20, c[19] == "Z", c[4] == "-", c[7] == "-", c[10] == "T", c[13] == ":", c[16] == ":",
              [0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15, 17, 18].allSatisfy({ c[$0].isASCII && c[$0].isNumber }) else { return ("", "") }
        let y = String(c[0..<4]), mo = String(c[5..<7]), d = String(c[8..<10])
        return ("\(mo)/\(d)/\(y)", String(c[11..<19]))
    }
}
