import ArchiveKit
import DiscloseCore
import Foundation
import MIMEKit
import Redact

/// What a native file holds, as text a person could read from it. Review saw a document's
/// chosen body and fields; a native also carries HTML source, other alternatives, part headers,
/// preambles, office metadata and comments. A native goes out only if all of that can be read
/// here and holds nothing the rules would redact that review did not see.
public enum NativeView {
    public enum Shape: Sendable { case message, text, office, opaque }

    /// The shape of a native from what normalize recorded about it.
    public static func shape(kind: ItemKind, mimeType: String, fileName: String) -> Shape {
        if kind == .email { return .message }
        if kind == .chat || kind == .calendar { return .text }
        if kind == .container { return .opaque }
        return shape(mimeType: mimeType, fileName: fileName)
    }

    /// For a file met on its own (a production being verified): by media type, else extension.
    public static func shape(mimeType: String, fileName: String) -> Shape {
        let m = mimeType.lowercased()
        let ext = (fileName as NSString).pathExtension.lowercased()
        if m == "message/rfc822" || ext == "eml" { return .message }
        if m.hasPrefix("text/") || ["application/json", "application/xml", "application/csv"].contains(m)
            || ["txt", "csv", "htm", "html", "json", "xml", "ics", "vcf", "md"].contains(ext) { return .text }
        if m.contains("openxmlformats") || m.contains("opendocument")
            || ["docx", "xlsx", "pptx", "odt", "ods", "odp"].contains(ext) { return .office }
        return .opaque
    }

    /// Office zips larger than this, in XML, are not read for the check: the native is held.
    static let maxOfficeXML = 64 << 20

    /// nil when the bytes cannot all be read as text (binary formats, unparseable messages, a
    /// message nested past the parser's depth, an office file with non-XML parts or too large).
    public static func view(of url: URL, shape: Shape) -> ReviewView? {
        switch shape {
        case .opaque: return nil
        case .message:
            guard let data = try? Data(contentsOf: url) else { return nil }
            return MIME.reviewView(data)
        case .text:
            guard let data = try? Data(contentsOf: url) else { return nil }
            return ReviewView(text: decodeText(data), binaryLeaves: 0)
        case .office:
            return officeView(url)
        }
    }

    /// UTF-16 when it says so by its BOM, UTF-8 when valid, else each byte as Latin-1, which
    /// keeps every byte visible rather than replacing it.
    static func decodeText(_ data: Data) -> String {
        if data.starts(with: [0xFF, 0xFE]) || data.starts(with: [0xFE, 0xFF]),
           let s = String(data: data, encoding: .utf16) { return s }
        if let s = String(validating: data, as: UTF8.self) { return s }
        return String(String.UnicodeScalarView(data.map { Unicode.Scalar($0) }))
    }

    static func officeView(_ url: URL) -> ReviewView? {
        guard let reader = try? ArchiveReader(path: url.path) else { return nil }
        var text: [String] = []
        var total = 0
        do {
            while let entry = try reader.nextEntry() {
                guard entry.isRegularFile else { try reader.skipData(); continue }
                let name = entry.pathname.lowercased()
                // Images, embedded objects and macros are not text: the native is held.
                guard name.hasSuffix(".xml") || name.hasSuffix(".rels") || name.hasSuffix(".vml")
                      || name == "mimetype" else { return nil }
                var bytes: [UInt8] = []
                try reader.readData { bytes += $0 }
                total += bytes.count
                if total > maxOfficeXML { return nil }
                text.append(entry.pathname)
                text.append(contentsOf: XMLTextView.views(bytes))
            }
        } catch { return nil }
        return ReviewView(text: text.joined(separator: "\n"), binaryLeaves: 0)
    }
}

