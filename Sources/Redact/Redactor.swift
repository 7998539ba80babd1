import DiscloseCore
import Foundation

/// One proposed redaction after merging: a byte range of one field with its codes and rules.
public struct Span: Equatable, Sendable {
    public var start: Int
    public var end: Int
    public var codes: [String]
    public var rule: String
}

/// Runs the rule set's detectors, terms and patterns over a string and returns merged spans,
/// minus anything on the allow-list.
public struct Redactor: Sendable {
    public let rules: RuleSet
    public let lexicon: NameLexicon

    public init(rules: RuleSet, lexicon: NameLexicon) {
        self.rules = rules
        self.lexicon = lexicon
    }

    /// Spans as UTF-8 byte ranges of `original`. Everything runs on its detection view, so a
    /// number with a zero-width space or an en dash in it is still found, and its span still
    /// covers what the reader sees.
    public func spans(in original: String) -> [Span] {
        if original.isEmpty || (rules.detectors.isEmpty && rules.terms.isEmpty && rules.patterns.isEmpty) { return [] }
        let view = DetectionView(original)
        let text = view.text
        let bytes = view.bytes
        var raw: [(Hit, [String])] = []
        if let c = rules.detectors["email"] { raw += Detectors.emails(bytes).map { ($0, c) } }
        if let c = rules.detectors["phone"] { raw += Detectors.phones(bytes).map { ($0, c) } }
        if let c = rules.detectors["ssn"] { raw += Detectors.ssns(bytes).map { ($0, c) } }
        if let c = rules.detectors["name"] {
            let toks = Tokenizer.tokens(text)
            raw += lexicon.find(toks).map { ($0, c) }
            raw += SalutationDetector.find(text, tokens: toks).map { ($0, c) }
            raw += Gazetteer.shared.find(toks, in: text, common: lexicon.commonWords).map { ($0, c) }
            for n in lexicon.unspacedNames {
                raw += Self.substring(n, in: text).map { (Hit(start: $0.0, end: $0.1, rule: "name"), c) }
            }
        }
        for t in rules.terms {
            raw += Self.literal(t.text, in: text).map { (Hit(start: $0.0, end: $0.1, rule: "term"), t.codes) }
        }
        for p in rules.patterns {
            let ns = text as NSString
            for m in p.regex.matches(in: text, range: NSRange(location: 0, length: ns.length)) where m.range.length > 0 {
                let s = ns.substring(to: m.range.location).utf8.count
                let e = s + ns.substring(with: m.range).utf8.count
                raw.append((Hit(start: s, end: e, rule: "pattern"), p.codes))
            }
        }
        if raw.isEmpty { return [] }
        let allowed = rules.allow.flatMap { Self.literal($0, in: text) }
        if !allowed.isEmpty {
            raw.removeAll { h in allowed.contains { $0.0 <= h.0.start && h.0.end <= $0.1 } }
        }
        if !view.isIdentity {
            raw = raw.map { h, c in
                let o = view.original(h.start, h.end)
                return (Hit(start: o.start, end: o.end, rule: h.rule), c)
            }
        }
        return Self.merge(raw)
    }

    /// Overlapping or touching hits become one span carrying every code and rule.
    static func merge(_ hits: [(Hit, [String])]) -> [Span] {
        let sorted = hits.sorted { ($0.0.start, $0.0.end) < ($1.0.start, $1.0.end) }
        var out: [Span] = []
        for (h, codes) in sorted {
            if var last = out.last, h.start < last.end {
                last.end = max(last.end, h.end)
                last.codes = Codes.sorted(last.codes + codes)
                if !last.rule.split(separator: "+").contains(Substring(h.rule)) { last.rule += "+" + h.rule }
                out[out.count - 1] = last
            } else {
                out.append(Span(start: h.start, end: h.end, codes: Codes.sorted(codes), rule: h.rule))
            }
        }
        return out
    }

    /// Every occurrence of `needle`, as UTF-8 byte ranges (for scripts without word spaces).
    static func substring(_ needle: String, in text: String) -> [(Int, Int)] {
        let n = Array(needle.utf8), t = Array(text.utf8)
        guard !n.isEmpty, n.count <= t.count else { return [] }
        var out: [(Int, Int)] = []
        var i = 0
        while i + n.count <= t.count {
            if t[i] == n[0], Array(t[i..<(i + n.count)]) == n { out.append((i, i + n.count)); i += n.count } else { i += 1 }
        }
        return out
    }

    /// Case-insensitive whole-word occurrences of `needle`, as UTF-8 byte ranges.
    static func literal(_ needle: String, in text: String) -> [(Int, Int)] {
        guard !needle.isEmpty else { return [] }
        var out: [(Int, Int)] = []
        var searchStart = text.startIndex
        while let r = text.range(of: needle, options: [.caseInsensitive], range: searchStart..<text.endIndex) {
            let before = r.lowerBound == text.startIndex ? nil : text[text.index(before: r.lowerBound)]
            let after = r.upperBound == text.endIndex ? nil : text[r.upperBound]
            let wordy: (Character?) -> Bool = { c in c.map { $0.isLetter || $0.isNumber } ?? false }
            if !wordy(before), !wordy(after) {
                let s = text.utf8.distance(from: text.startIndex, to: r.lowerBound)
                out.append((s, s + text[r].utf8.count))
            }
            searchStart = r.upperBound
        }
        return out
    }

    /// The text with each span replaced by its codes, e.g. "[(b)(6), (b)(7)(C)]".
    public static func apply(_ spans: [(start: Int, end: Int, codes: [String])], to text: String) -> String {
        if spans.isEmpty { return text }
        let bytes = Array(text.utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var pos = 0
        for s in spans.sorted(by: { $0.start < $1.start }) where s.start >= pos && s.end <= bytes.count {
            out += bytes[pos..<s.start]
            out += Array(Codes.mark(s.codes).utf8)
            pos = s.end
        }
        out += bytes[pos...]
        return String(decoding: out, as: UTF8.self)
    }
}
