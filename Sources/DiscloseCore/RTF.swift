import CoreFoundation
import DiscloseCore
import Foundation

/// RTF read for its text, shared by attachment text (normalize) and Outlook bodies (extract):
/// a small converter, not a layout engine.
///
/// Read: paragraphs (\par, \sect, \page), \line, \tab, table cells (\cell tab, \row newline),
/// \'hh bytes in the code page in force (\ansicpg, or the current font's \fcharset / \cpg, so a
/// Shift-JIS or Big5 run decodes as such), \uN with its \ucN fallback characters skipped (and
/// surrogate pairs joined), the usual symbol words (\emdash, \lquote, \bullet...), field results,
/// list numbers, headers, footers and footnotes. Skipped: font, colour, style, list and revision
/// tables, \info, pictures and embedded objects (their \result text is kept), \bin data and every
/// \* destination we do not know. RTF that encapsulates HTML (\fromhtml1, Outlook) gives its
/// HTML back, which callers read with `HTMLText`.
public enum RTF {
    static let maxDepth = 1_000

    /// The document's text, or, when the RTF encapsulates HTML (Outlook's \fromhtml1), that HTML.
    public static func read(_ bytes: [UInt8]) -> (text: String, isHTML: Bool) {
        var p = Parser(bytes)
        p.run()
        return (p.output, p.isHTML)
    }

    struct Parser {
        let b: [UInt8]
        var i = 0
        var out = String.UnicodeScalarView()
        /// Bytes of the current \'hh / literal run, decoded together (multi-byte code pages).
        var pending: [UInt8] = []
        var pendingCodePage = 1252
        var documentCodePage = 1252
        var fontCodePages: [Int: Int] = [:]
        var defaultFont = -1
        var isHTML = false
        var highSurrogate: UInt32? = nil

        struct State {
            var skip = false
            var ucSkip = 1
            var font = -1
            var inFontTable = false
            /// Inside \htmlrtf (RTF-only content of encapsulated HTML): not part of the HTML.
            var htmlrtf = false
            /// Inside an \object: only its \result is shown.
            var inObject = false
            /// Inside \*\htmltag of encapsulated HTML: HTML source, always kept.
            var htmltag = false
        }

        var st = State()
        var stack: [State] = []
        /// Font-table entry being read: number, charset code page, \cpg.
        var fontEntry = -1

        init(_ b: [UInt8]) { self.b = b }

        var output: String {
            var s = String(out)
            if !isHTML {
                s = s.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
                s = TextTidy.tidy(s)
            }
            return s
        }

        /// Destinations whose content is not document text.
        static let skipped: Set<String> = [
            "fonttbl", "colortbl", "stylesheet", "info", "pict", "objdata", "objclass", "objname", "listtable",
            "listoverridetable", "revtbl", "rsidtbl", "generator", "xmlnstbl", "themedata", "colorschememapping",
            "datastore", "latentstyles", "pgdsctbl", "filetbl", "fldinst", "bkmkstart", "bkmkend", "mmathPr",
            "pnseclvl", "nonshppict", "shppict", "blipuid", "wgrffmtfilter", "mhtmltag", "protusertbl", "userprops",
            "template", "company", "operator", "author", "title", "subject", "keywords", "doccomm", "comment",
            "xe", "tc", "atnid", "atnauthor", "annotation", "atrfstart", "atrfend", "ftnsep", "ftnsepc", "aftnsep",
            "aftnsepc", "docvar", "listpicture", "panose", "falt", "fname", "passwordhash", "background", "sp", "sn", "sv",
            "shpinst", "ud",
        ]

        static let symbols: [String: String] = [
            "emdash": "\u{2014}", "endash": "\u{2013}", "bullet": "\u{2022}", "lquote": "\u{2018}", "rquote": "\u{2019}",
            "ldblquote": "\u{201C}", "rdblquote": "\u{201D}", "emspace": " ", "enspace": " ", "qmspace": " ",
            "zwj": "\u{200D}", "zwnj": "\u{200C}", "ltrmark": "", "rtlmark": "",
        ]

