import DiscloseCore
import SQLiteStore
import XCTest

final class SQLiteStoreTests: XCTestCase {
    var path: String!
    override func setUp() { path = NSTemporaryDirectory() + "store-\(UUID().uuidString).sqlite" }
    override func tearDown() { try? FileManager.default.removeItem(atPath: path) }

    func item(_ key: String, source: Int = 1, parent: String? = nil) -> Item {
        Item(key: key, parentKey: parent, source: source, custodian: "C", kind: .email, format: "email", path: "p/\(key)",
             fileName: "m.eml", folder: "INBOX", size: 10, sha256: "s", sha1: "h", md5: "m")
    }

    func testItemsComeBackInKeyOrderAcrossPages() throws {
        let s = try SQLiteStore(path: path)
        try s.insert(items: ["0001.00000003", "0001.00000001", "0001.00000002", "0001.00000001.00000001"].map { item($0) })
        var seen: [String] = []
        try s.forEachItem { seen.append($0.key) }
        XCTAssertEqual(seen, ["0001.00000001", "0001.00000001.00000001", "0001.00000002", "0001.00000003"])
        XCTAssertEqual(try s.items(after: "0001.00000001", limit: 2).map(\.key), ["0001.00000001.00000001", "0001.00000002"])
    }

    func testTransactionRollsBackOnError() throws {
        let s = try SQLiteStore(path: path)
        struct Boom: Error {}
        XCTAssertThrowsError(try s.transaction {
            try s.insert(items: [item("0001")])
            throw Boom()
        })
        XCTAssertEqual(try s.itemCount(), 0)
    }

    func testSourceFingerprintIsKeptWithTheSourceAndClearedWithIt() throws {
        let s = try SQLiteStore(path: path)
        try s.markSourceDone(1, digests: nil)
        XCTAssertNil(try s.sourceFingerprint(1))
        try s.setSourceFingerprint(1, "folder sha256:ab")
        XCTAssertEqual(try SQLiteStore(path: path).sourceFingerprint(1), "folder sha256:ab")
        try s.clearSource(1)
        XCTAssertNil(try s.sourceFingerprint(1))
    }

    func testClearSourceAndReset() throws {
        let s = try SQLiteStore(path: path)
        try s.insert(items: [item("0001", source: 1), item("0002", source: 2)])
        try s.insert(exceptions: [ExceptionRecord(key: "0002.00000001", parentKey: nil, source: 2, custodian: "C",
                                                  stage: "extract", path: "x", reason: "bad")])
        try s.markSourceDone(2, digests: nil)
        try s.clearSource(2)
        XCTAssertEqual(try s.itemCount(), 1)
        XCTAssertTrue(try s.exceptions().isEmpty)
        XCTAssertFalse(try s.sourceDone(2))
        try s.setStageDone(.extract, true)
        var d = Document(key: "0001", kind: .email)
        d.subject = "Hi"
        try s.save(documents: [d])
        try s.setStageDone(.normalize, true)
        XCTAssertEqual(try s.document("0001")?.subject, "Hi")
        try s.resetStage(.normalize)
        XCTAssertTrue(try s.stageDone(.extract))
        XCTAssertFalse(try s.stageDone(.normalize))
        XCTAssertEqual(try s.documentCount(), 0)
        XCTAssertEqual(try s.unnormalizedKeys(limit: 10), ["0001"])
    }

    func testReopenKeepsCommittedData() throws {
        do {
            let s = try SQLiteStore(path: path)
            try s.insert(items: [item("0001")])
            try s.setStageDone(.extract, true)
        }
        let s = try SQLiteStore(path: path)
        XCTAssertEqual(try s.itemCount(), 1)
        XCTAssertTrue(try s.stageDone(.extract))
    }
}
