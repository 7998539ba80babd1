import DiscloseCore
import Foundation

public struct DedupeStage {
    public let store: CaseStore
    public let scope: DedupeScope
    public init(store: CaseStore, scope: DedupeScope) { self.store = store; self.scope = scope }

    public struct Summary { public var kept = 0; public var duplicates = 0; public var familyMembers = 0 }

    /// Dedupe looks at the whole case at once, so it is one unit of work: recomputed in full
    /// and replaced in one transaction.
    public func run() throws -> Summary {
        guard try store.stageDone(.normalize) else { throw DiscloseError.order("run normalize before dedupe") }
        // Items are small; documents are streamed and reduced to their hashes on the way.
        var items: [Item] = []
        var attachments: [String: [(String, Int64)]] = [:]
        try store.forEachItem { it in
            items.append(it)
            if let p = it.parentKey { attachments[p, default: []].append((it.fileName, it.size)) }
        }
        var hashes: [String: (String, String)] = [:]
        try store.forEachDocument { d in
            guard d.kind == .email else { hashes[d.key] = ("", ""); return }
            hashes[d.key] = (Deduper.mih(d.messageID), Deduper.fieldHash(d, attachments: attachments[d.key] ?? []))
        }
        let entries = items.compactMap { it in
            hashes[it.key].map { Deduper.Entry(item: it, mih: $0.0, fieldHash: $0.1) }
        }
        let records = Deduper(scope: scope).run(entries)
        try store.transaction {
            try store.replaceDedupe(records)
            try store.setStageDone(.dedupe, true)
        }
        var s = Summary()
        for r in records {
            switch r.status {
            case .kept: s.kept += 1
            case .duplicate, .nonInclusive: s.duplicates += 1
            case .familyOfDuplicate: s.familyMembers += 1
            }
        }
        return s
    }
}
