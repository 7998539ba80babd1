import DiscloseCore
import Extract
import Foundation
import SQLiteStore
import XCTest

/// Extract over other projects' real test mail (../shared/corpora): nothing crashes, nothing is
/// lost, and counts match what those projects expect. Skips cleanly when the corpora are absent.
final class ConformanceTests: XCTestCase {
    struct Outcome { var items: [Item]; var exceptions: [ExceptionRecord] }

    func extract(_ sources: [URL], passwords: [String] = []) throws -> Outcome {
        let dir = try Paths.temp("conf")
        defer { try? FileManager.default.removeItem(at: dir) }
        var yaml = "matter: C\nproduction: C\nsources:\n"
        for s in sources {
            yaml += "  - path: \"\(s.path)\"\n    custodian: \"Corpus\"\n"
            if !passwords.isEmpty { yaml += "    passwords: [\(passwords.map { "\"\($0)\"" }.joined(separator: ", "))]\n" }
        }
        yaml += "bates: { prefix: C }\noutput: \(dir.path)/out\n"
        let jobURL = dir.appendingPathComponent("job.yml")
        try Data(yaml.utf8).write(to: jobURL)
        let job = try Job.load(jobURL)
        let store = try SQLiteStore(path: dir.appendingPathComponent("case.sqlite").path)
        let blobs = try BlobStore(root: dir.appendingPathComponent("blobs"))
        _ = try ExtractStage(job: job, store: store, blobs: blobs).run()
        var items: [Item] = []
        try store.forEachItem { items.append($0) }
        return Outcome(items: items, exceptions: try store.exceptions())
    }

    func testNotmuchMaildirCorpus() throws {
        let root = try Paths.corpus("notmuch-corpora").appendingPathComponent("test/corpora")
        let all = files(under: root).filter { !$0.hasPrefix(".") && !$0.contains("/.") }
        let o = try extract([root])
        let emails = o.items.filter { $0.kind == .email && $0.parentKey == nil }
        print("notmuch: \(all.count) files -> \(emails.count) top-level emails, \(o.items.count) items, \(o.exceptions.count) exceptions")
        for e in o.exceptions { print("  exception: \(e.path): \(e.reason)") }
        // Every file is a message or an accounted-for exception.
        XCTAssertEqual(emails.count + o.exceptions.filter { $0.parentKey == nil }.count, all.count)
        XCTAssertGreaterThanOrEqual(emails.count, all.count - 5)
    }

    func testMimeKitMboxesSplitAsMimeKitDoes() throws {
        let dir = try Paths.corpus("MimeKit-TestData").appendingPathComponent("UnitTests/TestData/mbox")
        for name in ["content-length", "issue1189"] {
            let summary = try String(contentsOf: dir.appendingPathComponent("\(name)-summary.txt"), encoding: .utf8)
            let expectedSubjects = summary.split(separator: "\n").filter { $0.hasPrefix("Subject: ") }.map { String($0.dropFirst(9)) }
            let o = try extract([dir.appendingPathComponent("\(name).mbox.txt")])
            let emails = o.items.filter { $0.kind == .email && $0.parentKey == nil }
            print("MimeKit \(name): expected \(expectedSubjects.count) messages, got \(emails.count), \(o.exceptions.count) exceptions")
            XCTAssertEqual(emails.count, expectedSubjects.count, name)
            XCTAssertEqual(o.exceptions, [], name)
        }
        // unmunged: two messages whose bodies say "From Russia with love" unescaped; that line is body.
        for (name, count) in [("simple", 3), ("unmunged", 2)] {
            let o = try extract([dir.appendingPathComponent("\(name).mbox.txt")])
            XCTAssertEqual(o.items.filter { $0.kind == .email && $0.parentKey == nil }.count, count, name)
        }
    }

    func testTikaArchivesAndMailNeverCrashAndAccountForEverything() throws {
        let root = try Paths.corpus("tika-testdocs")
        let o = try extract([root])
        print("tika: \(files(under: root).count) files -> \(o.items.count) items, \(o.exceptions.count) exceptions")
        var reasons: [String: Int] = [:]
        for e in o.exceptions { reasons[String(e.reason.prefix(60)), default: 0] += 1 }
        for (r, n) in reasons.sorted(by: { $0.value > $1.value }).prefix(12) { print("  \(n) × \(r)") }
        XCTAssertGreaterThan(o.items.count, 20)
        XCTAssertTrue(o.exceptions.contains { $0.path.contains("quine") || $0.reason.contains("nested") || $0.reason.contains("archive") },
                      "hostile archives are reported, not followed forever")
    }

    func testEncryptedSampleZipOpensWithThePassword() throws {
        let zip = Paths.sampleData.appendingPathComponent("custodian04-investigator/sealed-statements.zip")
        let without = try extract([zip])
        XCTAssertEqual(without.exceptions.count, 2)
        XCTAssertTrue(without.exceptions.allSatisfy { $0.reason.contains("encrypted") })
        let with = try extract([zip], passwords: ["wrong", "Columbia-2024"])
        XCTAssertEqual(with.exceptions, [])
        XCTAssertEqual(with.items.filter { $0.kind == .email }.count, 2)
    }
}
