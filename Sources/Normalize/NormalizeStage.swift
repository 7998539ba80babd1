import DiscloseCore
import Foundation

/// The normalize stage: every extracted item without a document gets one, in key order,
/// committed in batches so an interrupted run resumes where it stopped.
public struct NormalizeStage {
    public let store: CaseStore
    public let blobs: BlobStore
    public var batchSize = 200

    public init(store: CaseStore, blobs: BlobStore) {
        self.store = store
        self.blobs = blobs
    }

    public struct Summary { public var documents = 0; public var exceptions = 0 }

    public func run(progress: ((Int, Int) -> Void)? = nil) throws -> Summary {
        guard try store.stageDone(.extract) else { throw DiscloseError.order("run extract before normalize") }
        let total = try store.itemCount()
        var summary = Summary()
        let normalizer = Normalizer()
        while true {
            let keys = try store.unnormalizedKeys(limit: batchSize)
            if keys.isEmpty { break }
            // Parsing is independent per item, so a batch is spread over the cores; results
            // are put back in key order, so the outcome does not depend on scheduling.
            var results = [Result<Document, Error>?](repeating: nil, count: keys.count)
            var items: [Item] = []
            for k in keys { if let it = try store.item(k) { items.append(it) } }
            let blobs = self.blobs
            results.withUnsafeMutableBufferPointer { out in
                let ptr = out
                DispatchQueue.concurrentPerform(iterations: items.count) { i in
                    let it = items[i]
                    ptr[i] = Result {
                        let bytes = try blobs.read(it.sha256)
                        return try normalizer.document(for: it, bytes: bytes)
                    }
                }
            }
            var docs: [Document] = []
            var exc: [ExceptionRecord] = []
            for (i, it) in items.enumerated() {
                switch results[i]! {
                case .success(let d): docs.append(d)
                case .failure(let e):
                    exc.append(ExceptionRecord(key: it.key, parentKey: it.parentKey, source: it.source,
                                               custodian: it.custodian, stage: "normalize", path: it.path,
                                               reason: "\(e)"))
                }
            }
            try store.transaction {
                try store.save(documents: docs)
                try store.insert(exceptions: exc)
            }
            summary.documents += docs.count
            summary.exceptions += exc.count
            progress?(try store.documentCount(), total)
        }
        try store.setStageDone(.normalize, true)
        return summary
    }
}
