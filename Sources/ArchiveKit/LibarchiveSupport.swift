import CArchive
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// libarchive converts names between the archive's charset and the *current C locale*. A Swift
/// process runs in the "C" locale, where libarchive cannot represent non-ASCII UTF-8 and hands
/// back an empty pathname for UTF-8-flagged zip entries and pax names. Switching only the calling
/// thread's LC_CTYPE (uselocale) around each libarchive call fixes that without touching the
/// process-wide locale other modules rely on.
enum UTF8Locale {
    nonisolated(unsafe) static let handle: locale_t? = {
        for name in ["C.UTF-8", "C.utf8", "en_US.UTF-8", "UTF-8"] {
            if let l = newlocale(LC_CTYPE_MASK, name, nil) { return l }
        }
        return nil
    }()
}

@inline(__always)
func withUTF8Locale<T>(_ body: () throws -> T) rethrows -> T {
    guard let loc = UTF8Locale.handle else { return try body() }
    let previous = uselocale(loc)
    defer { uselocale(previous) }
    return try body()
}

func lastErrorString(_ a: OpaquePointer?, fallback: String) -> String {
    guard let a, let cstr = archive_error_string(a) else { return fallback }
    let s = String(cString: cstr)
    return s.isEmpty ? fallback : s
}

// The AE_IF* macros are casts libarchive spells through its own mode typedef, which Swift does not
// import reliably across versions, so the POSIX values are restated.
let fileTypeMask: UInt32 = 0o170000
let fileTypeRegular: UInt32 = 0o100000
let fileTypeDirectory: UInt32 = 0o040000

enum NameDecoding {
    /// Names that libarchive could not convert reach us as raw bytes: UTF-8 written without the
    /// zip UTF-8 flag (macOS, Info-ZIP) is common, so it wins when valid. Otherwise zip names fall
    /// back to CP437, the charset APPNOTE declares for unflagged names (what Windows writes for
    /// Western names), and other formats to ISO-8859-1. Both map every byte, so a name is never
    /// dropped.
    static func decode(_ bytes: [UInt8], zip: Bool) -> String {
        if let s = String(validating: bytes, as: UTF8.self) { return s }
        if zip {
            var out = String.UnicodeScalarView()
            for b in bytes {
                if b < 0x80 { out.append(Unicode.Scalar(b)) } else { out.append(cp437High[Int(b - 0x80)]) }
            }
            return String(out)
        }
        return String(String.UnicodeScalarView(bytes.map { Unicode.Scalar($0) }))
    }

    private static let cp437High: [Unicode.Scalar] = Array(
        "ÇüéâäàåçêëèïîìÄÅÉæÆôöòûùÿÖÜ¢£¥₧ƒáíóúñÑªº¿⌐¬½¼¡«»░▒▓│┤╡╢╖╕╣║╗╝╜╛┐└┴┬├─┼╞╟╚╔╩╦╠═╬╧╨╤╥╙╘╒╓╫╪┘┌█▄▌▐▀αßΓπΣσµτΦΘΩδ∞φε∩≡±≥≤⌠⌡÷≈°∙·√ⁿ²■\u{00A0}"
            .unicodeScalars)
}
