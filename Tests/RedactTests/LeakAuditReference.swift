import DiscloseCore
import Foundation
@testable import Redact

// The leak audit as it was before the automaton (commit 07e119d), kept word for word as the
// oracle the differential tests compare the streaming audit with.

/// Searches produced text for strings that were redacted anywhere. Both sides are reduced to
/// tokens of letters and digits, so "(555) 014-2231" also finds "555.014.2231" and a name split
/// over a line break; one-word needles (first names) match only with the same capitalisation,
/// longer ones in any case.
struct LeakAuditReference {
    private var firstToken: [String: [[String]]] = [:]
    private var singles = Set<String>()
    /// The codes each needle was redacted under (by folded form), for the report.
    private var codesOf: [String: [String]] = [:]
    /// Allowed phrases: a needle inside one of them is not a leak ("Marsh" in "Elena Marsh").
    private var allowedPhrases: [[String]] = []
    /// Needles in scripts without word spaces are searched as substrings.
    private var unspaced: [String] = []
    private(set) var needleCount = 0

    init(needles: [String], allow: [String] = []) {
        self.init(coded: needles.map { ($0, []) }, allow: allow)
    }

    init(coded needles: [(String, [String])], allow: [String] = []) {
        let allowed = Set(allow.map { Self.tokens($0, lower: true).joined(separator: " ") })
        allowedPhrases = allow.map { Self.tokens($0, lower: true) }.filter { !$0.isEmpty }
        var seen = Set<String>()
        for (n, codes) in needles where seen.insert(n).inserted {
            let lower = Self.tokens(n, lower: true)
            let folded = lower.joined(separator: " ")
            codesOf[folded] = Codes.sorted((codesOf[folded] ?? []) + codes)
            if n.contains(where: { $0.isLetter && !$0.isUppercase && !$0.isLowercase }) {
                let joined = lower.joined()
                if joined.count >= 2, !unspaced.contains(joined) { unspaced.append(joined) }
            }
            guard !lower.isEmpty, !allowed.contains(lower.joined(separator: " ")) else { continue }
            if lower.count == 1 {
                // A lone number fragment or a one-letter token is not evidence of anything.
                guard lower[0].count >= 2 else { continue }
                singles.insert(Self.tokens(n, lower: false)[0])
            } else if firstToken[lower[0]]?.contains(lower) != true {
                firstToken[lower[0], default: []].append(lower)
                if let j = Fold.joinedNumber(lower) {
                    singles.insert(j)
                    codesOf[j] = Codes.sorted((codesOf[j] ?? []) + codes)
                }
            }
            needleCount += 1
        }
    }

    func scan(_ text: String) -> [LeakAudit.Finding] {
        let orig = Self.tokens(text, lower: false)
        let lower = orig.map { $0.lowercased() }
        var found: [LeakAudit.Finding] = []
        if !unspaced.isEmpty {
            let squeezed = lower.joined()
            for n in unspaced where squeezed.contains(n) { found.append(LeakAudit.Finding(needle: n, context: n, codes: codesOf[n] ?? [])) }
        }
        var covered = [Bool](repeating: false, count: orig.count)
        for a in allowedPhrases where a.count <= lower.count {
            for i in 0...(lower.count - a.count) where lower[i] == a[0] && Array(lower[i..<(i + a.count)]) == a {
                for k in i..<(i + a.count) { covered[k] = true }
            }
        }
        for i in 0..<orig.count {
            if covered[i] { continue }
            if singles.contains(orig[i]) {
                found.append(LeakAudit.Finding(needle: orig[i], context: Self.context(orig, i, 1), codes: codesOf[lower[i]] ?? []))
            }
            if let cands = firstToken[lower[i]] {
                for c in cands where i + c.count <= lower.count && Array(lower[i..<(i + c.count)]) == c {
                    let n = c.joined(separator: " ")
                    found.append(LeakAudit.Finding(needle: n, context: Self.context(orig, i, c.count), codes: codesOf[n] ?? []))
                }
            }
        }
        return found
    }

    static func context(_ toks: [String], _ i: Int, _ n: Int) -> String {
        toks[max(0, i - 3)..<min(toks.count, i + n + 3)].joined(separator: " ")
    }

    static func tokens(_ s: String, lower: Bool) -> [String] {
        Fold.tokens(s).map { lower ? $0.lower : $0.original }
    }
}

