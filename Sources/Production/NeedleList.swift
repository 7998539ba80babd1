/// Every string redacted anywhere in the production, each once, in the order first seen, with
/// the codes it was first redacted under: what the leak audit searches the output for. It grows
/// with the distinct redacted strings of the case, not with its documents.
struct NeedleList {
    private(set) var list: [(String, [String])] = []
    private var seen = Set<String>()

    mutating func add(_ text: String, _ codes: [String]) {
        if seen.insert(text).inserted { list.append((text, codes)) }
    }
}
