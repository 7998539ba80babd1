import Foundation
import CGMime
#if canImport(Glibc)
import Glibc
#endif

/// Body text decoding. g_mime_text_part_get_text is not used: with no charset it returns the raw
/// bytes (undeclared 8-bit text would not be UTF-8), with an unknown charset it passes a NULL filter
/// on (GLib criticals, raw bytes again), it silently drops undecodable bytes, and its C string
/// result stops at the first NUL. Here every path ends in valid UTF-8 with U+FFFD for what
/// could not be decoded, so a reviewer can see that something was lost.
enum Charset {
    struct Decoded {
        var text: String
        var warning: String?
    }

    static func decode(_ bytes: [UInt8], declared: String?) -> Decoded {
        let name = normalisedName(declared)
        if name.isEmpty || asciiNames.contains(name) {
            return fallback(bytes, why: name.isEmpty ? nil : name)
        }
        // g_mime_iconv_open would map x-unknown to the process locale's charset (ASCII under
        // the C locale), making output depend on the machine; treat it as "no charset" instead.
        if unknownNames.contains(name) {
            var result = fallback(bytes, why: nil)
            if result.warning != nil { result.warning = "charset \(declared ?? name) not known; decoded as windows-1252" }
            return result
        }
        if name == "utf-8" || name == "utf8" {
            let text = String(decoding: bytes, as: UTF8.self)
            let bad = !isValidUTF8(bytes)
            return Decoded(text: text, warning: bad ? "invalid UTF-8 in text declared utf-8; bad bytes replaced" : nil)
        }
        // Senders label Windows text with the ISO name; decoding as windows-1252 (a superset for
        // printable text) keeps their curly quotes and dashes, as every browser does.
        if latin1Names.contains(name) || name == "windows-1252" || name == "cp1252" {
            return Decoded(text: windows1252(bytes), warning: nil)
        }
        let iconvName = iconvAliases[name] ?? name
        guard let converted = viaIconv(bytes, from: iconvName) else {
            var result = fallback(bytes, why: nil)
            let used = result.warning == nil ? "utf-8" : "windows-1252"
            result.warning = "charset \(declared ?? name) not known; decoded as \(used)"
            return result
        }
        return Decoded(text: converted.text,
                       warning: converted.errors > 0 ? "\(converted.errors) invalid byte sequence(s) in \(name) text replaced" : nil)
    }

    /// What to do without a usable declaration: UTF-8 when the bytes are valid UTF-8 (pure ASCII
    /// is), else windows-1252, the most common legacy charset of mislabelled mail.
    static func fallback(_ bytes: [UInt8], why: String?) -> Decoded {
        if isValidUTF8(bytes) { return Decoded(text: String(decoding: bytes, as: UTF8.self), warning: nil) }
        let label = why.map { "8-bit text declared \($0)" } ?? "8-bit text without charset"
        return Decoded(text: windows1252(bytes), warning: "\(label); decoded as windows-1252")
    }

    /// HTML sent without a MIME charset usually names its charset in a <meta> tag, as it
    /// would for a browser.
    static func htmlMetaCharset(_ bytes: [UInt8]) -> String? {
        let head = String(decoding: bytes.prefix(2048).map { $0 < 0x80 ? $0 : 0x20 }, as: UTF8.self)
        guard let m = metaCharset.firstMatch(in: head, range: NSRange(head.startIndex..., in: head)),
              let r = Range(m.range(at: 1), in: head) else { return nil }
        return String(head[r])
    }

