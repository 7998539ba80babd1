import ArchiveKit
import DiscloseCore
import Foundation
import ICalKit

/// Text of Office Open XML (DOCX, XLSX, PPTX and their macro/template variants) and
/// OpenDocument (ODT, ODS, ODP) files: the zip is read with ArchiveKit, entry by entry, keeping
/// only the XML parts that hold text, and those are read with `XMLScan`, a streaming scanner
/// (XMLKit's DOM keeps an element's text apart from its children, which loses the order of
/// OpenDocument's mixed content, and a DOM of a large sheet costs gigabytes).
///
/// The XML read from one file is capped at `maxXMLBytes` in total (a zip bomb stops there) and
/// the result then says "text truncated".
enum OfficeText {
    static let maxXMLBytes = 64 << 20
    static let maxEntries = 20_000

    struct Result {
        var text: String
        /// The media type the parts show the file to be (refines the sniffed one).
        var mimeType: String
        /// Non-empty when text could not be read, or not all of it.
        var note: String
    }

    enum Kind { case docx, xlsx, pptx, odf }

    static let docxType = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    static let xlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    static let pptxType = "application/vnd.openxmlformats-officedocument.presentationml.presentation"

    static func extract(_ data: Data, name: String, sniffed: String, maxXMLBytes: Int = OfficeText.maxXMLBytes) -> Result {
        let parts: Parts
        do { parts = try Parts.read(data, maxXMLBytes: maxXMLBytes) } catch {
            return Result(text: "", mimeType: sniffed, note: "Office file could not be opened as a zip: \(error)")
        }
        var truncated = parts.truncated
        let text: String
        let type: String
        switch parts.kind {
        case .docx?:
            type = parts.has("word/document.xml") || parts.main?.hasPrefix("word/") == true ? docxType : sniffed
            text = Word.text(parts)
        case .xlsx?:
            type = xlsxType
            var cut = false
            text = Sheet.text(parts, truncated: &cut)
            truncated = truncated || cut
        case .pptx?:
            type = pptxType
            text = Slides.text(parts)
        case .odf?:
            let mimetype = String(decoding: parts.data("mimetype") ?? Data(), as: UTF8.self)
                .trimmingCharacters(in: .whitespacesAndNewlines)
            type = mimetype.hasPrefix("application/vnd.oasis.opendocument") ? mimetype : sniffed
            if let manifest = parts.data("meta-inf/manifest.xml"),
               String(decoding: manifest, as: UTF8.self).contains("encryption-data") {
                return Result(text: "", mimeType: type, note: "encrypted OpenDocument file (password needed); not read")
            }
            text = OpenDocument.text(parts)
        case nil:
            return Result(text: "", mimeType: sniffed, note: "zip without a Word, Excel, PowerPoint or OpenDocument part; no text extracted")
        }
        let clean = tidy(text)
        var note = ""
        if truncated {
            note = "text truncated: the document's XML is over the \(maxXMLBytes >> 20 > 0 ? "\(maxXMLBytes >> 20) MB" : "\(maxXMLBytes)-byte") limit (possible zip bomb); only the first part was read"
        } else if clean.isEmpty {
            note = "no text in this document"
        }
        return Result(text: clean, mimeType: type, note: note)
    }

    /// Right-trims lines, collapses runs of blank lines to one, trims the ends.
    static func tidy(_ s: String) -> String { TextTidy.tidy(s) }

    // MARK: - The zip's parts

    /// The XML parts that can hold text, by lower-cased name (OPC part names are case-insensitive).
    struct Parts {
        var entries: [String: Data] = [:]
        var names: [String] = []
        var truncated = false
        /// The officeDocument target of _rels/.rels, lower-cased, when given.
        var main: String?

        func has(_ name: String) -> Bool { entries[name] != nil }
        func data(_ name: String) -> Data? { entries[name] }

        var kind: Kind? {
            if let m = main {
                if m.hasPrefix("word/") { return .docx }
                if m.hasPrefix("xl/") { return .xlsx }
                if m.hasPrefix("ppt/") { return .pptx }
            }
            if has("word/document.xml") { return .docx }
            if has("xl/workbook.xml") { return .xlsx }
            if has("ppt/presentation.xml") { return .pptx }
            if has("content.xml") { return .odf }
            return nil
        }

        static let wordSkipped: Set<String> = ["styles.xml", "settings.xml", "fonttable.xml", "websettings.xml", "numbering.xml",
                                               "styleswitheffects.xml", "people.xml", "commentsids.xml", "commentsextended.xml",
                                               "commentsextensible.xml"]

        static func wanted(_ n: String) -> Bool {
            if ["_rels/.rels", "mimetype", "content.xml", "styles.xml", "meta-inf/manifest.xml"].contains(n) { return true }
            let c = n.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
            switch c.first {
            case "word":
                if c.count == 2 { return c[1].hasSuffix(".xml") && !wordSkipped.contains(c[1]) }
                return c.count == 3 && c[1] == "_rels" && c[2].hasSuffix(".rels")
            case "xl":
                if c.count == 2 { return ["workbook.xml", "sharedstrings.xml", "styles.xml"].contains(c[1]) || (c[1].hasSuffix(".xml") && c[1].hasPrefix("workbook")) }
                if c.count == 3 && c[1] == "_rels" { return c[2].hasSuffix(".rels") }
                return c.count == 3 && c[1] == "worksheets" && c[2].hasSuffix(".xml")
            case "ppt":
                if c.count == 2 { return c[1] == "presentation.xml" }
                if c.count == 3 && c[1] == "_rels" { return c[2] == "presentation.xml.rels" }
                if c.count == 3 && (c[1] == "slides" || c[1] == "notesslides") { return c[2].hasSuffix(".xml") }
                return c.count == 4 && c[1] == "slides" && c[2] == "_rels" && c[3].hasSuffix(".rels")
            default:
                return false
            }
        }