/// Text nodes, attribute values and comments of an XML document, without a parser: hostile
/// XML must not be able to stop the check, and every byte outside markup counts.
enum XMLTextView {
    /// Two views: pieces separated by spaces (a name in an attribute), and text nodes joined
    /// without one (a word split across formatting runs, `<w:t>Jo</w:t><w:t>hn</w:t>`).
    static func views(_ b: [UInt8]) -> [String] {
        var spaced: [UInt8] = [], joined: [UInt8] = []
        var i = 0
        let n = b.count
        while i < n {
            if b[i] == 0x3C {
                if b[i...].starts(with: [0x3C, 0x21, 0x2D, 0x2D]) {
                    let end = find([0x2D, 0x2D, 0x3E], in: b, from: i + 4) ?? n
                    spaced += [0x20] + b[(i + 4)..<end] + [0x20]
                    i = min(n, end + 3)
                    continue
                }
                // Inside a tag: keep quoted attribute values.
                var j = i + 1
                var quote: UInt8 = 0
                var start = 0
                while j < n {
                    let c = b[j]
                    if quote != 0 {
                        if c == quote { spaced += [0x20] + b[start..<j] + [0x20]; quote = 0 }
                    } else if c == 0x22 || c == 0x27 {
                        quote = c; start = j + 1
                    } else if c == 0x3E { break }
                    j += 1
                }
                spaced.append(0x20)
                i = j + 1
            } else {
                let end = b[i...].firstIndex(of: 0x3C) ?? n
                spaced += b[i..<end]
                joined += b[i..<end]
                i = end
            }
        }
        return [String(decoding: spaced, as: UTF8.self), String(decoding: joined, as: UTF8.self)]
    }

    static func find(_ needle: [UInt8], in b: [UInt8], from: Int) -> Int? {
        guard from <= b.count - needle.count else { return nil }
        var i = from
        while i <= b.count - needle.count {
            if b[i] == needle[0], b[i..<(i + needle.count)].elementsEqual(needle) { return i }
            i += 1
        }
        return nil
    }
}

/// The check itself, with the case's rules and every string redacted anywhere in it.
struct NativeReview {
    let redactor: Redactor
    let audit: LeakAudit

    /// Why this native must be held back, or nil when it may go out. `reviewed` is every value
    /// review saw for the document (and identifiers, which the detectors skip on purpose).
    func reason(url: URL, shape: NativeView.Shape, reviewed: [String], attachments: Int) -> String? {
        guard let view = NativeView.view(of: url, shape: shape) else {
            return shape == .opaque ? "native format is not text; produced as pages"
                : "native could not be read in full as text (unparseable, nested too deep, or with non-text parts); produced as pages"
        }
        if view.binaryLeaves > attachments {
            return "native holds parts that are neither text nor produced attachments (e.g. a signature); produced as pages"
        }
        if !audit.scan(view.text).isEmpty {
            return "native holds a string redacted elsewhere in the case; produced as pages"
        }
        let bytes = Array(view.text.utf8)
        let seen = reviewed.joined(separator: "\u{1}")
        for s in redactor.spans(in: view.text) {
            let hit = String(decoding: bytes[s.start..<s.end], as: UTF8.self)
            if !seen.contains(hit) {
                return "native holds text that review did not see (hidden parts, markup or metadata) and the rules would redact; produced as pages"
            }
        }
        return nil
    }
}

extension LeakAudit {
    /// The whole production: file names, text files as they are, and each native through its
    /// text view (plus its raw bytes), so a string in a base64 part or an office file's XML is
    /// found as well as one in plain sight.
    public func scanProduction(folder root: URL, files: [String]) throws -> [(file: String, finding: Finding)] {
        var out = try scan(folder: root, files: files, skipContentsUnder: nil)
        for rel in files where rel.contains("/NATIVES/") {
            let url = root.appendingPathComponent(rel)
            guard let view = NativeView.view(of: url, shape: NativeView.shape(mimeType: "", fileName: rel)) else { continue }
            for f in scan(view.text) { out.append((rel + " (native, decoded)", f)) }
        }
        return out
    }
}
