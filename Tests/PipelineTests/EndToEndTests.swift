import DiscloseCore
import Foundation
import Pipeline
import Production
import Redact
import XCTest
import XMLKit

/// The sample job on SampleData, checked the way counsel and a requester would: the accounting
/// adds up, Bates numbers run without gaps, the load files parse and agree, the manifest
/// validates and `verify` passes, no planted PII string is anywhere in the output, the public
/// officials' names are released, and a second run is byte-identical.
final class EndToEndTests: XCTestCase {
    struct Run {
        var out: URL
        var report: Pipeline.Report
        var production: URL { out.appendingPathComponent("PROD001") }
        var zip: URL { out.appendingPathComponent("PROD001.zip") }
    }

    static var first: Run?
    static var second: Run?

    static func run(_ tag: String) throws -> Run {
        let out = try Paths.temp(tag)
        let job = try Job.load(Paths.sampleJob, outputOverride: out)
        let p = try Pipeline(job: job)
        p.showProgress = false
        return Run(out: out, report: try p.run())
    }

    func sample() throws -> Run {
        if Self.first == nil { Self.first = try Self.run("e2e-a") }
        return Self.first!
    }

    struct GroundTruth: Decodable {
        struct Entry: Decodable { var text: String; var kind: String }
        var pii: [Entry]
        var `public`: [Entry]
    }

    func groundTruth() throws -> GroundTruth {
        try JSONDecoder().decode(GroundTruth.self, from: Data(contentsOf: Paths.sampleData.appendingPathComponent("ground-truth.json")))
    }

    func testAccountingAddsUpAndExceptionsAreThePlantedOnes() throws {
        let r = try sample()
        let pkg = try XCTUnwrap(r.report.package)
        XCTAssertTrue(pkg.accounting.balanced, pkg.accounting.line)
        XCTAssertGreaterThan(pkg.documents, 300)
        XCTAssertGreaterThan(pkg.accounting.duplicates, 300, "the same messages sit in several mailboxes")
        let csv = try String(contentsOf: r.production.appendingPathComponent("REPORTS/exceptions.csv"), encoding: .utf8)
        let rows = csv.split(separator: "\r\n").dropFirst()
        XCTAssertEqual(rows.count, 4, csv)
        XCTAssertEqual(rows.filter { $0.contains("corrupt message") }.count, 1, csv)
        XCTAssertEqual(rows.filter { $0.contains("encrypted") }.count, 2, csv)
        XCTAssertEqual(rows.filter { $0.contains("truncated") || $0.contains("damaged") }.count, 1, csv)
        XCTAssertTrue(rows.contains { $0.contains("Inbox.mbox!/message 8") }, "the corrupt message is the 8th entry: \(csv)")
    }

    func testVerifyPassesAndCatchesTampering() throws {
        let r = try sample()
        XCTAssertEqual(Verifier(root: r.production).verify(), [])
        // A copy with one byte changed in one text file must fail, naming that file.
        let copy = try Paths.temp("tamper").appendingPathComponent("PROD001")
        try FileManager.default.copyItem(at: r.production, to: copy)
        let victim = files(under: copy).first { $0.hasSuffix(".txt") && $0.contains("/TEXT/") }!
        var data = try Data(contentsOf: copy.appendingPathComponent(victim))
        data[data.count / 2] ^= 0x01
        try data.write(to: copy.appendingPathComponent(victim))
        let problems = Verifier(root: copy).verify()
        XCTAssertTrue(problems.contains { $0.contains(victim) && $0.contains("SHA-256") }, "\(problems)")
    }