        static func read(_ data: Data, maxXMLBytes: Int) throws -> Parts {
            let tmp = FileManager.default.temporaryDirectory
                .appendingPathComponent("disclose-office-\(UUID().uuidString).zip")
            try data.write(to: tmp)
            defer { try? FileManager.default.removeItem(at: tmp) }
            let reader = try ArchiveReader(path: tmp.path)
            var parts = Parts()
            var budget = maxXMLBytes
            var count = 0
            struct Full: Error {}
            while let e = try? reader.nextEntry() {
                count += 1
                if count > maxEntries { break }
                let name = e.pathname.lowercased().hasPrefix("/") ? String(e.pathname.lowercased().dropFirst()) : e.pathname.lowercased()
                parts.names.append(name)
                guard e.isRegularFile, wanted(name), parts.entries[name] == nil else { continue }
                if budget <= 0 { parts.truncated = true; break }
                var buf = Data()
                do {
                    try reader.readData { chunk in
                        let take = min(chunk.count, budget - buf.count)
                        if take > 0 { buf.append(contentsOf: chunk.prefix(take)) }
                        if take < chunk.count { throw Full() }
                    }
                } catch is Full {
                    parts.truncated = true
                } catch {
                    // A damaged entry: keep what came out and go on with the others.
                }
                budget -= buf.count
                parts.entries[name] = buf
                if parts.truncated { break }
            }
            if let rels = parts.entries["_rels/.rels"] {
                parts.main = Relationships.parse(rels, base: "").first { $0.type.hasSuffix("/officeDocument") }?.target
            }
            return parts
        }
    }

    // MARK: - Relationships

    struct Relationship { var id: String; var type: String; var target: String }

    enum Relationships {
        /// Targets resolved against `base` (the folder of the part the .rels belongs to), lower-cased.
        static func parse(_ data: Data, base: String) -> [Relationship] {
            var out: [Relationship] = []
            XMLScan.run(data) { ev in
                if case .start(let t) = ev, t.local == "Relationship" {
                    let mode = t.attr("TargetMode") ?? ""
                    guard mode.lowercased() != "external" else { return }
                    out.append(Relationship(id: t.attr("Id") ?? "", type: t.attr("Type") ?? "",
                                            target: resolve(t.attr("Target") ?? "", base: base)))
                }
            }
            return out
        }

        static func resolve(_ target: String, base: String) -> String {
            var comps: [Substring] = target.hasPrefix("/") ? [] : base.split(separator: "/")
            for c in target.split(separator: "/") {
                if c == ".." { _ = comps.popLast() } else if c != "." { comps.append(c) }
            }
            return comps.joined(separator: "/").lowercased()
        }

        /// `word/_rels/document.xml.rels` for `word/document.xml`.
        static func relsName(for part: String) -> String {
            let dir = PathName.parent(part)
            let file = PathName.last(part)
            return (dir.isEmpty ? "" : dir + "/") + "_rels/" + file + ".rels"
        }

        static func of(_ part: String, in parts: Parts) -> [Relationship] {
            guard let d = parts.data(relsName(for: part)) else { return [] }
            return parse(d, base: PathName.parent(part))
        }
    }

    /// Parts named `prefix` + number + `.xml` in number order (header1, header2, ... header10).
    static func numbered(_ parts: Parts, prefix: String) -> [String] {
        parts.entries.keys.compactMap { k -> (Int, String)? in
            guard k.hasPrefix(prefix), k.hasSuffix(".xml") else { return nil }
            let mid = k.dropFirst(prefix.count).dropLast(4)
            guard let n = Int(mid) else { return nil }
            return (n, k)
        }.sorted { $0.0 < $1.0 }.map(\.1)
    }

    // MARK: - Text assembly shared by the formats

    /// Paragraphs, table cells as tabs and rows as lines, whatever the format's element names.
    struct Builder {
        var out = ""
        var line = ""
        /// Open table cells, innermost last; a cell collects its paragraphs on one line.
        var cellDepth = 0

        mutating func text(_ s: String) { line += s }

        mutating func paragraphEnd() {
            if cellDepth > 0 {
                if !line.isEmpty && !line.hasSuffix(" ") && !line.hasSuffix("\t") { line += " " }
            } else {
                out += line + "\n"
                line = ""
            }
        }

        mutating func lineBreak() {
            if cellDepth > 0 { line += " " } else { out += line + "\n"; line = "" }
        }

        mutating func cellStart() { cellDepth += 1 }

        mutating func cellEnd() {
            while line.hasSuffix(" ") { line.removeLast() }
            line += "\t"
            cellDepth = max(0, cellDepth - 1)
        }

