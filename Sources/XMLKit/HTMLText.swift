import CXML2
import Foundation

public enum HTMLText {
    /// Readable plain text from an HTML document, for review and search (not layout fidelity).
    /// `charset` is the declared charset if known; nil lets libxml2 sniff (BOM, <meta>), reading
    /// UTF-8 by default and falling back to ISO-8859-1 on invalid bytes.
    ///
    /// Skips <head>, <script>, <style>, <noscript>, <template>, comments; block elements break
    /// lines, <br> is one newline, runs of blank lines collapse to one; <li> starts with "- "
    /// (indented two spaces per nesting level); table cells are tab-separated; &nbsp; becomes a
    /// space that is kept like text (so Outlook's `<p>&nbsp;</p>` spacer lines survive); other
    /// whitespace collapses except in <pre>; links give their label, images nothing. The result is
    /// trimmed, lines right-trimmed, "\n" line ends.
    public static func text(html: Data, charset: String?) -> String {
        guard !html.isEmpty, html.count < Int32.max else { return "" }
        // HUGE lifts the 256-level nesting limit: past it libxml2 halts and everything after the
        // deep part of the mail would be lost. The walk below is iterative, and libxml2 2.9.14+
        // frees deep trees iteratively, so depth costs only memory proportional to the input.
        let options = Int32(HTML_PARSE_RECOVER.rawValue | HTML_PARSE_NOERROR.rawValue
            | HTML_PARSE_NOWARNING.rawValue | HTML_PARSE_NONET.rawValue | XML_PARSE_HUGE.rawValue)
        let encoding = charset.flatMap(libxmlEncoding)
        let sink = ErrorSink()
        let doc: htmlDocPtr? = LibXML.capturing(sink) {
            html.withUnsafeBytes { raw in
                guard let base = raw.bindMemory(to: CChar.self).baseAddress else { return nil }
                return htmlReadMemory(base, Int32(raw.count), nil, encoding, options)
            }
        }
        guard let doc else { return "" }
        defer { LibXML.capturing(sink) { xmlFreeDoc(doc) } }
        var builder = TextBuilder()
        walk(doc, into: &builder)
        return builder.finish()
    }

    /// Mail often labels text with a charset name iconv lacks or a narrower one than was used;
    /// these follow the WHATWG encoding aliases browsers apply.
    static func libxmlEncoding(_ declared: String) -> String? {
        let name = declared.trimmingCharacters(in: CharacterSet(charactersIn: " \t\"'")).lowercased()
        if name.isEmpty { return nil }
        switch name {
        case "us-ascii", "ascii", "iso-8859-1", "iso8859-1", "latin1", "latin-1", "l1", "cp1252", "x-cp1252":
            return "windows-1252"
        case "utf8", "unicode-1-1-utf-8": return "UTF-8"
        case "gb2312", "gbk", "x-gbk", "cp936", "gb_2312-80": return "GB18030"
        case "ks_c_5601-1987", "ks_c_5601", "euc-kr", "korean": return "CP949"
        case "x-sjis", "shift-jis", "sjis", "ms_kanji", "windows-31j", "cp932": return "CP932"
        case "iso-8859-8-i": return "ISO-8859-8"
        case "iso-8859-9", "latin5": return "windows-1254"
        case "tis-620", "iso-8859-11": return "windows-874"
        default: return declared.trimmingCharacters(in: CharacterSet(charactersIn: " \t\"'"))
        }
    }

    private static let skipped: Set<String> = [
        "head", "script", "style", "noscript", "template", "title", "xml", "svg", "math", "object", "embed", "applet",
    ]
    private static let blocks: Set<String> = [
        "address", "article", "aside", "blockquote", "body", "caption", "center", "dd", "details", "dialog", "dir",
        "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "frameset", "h1", "h2", "h3", "h4",
        "h5", "h6", "header", "hgroup", "hr", "html", "legend", "li", "listing", "main", "menu", "nav", "ol", "option",
        "p", "plaintext", "pre", "section", "summary", "table", "tbody", "tfoot", "thead", "tr", "ul", "xmp",
    ]
    private static let preformatted: Set<String> = ["pre", "listing", "xmp", "plaintext", "textarea"]
    private static let lists: Set<String> = ["ul", "ol", "dir", "menu"]

    /// Iterative walk over parent/next pointers: HTML mail can nest thousands of levels deep and
    /// recursion would overflow a secondary thread's stack.
    private static func walk(_ doc: htmlDocPtr, into b: inout TextBuilder) {
        var node = doc.pointee.children
        while let n = node {
            var descend = false
            switch n.pointee.type {
            case XML_ELEMENT_NODE:
                let name = LibXML.string(n.pointee.name).lowercased()
                if !skipped.contains(name) {
                    enter(name, &b)
                    descend = n.pointee.children != nil
                    if !descend { exit(name, &b) }
                }
            case XML_TEXT_NODE, XML_CDATA_SECTION_NODE:
                b.text(LibXML.string(n.pointee.content))
            default:
                break
            }
            if descend {
                node = n.pointee.children
                continue
            }
            var current = n
            node = nil
            while true {
                if let next = current.pointee.next {
                    node = next
                    break
                }
                guard let parent = current.pointee.parent, parent.pointee.type == XML_ELEMENT_NODE else { break }
                exit(LibXML.string(parent.pointee.name).lowercased(), &b)
                current = parent
            }
        }
    }

