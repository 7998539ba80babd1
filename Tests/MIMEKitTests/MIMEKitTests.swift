import XCTest
import DiscloseCore
@testable import MIMEKit

/// Messages are written with `\n` and sent as CRLF, the way they travel on the wire.
func crlf(_ s: String) -> Data { Data(s.replacingOccurrences(of: "\n", with: "\r\n").utf8) }

final class MIMEKitTests: XCTestCase {

    func testAlternativeWithQuotedPrintableAndBase64() throws {
        let m = try MIME.parse(crlf("""
        From: Jane Doe <jane@example.com>
        To: bob@example.com
        Subject: Alt
        Date: Tue, 5 Mar 2024 14:24:00 +0000
        Message-ID: <alt-1@example.com>
        MIME-Version: 1.0
        Content-Type: multipart/alternative; boundary="XX"

        --XX
        Content-Type: text/plain; charset=utf-8
        Content-Transfer-Encoding: quoted-printable

        h=C3=A9llo w=C3=B6rld =E2=9C=93 and a soft=
         break
        --XX
        Content-Type: text/html; charset=utf-8
        Content-Transfer-Encoding: base64

        SGVsbG8gPGI+d29ybGQ8L2I+IGluIEhUTUwg4oCTIOKckw==
        --XX--

        """))
        XCTAssertEqual(m.bodyText, "héllo wörld ✓ and a soft break")
        XCTAssertEqual(m.bodyHTML, "Hello <b>world</b> in HTML – ✓")
        XCTAssertTrue(m.attachments.isEmpty)
        XCTAssertEqual(m.from, [Address(name: "Jane Doe", address: "jane@example.com")])
        XCTAssertEqual(m.messageID, "alt-1@example.com")
        XCTAssertEqual(m.header("content-type")?.hasPrefix("multipart/alternative"), true)
        XCTAssertEqual(m.headers.map(\.name), ["From", "To", "Subject", "Date", "Message-ID", "MIME-Version", "Content-Type"])
        XCTAssertEqual(m.warnings, [])
    }

    func testHTMLOnlyMessageHasEmptyBodyText() throws {
        let m = try MIME.parse(crlf("""
        From: a@example.com
        Content-Type: text/html; charset=us-ascii

        <p>Hi</p>
        """))
        XCTAssertEqual(m.bodyText, "")
        XCTAssertEqual(m.bodyHTML, "<p>Hi</p>")
    }

    func testRFC2047SubjectAndDisplayNames() throws {
        let m = try MIME.parse(crlf("""
        From: =?iso-8859-1?Q?Jos=E9_Garc=EDa?= <Jose.Garcia@Example.COM>
        To: "=?UTF-8?B?w4lsb2TDqWU=?=" <elo@example.org>, 'Outlook Style' <o@example.org>, plain@example.org
        Cc: Team: a@example.com, "B, Person" <b@example.com>;, undisclosed-recipients:;
        Subject: =?UTF-8?B?w6l0w6kg4pyT?= and =?iso-8859-1?Q?caf=E9?=
        Date: Tue, 5 Mar 2024 14:24:00 +0000

        body
        """))
        XCTAssertEqual(m.subject, "été ✓ and café")
        XCTAssertEqual(m.header("Subject"), "été ✓ and café")
        XCTAssertEqual(m.from, [Address(name: "José García", address: "Jose.Garcia@Example.COM")])
        XCTAssertEqual(m.to, [Address(name: "Élodée", address: "elo@example.org"),
                              Address(name: "Outlook Style", address: "o@example.org"),
                              Address(name: "", address: "plain@example.org")])
        XCTAssertEqual(m.cc, [Address(name: "", address: "a@example.com"),
                              Address(name: "B, Person", address: "b@example.com")])
        XCTAssertEqual(m.bcc, [])
        XCTAssertEqual(m.bodyText, "body")
    }

    /// Header values reach the detectors unfolded and with adjacent encoded-words joined: the
    /// whitespace between two encoded-words is not part of the text (RFC 2047 §6.2), a fold's
    /// CRLF is not either (RFC 5322 §2.2.3), so neither can split a number from the detectors.
    func testFoldedAndAdjacentEncodedWordsReadAsOneValue() throws {
        let m = try MIME.parse(crlf("""
        From: a@example.com
        Subject: =?utf-8?q?SSN_601-?=
         =?utf-8?q?15-0006?= and =?utf-8?B?NjAx?=\t=?utf-8?B?LTE1?= =?iso-8859-1?q?-0006?=
        X-Case: 321-
         31-5021
        Comments: =?utf-8?q?601-1?=  5-0006
        Keywords: 601-=?utf-8?q?15-0006?=

        body
        """))
        XCTAssertEqual(m.subject, "SSN 601-15-0006 and 601-15-0006")
        XCTAssertEqual(m.header("X-Case"), "321- 31-5021")
        // An encoded-word next to plain text keeps the space between them.
        XCTAssertEqual(m.header("Comments"), "601-1  5-0006")
        // GMime's loose mode also decodes an encoded-word glued to a word.
        XCTAssertEqual(m.header("Keywords"), "601-15-0006")
        for h in m.headers { XCTAssertFalse(h.value.contains("\r") || h.value.contains("\n"), h.name) }
    }

