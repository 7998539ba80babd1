import DiscloseCore
import Foundation
import Pipeline
import XCTest

/// A source that changes between runs is read again: the next run never produces from what
/// the store remembers of the old files.
final class SourceChangeTests: XCTestCase {
    var dir: URL!
    var logged: [String] = []

    override func setUpWithError() throws {
        dir = try Paths.temp("source-change")
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("src"), withIntermediateDirectories: true)
        try Data("""
        matter: T-1
        production: P001
        sources:
          - path: src
            custodian: "Doe, Jane"
          - path: one.txt
            custodian: "Roe, Sam"
        bates: { prefix: T }
        output: out
        """.utf8).write(to: dir.appendingPathComponent("job.yml"))
        try write("src/a.txt", "alpha")
        try write("one.txt", "single file source")
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: dir) }

    func write(_ rel: String, _ text: String) throws {
        try Data(text.utf8).write(to: dir.appendingPathComponent(rel))
    }

    /// Each run as a fresh process would see it.
    func runJob() throws -> (Pipeline.Report, store: CaseStore) {
        let p = try Pipeline(job: try Job.load(dir.appendingPathComponent("job.yml")))
        p.showProgress = false
        p.log = { self.logged.append($0) }
        return (try p.run(), p.kase.store)
    }

    func produced(_ store: CaseStore) throws -> Int { try store.producedRecords().count }

    func testAddedAndChangedFilesAreReadOnTheNextRun() throws {
        let (_, s1) = try runJob()
        XCTAssertEqual(try s1.itemCount(), 2)
        XCTAssertEqual(try produced(s1), 2)

        let (again, s2) = try runJob()
        XCTAssertNil(again.extract, "nothing changed: extract is not redone")
        XCTAssertEqual(logged, [])
        XCTAssertEqual(try produced(s2), 2)

        try write("src/b.txt", "beta SSN 401-55-0101")
        let (_, s3) = try runJob()
        XCTAssertEqual(logged, ["source 1 (src) changed since it was extracted; reading it again"])
        XCTAssertEqual(try s3.itemCount(), 3)
        XCTAssertEqual(try produced(s3), 3)

        // Same size, new time: a file edited in place.
        logged = []
        let one = dir.appendingPathComponent("one.txt")
        try write("one.txt", "single FILE source")
        try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSinceNow: 60)], ofItemAtPath: one.path)
        let (_, s4) = try runJob()
        XCTAssertEqual(logged, ["source 2 (one.txt) changed since it was extracted; reading it again"])
        let doc = try XCTUnwrap(try s4.document("0002"))
        XCTAssertEqual(doc.text, "single FILE source")
    }

    func testAVanishedSourceStopsTheRunNamingIt() throws {
        _ = try runJob()
        try FileManager.default.removeItem(at: dir.appendingPathComponent("one.txt"))
        XCTAssertThrowsError(try runJob()) { e in XCTAssertTrue("\(e)".contains("one.txt"), "\(e)") }
    }
}