        mutating func rowEnd() {
            while line.hasSuffix("\t") || line.hasSuffix(" ") { line.removeLast() }
            if cellDepth > 0 {
                line += " "
            } else {
                out += line + "\n"
                line = ""
            }
        }

        mutating func heading(_ s: String) {
            flush()
            if !out.isEmpty { out += "\n" }
            out += s + "\n"
        }

        mutating func flush() {
            if !line.isEmpty { out += line + "\n"; line = "" }
        }

        mutating func finish() -> String { flush(); return out }
    }

    // MARK: - Word

    enum Word {
        static func text(_ parts: Parts) -> String {
            let main = parts.main.flatMap { parts.has($0) ? $0 : nil } ?? "word/document.xml"
            var b = Builder()
            if let d = parts.data(main) { body(d, into: &b) }
            let rels = Relationships.of(main, in: parts)
            func targets(_ suffix: String, _ prefix: String) -> [String] {
                let named = rels.filter { $0.type.hasSuffix(suffix) }.map(\.target).filter { parts.has($0) }
                var seen = Set<String>()
                let list = named.isEmpty ? numbered(parts, prefix: prefix) : named
                return list.filter { seen.insert($0).inserted }
            }
            var sections: [(String, [String])] = []
            sections.append(("Header", targets("/header", "word/header")))
            sections.append(("Footer", targets("/footer", "word/footer")))
            sections.append(("Footnotes", targets("/footnotes", "word/footnotes")))
            sections.append(("Endnotes", targets("/endnotes", "word/endnotes")))
            sections.append(("Comments", targets("/comments", "word/comments")))
            var seenText = Set<String>()
            for (title, names) in sections {
                for n in names {
                    guard let d = parts.data(n) else { continue }
                    var sb = Builder()
                    body(d, into: &sb, comments: title == "Comments")
                    let t = tidy(sb.finish())
                    guard !t.isEmpty, seenText.insert(title + "\u{0}" + t).inserted else { continue }
                    b.heading("[\(title)]")
                    b.out += t + "\n"
                }
            }
            return b.finish()
        }

        /// w:p paragraphs, w:tbl tables, w:t/w:delText text (deleted text of tracked changes
        /// is kept and marked, so nothing a reviewer could see in Word is missing), tabs and breaks.
        /// Field instructions, the fallback copy of alternate content and footnote separators are skipped.
        static func body(_ data: Data, into b: inout Builder, comments: Bool = false) {
            var skip = 0
            var inText = false
            var inDeleted = 0
            var deletedOpen = false
            var builder = b
            XMLScan.run(data) { ev in
                switch ev {
                case .start(let t):
                    if skip > 0 { skip += 1; return }
                    switch t.local {
                    case "instrText", "Fallback", "delInstrText", "pPr", "rPr", "sectPr", "tblPr", "trPr", "tcPr",
                         "tblGrid", "tabs":
                        skip = 1
                    case "footnote", "endnote":
                        if let type = t.attr("type"), type != "normal" { skip = 1 }
                    case "comment" where comments:
                        let who = t.attr("author") ?? ""
                        builder.text(who.isEmpty ? "Comment: " : "Comment by \(who): ")
                    case "t", "delText": inText = true
                    case "del":
                        inDeleted += 1
                    case "tab": if !inText { builder.text("\t") }
                    case "br", "cr": builder.lineBreak()
                    case "noBreakHyphen": builder.text("-")
                    case "tc": builder.cellStart()
                    default: break
                    }
                case .end(let local):
                    if skip > 0 { skip -= 1; return }
                    switch local {
                    case "t", "delText": inText = false
                    case "del":
                        inDeleted = max(0, inDeleted - 1)
                        if inDeleted == 0 && deletedOpen { builder.text("]"); deletedOpen = false }
                    case "p":
                        if deletedOpen { builder.text("]"); deletedOpen = false }
                        builder.paragraphEnd()
                    case "tc": builder.cellEnd()
                    case "tr": builder.rowEnd()
                    default: break
                    }
                case .text(let s):
                    guard skip == 0, inText else { return }
                    if inDeleted > 0 && !deletedOpen { builder.text("[deleted: "); deletedOpen = true }
                    builder.text(s)
                }
            }
            builder.flush()
            b = builder
        }
    }

    // MARK: - Excel

    enum Sheet {
        static let maxColumnGap = 256

        static func text(_ parts: Parts, truncated: inout Bool) -> String {
            let book = parts.main.flatMap { parts.has($0) ? $0 : nil } ?? "xl/workbook.xml"
            let rels = Relationships.of(book, in: parts)
            let byID = Dictionary(rels.map { ($0.id, $0.target) }, uniquingKeysWith: { a, _ in a })
            var sheets: [(name: String, part: String, hidden: Bool)] = []
            var date1904 = false
            if let d = parts.data(book) {
                XMLScan.run(d) { ev in
                    guard case .start(let t) = ev else { return }
                    if t.local == "workbookPr", let v = t.attr("date1904") { date1904 = v == "1" || v.lowercased() == "true" }
                    if t.local == "sheet", let id = t.attr("id", ns: .relationships), let target = byID[id] {
                        let state = t.attr("state") ?? "visible"
                        sheets.append((t.attr("name") ?? "", target, state != "visible"))
                    }
                }
            }
            if sheets.isEmpty {
                sheets = numbered(parts, prefix: "xl/worksheets/sheet").enumerated().map { ("Sheet\($0.offset + 1)", $0.element, false) }
            }
            let shared = sharedStrings(parts.data(sharedStringsName(rels, parts)))
            let styles = DateStyles(parts.data(rels.first { $0.type.hasSuffix("/styles") }?.target ?? "xl/styles.xml"))
            var b = Builder()
            for s in sheets {
                guard let d = parts.data(s.part) else { continue }
                b.heading("Sheet: \(s.name)" + (s.hidden ? " (hidden)" : ""))
                cells(d, shared: shared, styles: styles, date1904: date1904, into: &b)
            }
            return b.finish()
        }

