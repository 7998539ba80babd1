/// Path arithmetic on `/`-separated names that come from inside containers: archive entries,
/// Office parts, chat exports, attachment names. Those names are chosen by whoever made the
/// file, and Foundation's NSString path methods trap on some of them on Linux
/// (`deletingLastPathComponent` of any one-character string kills the process), so readers use
/// these byte-level versions instead. Splitting only at ASCII `/` and `.` keeps every piece
/// valid UTF-8.
public enum PathName {
    /// The last component, trailing slashes ignored: `a/b/` → `b`, `x` → `x`, `/` → `/`.
    public static func last(_ path: String) -> String {
        let b = trimmed(Array(path.utf8))
        if b.isEmpty { return path.utf8.first == 0x2F ? "/" : "" }
        let start = b.lastIndex(of: 0x2F).map { $0 + 1 } ?? 0
        return String(decoding: b[start...], as: UTF8.self)
    }

    /// Everything before the last component, without its trailing slash: `a/b` → `a`,
    /// `x` → ``, `/x` → `/`.
    public static func parent(_ path: String) -> String {
        let b = trimmed(Array(path.utf8))
        guard let cut = b.lastIndex(of: 0x2F) else { return path.utf8.first == 0x2F ? "/" : "" }
        var end = cut
        while end > 0, b[end - 1] == 0x2F { end -= 1 }
        if end == 0 { return "/" }
        return String(decoding: b[..<end], as: UTF8.self)
    }

    /// The last component's extension without the dot; none for `.profile` or `a.`.
    public static func fileExtension(_ path: String) -> String {
        let name = Array(last(path).utf8)
        guard let dot = name.lastIndex(of: 0x2E), dot > 0, dot + 1 < name.count else { return "" }
        return String(decoding: name[(dot + 1)...], as: UTF8.self)
    }

    /// The path with its last component's extension (and that dot) removed.
    public static func deletingExtension(_ path: String) -> String {
        let ext = fileExtension(path)
        guard !ext.isEmpty else { return path }
        let b = trimmed(Array(path.utf8))
        return String(decoding: b[..<(b.count - ext.utf8.count - 1)], as: UTF8.self)
    }

    private static func trimmed(_ b: [UInt8]) -> ArraySlice<UInt8> {
        var end = b.count
        while end > 0, b[end - 1] == 0x2F { end -= 1 }
        return b[..<end]
    }
}
