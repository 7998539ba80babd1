/// Slash-separated paths inside containers (archive entries, export files, OOXML parts).
public enum EntryPath {
    /// Everything before the last component, as `NSString.deletingLastPathComponent` gives it:
    /// "" for a bare name, "/" for a name at the root of an absolute path. That method traps on
    /// any one-character string in swift-corelibs-foundation, and entry names are input.
    public static func folder(of path: String) -> String {
        var p = Substring(path)
        while p.count > 1, p.hasSuffix("/") { p = p.dropLast() }
        guard let slash = p.lastIndex(of: "/") else { return "" }
        var head = p[..<slash]
        while head.hasSuffix("/") { head = head.dropLast() }
        return head.isEmpty ? "/" : String(head)
    }
}