    func testUnparseableAddressListsKeepTheNames() throws {
        let m = try MIME.parse(crlf("""
        From:  Janette Elbertson
        To:  Alan Aronowitz, Sandi M Braband, Ned
        \t E Crady
        Cc: undisclosed-recipients:;
        Reply-To: <Saved by Windows Internet Explorer 7>
        Subject: Enron style

        x
        """))
        XCTAssertEqual(m.from, [Address(name: "Janette Elbertson", address: "")])
        XCTAssertEqual(m.to.map(\.name), ["Alan Aronowitz", "Sandi M Braband", "Ned E Crady"])
        XCTAssertEqual(m.cc, [])
        XCTAssertEqual(m.replyTo, [Address(name: "Saved by Windows Internet Explorer 7", address: "")])
    }

    func testUnencoded8BitHeadersFallBack() throws {
        var data = Data("From: ".utf8)
        data += Data([0x4A, 0x6F, 0x73, 0xE9]) + Data(" <j@example.com>\r\nSubject: caf".utf8)
        data += Data([0xE9, 0x20, 0x93, 0x71, 0x94]) + Data(" na\u{ef}ve\r\n\r\nbody\r\n".utf8)
        let m = try MIME.parse(data)
        XCTAssertEqual(m.from.first?.name, "José")
        XCTAssertEqual(m.subject, "café “q” naïve")
    }

    func testRFC2231FileNames() throws {
        let m = try MIME.parse(crlf("""
        From: a@example.com
        Subject: names
        MIME-Version: 1.0
        Content-Type: multipart/mixed; boundary="B"

        --B
        Content-Type: text/plain

        see attached
        --B
        Content-Type: text/plain; charset=utf-8
        Content-Disposition: attachment; filename*=UTF-8''%C3%A9t%C3%A9.txt

        summer
        --B
        Content-Type: application/octet-stream
        Content-Disposition: attachment;
         filename*0*=UTF-8''Rapport%20d%C3%A9;
         filename*1*=taill%C3%A9;
         filename*2=".pdf"
        Content-Transfer-Encoding: base64

        JVBERi0xLjQK
        --B
        Content-Type: application/pdf; name="=?UTF-8?B?w7xiZXIucGRm?="
        Content-Transfer-Encoding: base64

        JVBERi0xLjQK
        --B
        Content-Type: application/vnd.ms-excel; name="C:\\\\Users\\\\x\\\\..\\\\book.xls"

        xx
        --B--
        """))
        XCTAssertEqual(m.bodyText, "see attached")
        XCTAssertEqual(m.attachments.map(\.fileName), ["été.txt", "Rapport détaillé.pdf", "über.pdf", "book.xls"])
        XCTAssertEqual(m.attachments[0].data, Data("summer".utf8))
        XCTAssertEqual(m.attachments[1].data, Data("%PDF-1.4\n".utf8))
        XCTAssertEqual(m.attachments[1].contentType, "application/octet-stream")
        XCTAssertEqual(m.attachments[2].contentType, "application/pdf")
        XCTAssertFalse(m.attachments[0].isInline)
    }

    // MARK: charsets

    private func body(charset: String?, base64: String) throws -> MIMEMessage {
        let ct = charset.map { "text/plain; charset=\($0)" } ?? "text/plain"
        return try MIME.parse(crlf("""
        From: a@example.com
        Subject: cs
        MIME-Version: 1.0
        Content-Type: \(ct)
        Content-Transfer-Encoding: base64

        \(base64)
        """))
    }

    func testLegacyCharsets() throws {
        let cases: [(String, String, String)] = [
            ("koi8-r", "8NLJ18XULCDNydI=", "Привет, мир"),
            ("iso-2022-jp", "GyRCJDMkcyRLJEEkT0AkMyYbKEI=", "こんにちは世界"),
            ("gb18030", "xOO6w6OsysC95w==", "你好，世界"),
            ("GB2312", "xOO6w6OsysC95w==", "你好，世界"),
            ("shift_jis", "grGC8YLJgr+CzVyDZYNYg2c=", "こんにちは\\テスト"),
            ("windows-1252", "k3F1b3RlZJQgliBjYWbpIIA1", "“quoted” – café €5"),
            ("\"ISO-8859-1\"", "Y2Fm6SBuYe92ZQ==", "café naïve"),
            // Declared Latin-1 but written on Windows: the C1 bytes are curly quotes.
            ("iso-8859-1", "k3F1b3RlZJQgliBjYWbpIIA1", "“quoted” – café €5"),
            ("utf-8", "aMOpbGxvIHfDtnJsZCDinJM=", "héllo wörld ✓"),
        ]
        for (charset, b64, expected) in cases {
            let m = try body(charset: charset, base64: b64)
            XCTAssertEqual(m.bodyText, expected, charset)
            XCTAssertEqual(m.warnings, [], charset)
        }
    }