        mutating func run() {
            let n = b.count
            var groupStart = false
            while i < n {
                let c = b[i]
                switch c {
                case 0x7B:  // {
                    flush()
                    if stack.count >= RTF.maxDepth { i += 1; skipGroup(); continue }
                    stack.append(st)
                    groupStart = true
                    i += 1
                    continue
                case 0x7D:  // }
                    flush()
                    if st.inFontTable && !(stack.last?.inFontTable ?? false) { fontEntry = -1 }
                    st = stack.popLast() ?? State()
                    i += 1
                case 0x5C:  // backslash
                    i += 1
                    guard i < n else { break }
                    let d = b[i]
                    if isLetter(d) {
                        var j = i
                        while j < n, isLetter(b[j]), j - i < 32 { j += 1 }
                        let word = String(decoding: b[i..<j], as: UTF8.self)
                        var param: Int? = nil
                        var k = j
                        var negative = false
                        if k < n, b[k] == 0x2D { negative = true; k += 1 }
                        var digits = 0
                        var value = 0
                        while k < n, b[k] >= 0x30, b[k] <= 0x39, digits < 10 {
                            value = value * 10 + Int(b[k] - 0x30); digits += 1; k += 1
                        }
                        if digits > 0 { param = negative ? -value : value; j = k }
                        if j < n, b[j] == 0x20 { j += 1 }
                        i = j
                        control(word, param, groupStart: groupStart)
                    } else if d == 0x27 {  // \'hh
                        if i + 2 < n, let h = hex(b[i + 1], b[i + 2]) {
                            if visible { byte(h) }
                            i += 3
                        } else { i += 1 }
                    } else if d == 0x2A {  // \* : an optional destination, skipped unless known
                        i += 1
                        if !(i + 1 < n && b[i] == 0x5C && (startsWith(i + 1, "htmltag") || startsWith(i + 1, "shptxt"))) {
                            st.skip = true
                        }
                        continue
                    } else {
                        i += 1
                        if visible {
                            switch d {
                            case 0x7B, 0x7D, 0x5C: byte(d)
                            case 0x7E: scalar(0xA0)  // \~
                            case 0x5F: scalar(0x2011)  // \_
                            case 0x0A, 0x0D: if !isHTML { text("\n") }  // "\<newline>" is \par
                            case 0x09: text("\t")
                            default: break  // \- optional hyphen, \: index subentry
                            }
                        }
                    }
                    groupStart = false
                    continue
                case 0x0D, 0x0A:
                    i += 1
                    continue
                default:
                    if st.inFontTable {
                        if c == 0x3B { fontEntry = -1 }
                    } else if c >= 0x20 || c == 0x09, visible {
                        byte(c)
                    }
                    i += 1
                }
                groupStart = false
            }
            flush()
        }

        var visible: Bool {
            if st.skip || st.inFontTable { return false }
            if st.htmltag { return true }
            return !st.htmlrtf && !st.inObject
        }

        mutating func skipGroup() {
            // Already past '{': skip to the matching '}' without interpreting anything.
            var depth = 1
            while i < b.count, depth > 0 {
                switch b[i] {
                case 0x5C: i += 1
                case 0x7B: depth += 1
                case 0x7D: depth -= 1
                default: break
                }
                i += 1
            }
        }

        mutating func control(_ w: String, _ p: Int?, groupStart: Bool) {
            if groupStart && Self.skipped.contains(w) {
                if w == "fonttbl" { st.inFontTable = true; st.skip = false; return }
                st.skip = true
                return
            }
            switch w {
            case "rtf", "ansi": break
            case "ansicpg": if let p, p > 0 { documentCodePage = p }
            case "mac": documentCodePage = 10000
            case "pc": documentCodePage = 437
            case "pca": documentCodePage = 850
            case "deff": defaultFont = p ?? -1
            case "fromhtml": isHTML = true
            case "htmlrtf": flush(); st.htmlrtf = (p ?? 1) != 0
            case "htmltag": if isHTML { flush(); st.htmltag = true } else { st.skip = true }
            case "f":
                if st.inFontTable {
                    fontEntry = p ?? -1
                } else {
                    flush()
                    st.font = p ?? -1
                }
            case "fcharset":
                if st.inFontTable, fontEntry >= 0, let cp = Self.charsetCodePage(p ?? 0) { fontCodePages[fontEntry] = cp }
            case "cpg":
                if st.inFontTable, fontEntry >= 0, let p, p > 0 { fontCodePages[fontEntry] = p }
            case "uc": st.ucSkip = max(0, min(p ?? 1, 10))
            case "u":
                guard var v = p else { return }
                // \u is a signed 16-bit value; anything outside that range is hostile input.
                if v < 0 { v += 65_536 }
                if visible, v >= 0, v <= 0x10FFFF { unicode(UInt32(v)) }
                skipFallback(st.ucSkip)
            case "bin":
                // Binary data: skipped byte for byte, never read as text.
                i = min(b.count, i + max(0, p ?? 0))
            case "object": st.inObject = true
            case "result": st.inObject = false
            case "par", "sect", "page", "row", "nestrow":
                if visible && !isHTML { text("\n") } else if visible && isHTML && !st.htmlrtf { text("\r\n") }
            case "line": if visible { text(isHTML ? "\r\n" : "\n") }
            case "tab", "cell", "nestcell": if visible { text("\t") }
            default:
                if visible, let s = Self.symbols[w] { text(s) }
            }
        }

        /// Skips the \uN fallback: `count` characters, a \'hh or a control symbol counting as one.
        mutating func skipFallback(_ count: Int) {
            var left = count
            while left > 0, i < b.count {
                let c = b[i]
                if c == 0x7B || c == 0x7D { return }
                if c == 0x5C {
                    if i + 1 < b.count, b[i + 1] == 0x27 { i += 4 } else if i + 1 < b.count, isLetter(b[i + 1]) { return } else { i += 2 }
                } else if c == 0x0D || c == 0x0A {
                    i += 1
                    continue
                } else {
                    i += 1
                }
                left -= 1
            }
        }

