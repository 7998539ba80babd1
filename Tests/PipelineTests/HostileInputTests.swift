import DiscloseCore
import Foundation
import Pipeline
import Production
import XCTest

/// A job over crafted hostile inputs (Fixtures/hostile.py): the run must finish, account for
/// every item, verify, and leave no planted string in any output file, native or file name.
final class HostileInputTests: XCTestCase {
    func testHostileCorpusEndToEnd() throws {
        let dir = try Paths.temp("hostile")
        defer { try? FileManager.default.removeItem(at: dir) }
        let gen = Process()
        gen.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        gen.arguments = ["python3", Paths.root.appendingPathComponent("Tests/PipelineTests/Fixtures/hostile.py").path, dir.path]
        try gen.run()
        gen.waitUntilExit()
        XCTAssertEqual(gen.terminationStatus, 0, "fixture generator failed")
        let planted = try String(contentsOf: dir.appendingPathComponent("planted.txt"), encoding: .utf8)
            .split(separator: "\n").map(String.init)
        XCTAssertGreaterThan(planted.count, 5)

        let rules = dir.appendingPathComponent("rules.yml").path
        let yaml = """
        matter: HOSTILE
        production: HOST001
        sources:
          - path: "\(dir.appendingPathComponent("custodian").path)"
            custodian: "=HYPERLINK(\\"http://evil.test\\")"
        redaction:
          rules: "\(rules)"
        bates: { prefix: H, start: 1, width: 7 }
        output: "\(dir.appendingPathComponent("out").path)"
        """
        let jobURL = dir.appendingPathComponent("job.yml")
        try Data(yaml.utf8).write(to: jobURL)
        let job = try Job.load(jobURL)
        let pipeline = try Pipeline(job: job)
        pipeline.showProgress = false
        let report = try pipeline.run()
        let acct = try XCTUnwrap(report.package?.accounting)
        XCTAssertTrue(acct.balanced, acct.line)
        XCTAssertGreaterThan(acct.produced, 10)

        let prod = job.productionDirectory
        XCTAssertEqual(Verifier(root: prod).verify(), [])
        XCTAssertEqual(try pipeline.audit(production: prod).map { "\($0.file): \($0.finding.context)" }, [])

        let all = files(under: prod)
        // Over-withholding is a defect too: the clean message and the clean note go out natively.
        let natives = all.filter { $0.hasPrefix("VOL001/NATIVES/") }
        XCTAssertTrue(natives.contains { $0.hasSuffix(".eml") }, "the clean message keeps its native: \(natives)")
        XCTAssertTrue(natives.contains { $0.hasSuffix(".txt") }, "the clean note keeps its native: \(natives)")
        for rel in all {
            let url = prod.appendingPathComponent(rel)
            let data = try Data(contentsOf: url)
            var texts = [String(decoding: data, as: UTF8.self), rel]
            if rel.contains("/NATIVES/"), let v = NativeView.view(of: url, shape: NativeView.shape(mimeType: "", fileName: rel)) {
                texts.append(v.text)
            }
            for s in planted {
                for t in texts { XCTAssertFalse(t.contains(s), "\(s) found in \(rel)") }
            }
            if rel.hasSuffix(".csv") { assertNoFormulaCells(String(decoding: data, as: UTF8.self), file: rel) }
        }
        let held = try String(contentsOf: prod.appendingPathComponent("REPORTS/natives-held.csv"), encoding: .utf8)
        XCTAssertGreaterThan(held.split(separator: "\r\n").count, 5, held)
    }

    /// OWASP's rule for spreadsheet cells: nothing may begin with = + - @, tab or CR.
    func assertNoFormulaCells(_ csv: String, file: String) {
        for line in csv.components(separatedBy: "\r\n") where !line.isEmpty {
            var cell = "", inQuotes = false, cells: [String] = []
            for ch in line {
                if ch == "\"" { inQuotes.toggle(); cell.append(ch); continue }
                if ch == ",", !inQuotes { cells.append(cell); cell = ""; continue }
                cell.append(ch)
            }
            cells.append(cell)
            for c in cells {
                let v = c.hasPrefix("\"") ? String(c.dropFirst()) : c
                if let f = v.first { XCTAssertFalse("=+-@\t\r".contains(f), "\(file): formula-leading cell \(c)") }
            }
        }
    }
}
