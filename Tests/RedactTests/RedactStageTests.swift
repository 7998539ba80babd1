import DiscloseCore
import Foundation
import Redact
import XCTest

/// A case store in memory: just enough for the redact stage to run on hand-made documents.
final class MemoryStore: CaseStore, @unchecked Sendable {
    var items: [String: Item] = [:]
    var docs: [String: Document] = [:]
    var dedupe: [DedupeRecord] = []
    var reds: [String: [Redaction]] = [:]
    var done: Set<Stage> = []
    var artifacts: [String: Data] = [:]
    var produced: [ProducedRecord] = []

    func transaction<T>(_ body: () throws -> T) throws -> T { try body() }
    func stageDone(_ stage: Stage) throws -> Bool { done.contains(stage) }
    func setStageDone(_ stage: Stage, _ d: Bool) throws { if d { done.insert(stage) } else { done.remove(stage) } }
    func resetStage(_ stage: Stage) throws {}
    func sourceDone(_ index: Int) throws -> Bool { false }
    func markSourceDone(_ index: Int, digests: Digests?) throws {}
    func clearSource(_ index: Int) throws {}
    func sourceFingerprint(_ index: Int) throws -> String? { nil }
    func setSourceFingerprint(_ index: Int, _ fingerprint: String) throws {}
    func insert(items new: [Item]) throws { for i in new { items[i.key] = i } }
    func insert(exceptions: [ExceptionRecord]) throws {}
    func itemCount() throws -> Int { items.count }
    func items(after afterKey: String?, limit: Int) throws -> [Item] {
        Array(items.values.filter { afterKey == nil || $0.key > afterKey! }.sorted { $0.key < $1.key }.prefix(limit))
    }
    func item(_ key: String) throws -> Item? { items[key] }
    func children(of key: String) throws -> [Item] { items.values.filter { $0.parentKey == key }.sorted { $0.key < $1.key } }
    func exceptions() throws -> [ExceptionRecord] { [] }
    func save(documents: [Document]) throws { for d in documents { docs[d.key] = d } }
    func unnormalizedKeys(limit: Int) throws -> [String] { [] }
    func document(_ key: String) throws -> Document? { docs[key] }
    func documents(after afterKey: String?, limit: Int) throws -> [Document] {
        Array(docs.values.filter { afterKey == nil || $0.key > afterKey! }.sorted { $0.key < $1.key }.prefix(limit))
    }
    func documentCount() throws -> Int { docs.count }
    func replaceDedupe(_ records: [DedupeRecord]) throws { dedupe = records }
    func dedupeRecords() throws -> [DedupeRecord] { dedupe }
    func dedupeRecord(_ key: String) throws -> DedupeRecord? { dedupe.first { $0.key == key } }
    func dedupeCounts() throws -> (kept: Int, suppressed: Int) {
        let kept = dedupe.filter { $0.status == .kept }.count
        return (kept, dedupe.count - kept)
    }
    func replaceRedactions(for keys: [String], with redactions: [Redaction]) throws {
        for k in keys { reds[k] = [] }
        for r in redactions { reds[r.key, default: []].append(r) }
    }
    func redactions(for key: String) throws -> [Redaction] { reds[key] ?? [] }
    func allRedactions() throws -> [Redaction] { reds.keys.sorted().flatMap { reds[$0]! } }
    func setArtifact(_ name: String, _ data: Data) throws { artifacts[name] = data }
    func artifact(_ name: String) throws -> Data? { artifacts[name] }
    func replaceProduced(_ records: [ProducedRecord]) throws { produced = records }
    func producedRecords() throws -> [ProducedRecord] { produced }
    func insert(produced records: [ProducedRecord]) throws { produced += records }
    func producedRecord(_ key: String) throws -> ProducedRecord? { produced.first { $0.key == key } }

    func add(_ d: Document, custodian: String = "Records Office") {
        items[d.key] = Item(key: d.key, parentKey: nil, source: 0, custodian: custodian, kind: d.kind, format: "eml",
                            path: "mail/\(d.key).eml", fileName: "\(d.key).eml", folder: "", size: 1,
                            sha256: d.key, sha1: "", md5: "")
        docs[d.key] = d
        dedupe.append(DedupeRecord(key: d.key, status: .kept, duplicateOf: nil, allCustodians: [custodian],
                                   mih: "", fieldHash: "", method: ""))
        done.insert(.dedupe)
    }
}

