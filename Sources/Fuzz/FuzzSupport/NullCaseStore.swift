import DiscloseCore
import Foundation

/// A case store that keeps nothing: the harnesses look for crashes, not results, and a real
/// store would grow by every input the fuzzer tries.
public final class NullCaseStore: CaseStore, @unchecked Sendable {
    public private(set) var insertedItems = 0
    public private(set) var insertedExceptions = 0

    public init() {}

    public func transaction<T>(_ body: () throws -> T) throws -> T { try body() }
    public func stageDone(_ stage: Stage) throws -> Bool { false }
    public func setStageDone(_ stage: Stage, _ done: Bool) throws {}
    public func resetStage(_ stage: Stage) throws {}
    public func sourceDone(_ index: Int) throws -> Bool { false }
    public func markSourceDone(_ index: Int, digests: Digests?) throws {}
    public func clearSource(_ index: Int) throws {}
    public func sourceFingerprint(_ index: Int) throws -> String? { nil }
    public func setSourceFingerprint(_ index: Int, _ fingerprint: String) throws {}
    public func insert(items: [Item]) throws { insertedItems += items.count }
    public func insert(exceptions: [ExceptionRecord]) throws { insertedExceptions += exceptions.count }
    public func itemCount() throws -> Int { 0 }
    public func items(after afterKey: String?, limit: Int) throws -> [Item] { [] }
    public func item(_ key: String) throws -> Item? { nil }
    public func children(of key: String) throws -> [Item] { [] }
    public func exceptions() throws -> [ExceptionRecord] { [] }
    public func save(documents: [Document]) throws {}
    public func unnormalizedKeys(limit: Int) throws -> [String] { [] }
    public func document(_ key: String) throws -> Document? { nil }
    public func documents(after afterKey: String?, limit: Int) throws -> [Document] { [] }
    public func documentCount() throws -> Int { 0 }
    public func replaceDedupe(_ records: [DedupeRecord]) throws {}
    public func dedupeRecords() throws -> [DedupeRecord] { [] }
    public func dedupeRecord(_ key: String) throws -> DedupeRecord? { nil }
    public func dedupeCounts() throws -> (kept: Int, suppressed: Int) { (0, 0) }
    public func replaceRedactions(for keys: [String], with redactions: [Redaction]) throws {}
    public func redactions(for key: String) throws -> [Redaction] { [] }
    public func allRedactions() throws -> [Redaction] { [] }
    public func setArtifact(_ name: String, _ data: Data) throws {}
    public func artifact(_ name: String) throws -> Data? { nil }
    public func replaceProduced(_ records: [ProducedRecord]) throws {}
    public func producedRecords() throws -> [ProducedRecord] { [] }
    public func insert(produced records: [ProducedRecord]) throws {}
    public func producedRecord(_ key: String) throws -> ProducedRecord? { nil }
}
