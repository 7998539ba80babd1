import DiscloseCore
import Foundation

/// The redact stage: detectors and rules propose, reviewers' decisions add and overrule, and
/// every redaction is carried to every other copy of the same text, so the same information
/// gets the same treatment everywhere (a name blacked out in one copy of a thread is blacked
/// out in all of them).
public struct RedactStage: Sendable {
    public let store: CaseStore
    public let rules: RuleSet
    public let custodians: [String]
    public var decisionsFile: URL?
    public var propagate: Bool

    public init(store: CaseStore, rules: RuleSet, custodians: [String], decisionsFile: URL? = nil, propagate: Bool = true) {
        self.store = store; self.rules = rules; self.custodians = custodians
        self.decisionsFile = decisionsFile; self.propagate = propagate
    }

    public struct Summary {
        public var documents = 0
        public var redactions = 0
        public var propagated = 0
        public var withheld = 0
        public var byCode: [String: Int] = [:]

        /// Adds (sign 1) or takes away (sign -1) one document's stored redactions: the summary
        /// is kept as the stage writes, not read back from the store.
        mutating func count(_ reds: [Redaction], sign: Int) {
            guard !reds.isEmpty else { return }
            redactions += sign * reds.count
            documents += sign
            for x in reds { for c in x.codes { byCode[c, default: 0] += sign } }
        }
    }

    /// Fields whose redactions are carried to other copies (all but the load-file-only ones).
    static let textFields = Set(DocumentFields.textFieldNames)