        static func sharedStringsName(_ rels: [Relationship], _ parts: Parts) -> String {
            rels.first { $0.type.hasSuffix("/sharedStrings") }?.target ?? "xl/sharedstrings.xml"
        }

        /// Each `si` is the concatenation of its `t` runs; phonetic guides (`rPh`) are skipped.
        static func sharedStrings(_ data: Data?) -> [String] {
            guard let data else { return [] }
            var out: [String] = []
            var current = ""
            var inT = false
            var inPhonetic = 0
            var inItem = false
            XMLScan.run(data) { ev in
                switch ev {
                case .start(let t):
                    switch t.local {
                    case "si": inItem = true; current = ""
                    case "rPh": inPhonetic += 1
                    case "t": inT = true
                    default: break
                    }
                case .end(let l):
                    switch l {
                    case "si": if inItem { out.append(current) }; inItem = false
                    case "rPh": inPhonetic = max(0, inPhonetic - 1)
                    case "t": inT = false
                    default: break
                    }
                case .text(let s):
                    if inItem, inT, inPhonetic == 0 { current += s }
                }
            }
            return out
        }

        /// Rows as lines, cells tab-separated at their column (gaps kept up to `maxColumnGap`).
        static func cells(_ data: Data, shared: [String], styles: DateStyles, date1904: Bool, into b: inout Builder) {
            var row: [(Int, String)] = []
            var cellType = ""
            var cellStyle = 0
            var cellColumn = -1
            var value = ""
            var inline = ""
            var inV = false
            var inInlineT = false
            var inIs = false
            var nextColumn = 0
            var builder = b
            XMLScan.run(data) { ev in
                switch ev {
                case .start(let t):
                    switch t.local {
                    case "row": row = []; nextColumn = 0
                    case "c":
                        cellType = t.attr("t") ?? "n"
                        cellStyle = Int(t.attr("s") ?? "") ?? 0
                        cellColumn = t.attr("r").flatMap(column) ?? nextColumn
                        value = ""; inline = ""
                    case "v": inV = true
                    case "is": inIs = true
                    case "t": if inIs { inInlineT = true }
                    default: break
                    }
                case .end(let l):
                    switch l {
                    case "v": inV = false
                    case "is": inIs = false
                    case "t": inInlineT = false
                    case "c":
                        let shown = display(type: cellType, value: value, inline: inline, style: cellStyle,
                                            shared: shared, styles: styles, date1904: date1904)
                        if !shown.isEmpty { row.append((cellColumn, shown)) }
                        nextColumn = cellColumn + 1
                    case "row":
                        guard !row.isEmpty else { return }
                        var line = ""
                        var col = 0
                        for (k, (c, v)) in row.enumerated() {
                            // Empty columns before a value keep their place (up to a limit).
                            let gap = min(max(0, c - col), maxColumnGap)
                            line += String(repeating: "\t", count: k == 0 ? gap : gap + 1)
                            line += v.replacingOccurrences(of: "\r\n", with: " ").replacingOccurrences(of: "\n", with: " ")
                                .replacingOccurrences(of: "\r", with: " ").replacingOccurrences(of: "\t", with: " ")
                            col = c + 1
                        }
                        builder.text(line)
                        builder.paragraphEnd()
                    default: break
                    }
                case .text(let s):
                    if inV { value += s } else if inInlineT { inline += s }
                }
            }
            b = builder
        }

        static func display(type: String, value: String, inline: String, style: Int, shared: [String],
                            styles: DateStyles, date1904: Bool) -> String {
            switch type {
            case "s":
                guard let i = Int(value.trimmingCharacters(in: .whitespaces)), i >= 0, i < shared.count else { return value }
                return shared[i]
            case "inlineStr": return inline
            case "b": return value == "1" ? "TRUE" : (value == "0" ? "FALSE" : value)
            case "str", "e": return value
            default:
                if styles.isDate(style), let serial = Double(value) { return excelDate(serial, date1904: date1904) ?? value }
                return value
            }
        }

        /// Serial day numbers (1900 system, with Lotus's phantom 29 Feb 1900; or 1904) to ISO text.
        static func excelDate(_ serial: Double, date1904: Bool) -> String? {
            guard serial.isFinite, serial >= 0, serial < 2_958_466 else { return nil }
            var days = Int(serial.rounded(.down))
            var seconds = Int(((serial - Double(days)) * 86_400).rounded())
            if seconds >= 86_400 { days += 1; seconds -= 86_400 }
            if !date1904 && days < 61 { days += 1 }  // before Lotus's phantom 29 Feb 1900
            let base = date1904 ? Int64(-2_082_844_800) : Int64(-2_209_161_600)  // 1904-01-01, 1899-12-30
            let epoch = base + Int64(days) * 86_400 + Int64(seconds)
            let f = Civil.fields(epoch)
            let date = String(format: "%04d-%02d-%02d", f.year, f.month, f.day)
            if seconds == 0 { return date }
            return date + String(format: " %02d:%02d", f.hour, f.minute) + (f.second != 0 ? String(format: ":%02d", f.second) : "")
        }

