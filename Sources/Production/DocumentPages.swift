import DiscloseCore
import Foundation
import Redact

/// Lays one document out on pages with every redaction's codes at its place, and says on which
/// page each redaction landed (for the redaction log). Redactions are first laid out as
/// same-length placeholders, so wrapping is exactly what the final marks get, then swapped.
struct DocumentPages {
    let renderer: PageRenderer

    struct Result {
        var pages: [[String]]
        /// Index into the document's redactions → 1-based page; absent when not on a page.
        var pageOf: [Int: Int]
    }

    static let open: Character = "\u{E000}"
    static let close: Character = "\u{E001}"

    /// `value` with the redactions of one field replaced by placeholders (or by the plain mark
    /// when the mark is too short to hold the index).
    static func placeholders(_ value: String, _ reds: [(index: Int, start: Int, end: Int, codes: [String])]) -> String {
        // The document's own text may hold the placeholder characters; U+FFFD has the same
        // UTF-8 length, so every redaction's byte offsets stay true.
        var value = value
        if value.unicodeScalars.contains(where: { $0 == open.unicodeScalars.first! || $0 == close.unicodeScalars.first! }) {
            value = String(String.UnicodeScalarView(value.unicodeScalars.map {
                $0 == open.unicodeScalars.first! || $0 == close.unicodeScalars.first! ? "\u{FFFD}" : $0
            }))
        }
        if reds.isEmpty { return value }
        let bytes = Array(value.utf8)
        var out: [UInt8] = []
        var pos = 0
        for r in reds.sorted(by: { $0.start < $1.start }) where r.start >= pos && r.end <= bytes.count {
            out += bytes[pos..<r.start]
            let mark = Codes.mark(r.codes)
            let digits = String(r.index)
            if mark.count - 2 >= digits.count {
                let padded = String(repeating: "0", count: mark.count - 2 - digits.count) + digits
                out += Array((String(open) + padded + String(close)).utf8)
            } else {
                out += Array(mark.utf8)
            }
            pos = r.end
        }
        out += bytes[pos...]
        return String(decoding: out, as: UTF8.self)
    }

    func render(header: [(String, String)], body: String, marks: [Int: String]) -> Result {
        var pages = renderer.pages(header: header, body: body)
        var pageOf: [Int: Int] = [:]
        for p in pages.indices {
            for l in pages[p].indices where pages[p][l].contains(Self.open) {
                var line = ""
                var chars = pages[p][l][...]
                while let o = chars.firstIndex(of: Self.open) {
                    line += chars[..<o]
                    guard let c = chars[o...].firstIndex(of: Self.close), let idx = Int(chars[chars.index(after: o)..<c]) else {
                        line += chars[o...]
                        chars = chars[chars.endIndex...]
                        break
                    }
                    pageOf[idx] = p + 1
                    line += marks[idx] ?? ""
                    chars = chars[chars.index(after: c)...]
                }
                line += chars
                pages[p][l] = line
            }
        }
        return Result(pages: pages, pageOf: pageOf)
    }
}