final class RedactStageTests: XCTestCase {
    func email(_ key: String, from: Address, messageID: String, subject: String = "Update", text: String = "See below.",
               headers: [(String, String)] = []) -> Document {
        var d = Document(key: key, kind: .email)
        d.from = from
        d.to = [Address(name: "", address: "records@agency.gov")]
        d.subject = subject
        d.messageID = messageID
        d.text = text
        d.headerText = ([("From", from.display), ("Subject", subject), ("Message-ID", "<\(messageID)>")] + headers)
            .map { "\($0.0): \($0.1)" }.joined(separator: "\n")
        return d
    }

    /// What remains readable of a field once its redactions are applied.
    func produced(_ store: MemoryStore, _ key: String, _ field: String) throws -> String {
        let d = store.docs[key]!
        let values = DocumentFields.values(item: store.items[key]!, document: d, allCustodians: ["Records Office"])
        let value = values.first { $0.0 == field }?.1 ?? ""
        let spans = try store.redactions(for: key).filter { $0.field == field }
        return Redactor.apply(spans.map { ($0.start, $0.end, $0.codes) }, to: value)
    }

    func testAddressRedactedElsewhereIsRedactedInsideMessageIdentifiers() throws {
        let store = MemoryStore()
        let jane = Address(name: "", address: "jane.doe@agency.gov")
        store.add(email("0001", from: jane, messageID: "jane.doe@agency.gov"))
        store.add(email("0002", from: Address(name: "", address: "records@agency.gov"), messageID: "abc.123@mail.agency.gov",
                        text: "Thanks.",
                        headers: [("In-Reply-To", "<jane.doe@agency.gov>"),
                                  ("References", "<5556010008@pbx.agency.gov> <jane.doe@agency.gov>")]))
        store.add(email("0004", from: Address(name: "", address: "records@agency.gov"), messageID: "Jane.Doe@Agency.gov"))
        store.add(email("0003", from: Address(name: "", address: "records@agency.gov"), messageID: "r1@mail.agency.gov",
                        text: "Her line is 555-601-0008."))
        var rules = RuleSet.foiaLawEnforcement
        rules.allow = ["records@agency.gov"]
        _ = try RedactStage(store: store, rules: rules, custodians: ["Records Office"]).run()

        // The Message-ID field itself (DAT and EDRM XML) and the identifier lines of the headers
        // (the native) carry no trace of the redacted address or number.
        XCTAssertFalse(try produced(store, "0001", Field.messageID).contains("jane"))
        let h2 = try produced(store, "0002", "headers")
        XCTAssertFalse(h2.contains("jane"), h2)
        XCTAssertFalse(h2.contains("5556010008"), h2)
        // A redaction in the headers is what keeps the native, which holds them, back.
        XCTAssertTrue(try store.redactions(for: "0002").contains { $0.field == "headers" })
        XCTAssertFalse(try produced(store, "0004", Field.messageID).contains("jane"))
        // The detectors still leave message identifiers alone: nothing redacted elsewhere is in this one.
        XCTAssertTrue(try produced(store, "0002", Field.messageID).contains("abc.123@mail.agency.gov"))
        XCTAssertTrue(h2.contains("abc.123@mail.agency.gov"), h2)
    }

    func testEvasiveNumbersInSubjectAndHeadersAreFound() throws {
        let store = MemoryStore()
        let from = Address(name: "", address: "records@agency.gov")
        store.add(email("0001", from: from, messageID: "m1@agency.gov", subject: "Re: 321- 31-5021",
                        text: "Call 555\u{2011}601\u{2011}0008x123 or mail jane\u{FF20}example.org; ssn601-15-\u{200B}0006."))
        var rules = RuleSet.foiaLawEnforcement
        rules.allow = ["records@agency.gov"]
        _ = try RedactStage(store: store, rules: rules, custodians: []).run()
        let subject = try produced(store, "0001", Field.subject)
        XCTAssertEqual(subject, "Re: [(b)(6), (b)(7)(C)]")
        let text = try produced(store, "0001", Field.text)
        XCTAssertEqual(text, "Call [(b)(6), (b)(7)(C)] or mail [(b)(6), (b)(7)(C)]; ssn[(b)(6), (b)(7)(C)].")
        XCTAssertFalse(try produced(store, "0001", "headers").contains("5021"))
    }
}