    public func run(progress: ((Int, Int) -> Void)? = nil) throws -> Summary {
        guard try store.stageDone(.dedupe) else { throw DiscloseError.order("run dedupe before redact") }
        let dedupe = Dictionary(uniqueKeysWithValues: try store.dedupeRecords().map { ($0.key, $0) })
        let decisions = try decisionsFile.map(Decisions.load) ?? []
        let resolved = try resolve(decisions, dedupe: dedupe)

        var effective = rules
        effective.allow += decisions.filter { $0.action == .unredact }.map(\.text)
        let lexicon = try buildLexicon(allow: effective.allow)
        // Package scrubs folder names and paths with the very same lexicon.
        try store.setArtifact("lexicon", lexicon.encoded())
        let redactor = Redactor(rules: effective, lexicon: lexicon)
        let released = Set(resolved.filter { $0.1.action == .release }.map(\.0))
        var withheld: [String: Decision] = [:]
        for (k, d) in resolved where d.action == .withhold { withheld[k] = withheld[k] ?? d }
        let reviewerRedacts = Dictionary(grouping: resolved.filter { $0.1.action == .redact }, by: \.0).mapValues { $0.map(\.1) }

        // Withholding carries to the near-duplicates of a withheld document: another custodian's
        // copy with a reply on top still holds the withheld content.
        if propagate {
            var byGroup: [String: [String]] = [:]
            for r in dedupe.values where r.status == .kept && !r.nearDupGroup.isEmpty { byGroup[r.nearDupGroup, default: []].append(r.key) }
            for (k, d) in withheld.sorted(by: { $0.key < $1.key }) {
                guard let g = dedupe[k]?.nearDupGroup, !g.isEmpty else { continue }
                for m in byGroup[g] ?? [] where withheld[m] == nil {
                    var c = d
                    c.reason = "withheld with its near-duplicate \(k): " + d.reason
                    withheld[m] = c
                }
            }
        }

        var summary = Summary()
        var needles = NeedleSet<Redaction>()
        // What pass 1 stored per document, kept as bare ranges: pass 2 only reads a document's
        // redactions back from the store when something new lands in it.
        var stored: [String: [Covered]] = [:]
        let total = dedupe.values.filter { $0.status == .kept }.count
        var done = 0

        // Pass 1: each document on its own. Detection is independent per document, so a batch is
        // spread over the cores; results are stored in key order, whatever finished first.
        struct Work { var doc: Document; var item: Item; var record: DedupeRecord }
        let withheldNow = withheld
        let pass1 = Batches<Work, Result<[Redaction], Error>>(work: { w in
            Result {
                var reds = try self.detect(w.doc, w.item, w.record, redactor: redactor, released: released,
                                           reviewer: reviewerRedacts[w.doc.key] ?? [])
                if let wh = withheldNow[w.doc.key] {
                    reds.append(Redaction(key: w.doc.key, field: Redaction.withholdField, start: 0, end: 0, text: "",
                                          codes: wh.codes, rule: "reviewer:line \(wh.line)", reason: wh.reason))
                }
                return Self.merge(reds)
            }
        }, commit: { work, results in
            var batch: [Redaction] = []
            for (w, result) in zip(work, results) {
                let d = w.doc
                let reds = try result.get()
                if let wh = withheld[d.key] {
                    summary.withheld += 1
                    // What a withheld document says must not be readable where others quote it.
                    if propagate {
                        for p in Self.paragraphs(Self.ownContent(d.text)) where Fold.tokens(p).count >= 8 {
                            needles.add(p, Redaction(key: d.key, field: Field.text, start: 0, end: 0, text: p, codes: wh.codes,
                                                     rule: "withheld-content", reason: wh.reason))
                        }
                    }
                }
                if propagate {
                    for x in reds where Self.textFields.contains(x.field) { needles.add(x.text, x) }
                    stored[d.key] = reds.map { Covered(field: $0.field, start: $0.start, end: $0.end) }
                }
                summary.count(reds, sign: 1)
                batch += reds
                done += 1
            }
            try store.replaceRedactions(for: work.map(\.doc.key), with: batch)
            progress?(done, total)
        })
        var items = ItemCursor(store: store)
        try store.forEachDocument { d in
            guard let r = dedupe[d.key], r.status == .kept, let item = try items.item(d.key) else { return }
            try pass1.add(Work(doc: d, item: item, record: r))
        }
        try pass1.finish()

        // Pass 2: every redacted string, paragraph and withheld passage, in every other copy:
        // duplicates, near-duplicates, quoted segments in later emails of the thread, other
        // custodians. Forms that differ only in spacing, wrapping, quote marks or punctuation match.
        if propagate && needles.count > 0 {
            struct Carry { var doc: Document; var covered: [Covered] }
            let frozen = needles
            let pass2 = Batches<Carry, [Redaction]>(work: { Self.carryOver(frozen, into: $0.doc, covered: $0.covered) },
                                                   commit: { work, added in
                for (w, a) in zip(work, added) where !a.isEmpty {
                    summary.propagated += a.count
                    let existing = try store.redactions(for: w.doc.key)
                    let merged = Self.merge(existing + a)
                    summary.count(existing, sign: -1)
                    summary.count(merged, sign: 1)
                    try store.replaceRedactions(for: [w.doc.key], with: merged)
                }
            })
            // The documents pass 1 went through (kept, with an item), in the same order.
            try store.forEachDocument { d in
                guard !released.contains(d.key), let covered = stored[d.key] else { return }
                try pass2.add(Carry(doc: d, covered: covered))
            }
            try pass2.finish()
        }

        summary.byCode = summary.byCode.filter { $0.value != 0 }
        try store.setStageDone(.redact, true)
        return summary
    }

    /// The redactions `needles` adds to one document: every redacted string, paragraph and
    /// withheld passage found again here and not already covered.
    static func carryOver(_ needles: NeedleSet<Redaction>, into d: Document, covered existing: [Covered]) -> [Redaction] {
        var added: [Redaction] = []
        for (field, value) in DocumentFields.textValues(document: d) {
            let bytes = Array(value.utf8)
            let covered = existing.filter { $0.field == field }
            for hit in needles.find(Fold.tokens(value)) {
                if covered.contains(where: { $0.start <= hit.start && hit.end <= $0.end }) { continue }
                var (s, e) = (hit.start, hit.end)
                if field == Field.text, hit.payload.rule.hasPrefix("reviewer"), startsParagraph(value, at: s) {
                    e = max(e, paragraphEnd(value, from: s))
                }
                // The same string elsewhere in the same document is redacted too, but it did not
                // come from another copy.
                let origin = hit.payload.propagatedFrom.isEmpty ? hit.payload.key : hit.payload.propagatedFrom
                added.append(Redaction(key: d.key, field: field, start: s, end: e,
                                       text: String(decoding: bytes[s..<e], as: UTF8.self), codes: hit.payload.codes,
                                       rule: "propagated:" + hit.payload.rule, reason: hit.payload.reason,
                                       propagatedFrom: origin == d.key ? "" : origin))
            }
        }
        return added
    }

