import DiscloseCore
import Foundation

public struct RedactStage {
    public let store: CaseStore
    public let rules: RuleSet
    public let custodians: [String]

    public init(store: CaseStore, rules: RuleSet, custodians: [String]) {
        self.store = store; self.rules = rules; self.custodians = custodians
    }

    public struct Summary {
        public var documents = 0
        public var redactions = 0
        public var byCode: [String: Int] = [:]
    }

    /// Every correspondent named in any header of the case, and every custodian.
    public func buildLexicon() throws -> NameLexicon {
        let lex = NameLexicon()
        var seen = Set<String>()
        func add(_ name: String) {
            if !name.isEmpty, seen.insert(name).inserted { lex.add(displayName: name) }
        }
        for c in custodians { add(c) }
        var learned = Set<[String]>()
        try store.forEachDocument { d in
            for a in [d.from].compactMap({ $0 }) + d.to + d.cc + d.bcc { add(a.name) }
            if rules.detectors["name"] != nil {
                for n in SalutationDetector.names(d.text) { learned.insert(n) }
                lex.learnVocabulary(Tokenizer.tokens(d.text), in: d.text)
            }
        }
        // Third parties found by the gazetteer in one document are names in every document
        // ("Haruto Sato" in a signature makes "Sato-san," a name too). A second pass, because the
        // gazetteer needs the whole case's vocabulary first.
        if rules.detectors["name"] != nil {
            try store.forEachDocument { d in
                let bytes = Array(d.text.utf8)
                for h in Gazetteer.shared.find(Tokenizer.tokens(d.text), in: d.text, common: lex.commonWords) {
                    let words = String(decoding: bytes[h.start..<h.end], as: UTF8.self)
                        .split(whereSeparator: { $0 == " " || $0 == "." }).map(String.init)
                    if words.count >= 2, !Gazetteer.titles.contains(words[0].lowercased()) { learned.insert(words) }
                }
            }
        }
        // Names met in greetings, sign-offs and prose join the lexicon, sorted so the lexicon (and
        // so every redaction) is the same whatever order documents were read in.
        // Names on the allow-list (public officials) are not learned: their surname alone would
        // otherwise become a name to redact everywhere.
        let allowed = rules.allow.map { LeakAudit.tokens($0, lower: true) }
        func isAllowed(_ n: [String]) -> Bool {
            let t = n.flatMap { LeakAudit.tokens($0, lower: true) }
            return allowed.contains { a in
                !a.isEmpty && (0...max(0, a.count - t.count)).contains { i in a.count >= t.count && Array(a[i..<(i + t.count)]) == t }
                    || (t.count >= a.count && (0...(t.count - a.count)).contains { i in Array(t[i..<(i + a.count)]) == a })
            }
        }
        for n in learned.sorted(by: { $0.joined(separator: " ") < $1.joined(separator: " ") }) where !isAllowed(n) {
            lex.add(name: n)
        }
        return lex
    }

    public func run(progress: ((Int, Int) -> Void)? = nil) throws -> Summary {
        guard try store.stageDone(.dedupe) else { throw DiscloseError.order("run dedupe before redact") }
        let redactor = Redactor(rules: rules, lexicon: try buildLexicon())
        let dedupe = Dictionary(uniqueKeysWithValues: try store.dedupeRecords().map { ($0.key, $0) })
        var summary = Summary()
        var batchKeys: [String] = []
        var batch: [Redaction] = []
        func flush() throws {
            try store.replaceRedactions(for: batchKeys, with: batch)
            batchKeys.removeAll()
            batch.removeAll()
        }
        let total = dedupe.values.filter { $0.status == .kept }.count
        var done = 0
        try store.forEachDocument { d in
            guard let r = dedupe[d.key], r.status == .kept, let item = try store.item(d.key) else { return }
            batchKeys.append(d.key)
            for (field, value) in DocumentFields.values(item: item, document: d, allCustodians: r.allCustodians) {
                let bytes = Array(value.utf8)
                for s in redactor.spans(in: value) {
                    batch.append(Redaction(key: d.key, field: field, start: s.start, end: s.end,
                                           text: String(decoding: bytes[s.start..<s.end], as: UTF8.self),
                                           codes: s.codes, rule: "\(rules.name):\(s.rule)"))
                    summary.redactions += 1
                    for c in s.codes { summary.byCode[c, default: 0] += 1 }
                }
            }
            summary.documents += 1
            done += 1
            if batchKeys.count >= 200 { try flush(); progress?(done, total) }
        }
        try flush()
        try store.setStageDone(.redact, true)
        return summary
    }
}
