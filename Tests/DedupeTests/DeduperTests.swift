import Dedupe
import DiscloseCore
import XCTest

final class DeduperTests: XCTestCase {
    func item(_ key: String, custodian: String, parent: String? = nil, kind: ItemKind = .email, sha: String = "x") -> Item {
        Item(key: key, parentKey: parent, source: 1, custodian: custodian, kind: kind, format: "email", path: key,
             fileName: "a.txt", folder: "", size: 5, sha256: sha, sha1: "", md5: "")
    }

    func email(_ id: String, body: String = "Hello there", from: String = "a@x.example") -> Document {
        var d = Document(key: "", kind: .email)
        d.messageID = id
        d.from = Address(name: "A", address: from)
        d.to = [Address(name: "B", address: "b@x.example"), Address(name: "C", address: "c@x.example")]
        d.subject = "Plan"
        d.dateSent = "2024-03-05T00:24:00Z"
        d.text = body
        return d
    }

    func testMIHIsMD5OfTheBracketedMessageID() {
        // md5("<abc@example.com>")
        XCTAssertEqual(Deduper.mih("abc@example.com"), Hash.md5("<abc@example.com>"))
        XCTAssertEqual(Deduper.mih("abc@example.com"), "a5ddd17199fb031f9d4636e7cc7b0ab6")
        XCTAssertEqual(Deduper.mih(""), "")
    }

    func testFieldHashIgnoresWhitespaceAndPunctuationButNotWords() {
        let a = Deduper.fieldHash(email("1", body: "Hello, there!\r\n"), attachments: [])
        let b = Deduper.fieldHash(email("2", body: "Hello there"), attachments: [])
        let c = Deduper.fieldHash(email("3", body: "Hello where"), attachments: [])
        XCTAssertEqual(a, b)
        XCTAssertNotEqual(a, c)
        var reordered = email("4", body: "Hello there")
        reordered.to.reverse()
        XCTAssertEqual(Deduper.fieldHash(reordered, attachments: []), b)
        XCTAssertNotEqual(Deduper.fieldHash(email("5"), attachments: [("a.pdf", 10)]), b)
    }

    func entries(_ list: [(Item, Document?)]) -> [Deduper.Entry] {
        let atts: [String: [(String, Int64)]] = Dictionary(grouping: list.map(\.0).filter { $0.parentKey != nil }, by: { $0.parentKey! })
            .mapValues { $0.map { ($0.fileName, $0.size) } }
        return list.map { it, d in
            guard let d, it.kind == .email else { return .init(item: it) }
            return .init(item: it, mih: Deduper.mih(d.messageID), fieldHash: Deduper.fieldHash(d, attachments: atts[it.key] ?? []))
        }
    }

    func testGlobalDedupeKeepsFirstCopyRecordsAllCustodiansAndSuppressesFamilies() {
        let list: [(Item, Document?)] = [
            (item("0001.00000001", custodian: "Doe, Jane"), email("m1")),
            (item("0001.00000001.00000001", custodian: "Doe, Jane", parent: "0001.00000001", kind: .file), nil),
            (item("0002.00000001", custodian: "Okafor, Samuel"), email("m1")),
            (item("0002.00000001.00000001", custodian: "Okafor, Samuel", parent: "0002.00000001", kind: .file), nil),
            (item("0003.00000001", custodian: "Ruiz, Carmen"), email("", body: "Hello there")),  // no Message-ID: field hash
            (item("0003.00000002", custodian: "Ruiz, Carmen"), email("m9", body: "Different")),
        ]
        let r = Deduper(scope: .global).run(entries(list))
        let by = Dictionary(uniqueKeysWithValues: r.map { ($0.key, $0) })
        XCTAssertEqual(by["0001.00000001"]?.status, .kept)
        XCTAssertEqual(by["0001.00000001"]?.allCustodians, ["Doe, Jane", "Okafor, Samuel"])
        XCTAssertEqual(by["0001.00000001.00000001"]?.status, .kept)
        XCTAssertEqual(by["0002.00000001"]?.status, .duplicate)
        XCTAssertEqual(by["0002.00000001"]?.duplicateOf, "0001.00000001")
        XCTAssertEqual(by["0002.00000001.00000001"]?.status, .familyOfDuplicate)
        // The copy without a Message-ID has no attachment, so its field hash differs from m1's family.
        XCTAssertEqual(by["0003.00000001"]?.status, .kept)
        XCTAssertEqual(by["0003.00000002"]?.status, .kept)
    }

    func testCustodianScopeKeepsOneCopyPerCustodian() {
        let list: [(Item, Document?)] = [
            (item("0001.00000001", custodian: "Doe, Jane"), email("m1")),
            (item("0001.00000002", custodian: "Doe, Jane"), email("m1")),
            (item("0002.00000001", custodian: "Okafor, Samuel"), email("m1")),
        ]
        let r = Deduper(scope: .custodian).run(entries(list)).map(\.status)
        XCTAssertEqual(r, [.kept, .duplicate, .kept])
        XCTAssertEqual(Deduper(scope: .none).run(entries(list)).map(\.status), [.kept, .kept, .kept])
    }

    func testLooseFilesByBytesAndAttachmentsNeverCompared() {
        let list: [(Item, Document?)] = [
            (item("0001", custodian: "A", kind: .file, sha: "aaa"), nil),
            (item("0002", custodian: "B", kind: .file, sha: "aaa"), nil),
            (item("0003.00000001", custodian: "B"), email("m2")),
            (item("0003.00000001.00000001", custodian: "B", parent: "0003.00000001", kind: .file, sha: "aaa"), nil),
        ]
        let r = Deduper(scope: .global).run(entries(list)).map(\.status)
        XCTAssertEqual(r, [.kept, .duplicate, .kept, .kept])
    }

    func testKeptCopyIsTheFirstInSourceOrderAndCustodiansAreSorted() {
        // 50 copies of 7 messages spread over 3 custodians: each message keeps its first copy,
        // every other copy points at it, and ALLCUSTODIANS lists each holder once, sorted.
        let list: [(Item, Document?)] = (1...50).map { i in
            (item(String(format: "0001.%08d", i), custodian: "C\(2 - i % 3)"), email("m\(i % 7)", body: "Message \(i % 7)"))
        }
        let records = Deduper(scope: .global).run(entries(list))
        for m in 0..<7 {
            let copies = (1...50).filter { $0 % 7 == m }
            let first = String(format: "0001.%08d", copies[0])
            let group = records.filter { r in copies.contains { String(format: "0001.%08d", $0) == r.key } }
            XCTAssertEqual(group.filter { $0.status == .kept }.map(\.key), [first], "message m\(m)")
            XCTAssertTrue(group.filter { $0.status == .duplicate }.allSatisfy { $0.duplicateOf == first })
            let holders = Set(copies.map { "C\(2 - $0 % 3)" }).sorted()
            XCTAssertEqual(group.first { $0.key == first }?.allCustodians, holders)
        }
    }
}
