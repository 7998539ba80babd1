import DiscloseCore
import Foundation

/// The reviewers' decisions file: CSV with a header row `doc,action,text,codes,reason`.
/// - `doc`: a control number (item key), a Bates number of an earlier run of this production,
///   a SHA-256 of the item, or a Message-ID (with or without angle brackets).
/// - `action`: `redact` (text + codes), `withhold` (codes), `release`, `unredact` (text).
/// - `text`: the exact text; for `redact`, a text that starts a paragraph takes the paragraph.
/// - `codes`: exemption codes or privilege tags, comma- or semicolon-separated.
public struct Decision: Sendable, Equatable {
    public enum Action: String, Sendable { case redact, withhold, release, unredact }
    public var line: Int
    public var doc: String
    public var action: Action
    public var text: String
    public var codes: [String]
    public var reason: String
}

public enum Decisions {
    public static let columns = ["doc", "action", "text", "codes", "reason"]

    public static func load(_ url: URL) throws -> [Decision] {
        guard let data = try? Data(contentsOf: url) else { throw DiscloseError.io(path: url.path, message: "cannot read") }
        var text = String(decoding: data, as: UTF8.self)
        if text.hasPrefix("\u{FEFF}") { text.removeFirst() }
        let rows = try CSV.parse(text, file: url.path)
        guard let header = rows.first else { throw DiscloseError.job(path: url.path, message: "empty decisions file") }
        let names = header.fields.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        var index: [String: Int] = [:]
        for c in columns {
            guard let i = names.firstIndex(of: c) else {
                throw DiscloseError.job(path: "\(url.path) line 1", message: "missing column '\(c)' (need \(columns.joined(separator: ",")))")
            }
            index[c] = i
        }
        for n in names where !columns.contains(n) {
            throw DiscloseError.job(path: "\(url.path) line 1", message: "unknown column '\(n)'")
        }
        var out: [Decision] = []
        for row in rows.dropFirst() {
            if row.fields.allSatisfy({ $0.trimmingCharacters(in: .whitespaces).isEmpty }) { continue }
            func v(_ c: String) -> String { let i = index[c]!; return i < row.fields.count ? row.fields[i] : "" }
            func fail(_ col: String, _ m: String) -> DiscloseError { .job(path: "\(url.path) line \(row.line), column \(col)", message: m) }
            let doc = v("doc").trimmingCharacters(in: .whitespaces)
            guard !doc.isEmpty else { throw fail("doc", "which document? give a control number, Bates number, SHA-256 or Message-ID") }
            guard let action = Decision.Action(rawValue: v("action").trimmingCharacters(in: .whitespaces).lowercased()) else {
                throw fail("action", "expected redact, withhold, release or unredact, got '\(v("action"))'")
            }
            let codes = splitCodes(v("codes"))
            for c in codes where !Codes.isValid(c) {
                throw fail("codes", "'\(c)' is not a FOIA exemption code like (b)(6) nor a privilege tag")
            }
            let text = v("text")
            switch action {
            case .redact:
                guard !text.trimmingCharacters(in: .whitespaces).isEmpty else { throw fail("text", "redact needs the text to redact") }
                guard !codes.isEmpty else { throw fail("codes", "redact needs at least one code") }
            case .withhold:
                guard !codes.isEmpty else { throw fail("codes", "withhold needs at least one code") }
            case .unredact:
                guard !text.trimmingCharacters(in: .whitespaces).isEmpty else { throw fail("text", "unredact needs the text to release") }
            case .release: break
            }
            out.append(Decision(line: row.line, doc: doc, action: action, text: text, codes: codes, reason: v("reason")))
        }
        return out
    }

    /// "(b)(6), (b)(7)(C)" and "(b)(6);(b)(7)(C)" both give two codes; commas inside a code never occur.
    static func splitCodes(_ s: String) -> [String] {
        s.split(whereSeparator: { $0 == "," || $0 == ";" }).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }
}

/// RFC 4180 CSV: quoted fields with commas, doubled quotes and line breaks; CRLF or LF rows.
enum CSV {
    struct Row { var line: Int; var fields: [String] }

    static func parse(_ text: String, file: String) throws -> [Row] {
        var rows: [Row] = []
        var field = ""
        var fields: [String] = []
        var inQuotes = false
        var line = 1
        var rowLine = 1
        var chars = Array(text)
        if chars.last != "\n" { chars.append("\n") }
        var i = 0
        while i < chars.count {
            let c = chars[i]
            if inQuotes {
                if c == "\"" {
                    if i + 1 < chars.count, chars[i + 1] == "\"" { field.append("\""); i += 1 } else { inQuotes = false }
                } else {
                    if c == "\n" { line += 1 }
                    field.append(c)
                }
            } else {
                switch c {
                case "\"" where field.isEmpty: inQuotes = true
                case ",": fields.append(field); field = ""
                case "\r": break
                case "\n":
                    fields.append(field)
                    rows.append(Row(line: rowLine, fields: fields))
                    fields = []
                    field = ""
                    line += 1
                    rowLine = line
                default: field.append(c)
                }
            }
            i += 1
        }
        if inQuotes { throw DiscloseError.job(path: "\(file) line \(rowLine)", message: "unterminated quoted field") }
        return rows
    }
}
