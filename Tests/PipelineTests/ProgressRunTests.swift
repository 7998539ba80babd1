import DiscloseCore
import Foundation
@testable import Pipeline
import SQLiteStore
import XCTest

/// A real run with progress lines for logs, and `status` reading what it recorded while the
/// case is held and after it is let go.
final class ProgressRunTests: XCTestCase {
    var dir: URL!

    override func setUpWithError() throws {
        dir = try Paths.temp("progress")
        let src = dir.appendingPathComponent("src")
        try FileManager.default.createDirectory(at: src, withIntermediateDirectories: true)
        for i in 1...12 {
            try Data("Memo \(i) on the retention schedule, for the records officer.\n".utf8)
                .write(to: src.appendingPathComponent("memo\(i).txt"))
        }
        try Data("""
        matter: T-1
        production: P001
        sources:
          - path: src
            custodian: "Doe, Jane"
        bates: { prefix: T }
        output: out
        """.utf8).write(to: dir.appendingPathComponent("job.yml"))
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: dir) }

    func testLogLinesAndStatusOfARecordedRun() throws {
        let job = try Job.load(dir.appendingPathComponent("job.yml"))
        var lines: [String] = []
        do {
            let p = try Pipeline(job: job)
            p.progressStyle = .lines
            p.progressLineInterval = 0
            p.log = { lines.append($0) }
            _ = try p.run()

            for s in Stage.allCases {
                XCTAssertEqual(lines.filter { $0.hasPrefix("\(s.rawValue) done") }.count, 1, "\(s): \(lines)")
            }
            XCTAssertTrue(lines.contains { $0.hasPrefix("extract ") && $0.contains(" MB") }, "\(lines)")
            for s in ["normalize", "redact", "package"] {
                XCTAssertTrue(lines.contains { $0.hasPrefix("\(s) ") && $0.contains("/") && $0.contains(" documents, ") }, "\(s): \(lines)")
            }
            XCTAssertFalse(lines.joined().contains("\u{1B}"))

            // The pipeline still holds the case, as a run in another process would: status
            // must read without the lock.
            let held = try Pipeline.status(job: job)
            XCTAssertTrue(held.contains("package:   done; documents "), held)
            XCTAssertTrue(held.contains("in use by another disclose process; last package done: "), held)

            var mid = StageProgress(stage: .redact, startedAt: Date(timeIntervalSince1970: 1_000))
            mid.report(done: 1200, total: 4861, at: Date(timeIntervalSince1970: 1_040))
            ProgressRecord(caseDirectory: job.caseDirectory).write(mid)
            let running = try Pipeline.status(job: job, now: Date(timeIntervalSince1970: 1_042))
            XCTAssertTrue(running.contains("running: redact 1200/4861 documents, 30 docs/s, ETA 2m02s (updated 2s ago)"), running)
        }
        // Let go of the case, as a killed run does: the same record now means it stopped there.
        let stopped = try Pipeline.status(job: job, now: Date(timeIntervalSince1970: 1_100))
        XCTAssertTrue(stopped.contains("stopped: redact at 1200/4861 documents, 40s into the stage (last update 1m00s ago)"), stopped)
    }

    /// What status relies on: a run's open write transaction (extract holds one per source)
    /// neither blocks the read-only store nor shows it uncommitted rows.
    func testReadOnlyStoreReadsTheLastCommitDuringAWriteTransaction() throws {
        let path = dir.appendingPathComponent("case.sqlite").path
        let writer = try SQLiteStore(path: path)
        func item(_ k: String) -> Item {
            Item(key: k, parentKey: nil, source: 1, custodian: "Doe, Jane", kind: .file, format: "text", path: k,
                 fileName: k, folder: "", size: 1, sha256: "", sha1: "", md5: "")
        }
        try writer.insert(items: [item("a")])
        let reader = try SQLiteStore(readingOnly: path)
        var seen = -1
        var took = 0.0
        try writer.transaction {
            try writer.insert(items: [item("b"), item("c")])
            let start = Date()
            seen = try reader.itemCount()
            took = Date().timeIntervalSince(start)
        }
        XCTAssertEqual(seen, 1)
        XCTAssertLessThan(took, 1, "the reader waited for the writer")
        XCTAssertEqual(try reader.itemCount(), 3)
        XCTAssertThrowsError(try reader.insert(items: [item("d")]), "read-only")
    }

    func testStatusOfAJobNeverRun() throws {
        let s = try Pipeline.status(job: try Job.load(dir.appendingPathComponent("job.yml")))
        XCTAssertTrue(s.contains("not started"), s)
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir.appendingPathComponent("out").path), "status creates nothing")
    }
}