        /// "AB12" -> 27 (zero-based column).
        static func column(_ ref: String) -> Int? {
            var n = 0
            var letters = 0
            for u in ref.unicodeScalars {
                let v = u.value
                if v >= 65 && v <= 90 { n = n * 26 + Int(v - 64); letters += 1 } else if v >= 97 && v <= 122 { n = n * 26 + Int(v - 96); letters += 1 } else { break }
                if letters > 4 { return nil }
            }
            return letters == 0 ? nil : n - 1
        }
    }

    /// Which cell styles (cellXfs indexes) show numbers as dates.
    struct DateStyles {
        var dateStyles = Set<Int>()

        init(_ data: Data?) {
            guard let data else { return }
            var custom: [Int: String] = [:]
            var xfs: [Int] = []
            var inCellXfs = false
            XMLScan.run(data) { ev in
                switch ev {
                case .start(let t):
                    if t.local == "numFmt", let id = t.attr("numFmtId").flatMap({ Int($0) }) { custom[id] = t.attr("formatCode") ?? "" }
                    if t.local == "cellXfs" { inCellXfs = true }
                    if t.local == "xf", inCellXfs { xfs.append(Int(t.attr("numFmtId") ?? "0") ?? 0) }
                case .end(let l):
                    if l == "cellXfs" { inCellXfs = false }
                case .text: break
                }
            }
            for (i, id) in xfs.enumerated() where Self.isDateFormat(id, custom[id]) { dateStyles.insert(i) }
        }

        func isDate(_ style: Int) -> Bool { dateStyles.contains(style) }

        static func isDateFormat(_ id: Int, _ code: String?) -> Bool {
            if (14...22).contains(id) || (45...47).contains(id) || (27...36).contains(id) || (50...58).contains(id) { return code == nil || looksLikeDate(code!) }
            guard let code else { return false }
            return looksLikeDate(code)
        }

        /// A format code with day/month/year or hour parts outside quotes and brackets.
        static func looksLikeDate(_ code: String) -> Bool {
            var inQuote = false
            var inBracket = false
            var previous: Character = " "
            for ch in code {
                if ch == "\"" { inQuote.toggle(); continue }
                if inQuote { continue }
                if ch == "[" { inBracket = true; continue }
                if ch == "]" { inBracket = false; continue }
                if inBracket || previous == "\\" { previous = ch; continue }
                if "dDyYhH".contains(ch) { return true }
                if "mM".contains(ch) { return true }
                previous = ch
            }
            return false
        }
    }

    // MARK: - PowerPoint

    enum Slides {
        static func text(_ parts: Parts) -> String {
            let pres = parts.main.flatMap { parts.has($0) ? $0 : nil } ?? "ppt/presentation.xml"
            let rels = Relationships.of(pres, in: parts)
            let byID = Dictionary(rels.map { ($0.id, $0.target) }, uniquingKeysWith: { a, _ in a })
            var slides: [String] = []
            if let d = parts.data(pres) {
                XMLScan.run(d) { ev in
                    if case .start(let t) = ev, t.local == "sldId", let id = t.attr("id", ns: .relationships), let target = byID[id] {
                        slides.append(target)
                    }
                }
            }
            if slides.isEmpty { slides = numbered(parts, prefix: "ppt/slides/slide") }
            var b = Builder()
            for (i, s) in slides.enumerated() {
                b.heading("Slide \(i + 1)")
                if let d = parts.data(s) { drawing(d, into: &b) }
                if let notes = Relationships.of(s, in: parts).first(where: { $0.type.hasSuffix("/notesSlide") })?.target,
                   let d = parts.data(notes) {
                    var nb = Builder()
                    drawing(d, into: &nb, skipSlideNumbers: true)
                    let t = tidy(nb.finish())
                    if !t.isEmpty { b.flush(); b.out += "Notes:\n" + t + "\n" }
                }
            }
            return b.finish()
        }

        /// DrawingML text: a:p paragraphs of a:t runs, a:br breaks, a:tbl cells.
        static func drawing(_ data: Data, into b: inout Builder, skipSlideNumbers: Bool = false) {
            var inT = false
            var skip = 0
            var builder = b
            XMLScan.run(data) { ev in
                switch ev {
                case .start(let t):
                    if skip > 0 { skip += 1; return }
                    switch t.local {
                    case "Fallback": skip = 1
                    case "fld" where skipSlideNumbers && t.attr("type") == "slidenum": skip = 1
                    case "t": inT = true
                    case "br": builder.lineBreak()
                    case "tc": builder.cellStart()
                    default: break
                    }
                case .end(let l):
                    if skip > 0 { skip -= 1; return }
                    switch l {
                    case "t": inT = false
                    case "p": builder.paragraphEnd()
                    case "tc": builder.cellEnd()
                    case "tr": builder.rowEnd()
                    default: break
                    }
                case .text(let s):
                    if skip == 0, inT { builder.text(s) }
                }
            }
            builder.flush()
            b = builder
        }
    }

