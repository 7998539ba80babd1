import DiscloseCore
import Foundation

public struct DedupeStage {
    public let store: CaseStore
    public let scope: DedupeScope
    /// Suppress top-level emails whose whole content a produced inclusive email of their thread holds.
    public let inclusiveOnly: Bool
    /// 0 turns near-duplicate grouping off.
    public let nearDuplicateThreshold: Double

    public init(store: CaseStore, scope: DedupeScope, inclusiveOnly: Bool = false, nearDuplicateThreshold: Double = 0.9) {
        self.store = store; self.scope = scope
        self.inclusiveOnly = inclusiveOnly; self.nearDuplicateThreshold = nearDuplicateThreshold
    }

    public init(store: CaseStore, job: Job) {
        self.init(store: store, scope: job.dedupeScope, inclusiveOnly: job.inclusiveOnly,
                  nearDuplicateThreshold: job.nearDuplicateThreshold)
    }

    public struct Summary {
        public var kept = 0
        /// Exact duplicates plus (with inclusive-only) non-inclusive emails.
        public var duplicates = 0
        public var familyMembers = 0
        public var nonInclusive = 0
        public var threads = 0
        public var nearDuplicateGroups = 0
    }

    /// Dedupe looks at the whole case at once, so it is one unit of work: recomputed in full
    /// and replaced in one transaction.
    public func run() throws -> Summary {
        guard try store.stageDone(.normalize) else { throw DiscloseError.order("run normalize before dedupe") }
        // Items are small; documents are streamed and reduced to hashes, segment fingerprints
        // and MinHash signatures on the way, so no text is held for the whole case.
        var items: [Item] = []
        var itemIndex: [String: Int] = [:]
        var attachments: [String: [(String, Int64)]] = [:]
        var childSHA: [String: [String]] = [:]
        try store.forEachItem { it in
            itemIndex[it.key] = items.count
            items.append(it)
            if let p = it.parentKey {
                attachments[p, default: []].append((it.fileName, it.size))
                childSHA[p, default: []].append(it.sha256)
            }
        }
        var hashes: [String: (String, String)] = [:]
        var emails: [Threader.Email] = []
        var near = NearDuplicates(threshold: nearDuplicateThreshold)
        try store.forEachDocument { d in
            if nearDuplicateThreshold > 0 { near.add(key: d.key, text: d.text) }
            guard d.kind == .email else { hashes[d.key] = ("", ""); return }
            hashes[d.key] = (Deduper.mih(d.messageID), Deduper.fieldHash(d, attachments: attachments[d.key] ?? []))
            guard let i = itemIndex[d.key], items[i].parentKey == nil else { return }
            let group: String = switch scope {
            case .global: ""
            case .custodian: items[i].custodian
            case .none: d.key
            }
            emails.append(Threader.Email(key: d.key, document: d, attachmentSHA256: childSHA[d.key] ?? [], copyGroup: group))
        }
        let entries = items.compactMap { it in
            hashes[it.key].map { Deduper.Entry(item: it, mih: $0.0, fieldHash: $0.1) }
        }
        var records = Deduper(scope: scope).run(entries)
        var recordIndex: [String: Int] = [:]
        for (i, r) in records.enumerated() { recordIndex[r.key] = i }

        let threads = Threader.run(emails)
        for t in threads {
            guard let i = recordIndex[t.key] else { continue }
            records[i].threadID = t.threadID
            records[i].inclusive = t.inclusive
            records[i].inclusiveReason = t.reason
        }

        // Exact duplicates take no part: their kept copy stands for them.
        let suppressed = Set(records.lazy.filter { $0.status == .duplicate || $0.status == .familyOfDuplicate }.map(\.key))
        for m in near.run(include: { !suppressed.contains($0) }) {
            guard let i = recordIndex[m.key] else { continue }
            records[i].nearDupGroup = m.group
            records[i].nearDupSimilarity = m.similarity
            records[i].nearDupPrincipal = m.principal
        }

        if inclusiveOnly {
            // Only when an inclusive email that holds all of this one's content is produced:
            // otherwise suppressing it could drop content from the production.
            var nonInclusiveTops = Set<String>()
            for t in threads where !t.inclusive {
                guard let i = recordIndex[t.key], records[i].status == .kept else { continue }
                let container = t.containedIn.first { k in
                    guard let j = recordIndex[k] else { return false }
                    return records[j].status == .kept && records[j].inclusive
                }
                guard let c = container else { continue }
                records[i].status = .nonInclusive
                records[i].duplicateOf = c
                records[i].method = "non-inclusive"
                nonInclusiveTops.insert(t.key)
            }
            if !nonInclusiveTops.isEmpty {
                for i in records.indices where records[i].status == .kept {
                    var cur = itemIndex[records[i].key].map { items[$0] }
                    while let p = cur?.parentKey, let pi = itemIndex[p] { cur = items[pi] }
                    if let top = cur?.key, top != records[i].key, nonInclusiveTops.contains(top) {
                        records[i].status = .familyOfDuplicate
                        records[i].method = "family"
                    }
                }
            }
        }

        try store.transaction {
            try store.replaceDedupe(records)
            try store.setStageDone(.dedupe, true)
        }
        var s = Summary()
        for r in records {
            switch r.status {
            case .kept: s.kept += 1
            case .duplicate: s.duplicates += 1
            case .nonInclusive: s.duplicates += 1; s.nonInclusive += 1
            case .familyOfDuplicate: s.familyMembers += 1
            }
        }
        s.threads = Set(threads.map(\.threadID)).count
        s.nearDuplicateGroups = Set(records.lazy.map(\.nearDupGroup).filter { !$0.isEmpty }).count
        return s
    }
}