    private static func enter(_ name: String, _ b: inout TextBuilder) {
        if name == "br" { b.hardBreak(); return }
        if blocks.contains(name) { b.softBreak() }
        if lists.contains(name) { b.listDepth += 1 }
        if preformatted.contains(name) { b.enterPre() }
        if name == "li" { b.listItem() }
        if name == "tr" { b.rows.append(0) }
        if name == "td" || name == "th" { b.cell() }
    }

    private static func exit(_ name: String, _ b: inout TextBuilder) {
        if blocks.contains(name) { b.softBreak() }
        if lists.contains(name) { b.listDepth = max(0, b.listDepth - 1) }
        if preformatted.contains(name) { b.preDepth = max(0, b.preDepth - 1) }
        if name == "tr" { _ = b.rows.popLast() }
    }
}

/// Accumulates lines. Block boundaries only *request* a break, which happens when more content
/// follows: that lets the next table cell cancel it, so Outlook's `<td><p>x</p></td>` cells stay
/// on one tab-separated row. Blocks never create empty lines; <br> and <pre> newlines do, and
/// `finish` collapses runs of blank lines.
struct TextBuilder {
    var lines: [String] = []
    var current = String.UnicodeScalarView()
    var breakPending = false
    var pendingSpace = false
    var listDepth = 0
    var preDepth = 0
    /// Cells seen so far in each open table row, innermost last.
    var rows: [Int] = []
    var dropNewlineAfterPre = false
    var lastWasCR = false
    /// Just after a "- " marker or a cell tab: a block opening here (`<li><p>`, `<td><p>`) must
    /// not push its text to the next line.
    var atItemStart = false

    mutating func softBreak() {
        if !current.isEmpty && !atItemStart { breakPending = true }
        pendingSpace = false
    }

    mutating func hardBreak() {
        flushBreak()
        lines.append(String(current))
        current = String.UnicodeScalarView()
        pendingSpace = false
        atItemStart = false
    }

    private mutating func flushBreak() {
        guard breakPending else { return }
        breakPending = false
        lines.append(String(current))
        current = String.UnicodeScalarView()
    }

    mutating func enterPre() {
        preDepth += 1
        dropNewlineAfterPre = true
    }

    mutating func listItem() {
        flushBreak()
        current.append(contentsOf: String(repeating: "  ", count: max(0, listDepth - 1)).unicodeScalars)
        current.append(contentsOf: "- ".unicodeScalars)
        pendingSpace = false
        atItemStart = true
    }

    mutating func cell() {
        pendingSpace = false
        guard let seen = rows.last else { return }
        rows[rows.count - 1] = seen + 1
        guard seen > 0 else { return }
        breakPending = false
        if !current.isEmpty {
            current.append("\t")
            atItemStart = true
        }
    }

    mutating func text(_ s: String) {
        if preDepth > 0 {
            preText(s)
            return
        }
        for c in s.unicodeScalars {
            switch c {
            case " ", "\t", "\n", "\r", "\u{0C}":
                pendingSpace = true
                continue
            default:
                break
            }
            if breakPending {
                flushBreak()
                pendingSpace = false
            }
            if pendingSpace {
                if let last = current.last, last != " ", last != "\t" { current.append(" ") }
                pendingSpace = false
            }
            atItemStart = false
            current.append(c == "\u{A0}" ? " " : c)
        }
    }

    private mutating func preText(_ s: String) {
        var scalars = Substring(s).unicodeScalars[...]
        if dropNewlineAfterPre {
            dropNewlineAfterPre = false
            if scalars.first == "\r" { scalars = scalars.dropFirst() }
            if scalars.first == "\n" { scalars = scalars.dropFirst() }
        }
        for c in scalars {
            if c == "\n" {
                if !lastWasCR { hardBreak() }
                lastWasCR = false
            } else if c == "\r" {
                hardBreak()
                lastWasCR = true
            } else {
                lastWasCR = false
                flushBreak()
                atItemStart = false
                current.append(c == "\u{A0}" ? " " : c)
            }
        }
        pendingSpace = false
    }

    mutating func finish() -> String {
        if !current.isEmpty { lines.append(String(current)) }
        var out: [Substring] = []
        var previousBlank = true
        for line in lines {
            var t = Substring(line)
            while let last = t.unicodeScalars.last, last == " " || last == "\t" || last == "\u{0C}" || last == "\r" {
                t = Substring(t.unicodeScalars.dropLast())
            }
            if t.isEmpty {
                if !previousBlank { out.append("") }
                previousBlank = true
            } else {
                out.append(t)
                previousBlank = false
            }
        }
        while out.last?.isEmpty == true { out.removeLast() }
        return out.joined(separator: "\n").trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
