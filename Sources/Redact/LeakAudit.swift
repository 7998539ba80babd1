import DiscloseCore
import Foundation

/// Searches produced text for strings that were redacted anywhere. Both sides are reduced to
/// tokens of letters and digits, so "(555) 014-2231" also finds "555.014.2231" and a name split
/// over a line break; one-word needles (first names) match only with the same capitalisation,
/// longer ones in any case.
public struct LeakAudit: Sendable {
    private var firstToken: [String: [[String]]] = [:]
    private var singles = Set<String>()
    /// The codes each needle was redacted under (by folded form), for the report.
    private var codesOf: [String: [String]] = [:]
    /// Allowed phrases: a needle inside one of them is not a leak ("Marsh" in "Elena Marsh").
    private var allowedPhrases: [[String]] = []
    /// Needles in scripts without word spaces are searched as substrings.
    private var unspaced: [String] = []
    public private(set) var needleCount = 0

    public init(needles: [String], allow: [String] = []) {
        self.init(coded: needles.map { ($0, []) }, allow: allow)
    }

    public init(coded needles: [(String, [String])], allow: [String] = []) {
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

    public struct Finding: Equatable, Sendable {
        public var needle: String
        public var context: String
        public var codes: [String] = []
    }

    public func scan(_ text: String) -> [Finding] {
        let orig = Self.tokens(text, lower: false)
        let lower = orig.map { $0.lowercased() }
        var found: [Finding] = []
        if !unspaced.isEmpty {
            let squeezed = lower.joined()
            for n in unspaced where squeezed.contains(n) { found.append(Finding(needle: n, context: n, codes: codesOf[n] ?? [])) }
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
                found.append(Finding(needle: orig[i], context: Self.context(orig, i, 1), codes: codesOf[lower[i]] ?? []))
            }
            if let cands = firstToken[lower[i]] {
                for c in cands where i + c.count <= lower.count && Array(lower[i..<(i + c.count)]) == c {
                    let n = c.joined(separator: " ")
                    found.append(Finding(needle: n, context: Self.context(orig, i, c.count), codes: codesOf[n] ?? []))
                }
            }
        }
        return found
    }

    static func context(_ toks: [String], _ i: Int, _ n: Int) -> String {
        toks[max(0, i - 3)..<min(toks.count, i + n + 3)].joined(separator: " ")
    }

    public static func tokens(_ s: String, lower: Bool) -> [String] {
        Fold.tokens(s).map { lower ? $0.lower : $0.original }
    }
}

extension LeakAudit {
    /// Every finding in a production folder: file names, and the contents of every file that is
    /// text (natives are checked by the caller from their decoded text where it has it).
    public func scan(folder root: URL, files: [String], skipContentsUnder skip: String? = nil) throws -> [(file: String, finding: Finding)] {
        var out: [(String, Finding)] = []
        for rel in files {
            for f in scan(rel) { out.append((rel + " (file name)", f)) }
            if let s = skip, rel.hasPrefix(s) { continue }
            let text = String(decoding: try Data(contentsOf: root.appendingPathComponent(rel)), as: UTF8.self)
            for f in scan(text) { out.append((rel, f)) }
        }
        return out
    }

    /// The report a reviewer works from: where, what, under which codes. It names the redacted
    /// strings, so it is written beside the production, never inside it.
    public static func report(_ leaks: [(file: String, finding: Finding)]) -> Data {
        CSVWriter.data(header: ["FILE", "STRING", "CODES", "CONTEXT"],
                       rows: leaks.map { [$0.file, $0.finding.needle, $0.finding.codes.joined(separator: "; "), $0.finding.context] })
    }
}
