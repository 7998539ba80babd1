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
        guard v.unicodeScalars.contains(where: { $0 == "\r" || $0 == "\n" || $0 == "\u{14}" || $0 == "\u{FE}" }) else { return v }
        var s = v.replacingOccurrences(of: "\r\n", with: String(newline))
        s = s.replacingOccurrences(of: "\n", with: String(newline)).replacingOccurrences(of: "\r", with: String(newline))
        return s.replacingOccurrences(of: String(separator), with: " ").replacingOccurrences(of: String(quote), with: " ")
    }

    public var data: Data { Data(out.utf8) }

    /// The same bytes, written row by row into a file.
    final class File {
        let fields: [String]
        private let out: OutputFile
        init(_ url: URL, fields: [String]) throws {
            self.fields = fields
            out = try OutputFile(url)
            try out.write("\u{FEFF}" + ConcordanceWriter.line(fields))
        }
        func add(_ row: [String: String]) throws { try out.write(ConcordanceWriter.line(fields.map { row[$0] ?? "" })) }
        func close() throws { try out.close() }
    }

    /// Reads a DAT back into rows of field → value (for verify and tests).
    public static func parse(_ data: Data) throws -> (fields: [String], rows: [[String: String]]) {
        var rows: [[String: String]] = []
        let fields = try forEachRow(data) { _, row in rows.append(row) }
        return (fields, rows)
    }

    /// Each row in turn, with its line number, keeping only the fields in `keep` (all when nil),
    /// so a production of any size is read back in memory proportional to one row.
    @discardableResult
    public static func forEachRow(_ data: Data, keep: Set<String>? = nil,
                                  _ body: (Int, [String: String]) throws -> Void) throws -> [String] {
        func split(_ line: Substring, _ n: Int) throws -> [Substring] {
            let parts = line.split(separator: separator, omittingEmptySubsequences: false)
            return try parts.enumerated().map { i, p in
                guard p.count >= 2, p.first == quote, p.last == quote else {
                    throw ParseError("line \(n): value \(i + 1) is not wrapped in þ")
                }
                return p.dropFirst().dropLast()
            }
        }
        var fields: [String]? = nil
        var lineNumber = 0
        try data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) in
            let b = raw.bindMemory(to: UInt8.self)
            var start = b.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
            while start < b.count {
                var end = start
                while end < b.count, !(b[end] == 0x0D && end + 1 < b.count && b[end + 1] == 0x0A) { end += 1 }
                lineNumber += 1
                defer { start = end + 2 }
                if end == start { continue }
                let line = Substring(String(decoding: UnsafeBufferPointer(rebasing: b[start..<end]), as: UTF8.self))
                guard let names = fields else { fields = try split(line, lineNumber).map(String.init); continue }
                let vals = try split(line, lineNumber)
                guard vals.count == names.count else {
                    throw ParseError("line \(lineNumber): \(vals.count) values for \(names.count) fields")
                }
                var row: [String: String] = [:]
                for (f, v) in zip(names, vals) where keep?.contains(f) ?? true {
                    row[f] = v.contains(newline) ? v.replacingOccurrences(of: String(newline), with: "\n") : String(v)
                }
                try body(lineNumber, row)
            }
        }
        guard let names = fields else { throw ParseError("empty DAT") }
        return names
    }

    public struct ParseError: Error, CustomStringConvertible {
        public var description: String
        init(_ d: String) { description = d }
    }
}
