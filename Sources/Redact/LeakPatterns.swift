import Foundation

/// The leak audit's needles compiled once: folded words to ids, one automaton over the words of
/// several-word needles and allowed phrases, and one over bytes for needles searched as
/// substrings. Immutable, so every scan (and every thread) shares it.
final class LeakPatterns: Sendable {
    /// Lower-cased words (NFC) of every pattern and of every one-word needle, with what a scan
    /// needs to know of each.
    let words: ByteKeyTable
    let singleCodes: [[String]]
    let singles: ByteKeyTable
    let automaton: WordAutomaton
    let multiName: [String]
    let multiCodes: [[String]]
    let multiLength: [Int32]
    let squeeze: ByteAutomaton
    let unspacedName: [String]
    let unspacedCodes: [[String]]
    /// How many words after a word's position decide what it reports: the longest allowed phrase
    /// that may cover it, the longest needle that may start there, and three words of context.
    let reach: Int
    /// Words longer than this are kept only in part; no needle's word comes near it.
    let longestWord: Int

    /// `singles` pairs each one-word needle as written with its lower-cased form.
    init(singles single: [(original: String, lower: String)], multi: [[String]], allowed: [[String]],
         unspaced: [String], codes: (String) -> [String]) {
        var words = ByteKeyTable()
        var ids: [Int32] = []
        func id(_ w: String) -> Int32 {
            let e = words.insert(Self.nfc(w))
            if e == ids.count { ids.append(-1) }
            return Int32(e)
        }
        // Automaton ids are entry indices; words in no pattern keep -1 (a one-word needle's only).
        let multiSeq = multi.map { $0.map(id) }
        let allowSeq = allowed.map { $0.map(id) }
        for seq in multiSeq + allowSeq { for w in seq { ids[Int(w)] = w } }
        var forms = ByteKeyTable()
        for (_, o, l) in single.map({ (Array($0.original.utf8), $0.original, $0.lower) }).sorted(by: { $0.0.lexicographicallyPrecedes($1.0) }) {
            _ = id(l)
            forms.insert(Self.nfc(o))
        }
        var has = [Bool](repeating: false, count: words.count)
        var sc = [[String]](repeating: [], count: words.count)
        for (_, l) in single {
            let e = Self.nfc(l).withUnsafeBytes { words.find($0) }
            has[e] = true
            sc[e] = codes(l)
        }
        let auto = WordAutomaton(words: words.count, needles: multiSeq, allowed: allowSeq)
        for e in 0..<words.count { words.describe(e, id: ids[e], root: ids[e] < 0 ? 0 : auto.rootNext[e], single: has[e]) }
        automaton = auto
        self.words = words
        singleCodes = sc
        singles = forms
        multiName = multi.map { $0.joined(separator: " ") }
        multiCodes = multiName.map(codes)
        multiLength = multi.map { Int32($0.count) }
        squeeze = ByteAutomaton(unspaced.map(Self.nfc))
        unspacedName = unspaced
        unspacedCodes = unspaced.map(codes)
        let longestNeedle = multi.map(\.count).max() ?? 1
        let longestAllowed = allowed.map(\.count).max() ?? 1
        reach = max(longestAllowed - 1, longestNeedle - 1 + 3, 3)
        longestWord = max(1 << 16, 4 * max(words.longest, singles.longest) + 16)
    }

    /// Swift compares Strings by canonical equivalence; bytes compare the same once both sides
    /// are in NFC. Scalars below U+0300 are already NFC, which covers Latin text without a lookup.
    static func nfc(_ s: String) -> [UInt8] {
        if s.unicodeScalars.allSatisfy({ $0.value < 0x300 }) { return Array(s.utf8) }
        return Array(s.precomposedStringWithCanonicalMapping.utf8)
    }
}
