/// Stable item keys: `0003` for source 3, then `.00000012` per nesting level.
/// Fixed widths make plain string order equal source order at every depth, so
/// nothing downstream depends on which worker finished first.
public enum DocKey {
    public static func source(_ index: Int) -> String { pad(index, 4) }

    public static func child(of parent: String, _ ordinal: Int) -> String {
        parent + "." + pad(ordinal, 8)
    }

    /// The `i`th damage report about an item (a part it holds that was not read, a conversion
    /// warning): an exception under the item, numbered after any real child it can have.
    public static func damage(of parent: String, _ i: Int) -> String { child(of: parent, 99_000_000 + i) }

    public static func depth(_ key: String) -> Int { key.split(separator: ".").count - 1 }

    static func pad(_ n: Int, _ width: Int) -> String {
        let s = String(n)
        return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
    }
}