    /// A stored redaction's place: all pass 2 needs to know of it.
    struct Covered {
        var field: String
        var start: Int
        var end: Int
    }

    /// Detector and reviewer redactions of one document, before merging and propagation.
    func detect(_ d: Document, _ item: Item, _ r: DedupeRecord, redactor: Redactor, released: Set<String>,
                reviewer: [Decision]) throws -> [Redaction] {
        var reds: [Redaction] = []
        let values = DocumentFields.values(item: item, document: d, allCustodians: r.allCustodians)
        if !released.contains(d.key) {
            for (field, value) in values where field != Field.messageID {
                let bytes = Array(value.utf8)
                let skip = field == "headers" ? DocumentFields.identifierLines(value) : []
                for s in redactor.spans(in: value) where !skip.contains(where: { $0.overlaps(s.start..<s.end) }) {
                    reds.append(Redaction(key: d.key, field: field, start: s.start, end: s.end,
                                          text: String(decoding: bytes[s.start..<s.end], as: UTF8.self),
                                          codes: s.codes, rule: "\(rules.name):\(s.rule)"))
                }
            }
        }
        for dec in reviewer {
            let found = Self.reviewerSpans(dec, in: values, key: d.key)
            guard !found.isEmpty else {
                throw DiscloseError.job(path: "\(decisionsFile?.path ?? "decisions") line \(dec.line), column text",
                                        message: "'\(dec.text)' does not occur in document \(dec.doc)")
            }
            reds += found
        }
        return reds
    }

    // MARK: decisions

    /// Each decision's document as a kept document key. A decision naming a copy that dedupe
    /// suppressed applies to the copy that is produced.
    func resolve(_ decisions: [Decision], dedupe: [String: DedupeRecord]) throws -> [(String, Decision)] {
        guard !decisions.isEmpty else { return [] }
        var bySHA: [String: String] = [:]
        var keys = Set<String>()
        try store.forEachItem { it in
            keys.insert(it.key)
            if bySHA[it.sha256] == nil { bySHA[it.sha256] = it.key }
        }
        var byMessageID: [String: String] = [:]
        try store.forEachDocument { d in
            if !d.messageID.isEmpty, byMessageID[d.messageID] == nil { byMessageID[d.messageID] = d.key }
        }
        let produced = try store.producedRecords()
        func kept(_ k: String) -> String {
            var k = k
            while let r = dedupe[k], let dup = r.duplicateOf { k = dup }
            return k
        }
        return try decisions.map { dec in
            let d = dec.doc
            var key: String? = keys.contains(d) ? d : nil
            if key == nil { key = bySHA[d.lowercased()] }
            if key == nil {
                let bare = d.hasPrefix("<") && d.hasSuffix(">") ? String(d.dropFirst().dropLast()) : d
                key = byMessageID[bare]
            }
            if key == nil { key = produced.first { $0.begBates <= d && d <= $0.endBates && $0.begBates.count == d.count }?.key }
            guard let k = key else {
                throw DiscloseError.job(path: "\(decisionsFile?.path ?? "decisions") line \(dec.line), column doc",
                                        message: "no document '\(d)' (tried control number, SHA-256, Message-ID, Bates number)")
            }
            return (kept(k), dec)
        }
    }

    /// The decision's text in the document's fields; in the body, a text that starts a
    /// paragraph takes the whole paragraph (one code per paragraph, as FOIA practice has it).
    static func reviewerSpans(_ dec: Decision, in values: [(String, String)], key: String) -> [Redaction] {
        var needle = NeedleSet<Int>()
        needle.add(dec.text, 0)
        var out: [Redaction] = []
        for (field, value) in values where textFields.contains(field) {
            let bytes = Array(value.utf8)
            for hit in needle.find(Fold.tokens(value)) {
                var e = hit.end
                if field == Field.text, startsParagraph(value, at: hit.start) { e = max(e, paragraphEnd(value, from: hit.start)) }
                out.append(Redaction(key: key, field: field, start: hit.start, end: e,
                                     text: String(decoding: bytes[hit.start..<e], as: UTF8.self), codes: dec.codes,
                                     rule: "reviewer:line \(dec.line)", reason: dec.reason))
            }
        }
        return out
    }

