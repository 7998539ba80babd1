import CGsf
import Foundation

/// Windows code pages (PR_MESSAGE_CODEPAGE, PR_INTERNET_CPID, TNEF's OEM code page) to text,
/// through GLib's iconv. Bytes the code page cannot decode become U+FFFD one at a time, so a
/// damaged string keeps everything around the damage and a reviewer can see where it was.
public enum CodePage {
    /// The iconv name of a Windows code page, or nil when iconv has no converter for it.
    public static func iconvName(_ codePage: Int) -> String? {
        switch codePage {
        case 65001: return "UTF-8"
        case 1200: return "UTF-16LE"
        case 1201: return "UTF-16BE"
        case 20127: return "ASCII"
        case 28591...28599: return "ISO-8859-\(codePage - 28590)"
        case 28603: return "ISO-8859-13"
        case 28605: return "ISO-8859-15"
        case 50220, 50221, 50222: return "ISO-2022-JP"
        case 50225: return "ISO-2022-KR"
        case 51932: return "EUC-JP"
        case 51936: return "GB2312"
        case 51949: return "EUC-KR"
        case 52936: return "HZ"
        case 54936: return "GB18030"
        case 20866: return "KOI8-R"
        case 21866: return "KOI8-U"
        case 10000: return "MACINTOSH"
        case 936: return "GBK"
        case 0: return nil
        default: return codePage > 0 && codePage < 100_000 ? "CP\(codePage)" : nil
        }
    }

    /// Charset name for a MIME header, for code pages whose bytes are passed on undecoded.
    public static func mimeCharset(_ codePage: Int) -> String? {
        switch codePage {
        case 65001: return "utf-8"
        case 20127: return "us-ascii"
        case 932: return "shift_jis"
        case 936: return "gbk"
        case 949: return "euc-kr"
        case 950: return "big5"
        case 1250...1258: return "windows-\(codePage)"
        case 28591...28599: return "iso-8859-\(codePage - 28590)"
        case 28605: return "iso-8859-15"
        case 50220, 50221, 50222: return "iso-2022-jp"
        case 51932: return "euc-jp"
        case 51949: return "euc-kr"
        case 54936: return "gb18030"
        case 20866: return "koi8-r"
        default: return nil
        }
    }

    public static func decode(_ bytes: [UInt8], codePage: Int) -> String {
        if bytes.isEmpty { return "" }
        if codePage == 65001 || bytes.allSatisfy({ $0 < 0x80 }) && codePage != 1200 && codePage != 1201
            && !(50220...50225).contains(codePage) && codePage != 52936 {
            return String(decoding: bytes, as: UTF8.self)
        }
        if codePage == 1252 || codePage == 28591 || codePage == 0 { return windows1252(bytes) }
        guard let name = iconvName(codePage), let text = convert(bytes, from: name) else {
            return windows1252(bytes)
        }
        return text
    }

    /// windows-1252 never fails: the five undefined bytes map to their C1 controls, as browsers do.
    public static func windows1252(_ bytes: [UInt8]) -> String {
        var s = String.UnicodeScalarView()
        s.reserveCapacity(bytes.count)
        for b in bytes {
            if b >= 0x80 && b < 0xA0, let u = Unicode.Scalar(cp1252High[Int(b - 0x80)]) { s.append(u) }
            else { s.append(Unicode.Scalar(b)) }
        }
        return String(s)
    }

    private static let cp1252High: [UInt32] = [
        0x20AC, 0x81, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x8D, 0x017D, 0x8F,
        0x90, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x9D, 0x017E, 0x0178,
    ]

    private static func convert(_ bytes: [UInt8], from name: String) -> String? {
        let cd = g_iconv_open("UTF-8", name)
        // g_iconv_open returns (GIConv)-1 when the converter does not exist.
        guard let cd, Int(bitPattern: UnsafeRawPointer(cd)) != -1 else { return nil }
        defer { g_iconv_close(cd) }
        var out = [UInt8]()
        out.reserveCapacity(bytes.count * 2)
        var outBuf = [CChar](repeating: 0, count: 8192)
        var input = bytes.map { CChar(bitPattern: $0) }
        let total = input.count
        var consumed = 0
        input.withUnsafeMutableBufferPointer { inBase in
            outBuf.withUnsafeMutableBufferPointer { outBase in
                while consumed < total {
                    var inPtr: UnsafeMutablePointer<CChar>? = inBase.baseAddress! + consumed
                    var inLeft = total - consumed
                    var outPtr: UnsafeMutablePointer<CChar>? = outBase.baseAddress!
                    var outLeft = outBase.count
                    let r = g_iconv(cd, &inPtr, &inLeft, &outPtr, &outLeft)
                    let produced = outBase.count - outLeft
                    out.append(contentsOf: UnsafeRawBufferPointer(start: outBase.baseAddress!, count: produced))
                    consumed = total - inLeft
                    if r == UInt.max {
                        if produced > 0 && outLeft < 16 { continue }  // output buffer full
                        // Invalid or truncated input: mark it and step over one byte.
                        out.append(contentsOf: [0xEF, 0xBF, 0xBD])
                        consumed += 1
                        _ = g_iconv(cd, nil, nil, nil, nil)
                    } else if inLeft == 0 {
                        break
                    }
                }
                // Flush any shift state (ISO-2022).
                var outPtr: UnsafeMutablePointer<CChar>? = outBase.baseAddress!
                var outLeft = outBase.count
                _ = g_iconv(cd, nil, nil, &outPtr, &outLeft)
                out.append(contentsOf: UnsafeRawBufferPointer(start: outBase.baseAddress!, count: outBase.count - outLeft))
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}
