import DiscloseCore

/// The items of documents visited in key order, read a page at a time rather than one query
/// per document. A key the pages do not hold where expected (no item, or an order the store
/// does not share) is looked up on its own, so the answer is always the store's.
struct ItemCursor {
    let store: CaseStore
    private var page: [Item] = []
    private var index = 0
    private var exhausted = false

    init(store: CaseStore) { self.store = store }

    mutating func item(_ key: String) throws -> Item? {
        while true {
            if index == page.count {
                guard !exhausted else { break }
                page = try store.items(after: page.last?.key, limit: 2000)
                index = 0
                if page.isEmpty { exhausted = true; break }
            }
            let k = page[index].key
            if k == key { return page[index] }
            guard k.utf8.lexicographicallyPrecedes(key.utf8) else { break }
            index += 1
        }
        return try store.item(key)
    }
}