    func testLoadFilesParseAgreeAndBatesRunWithoutGaps() throws {
        let r = try sample()
        let dat = try ConcordanceWriter.parse(Data(contentsOf: r.production.appendingPathComponent("VOL001/DATA/VOL001.dat")))
        XCTAssertEqual(dat.rows.count, r.report.package?.documents)
        var expected = 1
        for row in dat.rows {
            XCTAssertEqual(row["BEGBATES"], String(format: "SAMPLE%07d", expected))
            let pages = Int(row["PGCOUNT"]!)!
            XCTAssertEqual(row["ENDBATES"], String(format: "SAMPLE%07d", expected + pages - 1))
            expected += pages
            XCTAssertTrue(FileManager.default.fileExists(atPath: r.production.appendingPathComponent(row["TEXTPATH"]!).path))
            if let parent = row["PARENTID"], !parent.isEmpty {
                XCTAssertFalse(row["BEGATTACH"]!.isEmpty, "attachments carry their family range")
            }
            if row["REDACTED"] == "Y" { XCTAssertEqual(row["NATIVEPATH"], "", "redacted documents are never produced natively") }
        }
        XCTAssertEqual(expected - 1, r.report.package?.pages)
        let xml = try XMLElement.parse(Data(contentsOf: r.production.appendingPathComponent("VOL001/DATA/VOL001.xml")))
        XCTAssertEqual(xml.attributes["MajorVersion"], "1")
        XCTAssertEqual(xml.attributes["MinorVersion"], "2")
        XCTAssertEqual(xml.descendants("Document").map { $0.attributes["DocID"] ?? "" }, dat.rows.map { $0["BEGBATES"]! })
        let tagNames = Set(xml.descendants("Tag").compactMap { $0.attributes["TagName"] })
        for f in ["THREADID", "INCLUSIVE", "INCLUSIVEREASON", "NEARDUPGROUP", "NEARDUPSIMILARITY"] {
            XCTAssertTrue(dat.fields.contains(f), "DAT has \(f)")
            XCTAssertTrue(tagNames.contains(f), "EDRM XML has \(f)")
        }
        XCTAssertGreaterThan(Set(dat.rows.compactMap { $0["THREADID"] }.filter { !$0.isEmpty }).count, 50)
        XCTAssertTrue(dat.rows.contains { $0["INCLUSIVE"] == "N" }, "some emails are wholly contained in others")
        let relations = xml.descendants("Relationship")
        XCTAssertEqual(relations.count, dat.rows.filter { !($0["PARENTID"] ?? "").isEmpty }.count)
        let manifest = try Data(contentsOf: r.production.appendingPathComponent("manifest.xml"))
        XCTAssertEqual(Manifest.validate(manifest), [])
        XCTAssertEqual(try Manifest.read(manifest).count, files(under: r.production).count - 1)
    }

    func testNoPlantedPIIAnywhereAndPublicOfficialsReleased() throws {
        let r = try sample()
        let gt = try groundTruth()
        XCTAssertGreaterThan(gt.pii.count, 50)
        var texts: [(String, String)] = []
        for rel in files(under: r.production) {
            texts.append((rel, rel))  // file names count too
            texts.append((rel, String(decoding: try Data(contentsOf: r.production.appendingPathComponent(rel)), as: UTF8.self)))
        }
        var leaks: [String] = []
        for p in gt.pii {
            for (rel, text) in texts where containsWord(text, p.text) { leaks.append("\(p.kind) '\(p.text)' in \(rel)") }
        }
        XCTAssertEqual(leaks, [], "\(leaks.count) leaks")
        for p in gt.public where p.text.contains(" ") {
            XCTAssertTrue(texts.contains { containsWord($0.1, p.text) }, "public official \(p.text) should be released")
        }
    }

    func testRedactionsCarryTheirCodesAtThePlace() throws {
        let r = try sample()
        let pkg = try XCTUnwrap(r.report.package)
        XCTAssertGreaterThan(pkg.redactionsByCode["(b)(6)"] ?? 0, 100)
        XCTAssertEqual(pkg.redactionsByCode["(b)(6)"], pkg.redactionsByCode["(b)(7)(C)"])
        let any = files(under: r.production).filter { $0.contains("/TEXT/") }
        let marked = try any.filter {
            try String(contentsOf: r.production.appendingPathComponent($0), encoding: .utf8).contains("[(b)(6), (b)(7)(C)]")
        }
        XCTAssertGreaterThan(marked.count, any.count / 2)
    }

    func testSecondRunIsByteIdentical() throws {
        let a = try sample()
        if Self.second == nil { Self.second = try Self.run("e2e-b") }
        let b = Self.second!
        XCTAssertEqual(files(under: a.production), files(under: b.production))
        for rel in files(under: a.production) {
            XCTAssertEqual(try Data(contentsOf: a.production.appendingPathComponent(rel)),
                           try Data(contentsOf: b.production.appendingPathComponent(rel)), rel)
        }
        XCTAssertEqual(try Data(contentsOf: a.zip), try Data(contentsOf: b.zip), "the archive is byte-identical")
    }

    // MARK: FOIA review (decisions, propagation, leak audit, indexes)

    func folded(_ s: String) -> String {
        " " + LeakAudit.tokens(s, lower: true).joined(separator: " ") + " "
    }