    func testMissingOrBogusCharsetFallsBack() throws {
        // Undeclared, valid UTF-8: kept as UTF-8.
        var m = try body(charset: nil, base64: "aMOpbGxvIHfDtnJsZCDinJM=")
        XCTAssertEqual(m.bodyText, "héllo wörld ✓")
        XCTAssertEqual(m.warnings, [])
        // Undeclared windows-1252 bytes: decoded as windows-1252, with a warning.
        m = try body(charset: nil, base64: "k3F1b3RlZJQgliBjYWbpIIA1")
        XCTAssertEqual(m.bodyText, "“quoted” – café €5")
        XCTAssertEqual(m.warnings, ["8-bit text without charset; decoded as windows-1252"])
        // us-ascii is a lie about 8-bit bytes.
        m = try body(charset: "us-ascii", base64: "Y2Fm6SBuYe92ZQ==")
        XCTAssertEqual(m.bodyText, "café naïve")
        // Unknown charset.
        m = try body(charset: "x-unknown", base64: "k3F1b3RlZJQgliBjYWbpIIA1")
        XCTAssertEqual(m.bodyText, "“quoted” – café €5")
        XCTAssertEqual(m.warnings, ["charset x-unknown not known; decoded as windows-1252"])
        m = try body(charset: "bogus-charset-42", base64: "aMOpbGxvIHfDtnJsZCDinJM=")
        XCTAssertEqual(m.bodyText, "héllo wörld ✓")
        XCTAssertEqual(m.warnings, ["charset bogus-charset-42 not known; decoded as utf-8"])
    }

    func testHTMLWithoutMIMECharsetUsesMetaTag() throws {
        var data = Data("From: a@example.com\nContent-Type: text/html\n\n<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=koi8-r\"></head><body>".utf8)
        data += Data(base64Encoded: "8NLJ18XULCDNydI=")! + Data("</body></html>".utf8)
        let m = try MIME.parse(data)
        XCTAssertTrue(m.bodyHTML.contains("<body>Привет, мир</body>"), m.bodyHTML)
    }

    func testRaw8BitBodyIsAlwaysValidUTF8() throws {
        var data = Data("From: a@example.com\nSubject: raw\nContent-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: 8bit\n\n".utf8)
        data += Data([0x61, 0xFF, 0xFE, 0xC3, 0x28, 0x62, 0x00, 0x63, 0xE2, 0x82])
        let m = try MIME.parse(data)
        XCTAssertEqual(m.bodyText, "a\u{FFFD}\u{FFFD}\u{FFFD}(bc\u{FFFD}")
        XCTAssertFalse(m.warnings.isEmpty)

        // Invalid sequences inside a multibyte legacy charset are replaced, not dropped.
        var sjis = Data("From: a@example.com\nContent-Type: text/plain; charset=shift_jis\n\n".utf8)
        sjis += Data([0x82, 0xB1, 0x82, 0xFF, 0x41, 0x82])
        let s = try MIME.parse(sjis)
        XCTAssertTrue(s.bodyText.hasPrefix("こ"))
        XCTAssertTrue(s.bodyText.contains("\u{FFFD}"))
        XCTAssertTrue(s.bodyText.contains("A"))
    }

    // MARK: tree shapes

