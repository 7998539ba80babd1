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
        if at(0, [0x50, 0x4B, 0x03, 0x04]) { return "application/zip" }
        if at(0, [0x1F, 0x8B]) { return "application/gzip" }
        if at(0, [0x37, 0x7A, 0xBC, 0xAF]) { return "application/x-7z-compressed" }
        if at(0, Array("{\\rtf".utf8)) { return "application/rtf" }
        guard looksLikeText(head) else { return "application/octet-stream" }
        let ext = (name as NSString).pathExtension.lowercased()
        let lower = String(decoding: head.prefix(512), as: UTF8.self).lowercased()
        if ["htm", "html", "xhtml"].contains(ext) || lower.contains("<html") || lower.contains("<!doctype html") {
            return "text/html"
        }
        if ext == "csv" { return "text/csv" }
        if ["xml"].contains(ext) || lower.hasPrefix("<?xml") { return "text/xml" }
        if ext == "json" { return "application/json" }
        return "text/plain"
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