    func testReviewerDecisionsReachEveryCopyAcrossCustodians() throws {
        let r = try sample()
        let paragraph = folded("My recommendation, before we decide,")
        let phone = folded("(555) 014-9876")
        for rel in files(under: r.production) where rel.contains("/TEXT/") {
            let text = folded(try String(contentsOf: r.production.appendingPathComponent(rel), encoding: .utf8))
            XCTAssertFalse(text.contains(paragraph), "deliberative paragraph readable in \(rel)")
            XCTAssertFalse(text.contains(phone), "phone readable in \(rel)")
        }
        let log = try String(contentsOf: r.production.appendingPathComponent("REPORTS/redaction-log.csv"), encoding: .utf8)
        let b5 = log.split(separator: "\r\n").filter { $0.contains("(b)(5)") }
        XCTAssertEqual(b5.filter { $0.contains(",reviewer:line 2,") }.count, 1, "the decision itself, once")
        let propagated = b5.filter { $0.contains("propagated:reviewer:line 2") }
        XCTAssertGreaterThanOrEqual(propagated.count, 4, "carried to the other copies")
        XCTAssertTrue(propagated.allSatisfy { $0.split(separator: ",").last!.hasPrefix("SAMPLE") },
                      "the log names the copy each redaction came from by Bates number")
    }

    func testWithheldDocumentIsIndexedAndItsContentHiddenWhereQuoted() throws {
        let r = try sample()
        let vaughn = try String(contentsOf: r.production.appendingPathComponent("REPORTS/vaughn-index.csv"), encoding: .utf8)
        let inFull = vaughn.split(separator: "\r\n").filter { $0.contains(",in full,") }
        XCTAssertEqual(inFull.count, 1, vaughn.prefix(400).description)
        XCTAssertTrue(inFull[0].contains("(b)(7)(A)"))
        XCTAssertTrue(inFull[0].contains("Open investigation"), "the reviewer's reason is the justification")
        XCTAssertTrue(vaughn.contains("(b)(5)"))
        let xml = try XMLElement.parse(Data(contentsOf: r.production.appendingPathComponent("REPORTS/vaughn-index.xml")))
        XCTAssertEqual(xml.children("Entry").count, vaughn.split(separator: "\r\n").count - 1)
        let summary = try String(contentsOf: r.production.appendingPathComponent("REPORTS/release-summary.txt"), encoding: .utf8)
        XCTAssertTrue(summary.contains("withheld in full:   1"), summary)
        let dat = try ConcordanceWriter.parse(Data(contentsOf: r.production.appendingPathComponent("VOL001/DATA/VOL001.dat")))
        let withheld = dat.rows.filter { $0["WITHHELD"] == "Y" }
        XCTAssertEqual(withheld.count, 1)
        XCTAssertEqual(withheld[0]["SUBJECT"], "")
        XCTAssertEqual(withheld[0]["NATIVEPATH"], "")
    }

    func testPublicOfficialReleasedAndAuditRepeatsCleanOnTheFinishedProduction() throws {
        let r = try sample()
        let p = try Pipeline(job: try Job.load(Paths.sampleJob, outputOverride: r.out))
        XCTAssertEqual(try p.audit(production: r.production).map { "\($0.file): \($0.finding.context)" }, [])
    }

    func testLeakAuditStopsTheJobWhenPropagationIsOff() throws {
        let dir = try Paths.temp("nopropagate")
        var yaml = try String(contentsOf: Paths.sampleJob, encoding: .utf8)
        yaml = yaml.replacingOccurrences(of: "../", with: Paths.root.path + "/")
            .replacingOccurrences(of: "  rules: rules/", with: "  propagate: false\n  rules: \(Paths.root.path)/Pipelines/rules/")
        let jobURL = dir.appendingPathComponent("job.yml")
        try Data(yaml.utf8).write(to: jobURL)
        let p = try Pipeline(job: try Job.load(jobURL, outputOverride: dir.appendingPathComponent("out")))
        p.showProgress = false
        XCTAssertThrowsError(try p.run()) { e in
            XCTAssertTrue("\(e)".contains("leak audit"), "\(e)")
            XCTAssertEqual((e as? DiscloseError)?.exitCode, 4)
        }
        let report = try String(contentsOf: dir.appendingPathComponent("out/PROD001-leak-audit.csv"), encoding: .utf8)
        XCTAssertTrue(report.contains("(b)(5)"), "the unpropagated deliberative paragraph is reported with its code")
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir.appendingPathComponent("out/PROD001").path),
                       "no production is left behind when the audit fails")
    }

    func testDetectorAccuracyAgainstGroundTruth() throws {
        let r = try sample()
        let p = try Pipeline(job: try Job.load(Paths.sampleJob, outputOverride: r.out))
        let rows = try p.accuracy(truthFile: Paths.sampleData.appendingPathComponent("ground-truth.json"))
        print(Accuracy.table(rows))
        for row in rows {
            XCTAssertGreaterThan(row.planted, 0, row.detector)
            let floor = row.detector == "name" ? 0.95 : 0.99
            XCTAssertGreaterThanOrEqual(row.recall, floor, "\(row.detector) recall; missed: \(row.missed)")
            XCTAssertGreaterThanOrEqual(row.precision, 0.9, "\(row.detector) precision; not planted: \(row.wrong.prefix(10))")
        }
    }
}
