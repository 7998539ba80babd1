import Foundation
import Redact
import XCTest

/// Numbers and addresses written to slip past a byte scanner while reading the same to a person.
final class EvasionTests: XCTestCase {
    let redactor = Redactor(rules: .foiaLawEnforcement, lexicon: NameLexicon())

    /// What the redactor covers in `text`, as original substrings.
    func covered(_ text: String) -> [String] {
        let b = Array(text.utf8)
        return redactor.spans(in: text).map { String(decoding: b[$0.start..<$0.end], as: UTF8.self) }
    }

    func rules(_ text: String) -> [String] { redactor.spans(in: text).map(\.rule) }

    func testInvisibleCharactersInsideNumbers() {
        for (hidden, rule) in [("601-15-\u{200B}0006", "ssn"), ("601\u{200D}-15-0006", "ssn"), ("\u{FEFF}601-15-00\u{FEFF}06", "ssn"),
                               ("601-1\u{00AD}5-0006", "ssn"), ("60\u{2060}1-15-0006", "ssn"), ("601-15-000\u{200C}6", "ssn"),
                               ("555-601-\u{200B}0008", "phone"), ("(555)\u{200B} 601-0008", "phone"),
                               ("601-15-0\u{0336}006", "ssn"), ("601-15-0006\u{FE0F}", "ssn")] {
            let text = "Record: \(hidden) end"
            let got = covered(text)
            XCTAssertEqual(got.count, 1, hidden.debugDescription)
            XCTAssertEqual(rules(text), [rule], hidden.debugDescription)
            // The span covers every visible character of the number and the hidden ones inside it.
            let visible = got.first.map { $0.unicodeScalars.filter { $0.value < 0x80 }.map(String.init).joined() }
            XCTAssertEqual(visible, hidden.unicodeScalars.filter { $0.value < 0x80 }.map(String.init).joined(), hidden.debugDescription)
            let out = Redactor.apply(redactor.spans(in: text).map { ($0.start, $0.end, $0.codes) }, to: text)
            XCTAssertEqual(String(String.UnicodeScalarView(out.unicodeScalars.filter { $0.value < 0x80 })),
                           "Record: [(b)(6), (b)(7)(C)] end", hidden.debugDescription)
        }
    }

    func testUnicodeDashesAndSpacesBetweenGroups() {
        for form in ["601\u{2011}15\u{2011}0006", "601\u{2013}15\u{2013}0006", "601\u{2212}15\u{2212}0006", "601\u{FE63}15\u{FF0D}0006",
                     "601\u{2010}15\u{2014}0006"] {
            XCTAssertEqual(covered("SSN \(form)."), [form], form.debugDescription)
        }
        for form in ["555\u{00A0}601\u{00A0}0008", "555\u{202F}601\u{2007}0008", "(555)\u{00A0}601\u{2013}0008", "+1\u{00A0}555\u{00A0}601\u{00A0}0008"] {
            XCTAssertEqual(covered("Call \(form) now"), [form], form.debugDescription)
        }
    }

    func testFullwidthAndCompatibilityForms() {
        XCTAssertEqual(covered("mail jane.doe\u{FF20}agency.gov today"), ["jane.doe\u{FF20}agency.gov"])
        XCTAssertEqual(covered("mail jane.doe\u{FE6B}agency\u{FF0E}gov today"), ["jane.doe\u{FE6B}agency\u{FF0E}gov"])
        XCTAssertEqual(covered("SSN \u{FF16}\u{FF10}\u{FF11}-\u{FF11}\u{FF15}-\u{FF10}\u{FF10}\u{FF10}\u{FF16}"),
                       ["\u{FF16}\u{FF10}\u{FF11}-\u{FF11}\u{FF15}-\u{FF10}\u{FF10}\u{FF10}\u{FF16}"])
        XCTAssertEqual(covered("Call \u{FF15}\u{FF15}\u{FF15}\u{FF0D}601-0008."), ["\u{FF15}\u{FF15}\u{FF15}\u{FF0D}601-0008"])
        // Offsets after the normalised part still land on the original bytes.
        let text = "é\u{200B}é 601-15-0006 and jane\u{FF20}agency.gov"
        XCTAssertEqual(covered(text), ["601-15-0006", "jane\u{FF20}agency.gov"])
    }

    func testExtensionsAndLettersAroundNumbers() {
        XCTAssertEqual(covered("Call 555-601-0008x123 today"), ["555-601-0008x123"])
        XCTAssertEqual(covered("Call 555-601-0008 ext. 123, or"), ["555-601-0008 ext. 123"])
        XCTAssertEqual(covered("Call (555) 601-0008, x 44."), ["(555) 601-0008, x 44"])
        XCTAssertEqual(covered("Call 555-601-0008 extension 7"), ["555-601-0008 extension 7"])
        XCTAssertEqual(covered("id 601-14-0005abc"), ["601-14-0005"])
        XCTAssertEqual(covered("ssn601-15-0006"), ["601-15-0006"])
        XCTAssertEqual(covered("SSN-601-15-0006."), ["601-15-0006"])
        XCTAssertEqual(covered("tel555-601-0008"), ["555-601-0008"])
        XCTAssertEqual(covered("555-601-0008ext"), ["555-601-0008"])
    }

    func testLongerNumbersDatesAndCodesAreNotSSNsOrPhones() {
        for s in ["1601-15-0006", "601-15-00061", "12-601-15-0006", "601-15-0006-12", "601-15-0006.5", "3.601-15-0006",
                  "2024-03-05", "2024\u{2013}03\u{2013}05", "ZIP 20500-0003", "PN 1234-56-7890", "PN 123-456-78901",
                  "Order 5550142231", "10/601-15-0006", "Build 601-15-0006/2", "1555-601-0008", "555-601-00081",
                  "v2 555-601-0008-7", "ext 12", "x123"] {
            XCTAssertEqual(covered(s), [], s)
        }
    }