    func testMixedWithTwoInlineTextsAndVariousAttachments() throws {
        let m = try MIME.parse(crlf("""
        From: a@example.com
        Subject: mixed
        MIME-Version: 1.0
        Content-Type: multipart/mixed; boundary="M"

        preamble is ignored
        --M
        Content-Type: text/plain; charset=us-ascii

        first part
        --M
        Content-Type: image/png
        Content-Disposition: inline; filename="logo.png"
        Content-ID: <logo@x>
        Content-Transfer-Encoding: base64

        iVBORw0KGgo=
        --M
        Content-Type: text/plain; charset=us-ascii
        Content-Disposition: inline

        second part
        --M
        Content-Type: text/plain; name="notes.txt"

        a text file
        --M
        Content-Type: application/ms-tnef
        Content-Transfer-Encoding: base64

        eJ8+IgAAAA==
        --M
        Content-Type: application/pdf
        Content-Transfer-Encoding: base64

        JVBERi0xLjQK
        --M
        Content-Type: text/calendar; method=REQUEST

        BEGIN:VCALENDAR
        --M--
        epilogue
        """))
        XCTAssertEqual(m.bodyText, "first part\n\nsecond part")
        XCTAssertEqual(m.attachments.map(\.fileName),
                       ["logo.png", "notes.txt", "attachment-3.dat", "attachment-4.pdf", "attachment-5.ics"])
        XCTAssertEqual(m.attachments.map(\.contentType),
                       ["image/png", "text/plain", "application/ms-tnef", "application/pdf", "text/calendar"])
        XCTAssertEqual(m.attachments[0].isInline, true)
        XCTAssertEqual(m.attachments[0].contentID, "logo@x")
        XCTAssertEqual(m.attachments[0].data, Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]))
        XCTAssertEqual(m.attachments[1].isInline, false)
        XCTAssertEqual(m.attachments[1].data, Data("a text file".utf8))
        XCTAssertEqual(m.attachments[2].data.prefix(4), Data([0x78, 0x9F, 0x3E, 0x22]))
    }

    func testRelatedInsideAlternative() throws {
        let m = try MIME.parse(crlf("""
        From: a@example.com
        Content-Type: multipart/alternative; boundary="A"

        --A
        Content-Type: text/plain

        plain version
        --A
        Content-Type: multipart/related; boundary="R"

        --R
        Content-Type: text/html

        <img src="cid:i1">
        --R
        Content-Type: image/gif
        Content-ID: <i1>
        Content-Transfer-Encoding: base64

        R0lGODlhAQABAAAAACw=
        --R--
        --A--
        """))
        XCTAssertEqual(m.bodyText, "plain version")
        XCTAssertEqual(m.bodyHTML, "<img src=\"cid:i1\">")
        XCTAssertEqual(m.attachments.count, 1)
        XCTAssertEqual(m.attachments[0].fileName, "attachment-1.gif")
        XCTAssertTrue(m.attachments[0].isInline)
        XCTAssertEqual(m.attachments[0].contentID, "i1")
    }

    func testSignedEncryptedAndPKCS7() throws {
        let signed = try MIME.parse(crlf("""
        From: a@example.com
        Content-Type: multipart/signed; protocol="application/pgp-signature"; micalg=pgp-sha256; boundary="S"

        --S
        Content-Type: multipart/mixed; boundary="I"

        --I
        Content-Type: text/plain

        signed text
        --I
        Content-Type: application/pdf; name="a.pdf"

        x
        --I--
        --S
        Content-Type: application/pgp-signature; name="signature.asc"

        -----BEGIN PGP SIGNATURE-----
        -----END PGP SIGNATURE-----
        --S--
        """))
        XCTAssertEqual(signed.bodyText, "signed text")
        XCTAssertEqual(signed.attachments.map(\.fileName), ["a.pdf"])

        let encrypted = try MIME.parse(crlf("""
        From: a@example.com
        Content-Type: multipart/encrypted; protocol="application/pgp-encrypted"; boundary="E"

        --E
        Content-Type: application/pgp-encrypted

        Version: 1
        --E
        Content-Type: application/octet-stream; name="encrypted.asc"

        -----BEGIN PGP MESSAGE-----
        -----END PGP MESSAGE-----
        --E--
        """))
        XCTAssertEqual(encrypted.bodyText, "")
        XCTAssertEqual(encrypted.attachments.map(\.fileName), ["encrypted.asc"])
        XCTAssertEqual(encrypted.warnings.count, 1)

        let smime = try MIME.parse(crlf("""
        From: a@example.com
        Content-Type: application/pkcs7-mime; smime-type=enveloped-data; name=smime.p7m
        Content-Transfer-Encoding: base64

        MIAGCSqGSIb3DQEHA6CAMIACAQA=
        """))
        XCTAssertEqual(smime.attachments.map(\.fileName), ["smime.p7m"])
        XCTAssertEqual(smime.attachments.first?.contentType, "application/pkcs7-mime")
        XCTAssertEqual(smime.warnings.count, 1)
    }

    func testNestedMessageWithItsOwnAttachment() throws {
        let m = try MIME.parse(crlf("""
        From: outer@example.com
        Subject: Fwd: inner
        MIME-Version: 1.0
        Content-Type: multipart/mixed; boundary="O"

        --O
        Content-Type: text/plain

        see below
        --O
        Content-Type: message/rfc822

        From: inner@example.com
        Subject: Inner / report
        Date: Mon, 4 Mar 2024 09:00:00 -0500
        MIME-Version: 1.0
        Content-Type: multipart/mixed; boundary="I"

        --I
        Content-Type: text/plain

        inner body
        --I
        Content-Type: application/pdf; name="r.pdf"
        Content-Transfer-Encoding: base64

        JVBERi0xLjQK
        --I--

        --O
        Content-Type: message/rfc822; name="named.eml"

        From: x@example.com
        Subject: second

        second body
        --O--
        """))
        XCTAssertEqual(m.bodyText, "see below")
        XCTAssertEqual(m.attachments.count, 2)
        let inner = m.attachments[0]
        XCTAssertTrue(inner.isMessage)
        XCTAssertEqual(inner.contentType, "message/rfc822")
        XCTAssertEqual(inner.fileName, "Inner _ report.eml")
        XCTAssertEqual(m.attachments[1].fileName, "named.eml")

        let again = try MIME.parse(inner.data)
        XCTAssertEqual(again.from, [Address(name: "", address: "inner@example.com")])
        XCTAssertEqual(again.subject, "Inner / report")
        XCTAssertEqual(again.bodyText, "inner body")
        XCTAssertEqual(again.attachments.count, 1)
        XCTAssertEqual(again.attachments[0].fileName, "r.pdf")
        XCTAssertEqual(again.attachments[0].data, Data("%PDF-1.4\n".utf8))
        XCTAssertEqual(again.date?.offsetSeconds, -5 * 3600)
        // The inner message is the original text, not a rewrite.
        let original = String(decoding: crlf("From: inner@example.com\nSubject: Inner / report\n"), as: UTF8.self)
        XCTAssertTrue(String(decoding: inner.data, as: UTF8.self).hasPrefix(original))
    }

    func testTransferEncodedMessagePartIsStillAMessage() throws {
        // "From: x@example.com\r\nSubject: =?utf-8?q?caf=C3=A9?=\r\n\r\ninner\r\n"
        let inner = Data("From: x@example.com\r\nSubject: =?utf-8?q?caf=C3=A9?=\r\n\r\ninner\r\n".utf8)
        let m = try MIME.parse(crlf("""
        From: a@example.com
        Content-Type: multipart/mixed; boundary="Z"

        --Z
        Content-Type: text/plain

        \n \t
        --Z
        Content-Type: message/rfc822
        Content-Transfer-Encoding: base64

        \(inner.base64EncodedString())
        --Z--
        """))
        XCTAssertEqual(m.bodyText, "")
        XCTAssertEqual(m.attachments.count, 1)
        XCTAssertTrue(m.attachments[0].isMessage)
        XCTAssertEqual(m.attachments[0].fileName, "café.eml")
        XCTAssertEqual(m.attachments[0].data, inner)
        XCTAssertEqual(try MIME.parse(m.attachments[0].data).bodyText, "inner\n")
    }

    func testDates() throws {
        func date(_ header: String) throws -> MIMEDate? {
            try MIME.parse(crlf("From: a@example.com\nDate: \(header)\n\nx")).date
        }
        let tokyo = try XCTUnwrap(date("Tue, 5 Mar 2024 23:24:00 +0900"))
        XCTAssertEqual(tokyo.offsetSeconds, 32400)
        XCTAssertEqual(tokyo.utc, ISO8601DateFormatter().date(from: "2024-03-05T14:24:00Z"))
        let india = try XCTUnwrap(date("Tue, 05 Mar 2024 19:54:00 +0530"))
        XCTAssertEqual(india.offsetSeconds, 19800)
        XCTAssertEqual(india.utc, tokyo.utc)
        let ny = try XCTUnwrap(date("5 Mar 2024 09:24 -0500"))
        XCTAssertEqual(ny.offsetSeconds, -18000)
        XCTAssertEqual(ny.utc, tokyo.utc)
        let named = try XCTUnwrap(date("Wed, 11 Feb 98 11:51 CST"))
        XCTAssertEqual(named.offsetSeconds, -6 * 3600)
        XCTAssertEqual(named.utc, ISO8601DateFormatter().date(from: "1998-02-11T17:51:00Z"))
        // GMime alone returns midnight for fractional seconds and +0000 for "GMT+0100".
        let fraction = try XCTUnwrap(date("Tue, 17 Jul 2012 22:23:35.882 0000"))
        XCTAssertEqual(fraction.utc, ISO8601DateFormatter().date(from: "2012-07-17T22:23:35Z"))
        let glued = try XCTUnwrap(date("Tue, 5 Mar 2024 15:24:00 GMT+0100"))
        XCTAssertEqual(glued.offsetSeconds, 3600)
        XCTAssertEqual(glued.utc, tokyo.utc)
        let iso = try XCTUnwrap(date("2024-03-05T19:54:00+05:30"))
        XCTAssertEqual(iso.offsetSeconds, 19800)
        XCTAssertEqual(iso.utc, tokyo.utc)
        XCTAssertEqual(try date("2024-03-05 14:24:00Z")?.utc, tokyo.utc)
        XCTAssertNil(try date("not a date at all"))
        XCTAssertNil(try date("Mon, 32 Feb 2024 25:61:00 +0000"))
        XCTAssertNil(try MIME.parse(crlf("From: a@example.com\n\nx")).date)
    }

    func testIdentifiers() throws {
        let m = try MIME.parse(crlf("""
        From: a@example.com
        In-Reply-To: <parent@example.com> (comment)
        References: <root@example.com>
         <mid@example.com>   <parent@example.com>

        x
        """))
        XCTAssertEqual(m.messageID, "")
        XCTAssertEqual(m.inReplyTo, "parent@example.com")
        XCTAssertEqual(m.references, ["root@example.com", "mid@example.com", "parent@example.com"])
        XCTAssertEqual(m.header("references"), "<root@example.com> <mid@example.com>   <parent@example.com>")
    }

    func testNotAMessage() {
        var rng = SystemRandomNumberGenerator()
        var garbage = (0..<4096).map { _ in UInt8.random(in: 0...255, using: &rng) }
        garbage[0] = 0x00
        for bad in [Data(garbage), Data(), Data("\n\n\n".utf8), Data("just some text\nwith lines\n".utf8),
                    Data("<html><body>hi</body></html>".utf8), Data("{\"from\": \"x\"}".utf8)] {
            XCTAssertThrowsError(try MIME.parse(bad)) { error in
                guard case MIMEError.notAMessage = error else { return XCTFail("\(error)") }
            }
        }
    }

    func testMessageConfidence() {
        func score(_ s: String) -> Int { MIME.messageConfidence(head: Array(s.utf8)) }
        let mail = "Return-Path: <a@example.com>\r\nReceived: from mx by mx2; Tue, 5 Mar 2024 14:24:00 +0000\r\nFrom: A <a@example.com>\r\nSubject: hi\r\n\r\nbody"
        XCTAssertGreaterThanOrEqual(score(mail), 90)
        XCTAssertGreaterThanOrEqual(score("Subject: hi\nFrom: a@b.c\nDate: Tue, 5 Mar 2024 14:24:00 +0000\n\nx"), 90)
        XCTAssertGreaterThanOrEqual(score("MIME-Version: 1.0\nContent-Type: text/plain\n\nx"), 90)
        XCTAssertEqual(score("From someone@example.com Tue Mar  5 14:24:00 2024\nFrom: a@b.c\nSubject: x\n\nbody"), 0)
        XCTAssertEqual(score("<!DOCTYPE html>\n<html><head><title>From: x</title></head></html>"), 0)
        XCTAssertEqual(score("<html>\nFrom: a@b.c\n"), 0)
        XCTAssertEqual(score("{\"From\": \"a@b.c\", \"Subject\": \"x\"}"), 0)
        XCTAssertEqual(score("From,To,Subject,Date\na@b.c,d@e.f,hi,2024-03-05\n"), 0)
        XCTAssertEqual(MIME.messageConfidence(head: [0x25, 0x50, 0x44, 0x46, 0x2D, 0x31, 0x2E, 0x34, 0x0A, 0xFF, 0x00]), 0)
        XCTAssertEqual(MIME.messageConfidence(head: [0x50, 0x4B, 0x03, 0x04, 0x14, 0x00, 0x00, 0x00]), 0)
        XCTAssertEqual(MIME.messageConfidence(head: []), 0)
        // "key: value" that is not mail.
        XCTAssertLessThan(score("name: thing\nversion: 2\n\n"), 90)
        XCTAssertLessThan(score("HTTP/1.1 200 OK\nContent-Type: text/html\n\n"), 90)
        // A 4 KiB window cut mid-line still counts.
        let long = "From: a@example.com\nSubject: " + String(repeating: "y", count: 5000)
        XCTAssertGreaterThanOrEqual(MIME.messageConfidence(head: Array(long.utf8.prefix(4096))), 90)
        // With a byte order mark.
        XCTAssertGreaterThanOrEqual(MIME.messageConfidence(head: [0xEF, 0xBB, 0xBF] + Array(mail.utf8)), 90)
    }

    // MARK: hostile input

    func testHugeHeaderLine() throws {
        let subject = String(repeating: "x", count: 1_000_000)
        let words = String(repeating: "=?utf-8?q?a?= ", count: 70_000)
        let m = try MIME.parse(Data("From: a@example.com\nSubject: \(subject)\nX-Words: \(words)\n\nbody\n".utf8))
        XCTAssertEqual(m.subject.count, 1_000_000)
        XCTAssertEqual(m.bodyText, "body\n")
    }

    func testDeeplyNestedMultiparts() throws {
        var s = "From: a@example.com\nSubject: deep\nMIME-Version: 1.0\n"
        let depth = 10_000
        for i in 0..<depth { s += "Content-Type: multipart/mixed; boundary=\"b\(i)\"\n\n--b\(i)\n" }
        s += "Content-Type: text/plain\n\nhello\n"
        for i in (0..<depth).reversed() { s += "--b\(i)--\n" }
        let start = Date()
        let m = try MIME.parse(Data(s.utf8))
        XCTAssertLessThan(Date().timeIntervalSince(start), 30)
        XCTAssertEqual(m.bodyText, "")
        XCTAssertTrue(m.warnings.contains { $0.contains("deeper than 100") }, "\(m.warnings)")
        XCTAssertTrue(m.warnings.contains { $0.contains("nesting too deep") }, "\(m.warnings)")
    }

    func testDeeplyNestedMessages() throws {
        var s = "From: a@example.com\nSubject: deep\n"
        for _ in 0..<10_000 { s += "Content-Type: message/rfc822\n\nFrom: x@example.com\n" }
        s += "Content-Type: text/plain\n\nhello\n"
        let m = try MIME.parse(Data(s.utf8))
        XCTAssertEqual(m.attachments.count, 1)
        XCTAssertTrue(m.attachments[0].isMessage)
        // One level deeper parses too, and the chain ends somewhere.
        var level = try MIME.parse(m.attachments[0].data)
        var levels = 1
        while let next = level.attachments.first, next.isMessage, levels < 50 {
            level = try MIME.parse(next.data); levels += 1
        }
        XCTAssertEqual(levels, 50)
    }

    func testInvalidBase64MissingBoundaryAndNULs() throws {
        let bad64 = try MIME.parse(crlf("""
        From: a@example.com
        Content-Type: multipart/mixed; boundary="Q"

        --Q
        Content-Type: application/pdf; name=x.pdf
        Content-Transfer-Encoding: base64

        JVBER!!!i0x@@@LjQK====garbage***
        --Q
        Content-Type: text/plain
        Content-Transfer-Encoding: base64

        not base64 at all %%%
        """))
        XCTAssertEqual(bad64.attachments.count, 1)
        XCTAssertTrue(bad64.attachments[0].data.starts(with: Data("%PDF".utf8)))

        let noBoundary = try MIME.parse(crlf("""
        From: a@example.com
        Content-Type: multipart/mixed

        --whatever
        Content-Type: text/plain

        text
        --whatever--
        """))
        XCTAssertNotNil(noBoundary)

        let wrongBoundary = try MIME.parse(crlf("""
        From: a@example.com
        Content-Type: multipart/mixed; boundary="declared"

        --other
        Content-Type: text/plain

        text
        """))
        XCTAssertNotNil(wrongBoundary)

        var nul = Data("From: a@example.com\r\nSubject: nul".utf8)
        nul += Data([0x00]) + Data("byte\r\nX-Bin: ".utf8) + Data([0x00, 0x01, 0xFF])
        nul += Data("\r\n\r\nbody".utf8) + Data([0x00]) + Data("after nul".utf8)
        let n = try MIME.parse(nul)
        XCTAssertEqual(n.from.first?.address, "a@example.com")
        XCTAssertFalse(n.bodyText.contains("\u{0}"))
        XCTAssertTrue(n.bodyText.contains("after nul"))
    }

    func testTruncatedMessages() throws {
        let full = crlf("""
        From: a@example.com
        Subject: trunc
        Content-Type: multipart/mixed; boundary="T"

        --T
        Content-Type: text/plain

        hello
        --T
        Content-Type: application/pdf; name=a.pdf
        Content-Transfer-Encoding: base64

        JVBERi0xLjQKJVBERi0xLjQKJVBERi0xLjQK
        --T--
        """)
        for cut in stride(from: 1, to: full.count, by: 7) {
            _ = try? MIME.parse(full.prefix(cut))
        }
    }

    // MARK: resources and threads

    func testRepeatedParsesDoNotLeak() throws {
        let sample = crlf("""
        From: =?utf-8?q?J=C3=B6rg?= <j@example.com>
        To: Team: a@example.com, b@example.com;
        Subject: =?utf-8?b?bGVhaw==?=
        Date: Tue, 5 Mar 2024 23:24:00 +0900
        References: <a@x> <b@x>
        Content-Type: multipart/mixed; boundary="L"

        --L
        Content-Type: text/plain; charset=koi8-r
        Content-Transfer-Encoding: base64

        8NLJ18XULCDNydI=
        --L
        Content-Type: message/rfc822

        From: x@example.com
        Subject: inner

        inner
        --L
        Content-Type: application/pdf; name="a.pdf"
        Content-Transfer-Encoding: base64

        JVBERi0xLjQK
        --L--
        """) + Data(String(repeating: "padding line\r\n", count: 2000).utf8)
        for _ in 0..<200 { _ = try MIME.parse(sample) }
        let before = residentKiB()
        for _ in 0..<2000 { _ = try autoreleasepool { try MIME.parse(sample) } }
        let after = residentKiB()
        // 2,000 parses of a 30 KB message would grow by ~60 MB if each leaked its buffer.
        XCTAssertLessThan(after - before, 8 * 1024, "RSS grew from \(before) KiB to \(after) KiB")
    }

    func testConcurrentParses() throws {
        let data = crlf("From: a@example.com\nSubject: =?koi8-r?b?8NLJ18XU?=\nContent-Type: text/plain; charset=iso-2022-jp\nContent-Transfer-Encoding: base64\n\nGyRCJDMkcyRLJEEkT0AkMyYbKEI=\n")
        let failures = Locked(0)
        DispatchQueue.concurrentPerform(iterations: 400) { _ in
            let m = try? MIME.parse(data)
            if m?.subject != "Привет" || m?.bodyText != "こんにちは世界" { failures.mutate { $0 += 1 } }
        }
        XCTAssertEqual(failures.value, 0)
    }
}

