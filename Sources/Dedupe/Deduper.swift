import DiscloseCore
import Foundation

/// Deduplication as the field does it (field guide §2): loose files by their bytes; emails by
/// the EDRM Message Identification Hash and by a hash of normalised fields, because the same
/// message in two mailboxes never has the same bytes. Only top-level documents are compared,
/// so families stay whole; the kept copy is the first in source order.
public struct Deduper {
    public let scope: DedupeScope
    public init(scope: DedupeScope) { self.scope = scope }

    /// One document as dedupe sees it; the hashes are computed while streaming documents, so
    /// no text is held for the whole case.
    public struct Entry {
        public var item: Item
        public var mih: String
        public var fieldHash: String
        public init(item: Item, mih: String = "", fieldHash: String = "") {
            self.item = item; self.mih = mih; self.fieldHash = fieldHash
        }
    }

    /// EDRM MIH: MD5 of the Message-ID exactly as in the header, angle brackets included.
    public static func mih(_ messageID: String) -> String {
        messageID.isEmpty ? "" : Hash.md5("<\(messageID)>")
    }

    /// Reveal's published recipe: date sent to the second, sender, sorted recipients, subject as
    /// is, body reduced to letters and digits, sorted attachment names with sizes.
    public static func fieldHash(_ d: Document, attachments: [(String, Int64)]) -> String {
        let recipients = (d.to + d.cc + d.bcc).map { $0.address.lowercased() }.sorted()
        let body = String(String.UnicodeScalarView(d.text.unicodeScalars.filter {
            CharacterSet.alphanumerics.contains($0)
        }))
        let atts = attachments.map { "\($0.0):\($0.1)" }.sorted()
        let parts = [d.dateSent, d.from?.address.lowercased() ?? "", recipients.joined(separator: ","),
                     d.subject, body, atts.joined(separator: ",")]
        return Hash.md5(parts.joined(separator: "\u{1F}"))
    }

    /// `entries` in key order (every item that has a document).
    public func run(_ entries: [Entry]) -> [DedupeRecord] {
        var index: [String: Int] = [:]
        for (i, e) in entries.enumerated() { index[e.item.key] = i }
        var mihs = [String](repeating: "", count: entries.count)
        var fields = [String](repeating: "", count: entries.count)
        var keys = [[String]](repeating: [], count: entries.count)
        var method = [String](repeating: "", count: entries.count)
        for (i, e) in entries.enumerated() where e.item.parentKey == nil {
            let scopePrefix = scope == .custodian ? e.item.custodian + "\u{1F}" : ""
            if e.item.kind == .email, !e.fieldHash.isEmpty {
                mihs[i] = e.mih
                fields[i] = e.fieldHash
                if !mihs[i].isEmpty { keys[i].append(scopePrefix + "mih:" + mihs[i]) }
                keys[i].append(scopePrefix + "field:" + fields[i])
            } else {
                keys[i].append(scopePrefix + "sha256:" + e.item.sha256)
            }
        }

        // Union of everything that shares a key; the representative is the smallest index,
        // i.e. the first copy in source order.
        var parent = Array(entries.indices)
        func find(_ x: Int) -> Int {
            var x = x
            while parent[x] != x { parent[x] = parent[parent[x]]; x = parent[x] }
            return x
        }
        func union(_ a: Int, _ b: Int) {
            let ra = find(a), rb = find(b)
            if ra == rb { return }
            if ra < rb { parent[rb] = ra } else { parent[ra] = rb }
        }
        if scope != .none {
            var firstWithKey: [String: Int] = [:]
            for (i, ks) in keys.enumerated() {
                for k in ks {
                    if let f = firstWithKey[k] {
                        union(f, i)
                        if method[i].isEmpty {
                            method[i] = k.contains("mih:") ? "MIH" : k.contains("field:") ? "email fields" : "SHA-256"
                        }
                    } else { firstWithKey[k] = i }
                }
            }
        }
        var custodians: [Int: Set<String>] = [:]
        for (i, e) in entries.enumerated() where e.item.parentKey == nil {
            custodians[find(i), default: []].insert(e.item.custodian)
        }

        var records: [DedupeRecord] = []
        records.reserveCapacity(entries.count)
        var suppressedFamilies = Set<String>()
        var familyCustodians: [String: [String]] = [:]
        for (i, e) in entries.enumerated() {
            let k = e.item.key
            if e.item.parentKey != nil {
                let top = topAncestor(of: e.item, index: index, entries: entries)
                let suppressed = suppressedFamilies.contains(top)
                records.append(DedupeRecord(key: k, status: suppressed ? .familyOfDuplicate : .kept,
                                            duplicateOf: nil, allCustodians: familyCustodians[top] ?? [e.item.custodian],
                                            mih: "", fieldHash: "", method: suppressed ? "family" : ""))
                continue
            }
            let root = find(i)
            let all = (custodians[root] ?? [e.item.custodian]).sorted()
            if root == i {
                familyCustodians[k] = all
                records.append(DedupeRecord(key: k, status: .kept, duplicateOf: nil, allCustodians: all,
                                            mih: mihs[i], fieldHash: fields[i], method: ""))
            } else {
                suppressedFamilies.insert(k)
                records.append(DedupeRecord(key: k, status: .duplicate, duplicateOf: entries[root].item.key,
                                            allCustodians: [e.item.custodian], mih: mihs[i], fieldHash: fields[i],
                                            method: method[i]))
            }
        }
        return records
    }

    private func topAncestor(of item: Item, index: [String: Int], entries: [Entry]) -> String {
        var cur = item
        while let p = cur.parentKey, let i = index[p] { cur = entries[i].item }
        return cur.key
    }
}