    // MARK: - OpenDocument

    enum OpenDocument {
        static func text(_ parts: Parts) -> String {
            var b = Builder()
            if let d = parts.data("content.xml") { body(d, into: &b) }
            if let d = parts.data("styles.xml") {
                var sb = Builder()
                body(d, into: &sb, onlyHeadersAndFooters: true)
                let t = tidy(sb.finish())
                if !t.isEmpty { b.heading("[Headers and footers]"); b.out += t + "\n" }
            }
            return b.finish()
        }

        static let headerFooter: Set<String> = ["header", "footer", "header-left", "footer-left", "header-first", "footer-first"]

        /// text:p / text:h paragraphs with their mixed content in order, text:s spaces, tabs and
        /// line breaks, table rows and cells, a heading per spreadsheet table and drawing page.
        /// The tracked-changes log (text:tracked-changes) and note citations' numbers are skipped.
        static func body(_ data: Data, into b: inout Builder, onlyHeadersAndFooters: Bool = false) {
            var skip = 0
            var inHF = 0
            var page = 0
            var builder = b
            var pendingRepeat = 1
            var cellStartOffset = 0
            var spreadsheet = false
            // Text counts only inside paragraphs and headings (the rest is indentation).
            var inParagraph = 0
            var paragraphStart = 0
            XMLScan.run(data) { ev in
                switch ev {
                case .start(let t):
                    if skip > 0 { skip += 1; return }
                    if onlyHeadersAndFooters {
                        if t.ns == .odfStyle, headerFooter.contains(t.local) { inHF += 1; return }
                        if inHF == 0 { return }
                    }
                    switch (t.ns, t.local) {
                    case (.odfText, "tracked-changes"), (.odfText, "note-citation"), (.odfOffice, "annotation-end"),
                         (.odfText, "sequence-decls"), (.odfText, "variable-decls"), (.odfText, "user-field-decls"):
                        skip = 1
                    case (.odfText, "p"), (.odfText, "h"):
                        if inParagraph == 0 { paragraphStart = builder.line.utf8.count }
                        inParagraph += 1
                    case (.odfText, "s"):
                        let n = min(Int(t.attr("c") ?? "1") ?? 1, 1000)
                        builder.text(String(repeating: " ", count: max(1, n)))
                    case (.odfText, "tab"): builder.text("\t")
                    case (.odfText, "line-break"): builder.lineBreak()
                    case (.odfOffice, "spreadsheet"): spreadsheet = true
                    case (.odfTable, "table"):
                        if let name = t.attr("name"), spreadsheet { builder.heading("Sheet: \(name)") }
                    case (.odfDraw, "page"):
                        page += 1
                        builder.heading("Slide \(page)")
                    case (.odfTable, "table-cell"), (.odfTable, "covered-table-cell"):
                        builder.cellStart()
                        pendingRepeat = min(Int(t.attr("number-columns-repeated") ?? "1") ?? 1, 100)
                        cellStartOffset = builder.line.utf8.count
                    case (.odfOffice, "annotation"):
                        builder.text(" [Comment: ")
                    default: break
                    }
                case .end(let l):
                    if skip > 0 { skip -= 1; return }
                    if onlyHeadersAndFooters {
                        if headerFooter.contains(l), inHF > 0 { inHF -= 1; builder.flush(); return }
                        if inHF == 0 { return }
                    }
                    switch l {
                    case "p", "h":
                        inParagraph = max(0, inParagraph - 1)
                        builder.paragraphEnd()
                    case "table-cell", "covered-table-cell":
                        // A repeated cell with content is written out that many times (capped);
                        // repeated empty cells (ODS pads rows to 1024+ columns) are not.
                        if pendingRepeat > 1,
                           case let content = String(decoding: Array(builder.line.utf8.dropFirst(cellStartOffset)), as: UTF8.self),
                           !content.trimmingCharacters(in: .whitespaces).isEmpty {
                            for _ in 1..<pendingRepeat { builder.cellEnd(); builder.cellStart(); builder.text(content) }
                        }
                        pendingRepeat = 1
                        builder.cellEnd()
                    case "table-row": builder.rowEnd()
                    case "annotation": builder.text("]")
                    default: break
                    }
                case .text(let s):
                    // ODF collapses white space in text (explicit spaces are text:s elements).
                    guard skip == 0, inParagraph > 0, !onlyHeadersAndFooters || inHF > 0 else { return }
                    var t = collapse(s)
                    if t.hasPrefix(" "), builder.line.utf8.count == paragraphStart { t.removeFirst() }
                    builder.text(t)
                }
            }
            builder.flush()
            b = builder
        }

        static func collapse(_ s: String) -> String {
            var out = String.UnicodeScalarView()
            var space = false
            for u in s.unicodeScalars {
                if u == " " || u == "\n" || u == "\r" || u == "\t" {
                    if !space { out.append(" ") }
                    space = true
                } else {
                    out.append(u)
                    space = false
                }
            }
            return String(out)
        }
    }
}

// MARK: - A streaming XML scanner

/// Namespaces the extractors tell apart; everything else is `.other`.
enum XMLNamespace: Equatable {
    case relationships, odfText, odfTable, odfOffice, odfDraw, odfStyle, none, other