    func testHyphenWrapJoinsOneNumber() {
        // A folded header keeps the fold's space once unfolded; a wrapped body line keeps its break.
        XCTAssertEqual(covered("Subject: 321- 31-5021"), ["321- 31-5021"])
        XCTAssertEqual(covered("Subject: 321-\r\n 31-5021"), ["321-\r\n 31-5021"])
        XCTAssertEqual(covered("call 555-\n601-0008 now"), ["555-\n601-0008"])
        XCTAssertEqual(covered("> call 555-\n> > 601-0008 now"), ["555-\n> > 601-0008"])
        XCTAssertEqual(covered("ratio 3->4, 321->31-5021"), [])
        XCTAssertEqual(covered("call 555-601-\u{00A0}0008 now"), ["555-601-\u{00A0}0008"])
        // Not across a paragraph, not after a word, not when the space comes before the hyphen.
        XCTAssertEqual(covered("321-\n\n31-5021"), [])
        XCTAssertEqual(covered("pages 321- to 31-5021"), [])
        XCTAssertEqual(covered("scores 321 -31-5021"), [])
    }

    func testPlainASCIIIsItsOwnView() {
        let v = DetectionView("Call 555-601-0008 or write a@b.example")
        XCTAssertTrue(v.isIdentity)
        XCTAssertFalse(DetectionView("321- 31-5021").isIdentity)
        XCTAssertFalse(DetectionView("naïve").isIdentity)
        let w = DetectionView("a\u{200B}b\u{FF20}c")
        XCTAssertEqual(w.text, "ab@c")
        XCTAssertEqual(w.original(1, 3).start, 4)     // "b" follows a 3-byte ZWSP
        XCTAssertEqual(w.original(1, 3).end, 8)       // "@" came from the 3-byte fullwidth form
    }

    func testTermsAndPatternsReadTheViewToo() {
        var rules = RuleSet(name: "t", detectors: [:])
        rules.terms = [.init(text: "Operation Nightjar", codes: ["(b)(7)(E)"])]
        let r = Redactor(rules: rules, lexicon: NameLexicon())
        let text = "on Opera\u{00AD}tion\u{00A0}Night\u{200B}jar today"
        let b = Array(text.utf8)
        XCTAssertEqual(r.spans(in: text).map { String(decoding: b[$0.start..<$0.end], as: UTF8.self) },
                       ["Opera\u{00AD}tion\u{00A0}Night\u{200B}jar"])
    }

    func testDecomposedNamesAreTheNames() {
        let lex = NameLexicon()
        lex.add(displayName: "Jos\u{E9} Garc\u{ED}a")
        let r = Redactor(rules: .foiaLawEnforcement, lexicon: lex)
        let text = "From Jose\u{0301} Garci\u{0301}a, and Nguye\u{0302}\u{0303}n."
        let b = Array(text.utf8)
        XCTAssertEqual(r.spans(in: text).map { String(decoding: b[$0.start..<$0.end], as: UTF8.self) }, ["Jose\u{0301} Garci\u{0301}a"])
        // Bytes, not Strings: String equality is canonical equivalence and would hide the difference.
        XCTAssertEqual(DetectionView("Nguye\u{0302}\u{0303}n e\u{200B}\u{0301}").bytes, Array("Nguy\u{1EC5}n \u{E9}".utf8))
        XCTAssertEqual(DetectionView("e\u{200B}\u{0301}x").original(0, 2).end, 6)
    }

    func testLeakAuditAndPropagationSeeThroughInvisibleCharacters() {
        let a = LeakAudit(needles: ["Jane", "601-15-0006", "jane.doe@agency.gov"], allow: [])
        XCTAssertEqual(a.scan("Ja\u{200B}ne said").count, 1)
        XCTAssertEqual(a.scan("\u{FF16}01-15-00\u{00AD}06").count, 1)
        XCTAssertEqual(a.scan("jane.doe\u{FF20}agency.gov").count, 1)
        XCTAssertEqual(a.scan("Ja ne").count, 0)
        // A number's groups glued together, as machines write it into identifiers.
        XCTAssertEqual(a.scan("References: <601150006@pbx.example>").count, 1)
        XCTAssertEqual(LeakAudit(needles: ["2024-03-05"]).scan("build 20240305").count, 1)
        XCTAssertEqual(LeakAudit(needles: ["12-34"]).scan("id 1234").count, 0)
        var needles = NeedleSet<Int>()
        needles.add("Jane Doe", 1)
        let text = "to Ja\u{200D}ne Do\u{0065}\u{0301}e? no: to Ja\u{200D}ne Doe."
        XCTAssertEqual(needles.find(Fold.tokens(text)).count, 1)
    }

    /// A large text in plain ASCII takes the identity path; the same text with non-breaking
    /// spaces and accents goes through the map, and every number found maps back onto itself.
    func testLargeTextsMapBackExactly() {
        let line = "She wrote to jdoe@dpr.example.gov about 555-014-2231 and the 2024-03-05 meeting, as agreed.\n"
        let ascii = String(repeating: line, count: 2_000)
        let mixed = String(repeating: line.replacingOccurrences(of: "about", with: "über\u{00A0}the\u{200B}"), count: 2_000)
        XCTAssertTrue(DetectionView(ascii).isIdentity)
        XCTAssertFalse(DetectionView(mixed).isIdentity)
        XCTAssertEqual(covered(ascii).count, 4_000)
        let m = covered(mixed)
        XCTAssertEqual(m.count, 4_000)
        XCTAssertEqual(Set(m), ["jdoe@dpr.example.gov", "555-014-2231"])
    }
}
