import DiscloseCore
import Foundation
import Normalize
import XCTest

final class NormalizerTests: XCTestCase {
    func item(_ kind: ItemKind, _ name: String = "m.eml") -> Item {
        Item(key: "0001", parentKey: nil, source: 1, custodian: "C", kind: kind, format: "x", path: "p", fileName: name,
             folder: "", size: 0, sha256: "", sha1: "", md5: "")
    }

    func testEmailFieldsDatesAndEncodedWords() throws {
        let raw = """
        From: =?UTF-8?B?Sm9zw6kgUGXDsWE=?= <jpena@dpr.example.gov>
        To: "Doe, Jane" <jdoe@dpr.example.gov>, sam@dpr.example.gov
        Cc: =?iso-8859-1?Q?Ren=E9e_Caf=E9?= <rcafe@example.org>
        Subject: =?UTF-8?Q?R=C3=A9union_=E2=80=94_retention?=
        Date: Tue, 05 Mar 2024 09:24:07 +0900
        Message-ID: <abc@dpr.example.gov>
        In-Reply-To: <prev@dpr.example.gov>
        References: <root@dpr.example.gov> <prev@dpr.example.gov>
        MIME-Version: 1.0
        Content-Type: text/plain; charset=utf-8
        Content-Transfer-Encoding: quoted-printable

        Caf=C3=A9 at noon =F0=9F=98=80
        """
        let d = try Normalizer().document(for: item(.email), bytes: Data(raw.replacingOccurrences(of: "\n", with: "\r\n").utf8))
        XCTAssertEqual(d.from, Address(name: "José Peña", address: "jpena@dpr.example.gov"))
        XCTAssertEqual(d.to.map(\.name), ["Doe, Jane", ""])
        XCTAssertEqual(d.cc.first?.name, "Renée Café")
        XCTAssertEqual(d.subject, "Réunion — retention")
        XCTAssertEqual(d.dateSent, "2024-03-05T00:24:07Z")
        XCTAssertEqual(d.dateOffset, "+09:00")
        XCTAssertEqual(d.messageID, "abc@dpr.example.gov")
        XCTAssertEqual(d.references, ["root@dpr.example.gov", "prev@dpr.example.gov"])
        XCTAssertEqual(d.text.trimmingCharacters(in: .whitespacesAndNewlines), "Café at noon 😀")
        XCTAssertFalse(d.text.contains("\r"))
        XCTAssertTrue(d.headerText.contains("Message-ID:") || d.headerText.contains("Message-Id:"))
    }

    func testHTMLOnlyBodyBecomesReadableText() throws {
        let raw = """
        From: a@x.example
        Subject: html
        MIME-Version: 1.0
        Content-Type: text/html; charset=iso-8859-1

        <html><head><style>p { color: red }</style></head><body><p>Caf\u{E9} &amp; cr&egrave;me</p><p>Line&nbsp;two</p></body></html>
        """
        let d = try Normalizer().document(for: item(.email), bytes: Data(raw.data(using: .isoLatin1)!))
        XCTAssertTrue(d.text.contains("Café & crème"), d.text)
        XCTAssertTrue(d.text.contains("Line two"), d.text)
        XCTAssertFalse(d.text.contains("color"), d.text)
    }

    func testLegacyCharsetBodies() throws {
        // Bytes as each charset encodes the text (computed with Python's codecs).
        let cases: [(String, [UInt8], String)] = [
            ("koi8-r", [240, 210, 201, 215, 197, 212], "Привет"),
            ("windows-1252", [147, 113, 117, 111, 116, 101, 100, 148], "“quoted”"),
            ("shift_jis", [130, 177, 130, 241, 130, 201, 130, 191, 130, 205], "こんにちは"),
            ("iso-2022-jp", [27, 36, 66, 36, 51, 36, 115, 36, 75, 36, 65, 36, 79, 27, 40, 66], "こんにちは"),
            ("gb18030", [196, 227, 186, 195], "你好"),
            ("iso-8859-1", [67, 97, 102, 233], "Café"),
        ]
        for (cs, body, text) in cases {
            var raw = Data("From: a@x.example\nSubject: t\nMIME-Version: 1.0\nContent-Type: text/plain; charset=\(cs)\nContent-Transfer-Encoding: 8bit\n\n".utf8)
            raw.append(contentsOf: body)
            let d = try Normalizer().document(for: item(.email), bytes: raw)
            XCTAssertEqual(d.text.trimmingCharacters(in: .whitespacesAndNewlines), text, cs)
        }
    }

    func testFilesByContent() throws {
        let n = Normalizer()
        XCTAssertEqual(try n.document(for: item(.file, "a.txt"), bytes: Data("plain\r\ntext".utf8)).text, "plain\ntext")
        let html = try n.document(for: item(.file, "a.html"), bytes: Data("<html><body><h1>Title</h1><p>para</p></body></html>".utf8))
        XCTAssertEqual(html.mimeType, "text/html")
        XCTAssertTrue(html.text.contains("Title") && html.text.contains("para"))
        let png = try n.document(for: item(.file, "x.png"), bytes: Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0]))
        XCTAssertEqual(png.text, "")
        XCTAssertEqual(png.mimeType, "image/png")
        XCTAssertFalse(png.textNote.isEmpty)
    }

    func testDateHelpers() {
        XCTAssertEqual(Dates.offset(-18000), "-05:00")
        XCTAssertEqual(Dates.offset(19800), "+05:30")
        XCTAssertEqual(Dates.isoUTC(Date(timeIntervalSince1970: 0)), "1970-01-01T00:00:00Z")
    }
}