final class Locked<T>: @unchecked Sendable {
    private var v: T
    private let lock = NSLock()
    init(_ v: T) { self.v = v }
    var value: T { lock.lock(); defer { lock.unlock() }; return v }
    func mutate(_ f: (inout T) -> Void) { lock.lock(); f(&v); lock.unlock() }
}

func residentKiB() -> Int {
    guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return 0 }
    for line in status.split(separator: "\n") where line.hasPrefix("VmRSS:") {
        return Int(line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "") ?? 0
    }
    return 0
}

#if !canImport(ObjectiveC)
func autoreleasepool<T>(_ body: () throws -> T) rethrows -> T { try body() }
#endif

final class ReviewViewTests: XCTestCase {
    func testViewHoldsWhatTheChosenBodyDoesNot() throws {
        let raw = "From: a@x.test\r\nSubject: s\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"b\"\r\n\r\n"
            + "preamble 555-111-2222\r\n--b\r\nContent-Type: multipart/alternative; boundary=\"c\"\r\n\r\n"
            + "--c\r\nContent-Type: text/plain\r\n\r\nclean\r\n"
            + "--c\r\nContent-Type: text/html\r\nContent-Transfer-Encoding: base64\r\n\r\n"
            + Data("<p title=\"401-22-3003\"><!-- hidden --></p>".utf8).base64EncodedString() + "\r\n--c--\r\n"
            + "--b\r\nContent-Type: text/plain; name=\"ssn 401-33-4004.txt\"\r\nContent-Disposition: attachment; filename=\"form.txt\"\r\n\r\nform\r\n"
            + "--b\r\nContent-Type: application/pdf\r\n\r\n%PDF\r\n--b--\r\nepilogue x@y.test\r\n"
        let v = try XCTUnwrap(MIME.reviewView(Data(raw.utf8)))
        for s in ["555-111-2222", "401-22-3003", "<!-- hidden -->", "401-33-4004", "epilogue x@y.test", "clean"] {
            XCTAssertTrue(v.text.contains(s), "\(s) missing from \(v.text)")
        }
        XCTAssertEqual(v.binaryLeaves, 1)
    }

