import Foundation

/// Concordance DAT: UTF-8 with BOM, first line the field names, field separator ASCII 20,
/// every value wrapped in þ, a newline inside a value written as ®, multi-values joined by ';'.
public struct ConcordanceWriter {
    public static let separator: Character = "\u{14}"
    public static let quote: Character = "\u{FE}"
    public static let newline: Character = "\u{AE}"

    public let fields: [String]
    private var out = "\u{FEFF}"

    public init(fields: [String]) {
        self.fields = fields
        out += Self.line(fields)
    }

    public mutating func add(_ row: [String: String]) {
        out += Self.line(fields.map { row[$0] ?? "" })
    }

    static func line(_ values: [String]) -> String {
        values.map { String(quote) + clean($0) + String(quote) }.joined(separator: String(separator)) + "\r\n"
    }

    /// The format has no escape: a separator or quote character inside a value would break every
    /// reader, so those two become spaces; newlines become ®.
    static func clean(_ v: String) -> String {
        var s = v.replacingOccurrences(of: "\r\n", with: String(newline))
        s = s.replacingOccurrences(of: "\n", with: String(newline)).replacingOccurrences(of: "\r", with: String(newline))
        return s.replacingOccurrences(of: String(separator), with: " ").replacingOccurrences(of: String(quote), with: " ")
    }

    public var data: Data { Data(out.utf8) }

    /// Reads a DAT back into rows of field → value (for verify and tests).
    public static func parse(_ data: Data) throws -> (fields: [String], rows: [[String: String]]) {
        var text = String(decoding: data, as: UTF8.self)
        if text.hasPrefix("\u{FEFF}") { text.removeFirst() }
        let lines = text.components(separatedBy: "\r\n").filter { !$0.isEmpty }
        guard let head = lines.first else { throw ParseError("empty DAT") }
        func split(_ l: String, _ n: Int) throws -> [String] {
            let parts = l.split(separator: separator, omittingEmptySubsequences: false).map(String.init)
            return try parts.enumerated().map { i, p in
                guard p.count >= 2, p.first == quote, p.last == quote else {
                    throw ParseError("line \(n): value \(i + 1) is not wrapped in þ")
                }
                return String(p.dropFirst().dropLast()).replacingOccurrences(of: String(newline), with: "\n")
            }
        }
        let fields = try split(head, 1)
        var rows: [[String: String]] = []
        for (i, l) in lines.dropFirst().enumerated() {
            let vals = try split(l, i + 2)
            guard vals.count == fields.count else {
                throw ParseError("line \(i + 2): \(vals.count) values for \(fields.count) fields")
            }
            rows.append(Dictionary(uniqueKeysWithValues: zip(fields, vals)))
        }
        return (fields, rows)
    }

    public struct ParseError: Error, CustomStringConvertible {
        public var description: String
        init(_ d: String) { description = d }
    }
}