    /// True when only spaces and quote markers stand between the line start and `offset`, and
    /// the line before is blank (or there is none): the match opens a paragraph.
    static func startsParagraph(_ text: String, at offset: Int) -> Bool {
        let b = Array(text.utf8)
        var i = offset
        while i > 0, b[i - 1] != 0x0A {
            if b[i - 1] != 0x20 && b[i - 1] != 0x3E && b[i - 1] != 0x09 { return false }
            i -= 1
        }
        if i == 0 { return true }
        var j = i - 1  // the newline ending the previous line
        while j > 0, b[j - 1] != 0x0A {
            if b[j - 1] != 0x20 && b[j - 1] != 0x3E && b[j - 1] != 0x09 && b[j - 1] != 0x0D { return false }
            j -= 1
        }
        return true
    }

    /// The end of the paragraph holding `offset`: before the next line that is blank once
    /// quote markers are stripped.
    static func paragraphEnd(_ text: String, from offset: Int) -> Int {
        let b = Array(text.utf8)
        var i = offset
        while i < b.count {
            if b[i] == 0x0A {
                var j = i + 1
                while j < b.count, b[j] == 0x20 || b[j] == 0x3E || b[j] == 0x09 || b[j] == 0x0D { j += 1 }
                if j >= b.count || b[j] == 0x0A { break }
            }
            i += 1
        }
        var e = i
        while e > offset, b[e - 1] == 0x20 || b[e - 1] == 0x0D || b[e - 1] == 0x0A { e -= 1 }
        return e
    }