    func testViewRefusesMessagesNestedPastTheDepthLimit() {
        var raw = "From: a@x.test\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"d0\"\r\n\r\n"
        for i in 0..<120 { raw += "--d\(i)\r\nContent-Type: multipart/mixed; boundary=\"d\(i + 1)\"\r\n\r\n" }
        raw += "--d120\r\nContent-Type: text/plain\r\n\r\nSSN 401-55-0101\r\n--d120--\r\n"
        XCTAssertNil(MIME.reviewView(Data(raw.utf8)))
    }
}

final class HeaderBlockLimitTests: XCTestCase {
    func testAHeaderBlockPastTheLimitIsRefusedBeforeGMime() {
        var raw = Data("From: a@x.test\r\nSubject: ".utf8)
        raw.append(Data(repeating: 0x61, count: MIME.maxHeaderBytes + 10))
        raw.append(Data("\r\n\r\nbody\r\n".utf8))
        XCTAssertThrowsError(try MIME.parse(raw)) { XCTAssertTrue("\($0)".contains("header block"), "\($0)") }
        // A large body behind a small header block is parsed as usual.
        var ok = Data("From: a@x.test\r\nSubject: s\r\n\r\n".utf8)
        ok.append(Data(repeating: 0x61, count: MIME.maxHeaderBytes + 10))
        XCTAssertNoThrow(try MIME.parse(ok))
    }
}
