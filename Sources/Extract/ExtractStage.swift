import DiscloseCore
import Foundation

/// The extract stage: every source of the job through the dispatcher. One source is one unit
/// of work: its items and exceptions commit together, so an interrupted run redoes at most the
/// source it was in, and a finished source is never read twice.
public struct ExtractStage {
    public let job: Job
    public let store: CaseStore
    public let blobs: BlobStore
    public let dispatcher: Dispatcher

    public init(job: Job, store: CaseStore, blobs: BlobStore, dispatcher: Dispatcher = Dispatcher()) {
        self.job = job; self.store = store; self.blobs = blobs; self.dispatcher = dispatcher
    }

    public struct Summary { public var items = 0; public var exceptions = 0; public var skippedSources = 0 }

    public func run(progress: ((Int64) -> Void)? = nil) throws -> Summary {
        var summary = Summary()
        for (i, source) in job.sources.enumerated() {
            let index = i + 1
            if try store.sourceDone(index) { summary.skippedSources += 1; continue }
            try store.transaction {
                try store.clearSource(index)
                var isDir: ObjCBool = false
                guard FileManager.default.fileExists(atPath: source.path.path, isDirectory: &isDir) else {
                    throw DiscloseError.io(path: source.path.path, message: "source vanished")
                }
                // Taken before reading: a change made while the source is read shows next run.
                let fingerprint = SourceFingerprint.of(source.path)
                // Each source file is hashed as handed over, for the chain of custody.
                let digests: Digests? = isDir.boolValue ? nil : try Self.hashFile(source.path)
                let context = ExtractContext(source: index, custodian: source.custodian, passwords: source.passwords,
                                             blobs: blobs, dispatcher: dispatcher, store: store)
                context.progress = progress
                context.machinePaths = [(source.path.path, source.spec), (blobs.root.path, "(blob store)"),
                                        (Self.folderPrefix(FileManager.default.temporaryDirectory.path), "(temporary folder)/")]
                let input = Input(url: source.path, name: source.path.lastPathComponent, path: source.spec,
                                  key: DocKey.source(index), parentKey: nil, folder: "", digests: nil,
                                  isDirectory: isDir.boolValue, declaredType: nil, depth: 0)
                try context.dispatch(input)
                try context.flush()
                blobs.flushToDisk()
                try store.markSourceDone(index, digests: digests)
                if let fingerprint { try store.setSourceFingerprint(index, fingerprint) }
                summary.items += context.itemCount
                summary.exceptions += context.exceptionCount
            }
        }
        try store.setStageDone(.extract, true)
        return summary
    }

    static func folderPrefix(_ p: String) -> String { p.hasSuffix("/") ? p : p + "/" }

    static func hashFile(_ url: URL) throws -> Digests {
        guard let h = FileHandle(forReadingAtPath: url.path) else {
            throw DiscloseError.io(path: url.path, message: "cannot open source")
        }
        defer { try? h.close() }
        var hasher = MultiHasher()
        while let chunk = try h.read(upToCount: 1 << 20), !chunk.isEmpty { hasher.update(chunk) }
        return hasher.finish()
    }
}
