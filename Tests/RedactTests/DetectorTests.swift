import Foundation
import Redact
import XCTest

final class DetectorTests: XCTestCase {
    func found(_ f: ([UInt8]) -> [Hit], _ s: String) -> [String] {
        let b = Array(s.utf8)
        return f(b).map { String(decoding: b[$0.start..<$0.end], as: UTF8.self) }
    }

    func testEmails() {
        XCTAssertEqual(found(Detectors.emails, "Write to jdoe@dpr.example.gov, or J.Doe+foia@mail.example.org."),
                       ["jdoe@dpr.example.gov", "J.Doe+foia@mail.example.org"])
        XCTAssertEqual(found(Detectors.emails, "<a@b.example>"), ["a@b.example"])
        XCTAssertEqual(found(Detectors.emails, "not@anaddress, @twitter, x@y"), [])
    }

    func testPhonesInTheFormsPeopleWrite() {
        let forms = ["(555) 014-2231", "555-014-2231", "555.014.2231", "+1 555 014 2231", "+1-555-014-2231",
                     "555 014 2231", "1-555-014-2231", "+44 20 7946 0958", "+81 3-1234-5678", "+49 30 901820",
                     "+33 1 42 68 53 00", "+1 (555) 014-2231"]
        for f in forms {
            XCTAssertEqual(found(Detectors.phones, "Call me at \(f) today."), [f], f)
            XCTAssertEqual(found(Detectors.phones, "\(f)\n"), [f], f)
        }
    }

    func testPhonesDoNotFireOnDatesIdsAndMoney() {
        for s in ["2024-03-05", "Invoice 2023-0001-77", "$1,234,567.89", "version 1.2.3", "SSN 512-44-1234",
                  "ZIP 12345-6789", "Order 5550142231", "10.0.0.1", "12:30 - 14:45"] {
            XCTAssertEqual(found(Detectors.phones, s), [], s)
        }
    }

    func testSSNs() {
        XCTAssertEqual(found(Detectors.ssns, "SSN: 512-44-1234."), ["512-44-1234"])
        XCTAssertEqual(found(Detectors.ssns, "ITIN 912-70-1234"), ["912-70-1234"])
        for s in ["000-12-3456", "666-12-3456", "512-00-1234", "512-44-0000", "1512-44-1234", "512-44-12345", "555-014-2231"] {
            XCTAssertEqual(found(Detectors.ssns, s), [], s)
        }
    }

    func testNameLexiconForms() {
        let lex = NameLexicon()
        lex.add(displayName: "Doe, Jane")
        lex.add(displayName: "\"Samuel Okafor (DPR IT)\"")
        lex.add(displayName: "records")  // a mailbox label, not a name
        let text = "Jane Doe met Ms. Doe and Doe, Jane. Sam and Samuel OKAFOR agreed; the doe ran. janet said jane"
        let toks = Tokenizer.tokens(text)
        let b = Array(text.utf8)
        let hits = lex.find(toks).map { String(decoding: b[$0.start..<$0.end], as: UTF8.self) }
        XCTAssertEqual(hits, ["Jane Doe", "Ms. Doe", "Doe, Jane", "Sam", "Samuel OKAFOR"])
    }

    func testSalutationsAndSignOffs() {
        let text = "Hi Theo,\n\nThanks for the note.\n\nThanks,\nSam\n\n– Ingrid\nHello all,\nBest,\nThe Records Team of the Department\n"
        let b = Array(text.utf8)
        let hits = SalutationDetector.find(text).map { String(decoding: b[$0.start..<$0.end], as: UTF8.self) }
        XCTAssertEqual(hits, ["Theo", "Sam", "Ingrid"])
    }

    func testRedactorMergesAndHonoursAllowList() {
        let lex = NameLexicon()
        lex.add(displayName: "Jane Doe")
        var rules = RuleSet.foiaLawEnforcement
        rules.terms = [.init(text: "Operation Nightjar", codes: ["(b)(7)(E)"])]
        rules.allow = ["records@dpr.example.gov"]
        let r = Redactor(rules: rules, lexicon: lex)
        let text = "Jane Doe <jdoe@dpr.example.gov> on operation nightjar; write records@dpr.example.gov"
        let spans = r.spans(in: text)
        let out = Redactor.apply(spans.map { ($0.start, $0.end, $0.codes) }, to: text)
        XCTAssertEqual(out, "[(b)(6), (b)(7)(C)] <[(b)(6), (b)(7)(C)]> on [(b)(7)(E)]; write records@dpr.example.gov")
    }

    func testCodesValidateAndSortInStatuteOrder() {
        XCTAssertTrue(Codes.isValid("(b)(7)(C)"))
        XCTAssertTrue(Codes.isValid("Attorney-Client"))
        XCTAssertFalse(Codes.isValid("(b)(10)"))
        XCTAssertFalse(Codes.isValid("b6"))
        XCTAssertEqual(Codes.sorted(["(b)(7)(C)", "Work Product", "(b)(6)", "(b)(5)"]), ["(b)(5)", "(b)(6)", "(b)(7)(C)", "Work Product"])
    }

    func testRulesFileErrorsNameTheKey() throws {
        let u = FileManager.default.temporaryDirectory.appendingPathComponent("rules-\(UUID().uuidString).yml")
        defer { try? FileManager.default.removeItem(at: u) }
        try Data("detectors:\n  email: [\"(b)(66)\"]\n".utf8).write(to: u)
        XCTAssertThrowsError(try RuleSet.load(u)) { XCTAssertTrue("\($0)".contains("detectors.email"), "\($0)") }
        try Data("detectors:\n  email: [\"(b)(6)\"]\nterms:\n  - text: X\n    codes: [\"(b)(5)\"]\n    colour: red\n".utf8).write(to: u)
        XCTAssertThrowsError(try RuleSet.load(u)) { XCTAssertTrue("\($0)".contains("terms[0].colour"), "\($0)") }
    }

    func testLeakAuditFindsOtherFormsOfARedactedString() {
        let a = LeakAudit(needles: ["(555) 014-2231", "Jane", "jdoe@dpr.example.gov"], allow: [])
        XCTAssertEqual(a.scan("call 555.014.2231 now").count, 1)
        XCTAssertEqual(a.scan("JANE and Janet").count, 0)   // one-word needles match their own capitalisation only
        XCTAssertEqual(a.scan("Jane\nsaid").count, 1)
        XCTAssertEqual(a.scan("mail JDOE@dpr.example.gov").count, 1)
        XCTAssertEqual(a.scan("[(b)(6), (b)(7)(C)]").count, 0)
    }
}