    /// What an email itself says: its text before the sign-off, the signature and the quoted
    /// history. Only that is carried from a withheld document to the emails that quote it; the
    /// history came from other emails and the signature is in every email of its author.
    static func ownContent(_ text: String) -> String {
        var out: [Substring] = []
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let t = line.trimmingCharacters(in: .whitespaces)
            let lower = t.lowercased()
            if t.hasPrefix(">") || t == "--" || t == "-- " || lower.hasPrefix("-----original") || lower.hasPrefix("----- original")
                || lower.hasPrefix("begin forwarded message") || lower.hasPrefix("---------- forwarded")
                || (lower.hasPrefix("from:") && !out.isEmpty) || (lower.hasPrefix("on ") && lower.hasSuffix("wrote:")) {
                break
            }
            let bare = lower.trimmingCharacters(in: CharacterSet(charactersIn: ",.!"))
            if SalutationDetector.closings.contains(bare) { break }
            out.append(line)
        }
        return out.joined(separator: "\n")
    }

    static func paragraphs(_ text: String) -> [String] {
        var out: [String] = []
        var cur: [String] = []
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let t = line.drop(while: { $0 == ">" || $0 == " " })
            if t.trimmingCharacters(in: .whitespaces).isEmpty {
                if !cur.isEmpty { out.append(cur.joined(separator: " ")); cur = [] }
            } else {
                cur.append(String(t))
            }
        }
        if !cur.isEmpty { out.append(cur.joined(separator: " ")) }
        return out
    }

    /// Overlapping redactions of one field become one, carrying every code.
    static func merge(_ reds: [Redaction]) -> [Redaction] {
        let sorted = reds.sorted { ($0.field, $0.start, $0.end) < ($1.field, $1.start, $1.end) }
        var out: [Redaction] = []
        for r in sorted {
            if var last = out.last, last.field == r.field, r.field != Redaction.withholdField, r.start < last.end {
                if r.end > last.end {
                    last.text += String(decoding: Array(r.text.utf8).suffix(r.end - last.end), as: UTF8.self)
                    last.end = r.end
                }
                last.codes = Codes.sorted(last.codes + r.codes)
                if last.reason.isEmpty { last.reason = r.reason }
                if r.propagatedFrom.isEmpty { last.propagatedFrom = "" }
                out[out.count - 1] = last
            } else {
                var r = r
                r.codes = Codes.sorted(r.codes)
                out.append(r)
            }
        }
        return out
    }

    // MARK: names

    /// Every correspondent named in any header of the case, every custodian, names met in
    /// greetings and sign-offs, and third parties the gazetteer finds: one lexicon for the case.
    public func buildLexicon(allow: [String]? = nil) throws -> NameLexicon {
        let allowList = allow ?? rules.allow
        let lex = NameLexicon()
        var seen = Set<String>()
        func add(_ name: String) {
            if !name.isEmpty, seen.insert(name).inserted { lex.add(displayName: name) }
        }
        for c in custodians { add(c) }
        var learned = Set<[String]>()
        let findsNames = rules.detectors["name"] != nil
        // Texts are scanned in parallel; what they yield is merged in key order (header names) or
        // into sets, so the lexicon is the same every run.
        struct Scan { var names: [[String]] = []; var vocabulary = Set<String>(); var mayNameThirdParties = false }
        var thirdPartyKeys: [String] = []
        let pass1 = Batches<Document, Scan>(work: { d in
            guard findsNames else { return Scan() }
            let toks = Tokenizer.tokens(d.text)
            // The case's vocabulary only takes words away from the gazetteer, so a text in which
            // it finds nothing with no vocabulary at all is not read again below.
            return Scan(names: SalutationDetector.names(d.text, tokens: toks),
                        vocabulary: Set(NameLexicon.vocabulary(toks, in: d.text)),
                        mayNameThirdParties: !Gazetteer.shared.find(toks, in: d.text).isEmpty)
        }, commit: { docs, scans in
            for (d, f) in zip(docs, scans) {
                for a in [d.from].compactMap({ $0 }) + d.to + d.cc + d.bcc { add(a.name) }
                learned.formUnion(f.names)
                lex.commonWords.formUnion(f.vocabulary)
                if f.mayNameThirdParties { thirdPartyKeys.append(d.key) }
            }
        })
        try store.forEachDocument { try pass1.add($0) }
        try pass1.finish()
        // Third parties found by the gazetteer in one document are names in every document
        // ("Haruto Sato" in a signature makes "Sato-san," a name too). A second pass, because the
        // gazetteer needs the whole case's vocabulary first.
        if findsNames {
            let common = lex.commonWords
            let pass2 = Batches<Document, [[String]]>(work: { Self.gazetteerNames($0.text, common: common) },
                                                     commit: { _, found in for names in found { learned.formUnion(names) } })
            for k in thirdPartyKeys { if let d = try store.document(k) { try pass2.add(d) } }
            try pass2.finish()
        }
        // Names on the allow-list (public officials) are not learned: their surname alone would
        // otherwise become a name to redact everywhere.
        let allowed = allowList.map { LeakAudit.tokens($0, lower: true) }.filter { !$0.isEmpty }
        func isAllowed(_ n: [String]) -> Bool {
            let t = n.flatMap { LeakAudit.tokens($0, lower: true) }
            return allowed.contains { a in Self.contains(a, t) || Self.contains(t, a) }
        }
        for n in learned.sorted(by: { $0.joined(separator: " ") < $1.joined(separator: " ") }) where !isAllowed(n) {
            lex.add(name: n)
        }
        return lex
    }

    /// Full names the gazetteer finds in a text, as words, without a leading title.
    static func gazetteerNames(_ text: String, common: Set<String>) -> [[String]] {
        let bytes = Array(text.utf8)
        var out: [[String]] = []
        for h in Gazetteer.shared.find(Tokenizer.tokens(text), in: text, common: common) {
            let words = String(decoding: bytes[h.start..<h.end], as: UTF8.self)
                .split(whereSeparator: { $0 == " " || $0 == "." }).map(String.init)
            if words.count >= 2, !Gazetteer.titles.contains(words[0].lowercased()) { out.append(words) }
        }
        return out
    }

    /// Whether `small` occurs as a contiguous run in `big`.
    static func contains(_ big: [String], _ small: [String]) -> Bool {
        guard !small.isEmpty, small.count <= big.count else { return false }
        return (0...(big.count - small.count)).contains { Array(big[$0..<($0 + small.count)]) == small }
    }
}
