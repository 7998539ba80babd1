import DiscloseCore
import Foundation
import GRDB
import Pipeline
import XCTest

/// What an operator can do wrong around a job: run it twice at once, point the production at
/// a folder holding someone's files, pick a Bates width too small, fill the disk.
final class OperatorSafetyTests: XCTestCase {
    var dir: URL!

    override func setUpWithError() throws {
        dir = try Paths.temp("operator")
        let mail = dir.appendingPathComponent("mail")
        try FileManager.default.createDirectory(at: mail, withIntermediateDirectories: true)
        for i in 1...3 {
            let body = (1...(i * 40)).map { "Line \($0) of message \(i)." }.joined(separator: "\n")
            try Data("""
            From: Sam Okafor <sokafor@example.gov>
            To: Jane Doe <jdoe@example.gov>
            Subject: Note \(i)
            Date: Wed, 06 Mar 2024 12:0\(i):00 -0500
            Message-ID: <note-\(i)@example.gov>

            \(body)
            """.utf8).write(to: mail.appendingPathComponent("\(i).eml"))
        }
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: dir) }

    func job(bates: String = "{ prefix: OP, width: 6 }") throws -> Job {
        let u = dir.appendingPathComponent("job.yml")
        try Data("""
        matter: M-1
        production: OP001
        sources:
          - path: mail
            custodian: "Doe, Jane"
        bates: \(bates)
        output: out
        """.utf8).write(to: u)
        return try Job.load(u)
    }

    func pipeline(_ j: Job) throws -> Pipeline {
        let p = try Pipeline(job: j)
        p.showProgress = false
        return p
    }

    func testASecondProcessOnTheSameCaseIsRefusedWithTheHoldersPid() throws {
        let j = try job()
        var first: Pipeline? = try pipeline(j)
        XCTAssertThrowsError(try pipeline(j)) { e in
            XCTAssertEqual((e as? DiscloseError)?.exitCode, 7, "\(e)")
            XCTAssertTrue("\(e)".contains("is in use by another disclose process (pid \(getpid()))"), "\(e)")
            XCTAssertTrue("\(e)".contains(j.caseDirectory.path), "\(e)")
        }
        // The holder is unharmed and finishes; once it lets go the case opens again.
        XCTAssertEqual(try first!.run().package?.documents, 3)
        first = nil
        XCTAssertEqual(try pipeline(j).run().package?.documents, 3)
    }

    func testAProductionFolderWithSomeoneElsesFilesIsNotReplaced() throws {
        let j = try job()
        try FileManager.default.createDirectory(at: j.productionDirectory, withIntermediateDirectories: true)
        let notes = j.productionDirectory.appendingPathComponent("reviewer-notes.txt")
        try Data("mine".utf8).write(to: notes)
        XCTAssertThrowsError(try pipeline(j).run()) { e in
            XCTAssertEqual((e as? DiscloseError)?.exitCode, 2, "\(e)")
            XCTAssertTrue("\(e)".contains("no manifest.xml written by disclose"), "\(e)")
        }
        XCTAssertEqual(try String(contentsOf: notes, encoding: .utf8), "mine")
        XCTAssertFalse(try pipeline(j).kase.store.stageDone(.extract), "refused before any stage ran")
        try FileManager.default.removeItem(at: notes)

        // An empty folder, then our own production, are replaced as before.
        XCTAssertEqual(try pipeline(j).run().package?.documents, 3)
        XCTAssertEqual(try pipeline(j).runSingle(.package).package?.documents, 3)

        // Our production with a file added or a report changed is someone's work now.
        try Data("mine".utf8).write(to: notes)
        XCTAssertThrowsError(try pipeline(j).runSingle(.package)) { e in
            XCTAssertTrue("\(e)".contains("files its manifest does not list: reviewer-notes.txt"), "\(e)")
        }
        try FileManager.default.removeItem(at: notes)
        let summary = j.productionDirectory.appendingPathComponent("REPORTS/summary.txt")
        try Data("edited".utf8).write(to: summary)
        XCTAssertThrowsError(try pipeline(j).runSingle(.package)) { e in
            XCTAssertTrue("\(e)".contains("changed since it was written: REPORTS/summary.txt"), "\(e)")
        }
        XCTAssertEqual(try String(contentsOf: summary, encoding: .utf8), "edited")
    }

    func testBatesWidthTooSmallForThePagesIsRefusedNotWrittenInMixedWidths() throws {
        // Three messages of 40, 80 and 120 lines: more than one page each, so past 99.
        let j = try job(bates: "{ prefix: OP, start: 97, width: 2 }")
        XCTAssertThrowsError(try pipeline(j).run()) { e in
            XCTAssertEqual((e as? DiscloseError)?.exitCode, 2, "\(e)")
            XCTAssertTrue("\(e)".contains("bates.width"), "\(e)")
            XCTAssertTrue("\(e)".contains("at least 3"), "\(e)")
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: j.productionDirectory.path))
    }

    func testAFullDiskIsAnOutputErrorNotACrash() throws {
        // SQLite's own SQLITE_FULL, from a database that may not grow.
        let q = try DatabaseQueue(path: dir.appendingPathComponent("tiny.sqlite").path)
        var sqliteError: Error?
        do {
            try q.write { db in
                try db.execute(sql: "CREATE TABLE t (b BLOB); PRAGMA max_page_count = 3")
                try db.execute(sql: "INSERT INTO t VALUES (zeroblob(100000))")
            }
        } catch { sqliteError = error }
        let full = try XCTUnwrap(sqliteError)
        XCTAssertEqual(DiscloseError.outOfSpace(full, path: "case")?.exitCode, 3, "\(full)")
        // ENOSPC from a write, as /dev/full gives it.
        let h = try FileHandle(forWritingTo: URL(fileURLWithPath: "/dev/full"))
        var writeError: Error?
        do { try h.write(contentsOf: Data(repeating: 0, count: 1 << 16)); try h.synchronize() } catch { writeError = error }
        let enospc = try XCTUnwrap(writeError)
        XCTAssertEqual(DiscloseError.outOfSpace(enospc, path: "case")?.exitCode, 3, "\(enospc)")
        XCTAssertNil(DiscloseError.outOfSpace(CocoaError(.fileReadNoSuchFile), path: "case"))
    }
}