    private static let metaCharset = try! NSRegularExpression(
        pattern: #"<meta[^>]*charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)"#, options: [.caseInsensitive])

    static func normalisedName(_ raw: String?) -> String {
        guard let raw else { return "" }
        return raw.trimmingCharacters(in: CharacterSet.whitespacesAndNewlines.union(CharacterSet(charactersIn: "\"'")))
            .lowercased()
    }

    private static let asciiNames: Set<String> = ["us-ascii", "ascii", "us_ascii", "ansi_x3.4-1968", "iso646-us", "646", "us"]
    private static let unknownNames: Set<String> = ["x-unknown", "unknown", "unknown-8bit", "x-unknown-8bit", "default", "none"]
    private static let latin1Names: Set<String> = ["iso-8859-1", "iso8859-1", "iso_8859-1", "latin1", "latin-1", "l1", "iso-ir-100", "cp819", "ibm819", "8859-1"]

    /// Where glibc's name for a charset decodes differently from what mail software means by it.
    private static let iconvAliases: [String: String] = [
        // glibc SHIFT_JIS turns 0x5C into YEN SIGN and lacks the Microsoft extensions that
        // Japanese Windows mail uses; CP932 is what "Shift_JIS" mail actually is.
        "shift_jis": "CP932", "shift-jis": "CP932", "sjis": "CP932", "x-sjis": "CP932",
        "ms_kanji": "CP932", "csshiftjis": "CP932", "windows-31j": "CP932",
        // GB18030 is a superset of both; mislabelled GBK text is the common case.
        "gb2312": "GB18030", "gbk": "GB18030", "x-gbk": "GB18030", "euc-cn": "GB18030", "cp936": "GB18030",
        "ks_c_5601-1987": "CP949", "euc-kr": "CP949", "ks_c_5601": "CP949",
        "big5": "BIG5-HKSCS", "x-x-big5": "BIG5-HKSCS",
        "iso-2022-jp": "ISO-2022-JP-2",
        "tis-620": "CP874", "iso-8859-11": "CP874",
        "utf-16": "UTF-16", "unicode": "UTF-16",
    ]

    static func isValidUTF8(_ bytes: [UInt8]) -> Bool {
        var it = bytes.makeIterator()
        var decoder = UTF8()
        while true {
            switch decoder.decode(&it) {
            case .scalarValue: continue
            case .emptyInput: return true
            case .error: return false
            }
        }
    }

    /// WHATWG's windows-1252: the five bytes Microsoft left undefined map to their C1 code points,
    /// so decoding never fails.
    static func windows1252(_ bytes: [UInt8]) -> String {
        var scalars = String.UnicodeScalarView()
        scalars.reserveCapacity(bytes.count)
        for b in bytes {
            let v: UInt32 = (0x80...0x9F).contains(b) ? cp1252High[Int(b) - 0x80] : UInt32(b)
            scalars.append(Unicode.Scalar(v)!)
        }
        return String(scalars)
    }

    private static let cp1252High: [UInt32] = [
        0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
        0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x008D, 0x017D, 0x008F,
        0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
        0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178,
    ]

    /// nil when neither GMime's charset map nor iconv knows the name.
    static func viaIconv(_ bytes: [UInt8], from charset: String) -> (text: String, errors: Int)? {
        // g_mime_iconv_open canonicalises the many spellings mail uses (e.g. "iso8859_5") and caches
        // descriptors behind a lock, so concurrent parses may share it.
        let cd = g_mime_iconv_open("UTF-8", charset)
        guard let cd, cd != UnsafeMutableRawPointer(bitPattern: -1) else { return nil }
        defer { g_mime_iconv_close(cd) }
        // A cached descriptor may hold shift state from an earlier, truncated conversion.
        iconv(cd, nil, nil, nil, nil)

        var out: [UInt8] = []
        out.reserveCapacity(bytes.count * 2)
        var errors = 0
        let replacement: [UInt8] = [0xEF, 0xBF, 0xBD]
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        bytes.withUnsafeBufferPointer { input in
            chunk.withUnsafeMutableBufferPointer { outChunk in
                let outBase = UnsafeMutableRawPointer(outChunk.baseAddress!).assumingMemoryBound(to: CChar.self)
                var inPtr: UnsafeMutablePointer<CChar>? = input.baseAddress.map {
                    UnsafeMutablePointer(mutating: UnsafeRawPointer($0).assumingMemoryBound(to: CChar.self))
                }
                var inLeft = input.count
                func drain(_ outPtr: UnsafeMutablePointer<CChar>?) {
                    let produced = outPtr.map { $0 - outBase } ?? 0
                    out.append(contentsOf: UnsafeRawBufferPointer(start: outBase, count: produced))
                }
                while inLeft > 0 {
                    var outPtr: UnsafeMutablePointer<CChar>? = outBase
                    var outLeft = outChunk.count
                    let r = iconv(cd, &inPtr, &inLeft, &outPtr, &outLeft)
                    let err = errno
                    drain(outPtr)
                    if r != -1 { continue }
                    switch err {
                    case E2BIG:
                        continue
                    case EINVAL:
                        // Truncated multibyte sequence at the very end.
                        out.append(contentsOf: replacement); errors += 1
                        inLeft = 0
                    default:
                        out.append(contentsOf: replacement); errors += 1
                        inPtr = inPtr.map { $0 + 1 }
                        inLeft -= 1
                    }
                }
                // Stateful encodings (ISO-2022-JP) may owe a final shift sequence.
                var outPtr: UnsafeMutablePointer<CChar>? = outBase
                var outLeft = outChunk.count
                _ = iconv(cd, nil, nil, &outPtr, &outLeft)
                drain(outPtr)
            }
        }
        return (String(decoding: out, as: UTF8.self), errors)
    }
}
