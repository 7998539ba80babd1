import DiscloseCore
import Foundation
import Pipeline
import Production
import XCTest

/// Counsel's mode: privilege tags instead of exemption codes, the confidentiality designation
/// on every page, and a privilege log instead of a Vaughn index.
final class LitigationModeTests: XCTestCase {
    func testPrivilegeTagsConfidentialityAndPrivilegeLog() throws {
        let dir = try Paths.temp("litigation")
        let mail = dir.appendingPathComponent("mail")
        try FileManager.default.createDirectory(at: mail, withIntermediateDirectories: true)
        let advice = """
        From: Maria Lindqvist <mlindqvist@dpr.example.gov>
        To: Jane Doe <jdoe@dpr.example.gov>
        Subject: Retention schedule - legal advice
        Date: Tue, 05 Mar 2024 09:24:00 -0500
        Message-ID: <advice-1@dpr.example.gov>

        Jane,

        Privileged advice: the schedule must keep substantive chat for three years.

        Maria
        """
        let plain = """
        From: Samuel Okafor <sokafor@dpr.example.gov>
        To: Jane Doe <jdoe@dpr.example.gov>
        Subject: Lunch
        Date: Wed, 06 Mar 2024 12:00:00 -0500
        Message-ID: <lunch-1@dpr.example.gov>

        Pizza at noon.
        """
        try Data(advice.utf8).write(to: mail.appendingPathComponent("a.eml"))
        try Data(plain.utf8).write(to: mail.appendingPathComponent("b.eml"))
        try Data("""
        name: counsel
        detectors:
          email: ["Confidential"]
        terms:
          - { text: "Privileged advice", codes: ["Attorney-Client"] }
        """.utf8).write(to: dir.appendingPathComponent("rules.yml"))
        try Data("""
        doc,action,text,codes,reason
        <advice-1@dpr.example.gov>,redact,"Privileged advice: the schedule",Attorney-Client,Advice of agency counsel on the retention schedule
        """.utf8).write(to: dir.appendingPathComponent("decisions.csv"))
        try Data("""
        matter: CIV-2024-118
        production: DEF001
        mode: litigation
        sources:
          - path: mail
            custodian: "Doe, Jane"
        redaction:
          rules: rules.yml
          decisions: decisions.csv
        bates: { prefix: DEF, width: 6 }
        confidentiality: "CONFIDENTIAL - SUBJECT TO PROTECTIVE ORDER"
        output: out
        """.utf8).write(to: dir.appendingPathComponent("job.yml"))
        let p = try Pipeline(job: try Job.load(dir.appendingPathComponent("job.yml")))
        p.showProgress = false
        let report = try p.run()
        XCTAssertEqual(report.package?.documents, 2)
        let prod = dir.appendingPathComponent("out/DEF001")
        XCTAssertTrue(FileManager.default.fileExists(atPath: prod.appendingPathComponent("REPORTS/privilege-log.csv").path))
        XCTAssertFalse(FileManager.default.fileExists(atPath: prod.appendingPathComponent("REPORTS/vaughn-index.csv").path))
        let log = try String(contentsOf: prod.appendingPathComponent("REPORTS/privilege-log.csv"), encoding: .utf8)
        XCTAssertTrue(log.contains("Attorney-Client"), log)
        XCTAssertTrue(log.contains("Advice of agency counsel"), log)
        let first = try String(contentsOf: prod.appendingPathComponent("VOL001/TEXT/0001/DEF000001.txt"), encoding: .utf8)
        XCTAssertTrue(first.contains("[Attorney-Client]"), first)
        XCTAssertFalse(first.contains("three years"), "the paragraph that starts with the decision's text is redacted whole")
        XCTAssertTrue(first.contains("CONFIDENTIAL - SUBJECT TO PROTECTIVE ORDER"))
        let second = try String(contentsOf: prod.appendingPathComponent("VOL001/TEXT/0001/DEF000002.txt"), encoding: .utf8)
        XCTAssertTrue(second.contains("Pizza at noon."))
        XCTAssertTrue(second.contains("[Confidential]"), "addresses carry the designation the rules give them")
        XCTAssertEqual(Verifier(root: prod).verify(), [])
    }
}
