import Foundation

/// Content sniffing from the first bytes; the file name only breaks ties between text types.
public enum Sniff {
    public static func mimeType(head: [UInt8], name: String) -> String {
        func at(_ o: Int, _ b: [UInt8]) -> Bool { head.count >= o + b.count && Array(head[o..<o + b.count]) == b }
        if at(0, Array("%PDF-".utf8)) { return "application/pdf" }
        if at(0, [0x89, 0x50, 0x4E, 0x47]) { return "image/png" }
        if at(0, [0xFF, 0xD8, 0xFF]) { return "image/jpeg" }
        if at(0, Array("GIF8".utf8)) { return "image/gif" }
        if at(0, [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) { return "application/x-ole-storage" }
        if at(0, [0x50, 0x4B, 0x03, 0x04]) { return officeZipType(head: head, name: name) ?? "application/zip" }
        if at(0, [0x1F, 0x8B]) { return "application/gzip" }
        if at(0, [0x37, 0x7A, 0xBC, 0xAF]) { return "application/x-7z-compressed" }
        if at(0, Array("{\\rtf".utf8)) { return "application/rtf" }
        guard looksLikeText(head) else { return "application/octet-stream" }
        let ext = (name as NSString).pathExtension.lowercased()
        let lower = String(decoding: head.prefix(512), as: UTF8.self).lowercased()
        if lower.drop(while: { $0 == "\u{FEFF}" || $0.isWhitespace }).hasPrefix("begin:vcalendar") { return "text/calendar" }
        if ["htm", "html", "xhtml"].contains(ext) || lower.contains("<html") || lower.contains("<!doctype html") {
            return "text/html"
        }
        if ext == "csv" { return "text/csv" }
        if ["xml"].contains(ext) || lower.hasPrefix("<?xml") { return "text/xml" }
        if ext == "json" { return "application/json" }
        return "text/plain"
    }

    static let wordType = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    static let excelType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    static let powerPointType = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
    /// An OOXML package whose kind the first bytes do not show (parts beyond the first 4 KiB).
    public static let genericOOXMLType = "application/x-ooxml"

    /// Media types `officeZipType` returns: zips that are documents, not folders.
    public static func isOfficeZipType(_ t: String) -> Bool {
        t == wordType || t == excelType || t == powerPointType || t == genericOOXMLType
            || t.hasPrefix("application/vnd.oasis.opendocument")
            || t.hasPrefix("application/vnd.ms-word.") || t.hasPrefix("application/vnd.ms-excel.")
            || t.hasPrefix("application/vnd.ms-powerpoint.")
            || t.hasPrefix("application/vnd.openxmlformats-officedocument.")
    }

    /// Office Open XML and OpenDocument files by their first zip entry, as the archive reader
    /// recognises them: `mimetype` (stored, holding the OpenDocument media type), or
    /// `[Content_Types].xml`, `_rels/.rels`, `word/…`, `xl/…`, `ppt/…`; the kind then comes from the
    /// part names among the local headers in `head`, else from the file extension.
    static func officeZipType(head: [UInt8], name: String) -> String? {
        var entries: [String] = []
        var offset = 0
        var odfType: String? = nil
        while offset + 30 <= head.count, head[offset] == 0x50, head[offset + 1] == 0x4B, head[offset + 2] == 0x03, head[offset + 3] == 0x04 {
            func u16(_ o: Int) -> Int { Int(head[offset + o]) | Int(head[offset + o + 1]) << 8 }
            func u32(_ o: Int) -> Int { u16(o) | u16(o + 2) << 16 }
            let nameLength = u16(26), extraLength = u16(28), flags = u16(6), method = u16(8)
            let compressed = u32(18)
            guard offset + 30 + nameLength <= head.count else { break }
            let entry = String(decoding: head[(offset + 30)..<(offset + 30 + nameLength)], as: UTF8.self)
            entries.append(entry)
            let dataStart = offset + 30 + nameLength + extraLength
            if entries.count == 1, entry == "mimetype", method == 0, dataStart + compressed <= head.count, compressed < 200 {
                odfType = String(decoding: head[dataStart..<(dataStart + compressed)], as: UTF8.self)
            }
            // Sizes are in a data descriptor after the data: the next header cannot be found.
            if flags & 0x08 != 0 && compressed == 0 { break }
            offset = dataStart + compressed
        }
        guard let first = entries.first else { return nil }
        if first == "mimetype" {
            if let t = odfType, t.hasPrefix("application/vnd.oasis.opendocument.") { return t }
            switch (name as NSString).pathExtension.lowercased() {
            case "odt", "ott": return "application/vnd.oasis.opendocument.text"
            case "ods", "ots": return "application/vnd.oasis.opendocument.spreadsheet"
            case "odp", "otp": return "application/vnd.oasis.opendocument.presentation"
            default: return "application/vnd.oasis.opendocument"
            }
        }
        guard first == "[Content_Types].xml" || first == "_rels/.rels" || first.hasPrefix("word/")
            || first.hasPrefix("xl/") || first.hasPrefix("ppt/") else { return nil }
        // Part names stand uncompressed in the local headers; when the walk stopped early they
        // are still findable as text in the head.
        let text = String(decoding: head, as: UTF8.self)
        if entries.contains(where: { $0.hasPrefix("word/") }) || text.contains("word/document.xml") { return wordType }
        if entries.contains(where: { $0.hasPrefix("xl/") }) || text.contains("xl/workbook.xml") { return excelType }
        if entries.contains(where: { $0.hasPrefix("ppt/") }) || text.contains("ppt/presentation.xml") { return powerPointType }
        switch (name as NSString).pathExtension.lowercased() {
        case "docx", "docm", "dotx", "dotm": return wordType
        case "xlsx", "xlsm", "xltx", "xltm": return excelType
        case "pptx", "pptm", "potx", "ppsx", "ppsm": return powerPointType
        default: return genericOOXMLType
        }
    }

    /// Text when there are no NULs (or it is UTF-16 with a BOM) and few control characters.
    public static func looksLikeText(_ head: [UInt8]) -> Bool {
        if head.starts(with: [0xFF, 0xFE]) || head.starts(with: [0xFE, 0xFF]) { return true }
        if head.isEmpty { return true }
        var control = 0
        for b in head {
            if b == 0 { return false }
            if b < 0x09 || (b > 0x0D && b < 0x20 && b != 0x1B) { control += 1 }
        }
        return control * 100 <= head.count * 2
    }
}

/// Bytes of unknown encoding to text: BOM, then UTF-8 if valid, then the declared charset,
/// then windows-1252 (which accepts every byte, so nothing is lost as U+FFFD).
public enum TextDecoding {
    public static func decode(_ data: Data, declaredCharset: String? = nil) -> String {
        let b = [UInt8](data)
        if b.starts(with: [0xEF, 0xBB, 0xBF]) { return String(decoding: b.dropFirst(3), as: UTF8.self) }
        if b.starts(with: [0xFF, 0xFE]) { return String(data: Data(b.dropFirst(2)), encoding: .utf16LittleEndian) ?? "" }
        if b.starts(with: [0xFE, 0xFF]) { return String(data: Data(b.dropFirst(2)), encoding: .utf16BigEndian) ?? "" }
        if let s = String(validatingUTF8: b) { return s }
        if let s = String(bytes: b, encoding: .utf8) { return s }
        if let cs = declaredCharset?.lowercased() {
            let enc: String.Encoding? = switch cs {
            case "iso-8859-1", "latin1", "latin-1": .isoLatin1
            case "iso-8859-2": .isoLatin2
            case "shift_jis", "sjis": .shiftJIS
            case "euc-jp": .japaneseEUC
            case "iso-2022-jp": .iso2022JP
            default: nil
            }
            if let e = enc, let s = String(bytes: b, encoding: e) { return s }
        }
        return String(bytes: b, encoding: .windowsCP1252) ?? String(bytes: b, encoding: .isoLatin1) ?? String(decoding: b, as: UTF8.self)
    }
}

extension String {
    init?(validatingUTF8 bytes: [UInt8]) {
        var it = bytes.makeIterator()
        var dec = UTF8()
        loop: while true {
            switch dec.decode(&it) {
            case .scalarValue: continue
            case .emptyInput: break loop
            case .error: return nil
            }
        }
        self = String(decoding: bytes, as: UTF8.self)
    }
}