        // MARK: output

        var currentCodePage: Int {
            let f = st.font >= 0 ? st.font : defaultFont
            return fontCodePages[f] ?? documentCodePage
        }

        mutating func byte(_ c: UInt8) {
            let cp = currentCodePage
            if !pending.isEmpty && cp != pendingCodePage { flush() }
            pendingCodePage = cp
            pending.append(c)
        }

        mutating func flush() {
            guard !pending.isEmpty else { return }
            flushSurrogate()
            out.append(contentsOf: Self.decode(pending, codePage: pendingCodePage).unicodeScalars)
            pending.removeAll(keepingCapacity: true)
        }

        mutating func text(_ s: String) {
            flush()
            flushSurrogate()
            out.append(contentsOf: s.unicodeScalars)
        }

        mutating func scalar(_ v: UInt32) {
            if let u = Unicode.Scalar(v) { text(String(u)) }
        }

        mutating func unicode(_ v: UInt32) {
            flush()
            if (0xD800...0xDBFF).contains(v) {
                flushSurrogate()
                highSurrogate = v
                return
            }
            if (0xDC00...0xDFFF).contains(v), let hi = highSurrogate {
                highSurrogate = nil
                let combined = 0x10000 + ((hi - 0xD800) << 10) + (v - 0xDC00)
                if let u = Unicode.Scalar(combined) { out.append(u) }
                return
            }
            flushSurrogate()
            if let u = Unicode.Scalar(v) { out.append(u) } else { out.append("\u{FFFD}") }
        }

        mutating func flushSurrogate() {
            if highSurrogate != nil { highSurrogate = nil; out.append("\u{FFFD}") }
        }

        // MARK: helpers

        func isLetter(_ c: UInt8) -> Bool { (c >= 0x61 && c <= 0x7A) || (c >= 0x41 && c <= 0x5A) }

        func hex(_ a: UInt8, _ b: UInt8) -> UInt8? {
            func v(_ c: UInt8) -> UInt8? {
                switch c {
                case 0x30...0x39: return c - 0x30
                case 0x41...0x46: return c - 0x37
                case 0x61...0x66: return c - 0x57
                default: return nil
                }
            }
            guard let x = v(a), let y = v(b) else { return nil }
            return x << 4 | y
        }

        func startsWith(_ at: Int, _ s: String) -> Bool {
            let u = Array(s.utf8)
            guard at + u.count <= b.count else { return false }
            return Array(b[at..<at + u.count]) == u
        }

        /// \fcharset values to Windows code pages.
        static func charsetCodePage(_ charset: Int) -> Int? {
            switch charset {
            case 0: return nil  // ANSI: the document's code page
            case 1: return nil  // default
            case 2: return 1252  // Symbol: shown as Latin-1 bytes rather than lost
            case 77: return 10000
            case 128: return 932
            case 129: return 949
            case 130: return 1361
            case 134: return 936
            case 136: return 950
            case 161: return 1253
            case 162: return 1254
            case 163: return 1258
            case 177: return 1255
            case 178: return 1256
            case 186: return 1257
            case 204: return 1251
            case 222: return 874
            case 238: return 1250
            case 254: return 437
            case 255: return 850
            default: return nil
            }
        }

        /// Bytes in a Windows code page to text; what the code page cannot decode falls back to
        /// windows-1252 byte by byte, so nothing disappears.
        static func decode(_ bytes: [UInt8], codePage: Int) -> String {
            if bytes.allSatisfy({ $0 < 0x80 }) { return String(decoding: bytes, as: UTF8.self) }
            switch codePage {
            case 1252, 0: return String(bytes: bytes, encoding: .windowsCP1252) ?? latin1(bytes)
            case 65001: return String(decoding: bytes, as: UTF8.self)
            default:
                let cf = CFStringConvertWindowsCodepageToEncoding(UInt32(codePage))
                if cf != kCFStringEncodingInvalidId {
                    let ns = CFStringConvertEncodingToNSStringEncoding(cf)
                    if let s = String(bytes: bytes, encoding: String.Encoding(rawValue: ns)) { return s }
                }
                return String(bytes: bytes, encoding: .windowsCP1252) ?? latin1(bytes)
            }
        }

        static func latin1(_ bytes: [UInt8]) -> String {
            String(String.UnicodeScalarView(bytes.map { Unicode.Scalar($0) }))
        }
    }
}

/// Extracted text made readable: lines right-trimmed, runs of blank lines folded to one, no
/// trailing blank lines.
public enum TextTidy {
    public static func tidy(_ s: String) -> String {
        var out: [Substring] = []
        var blank = true
        for line in s.split(separator: "\n", omittingEmptySubsequences: false) {
            var l = line
            while let last = l.last, last == " " || last == "\t" || last == "\r" { l = l.dropLast() }
            if l.isEmpty {
                if !blank { out.append("") }
                blank = true
            } else {
                out.append(l)
                blank = false
            }
        }
        while out.last?.isEmpty == true { out.removeLast() }
        return out.joined(separator: "\n")
    }
}
