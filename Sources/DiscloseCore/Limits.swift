/// Review, pages and the leak audit hold a document whole; past these sizes an item would take
/// more memory than a laptop run may (two at once on two cores). Such an item goes to the
/// exceptions report whole, to be handled on its own, never produced partly reviewed.
public enum Limits {
    public static let maxItemBytes: Int64 = 128 << 20
    public static let maxTextBytes = 32 << 20
}
