import Foundation

/// Text reduced to its words: runs of letters and digits, lower-cased, with their UTF-8 byte
/// ranges. Whitespace, line wrapping, quote markers (`>`), punctuation and curly-vs-straight
/// quotes all disappear, so the same information matches however each copy was typed, wrapped
/// or quoted.
public struct FoldedToken: Sendable {
    public var lower: String
    public var original: String
    public var start: Int
    public var end: Int
}

public enum Fold {
    public static func tokens(_ s: String) -> [FoldedToken] {
        var s = s
        return s.withUTF8 { tokens(bytes: $0) }
    }

    /// A number written in digit groups, as one run of digits: machines glue the groups
    /// together (`<5556010008@pbx.example>`), and it is the same number. Seven digits at least,
    /// so a date or a short code does not become a needle of its own.
    public static func joinedNumber(_ words: [String]) -> String? {
        guard words.count > 1, words.allSatisfy({ w in w.utf8.allSatisfy { $0 >= 0x30 && $0 <= 0x39 } }) else { return nil }
        let j = words.joined()
        return j.utf8.count >= 7 ? j : nil
    }

    /// A word as the reader sees it: without characters that render as nothing, in NFKC form
    /// (fullwidth letters and digits are the plain ones; a decomposed accent is composed).
    static func canonical(_ w: String) -> String {
        var sc = String.UnicodeScalarView()
        var compat = false
        for u in w.unicodeScalars where !DetectionView.isIgnorable(u) {
            sc.append(u)
            if !compat, u.value >= 0x80 {
                let k = DetectionView.kind(u)
                compat = k == .mark || k == .compat
            }
        }
        let s = String(sc)
        return compat ? s.precomposedStringWithCompatibilityMapping : s
    }

    /// One pass over UTF-8: ASCII letters and digits by table (most mail), other scalars by
    /// their Unicode properties.
    static func tokens(bytes b: UnsafeBufferPointer<UInt8>) -> [FoldedToken] {
        var out: [FoldedToken] = []
        out.reserveCapacity(b.count / 5)
        var start = -1
        var ascii = true
        // Every character of the word is one `canonical` keeps as it is (no format character,
        // mark or compatibility form): the word is its own canonical form.
        var plain = true
        func close(_ end: Int) {
            guard start >= 0 else { return }
            var o = String(decoding: UnsafeBufferPointer(rebasing: b[start..<end]), as: UTF8.self)
            let lower: String
            if ascii || plain {
                lower = Lowercase.of(b, start, end)
            } else {
                o = Self.canonical(o)
                lower = o.lowercased()
            }
            out.append(FoldedToken(lower: lower, original: o, start: start, end: end))
            start = -1
            ascii = true
            plain = true
        }
        var i = 0
        let n = b.count
        while i < n {
            let c = b[i]
            if c < 0x80 {
                if Tokenizer.isASCIIWord(c) { if start < 0 { start = i } } else { close(i) }
                i += 1
                continue
            }
            var len = 1
            var v = UInt32(c)
            if c & 0xE0 == 0xC0, i + 1 < n { len = 2; v = (UInt32(c & 0x1F) << 6) | UInt32(b[i + 1] & 0x3F) }
            else if c & 0xF0 == 0xE0, i + 2 < n { len = 3; v = (UInt32(c & 0x0F) << 12) | (UInt32(b[i + 1] & 0x3F) << 6) | UInt32(b[i + 2] & 0x3F) }
            else if c & 0xF8 == 0xF0, i + 3 < n { len = 4; v = (UInt32(c & 0x07) << 18) | (UInt32(b[i + 1] & 0x3F) << 12) | (UInt32(b[i + 2] & 0x3F) << 6) | UInt32(b[i + 3] & 0x3F) }
            if Tokenizer.isWordScalar(v) {
                if start < 0 { start = i }
                ascii = false
                if plain, let u = Unicode.Scalar(v), DetectionView.kind(u) != .keep { plain = false }
            } else if start >= 0, let u = Unicode.Scalar(v), DetectionView.isIgnorable(u) || DetectionView.isMark(u) {
                // A zero-width character or a combining mark inside a word does not split it.
                ascii = false
                plain = false
            } else {
                close(i)
            }
            i += len
        }
        close(n)
        return out
    }
}

/// A set of strings to find again in other texts, each with a payload. Several words match in
/// any case and any spacing; a single word only with its own capitalisation (a first name is
/// not the same information as the common word it may also be).
public struct NeedleSet<Payload>: @unchecked Sendable {
    private var multi: [String: [([String], Payload)]] = [:]
    private var single: [String: Payload] = [:]
    public private(set) var count = 0

    public init() {}

    /// Returns false when the text has no word, or is already in the set.
    @discardableResult
    public mutating func add(_ text: String, _ payload: Payload) -> Bool {
        let t = Fold.tokens(text)
        guard !t.isEmpty else { return false }
        if t.count == 1 {
            guard t[0].lower.count >= 2, single[t[0].original] == nil else { return false }
            single[t[0].original] = payload
        } else {
            let seq = t.map(\.lower)
            if multi[seq[0]]?.contains(where: { $0.0 == seq }) == true { return false }
            multi[seq[0], default: []].append((seq, payload))
            if let joined = Fold.joinedNumber(seq), single[joined] == nil { single[joined] = payload }
        }
        count += 1
        return true
    }

    /// Every occurrence in `tokens` (longest first at each position), as byte ranges.
    public func find(_ tokens: [FoldedToken]) -> [(start: Int, end: Int, payload: Payload)] {
        var out: [(Int, Int, Payload)] = []
        var i = 0
        while i < tokens.count {
            var best: (Int, Payload)? = nil
            if let cands = multi[tokens[i].lower] {
                for (seq, p) in cands where seq.count > (best?.0 ?? 1) && i + seq.count <= tokens.count {
                    var ok = true
                    for k in 1..<seq.count where tokens[i + k].lower != seq[k] { ok = false; break }
                    if ok { best = (seq.count, p) }
                }
            }
            if let (n, p) = best {
                out.append((tokens[i].start, tokens[i + n - 1].end, p))
                i += n
                continue
            }
            if let p = single[tokens[i].original] { out.append((tokens[i].start, tokens[i].end, p)) }
            i += 1
        }
        return out
    }
}
