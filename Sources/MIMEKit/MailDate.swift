import Foundation
import CGMime
import DiscloseCore

/// Date header parsing: GMime's parser plus repairs for forms it gets silently wrong.
enum MailDate {
    /// g_mime_utils_header_decode_date drops the whole time of day when seconds carry a fraction
    /// ("22:23:35.882" comes back as midnight) and ignores an offset glued to a zone name
    /// ("GMT+0100" comes back as +0000); both are rewritten to the plain RFC 5322 form first.
    private static let fractionalSeconds = try! NSRegularExpression(pattern: #"(\d{1,2}:\d{2}:\d{2})[.,]\d+"#)
    private static let zonePlusOffset = try! NSRegularExpression(pattern: #"\b(?:GMT|UTC|UT)\s*([+-]\d{4})\b"#, options: [.caseInsensitive])
    /// Some mailers and exporters write ISO 8601, which GMime rejects or misreads.
    private static let iso8601 = try! NSRegularExpression(
        pattern: #"^\s*(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,]\d+)?)?\s*(Z|[+-]\d{2}:?\d{2})?\s*$"#,
        options: [.caseInsensitive])

    /// RFC 5322's "day month year", to compare the year as written with the one GMime returns.
    private static let writtenYear = try! NSRegularExpression(
        pattern: #"\b\d{1,2}\s*[-\s]\s*(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s*[-\s]\s*(\d+)\b"#,
        options: [.caseInsensitive])
    /// Years whose dates come out the same through every formatter downstream: four digits (the
    /// load files' MM/DD/YYYY and the ISO form), and after the Gregorian reform (Foundation's
    /// calendar turns Julian before it). A date outside is unusable, not something to guess at:
    /// the document keeps no sent date and its raw Date header stays in the header text.
    static let usableYears = 1583...9999

    static func parse(_ header: String) -> MIMEDate? {
        guard let d = interpret(header), usableYears.contains(CivilDate.fields(Int64(d.utc.timeIntervalSince1970.rounded(.down))).year)
        else { return nil }
        return d
    }

    private static func interpret(_ header: String) -> MIMEDate? {
        // Before GMime: it reads "2024-03-05 14:24:00Z" as midnight of that day instead of failing.
        if let iso = parseISO(header) { return iso }
        var text = header
        for (regex, template) in [(fractionalSeconds, "$1"), (zonePlusOffset, "$1")] {
            text = regex.stringByReplacingMatches(in: text, range: NSRange(text.startIndex..., in: text), withTemplate: template)
        }
        if let dt = g_mime_utils_header_decode_date(text) {
            defer { g_date_time_unref(dt) }
            // GMime reads any year it cannot hold as a two-digit one ("0000" becomes 2000); a
            // year written in full must come back as written.
            if let m = writtenYear.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)),
               let r = Range(m.range(at: 1), in: text), text[r].count >= 4 {
                guard Int(text[r]) == Int(g_date_time_get_year(dt)) else { return nil }
            }
            let seconds = g_date_time_to_unix(dt)
            let offset = g_date_time_get_utc_offset(dt) / 1_000_000
            return MIMEDate(utc: Date(timeIntervalSince1970: TimeInterval(seconds)), offsetSeconds: Int(offset))
        }
        return nil
    }

    private static func parseISO(_ text: String) -> MIMEDate? {
        guard let m = iso8601.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) else { return nil }
        func group(_ i: Int) -> String? {
            guard let r = Range(m.range(at: i), in: text) else { return nil }
            return String(text[r])
        }
        guard let y = Int(group(1)!), let mo = Int(group(2)!), let d = Int(group(3)!),
              let h = Int(group(4)!), let mi = Int(group(5)!) else { return nil }
        let sec = group(6).flatMap(Int.init) ?? 0
        var offset = 0
        if let zone = group(7), zone.uppercased() != "Z" {
            let digits = zone.dropFirst().replacingOccurrences(of: ":", with: "")
            guard let v = Int(digits) else { return nil }
            offset = (v / 100 * 3600 + v % 100 * 60) * (zone.hasPrefix("-") ? -1 : 1)
        }
        var components = DateComponents()
        components.year = y; components.month = mo; components.day = d
        components.hour = h; components.minute = mi; components.second = sec
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        guard (1...12).contains(mo), (1...31).contains(d), h < 24, mi < 60, sec < 61,
              let local = calendar.date(from: components) else { return nil }
        return MIMEDate(utc: local.addingTimeInterval(TimeInterval(-offset)), offsetSeconds: offset)
    }
}
