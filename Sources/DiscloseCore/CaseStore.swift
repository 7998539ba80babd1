import Foundation

public enum Stage: String, CaseIterable, Codable, Sendable {
    case extract, normalize, dedupe, redact, package

    public var previous: Stage? {
        guard let i = Stage.allCases.firstIndex(of: self), i > 0 else { return nil }
        return Stage.allCases[i - 1]
    }
}

/// The case store: everything a stage commits and the next one reads.
/// SQLite (embedded, `SQLiteStore`) is the default implementation; a PostgreSQL one fills the
/// same protocol for many machines. Every write a stage makes for one unit of work goes through
/// `transaction`, so a kill leaves the store at the last committed unit.
public protocol CaseStore: AnyObject, Sendable {
    func transaction<T>(_ body: () throws -> T) throws -> T

    // Stage bookkeeping
    func stageDone(_ stage: Stage) throws -> Bool
    func setStageDone(_ stage: Stage, _ done: Bool) throws
    /// Forget a stage's results and everything after it.
    func resetStage(_ stage: Stage) throws

    // extract
    func sourceDone(_ index: Int) throws -> Bool
    func markSourceDone(_ index: Int, digests: Digests?) throws
    func clearSource(_ index: Int) throws
    /// What a finished source looked like when extract read it (names, sizes, times), so a
    /// later run can tell that it changed; nil when not recorded. Set after `markSourceDone`.
    func sourceFingerprint(_ index: Int) throws -> String?
    func setSourceFingerprint(_ index: Int, _ fingerprint: String) throws
    func insert(items: [Item]) throws
    func insert(exceptions: [ExceptionRecord]) throws
    func itemCount() throws -> Int
    /// Items ordered by key, starting after `afterKey`.
    func items(after afterKey: String?, limit: Int) throws -> [Item]
    func item(_ key: String) throws -> Item?
    /// The items whose parent is `key`, in key order.
    func children(of key: String) throws -> [Item]
    func exceptions() throws -> [ExceptionRecord]

    // normalize
    func save(documents: [Document]) throws
    /// Keys of items without a document and without an exception, in key order.
    func unnormalizedKeys(limit: Int) throws -> [String]
    func document(_ key: String) throws -> Document?
    func documents(after afterKey: String?, limit: Int) throws -> [Document]
    func documentCount() throws -> Int

    // dedupe
    func replaceDedupe(_ records: [DedupeRecord]) throws
    func dedupeRecords() throws -> [DedupeRecord]
    func dedupeRecord(_ key: String) throws -> DedupeRecord?
    /// How many documents dedupe kept and how many it suppressed, without reading them all.
    func dedupeCounts() throws -> (kept: Int, suppressed: Int)

    // redact
    func replaceRedactions(for keys: [String], with redactions: [Redaction]) throws
    func redactions(for key: String) throws -> [Redaction]
    func allRedactions() throws -> [Redaction]

    /// Named results a stage leaves for later stages that are neither items nor documents
    /// (the case's name lexicon, for instance).
    func setArtifact(_ name: String, _ data: Data) throws
    func artifact(_ name: String) throws -> Data?

    // package
    func replaceProduced(_ records: [ProducedRecord]) throws
    /// Adds records as documents are produced (after `replaceProduced([])` clears the table), so
    /// a production of any size never holds them all.
    func insert(produced records: [ProducedRecord]) throws
    func producedRecord(_ key: String) throws -> ProducedRecord?
    func producedRecords() throws -> [ProducedRecord]
}

extension CaseStore {
    /// Every item in key order, read in pages so a large case never sits in memory at once.
    public func forEachItem(_ body: (Item) throws -> Void) throws {
        var after: String? = nil
        while true {
            let page = try items(after: after, limit: 2000)
            if page.isEmpty { return }
            for it in page { try body(it) }
            after = page.last!.key
        }
    }

    public func forEachDocument(_ body: (Document) throws -> Void) throws {
        var after: String? = nil
        while true {
            let page = try documents(after: after, limit: 1000)
            if page.isEmpty { return }
            for d in page { try body(d) }
            after = page.last!.key
        }
    }
}
