import DiscloseCore
import Foundation
@testable import Normalize
import XCTest

final class RTFTextTests: XCTestCase {
    func rtf(_ s: String) -> String { RTFText.text(Data(s.utf8)) }

    func testParagraphsCodePageAndSkippedGroups() {
        let doc = #"""
        {\rtf1\ansi\ansicpg1252\deff0{\fonttbl{\f0\fswiss Helv\'e9tica;}{\f1\froman Times;}}
        {\colortbl;\red255\green0\blue0;}{\stylesheet{\s0 Normal;}}{\info{\title Secret title}{\author Someone}}
        {\*\generator Riched20 10.0;}{\*\unknowndest should not show}\viewkind4\uc1\pard\f0\fs22
        Dear Ms. Ruiz,\par
        Dr. Ren\'e9e Faur\'e9 calls them \'93new memoranda\'94.\line Next line\tab tabbed\par
        {\pict\wmetafile8\picw100 0123456789abcdef}Caf\u233?s and \u8217? quotes{\b  bold} text\par
        Symbols: \emdash\~\lquote x\rquote\par
        {\field{\*\fldinst HYPERLINK "http://example"}{\fldrslt link text}}\par
        \trowd\cellx1000\cellx2000 a\cell b\cell\row
        Escaped \{braces\} and \\backslash\par
        }
        """#
        XCTAssertEqual(rtf(doc), """
        Dear Ms. Ruiz,
        Dr. Renée Fauré calls them “new memoranda”.
        Next line\ttabbed
        Cafés and ’ quotes bold text
        Symbols: —\u{A0}‘x’
        link text
        a\tb
        Escaped {braces} and \\backslash
        """)
    }

    func testUnicodeFallbackSkipping() {
        XCTAssertEqual(rtf(#"{\rtf1\uc2 A\u8364\'80\'80B\uc0\u8364 C}"#), "A€B€C")
        XCTAssertEqual(rtf(#"{\rtf1\uc1 \u-10179?\u-8704?!}"#), "😀!", "surrogate pair joined")
        XCTAssertEqual(rtf(#"{\rtf1{\uc3 \u20013???}\u22269?}"#), "中国", "\\uc is scoped to its group")
    }

    func testFontCharsetsDecodeMultiByteRuns() {
        // 日本 in Shift-JIS is 93 FA 96 7B; 你好 in GBK is C4 E3 BA C3.
        let doc = #"{\rtf1\ansi\ansicpg1252{\fonttbl{\f0 Arial;}{\f1\fcharset128 MS Gothic;}{\f2\fcharset134 SimSun;}}\f1\'93\'fa\'96\'7b \f2\'c4\'e3\'ba\'c3\f0  caf\'e9\par}"#
        XCTAssertEqual(rtf(doc), "日本 你好 café")
        XCTAssertEqual(rtf(#"{\rtf1\ansi\ansicpg1251 \'cf\'f0\'e8\'e2\'e5\'f2}"#), "Привет")
    }

    func testObjectsAndBinarySkipped() {
        let doc = "{\\rtf1 before {\\object\\objemb{\\*\\objdata 0102}{\\result shown result}}{\\*\\blob \\bin4 {}\\x} after\\par}"
        XCTAssertEqual(rtf(doc), "before shown result after")
    }

    func testEncapsulatedHTML() {
        let doc = #"""
        {\rtf1\ansi\ansicpg1252\fromhtml1 \deff0{\fonttbl{\f0\fswiss Arial;}}
        {\*\htmltag19 <html>}{\*\htmltag34 <head><style>p\{color:red\}</style></head>}{\*\htmltag50 <body>}
        {\*\htmltag64 <p>}\htmlrtf {\htmlrtf0 Caf\'e9 & cr\'e8me\htmlrtf }\htmlrtf0 {\*\htmltag72 </p>}
        {\*\htmltag64 <p>}Second {\*\htmltag84 <b>}paragraph{\*\htmltag92 </b>}{\*\htmltag72 </p>}
        {\*\htmltag58 </body>}{\*\htmltag27 </html>}}
        """#
        XCTAssertEqual(rtf(doc), "Café & crème\nSecond paragraph")
    }

    func testHostileInputTerminates() {
        let deep = String(repeating: "{", count: 50_000) + "x" + String(repeating: "}", count: 50_000)
        _ = rtf("{\\rtf1 " + deep + "}")
        _ = rtf("{\\rtf1 \\bin999999999 abc")
        _ = rtf("{\\rtf1 \\u")
        _ = rtf("{\\rtf1 \\'")
        _ = rtf("{\\rtf1 \\uc99999 \\u65 abc}")
        XCTAssertEqual(rtf("{\\rtf1 unbalanced}}}} tail"), "unbalanced tail")
        XCTAssertEqual(RTFText.text(Data("{\\rtf1 a\\par}".utf8)), RTFText.text(Data("{\\rtf1 a\\par}".utf8)))
    }

    func testSampleDataLetter() throws {
        let data = try Fixtures.attachment("msg-0078", "letter-to-the-deputy-director.rtf")
        let d = try Fixtures.document("letter-to-the-deputy-director.rtf", data)
        XCTAssertEqual(d.mimeType, "application/rtf")
        XCTAssertEqual(d.textNote, "")
        XCTAssertFalse(d.text.contains("Letter\n"), "the \\info title is not text")
        for s in ["Dear Ms. Ruiz,", "Dr. Renée Fauré of the Institut d'histoire administrative", "“new memoranda”",
                  "(555) 014-2377", "Orville Pembrook"] {
            XCTAssertTrue(d.text.contains(s), "\(s) missing from\n\(d.text)")
        }
    }

    func testEmptyRTFHasANote() throws {
        let d = try Fixtures.document("blank.rtf", Data("{\\rtf1\\ansi{\\fonttbl{\\f0 Arial;}}\\par}".utf8))
        XCTAssertEqual(d.text, "")
        XCTAssertFalse(d.textNote.isEmpty)
    }

    func testCorporaRTFNeverCrash() throws {
        guard let files = Fixtures.corpusFiles(["rtf"]) else { throw XCTSkip("corpora not present under ../shared/corpora; skipping") }
        var withText = 0
        for f in files {
            let t = RTFText.text(try Data(contentsOf: f))
            if !t.isEmpty { withText += 1 }
            XCTAssertEqual(t, RTFText.text(try Data(contentsOf: f)), f.path)
        }
        print("RTF corpus: \(withText) of \(files.count) files gave text")
        XCTAssertGreaterThan(withText, files.count / 2)
    }
}
