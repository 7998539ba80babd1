import DiscloseCore
import Foundation
import Redact

/// Detector accuracy against a ground-truth file of planted strings (SampleData's
/// `ground-truth.json` format): per detector, recall over the planted strings that occur in
/// produced documents, and precision over the distinct strings the detector redacted.
public struct Accuracy {
    public struct GroundTruth: Decodable {
        public struct Entry: Decodable { public var text: String; public var kind: String }
        public var pii: [Entry]
        public var `public`: [Entry]
    }

    public struct Row {
        public var detector: String
        public var planted = 0
        public var found = 0
        public var redacted = 0
        public var correct = 0
        public var missed: [String] = []
        public var wrong: [String] = []
        public var recall: Double { planted == 0 ? 1 : Double(found) / Double(planted) }
        public var precision: Double { redacted == 0 ? 1 : Double(correct) / Double(redacted) }
    }

    static func detector(forKind k: String) -> String {
        switch k {
        case "email": return "email"
        case "phone": return "phone"
        case "ssn": return "ssn"
        default: return "name"
        }
    }

    /// Which detector a stored rule came from ("foia:name+email" counts for both).
    static func detectors(ofRule rule: String) -> [String] {
        let r = rule.replacingOccurrences(of: "propagated:", with: "")
        guard !r.hasPrefix("reviewer"), !r.hasPrefix("withheld") else { return [] }
        let parts = r.split(separator: ":").last.map { $0.split(separator: "+").map(String.init) } ?? []
        return parts.map { ["gazetteer", "name"].contains($0) ? "name" : $0 }.filter { ["email", "phone", "ssn", "name"].contains($0) }
    }

    static func fold(_ s: String) -> String { " " + LeakAudit.tokens(s, lower: true).joined(separator: " ") + " " }

    public static func measure(store: CaseStore, truth: GroundTruth) throws -> [Row] {
        let dedupe = Dictionary(uniqueKeysWithValues: try store.dedupeRecords().map { ($0.key, $0) })
        // What the produced documents say, folded, to know which planted strings can be measured.
        var corpus = ""
        try store.forEachDocument { d in
            guard dedupe[d.key]?.status == .kept, let it = try store.item(d.key) else { return }
            for (_, v) in DocumentFields.values(item: it, document: d, allCustodians: dedupe[d.key]?.allCustodians ?? []) {
                corpus += fold(v)
            }
        }
        var byDetector: [String: Set<String>] = [:]  // folded redacted strings per detector
        for r in try store.allRedactions() where !r.text.isEmpty {
            for det in detectors(ofRule: r.rule) { byDetector[det, default: []].insert(fold(r.text)) }
        }
        let plantedFolded = truth.pii.map { fold($0.text) }
        var rows: [String: Row] = [:]
        for name in ["email", "phone", "ssn", "name"] { rows[name] = Row(detector: name) }
        for e in truth.pii {
            let det = detector(forKind: e.kind)
            let f = fold(e.text)
            guard f.count > 2, corpus.contains(f) else { continue }
            rows[det]!.planted += 1
            if (byDetector[det] ?? []).contains(where: { $0.contains(f) }) { rows[det]!.found += 1 } else { rows[det]!.missed.append(e.text) }
        }
        for (det, texts) in byDetector {
            guard rows[det] != nil else { continue }
            for t in texts.sorted() {
                rows[det]!.redacted += 1
                // Right when it is (part of) a planted string or holds one; wrong otherwise.
                if plantedFolded.contains(where: { $0.contains(t) || t.contains($0) }) { rows[det]!.correct += 1 } else { rows[det]!.wrong.append(t) }
            }
        }
        return ["email", "phone", "ssn", "name"].map { rows[$0]! }
    }

    public static func table(_ rows: [Row]) -> String {
        var s = "detector  planted  found  recall  redacted  correct  precision\n"
        for r in rows {
            s += String(format: "%-8@  %7d  %5d  %6.3f  %8d  %7d  %9.3f\n", r.detector as NSString, r.planted, r.found, r.recall,
                        r.redacted, r.correct, r.precision)
        }
        return s
    }
}

extension Pipeline {
    public func accuracy(truthFile: URL) throws -> [Accuracy.Row] {
        let truth = try JSONDecoder().decode(Accuracy.GroundTruth.self, from: Data(contentsOf: truthFile))
        return try Accuracy.measure(store: kase.store, truth: truth)
    }
}