    init(uri: String) {
        switch uri {
        case "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
             "http://purl.oclc.org/ooxml/officeDocument/relationships": self = .relationships
        case "urn:oasis:names:tc:opendocument:xmlns:text:1.0": self = .odfText
        case "urn:oasis:names:tc:opendocument:xmlns:table:1.0": self = .odfTable
        case "urn:oasis:names:tc:opendocument:xmlns:office:1.0": self = .odfOffice
        case "urn:oasis:names:tc:opendocument:xmlns:drawing:1.0": self = .odfDraw
        case "urn:oasis:names:tc:opendocument:xmlns:style:1.0": self = .odfStyle
        case "": self = .none
        default: self = .other
        }
    }
}

struct XMLTag {
    var ns: XMLNamespace
    var local: String
    /// (namespace, local name, value), values with entities and character references resolved.
    var attributes: [(XMLNamespace, String, String)]

    /// The first attribute with this local name (any namespace unless given).
    func attr(_ local: String, ns: XMLNamespace? = nil) -> String? {
        attributes.first { $0.1 == local && (ns == nil || $0.0 == ns!) }?.2
    }
}

enum XMLEvent {
    case start(XMLTag)
    case end(String)
    case text(String)
}

/// A forgiving pull scanner for the XML inside Office files: elements (namespace-resolved),
/// attributes, text and CDATA in document order. Comments, processing instructions and DTDs are
/// skipped; only the five predefined entities and character references are expanded, so no
/// entity can grow the input. Malformed input ends the scan early or is read past; every step
/// consumes input, so it always terminates. UTF-16 input (with a BOM) is converted first.
enum XMLScan {
    static func run(_ data: Data, _ handle: (XMLEvent) -> Void) {
        var bytes = [UInt8](data)
        if bytes.starts(with: [0xFF, 0xFE]) || bytes.starts(with: [0xFE, 0xFF]) {
            bytes = Array(TextDecoding.decode(data).utf8)
        } else if bytes.starts(with: [0xEF, 0xBB, 0xBF]) {
            bytes.removeFirst(3)
        }
        var scopes: [[String: String]] = [["xml": "http://www.w3.org/XML/1998/namespace"]]
        var open: [(name: String, pushed: Bool)] = []
        let n = bytes.count
        var i = 0
        var textStart = 0

        func resolve(_ qname: String, isAttribute: Bool) -> (XMLNamespace, String) {
            if let colon = qname.firstIndex(of: ":") {
                let prefix = String(qname[..<colon])
                let local = String(qname[qname.index(after: colon)...])
                for s in scopes.reversed() { if let uri = s[prefix] { return (XMLNamespace(uri: uri), local) } }
                return (.other, local)
            }
            if isAttribute { return (.none, qname) }
            for s in scopes.reversed() { if let uri = s[""] { return (XMLNamespace(uri: uri), qname) } }
            return (.none, qname)
        }

        func flushText(_ end: Int) {
            if end > textStart {
                let s = decodeEntities(bytes, textStart, end)
                if !s.isEmpty { handle(.text(s)) }
            }
        }

        func isSpace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D }
        func isMarkupStart(_ b: UInt8) -> Bool {
            (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || b >= 0x80 || b == 0x5F || b == 0x3A || b == 0x21 || b == 0x3F || b == 0x2F
        }

        while i < n {
            guard bytes[i] == 0x3C else { i += 1; continue }  // '<'
            // A '<' that cannot start markup is text.
            if i + 1 >= n || !isMarkupStart(bytes[i + 1]) { i += 1; continue }
            flushText(i)
            if starts(bytes, i, "<!--") {
                i = find(bytes, i + 4, "-->").map { $0 + 3 } ?? n
            } else if starts(bytes, i, "<![CDATA[") {
                let end = find(bytes, i + 9, "]]>") ?? n
                if end > i + 9 { handle(.text(String(decoding: bytes[(i + 9)..<end], as: UTF8.self))) }
                i = min(n, end + 3)
            } else if starts(bytes, i, "<?") {
                i = find(bytes, i + 2, "?>").map { $0 + 2 } ?? n
            } else if starts(bytes, i, "<!") {
                // DOCTYPE (with an internal subset in brackets) or another declaration: skipped.
                var j = i + 2
                var depth = 0
                while j < n {
                    if bytes[j] == 0x5B { depth += 1 } else if bytes[j] == 0x5D { depth -= 1 } else if bytes[j] == 0x3E && depth <= 0 { break }
                    j += 1
                }
                i = j + 1
            } else if i + 1 < n, bytes[i + 1] == 0x2F {  // '</'
                var j = i + 2
                while j < n, bytes[j] != 0x3E { j += 1 }
                let qname = String(decoding: bytes[(i + 2)..<j], as: UTF8.self).trimmingCharacters(in: .whitespaces)
                i = j + 1
                // Close up to the matching open element (unclosed inner ones are closed too).
                if let k = open.lastIndex(where: { $0.name == qname }) {
                    while open.count > k {
                        let e = open.removeLast()
                        handle(.end(resolve(e.name, isAttribute: false).1))
                        if e.pushed { scopes.removeLast() }
                    }
                }
            } else {
                // Start tag: name, attributes, optional '/'.
                var j = i + 1
                while j < n, !isSpace(bytes[j]), bytes[j] != 0x3E, bytes[j] != 0x2F { j += 1 }
                let qname = String(decoding: bytes[(i + 1)..<j], as: UTF8.self)
                var raw: [(String, String)] = []
                var selfClosing = false
                while j < n {
                    while j < n, isSpace(bytes[j]) { j += 1 }
                    guard j < n else { break }
                    if bytes[j] == 0x3E { j += 1; break }
                    if bytes[j] == 0x2F { selfClosing = true; j += 1; continue }
                    let nameStart = j
                    while j < n, !isSpace(bytes[j]), bytes[j] != 0x3D, bytes[j] != 0x3E, bytes[j] != 0x2F { j += 1 }
                    let aname = String(decoding: bytes[nameStart..<j], as: UTF8.self)
                    while j < n, isSpace(bytes[j]) { j += 1 }
                    guard j < n, bytes[j] == 0x3D else { if j == nameStart { j += 1 }; continue }
                    j += 1
                    while j < n, isSpace(bytes[j]) { j += 1 }
                    guard j < n else { break }
                    let quote = bytes[j]
                    if quote == 0x22 || quote == 0x27 {
                        let vs = j + 1
                        var ve = vs
                        while ve < n, bytes[ve] != quote { ve += 1 }
                        raw.append((aname, decodeEntities(bytes, vs, ve)))
                        j = ve + 1
                    } else {
                        let vs = j
                        while j < n, !isSpace(bytes[j]), bytes[j] != 0x3E { j += 1 }
                        raw.append((aname, decodeEntities(bytes, vs, j)))
                    }
                }
                i = j
                var declared: [String: String] = [:]
                for (k, v) in raw {
                    if k == "xmlns" { declared[""] = v } else if k.hasPrefix("xmlns:") { declared[String(k.dropFirst(6))] = v }
                }
                let pushed = !declared.isEmpty
                if pushed { scopes.append(declared) }
                let (ns, local) = resolve(qname, isAttribute: false)
                let attrs = raw.filter { $0.0 != "xmlns" && !$0.0.hasPrefix("xmlns:") }.map { a -> (XMLNamespace, String, String) in
                    let (ans, alocal) = resolve(a.0, isAttribute: true)
                    return (ans, alocal, a.1)
                }
                handle(.start(XMLTag(ns: ns, local: local, attributes: attrs)))
                if selfClosing {
                    handle(.end(local))
                    if pushed { scopes.removeLast() }
                } else if open.count < 10_000 {
                    open.append((qname, pushed))
                } else {
                    handle(.end(local))
                    if pushed { scopes.removeLast() }
                }
            }
            textStart = i
        }
        flushText(n)
        while let e = open.popLast() { handle(.end(resolve(e.name, isAttribute: false).1)) }
    }

