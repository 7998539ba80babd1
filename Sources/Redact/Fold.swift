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
        var out: [FoldedToken] = []
        var cur = String.UnicodeScalarView()
        var start = 0
        var offset = 0
        for u in s.unicodeScalars {
            let len = UTF8.width(u)
            if u.properties.isAlphabetic || u.properties.numericType != nil {
                if cur.isEmpty { start = offset }
                cur.append(u)
            } else if !cur.isEmpty {
                let o = String(cur)
                out.append(FoldedToken(lower: o.lowercased(), original: o, start: start, end: offset))
                cur = String.UnicodeScalarView()
            }
            offset += len
        }
        if !cur.isEmpty {
            let o = String(cur)
            out.append(FoldedToken(lower: o.lowercased(), original: o, start: start, end: offset))
        }
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