    static func starts(_ b: [UInt8], _ at: Int, _ s: StaticString) -> Bool {
        let count = s.utf8CodeUnitCount
        guard at + count <= b.count else { return false }
        return s.withUTF8Buffer { p in
            for k in 0..<count where b[at + k] != p[k] { return false }
            return true
        }
    }

    static func find(_ b: [UInt8], _ from: Int, _ s: StaticString) -> Int? {
        var i = from
        while i < b.count {
            if starts(b, i, s) { return i }
            i += 1
        }
        return nil
    }

    /// UTF-8 bytes to text with &lt; &gt; &amp; &quot; &apos; and &#N; / &#xH; resolved;
    /// anything else after '&' is kept as written.
    static func decodeEntities(_ b: [UInt8], _ start: Int, _ end: Int) -> String {
        guard start < end else { return "" }
        var hasAmp = false
        for k in start..<end where b[k] == 0x26 { hasAmp = true; break }
        if !hasAmp { return String(decoding: b[start..<end], as: UTF8.self) }
        var out = String.UnicodeScalarView()
        var k = start
        var runStart = start
        func flushRun(_ upTo: Int) {
            if upTo > runStart { out.append(contentsOf: String(decoding: b[runStart..<upTo], as: UTF8.self).unicodeScalars) }
        }
        while k < end {
            if b[k] == 0x26 {
                var semi = k + 1
                while semi < end, semi - k <= 12, b[semi] != 0x3B { semi += 1 }
                if semi < end, b[semi] == 0x3B {
                    let name = String(decoding: b[(k + 1)..<semi], as: UTF8.self)
                    var scalar: Unicode.Scalar? = nil
                    switch name {
                    case "lt": scalar = "<"
                    case "gt": scalar = ">"
                    case "amp": scalar = "&"
                    case "quot": scalar = "\""
                    case "apos": scalar = "'"
                    default:
                        if name.hasPrefix("#x") || name.hasPrefix("#X") {
                            scalar = UInt32(name.dropFirst(2), radix: 16).flatMap(Unicode.Scalar.init)
                        } else if name.hasPrefix("#") {
                            scalar = UInt32(name.dropFirst(1)).flatMap(Unicode.Scalar.init)
                        }
                    }
                    if let s = scalar {
                        flushRun(k)
                        out.append(s)
                        k = semi + 1
                        runStart = k
                        continue
                    }
                }
            }
            k += 1
        }
        flushRun(end)
        return String(out)
    }
}
