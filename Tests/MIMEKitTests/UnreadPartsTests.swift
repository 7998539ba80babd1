import XCTest
@testable import MIMEKit

/// Parts the walker used to pass over without a word: each is now read or kept.
final class UnreadPartsTests: XCTestCase {
    func parse(_ s: String) throws -> MIMEMessage { try MIME.parse(Data(("From: a@example.com\nSubject: s\n" + s).utf8)) }

    func testExtraPartInMultipartSignedIsRead() throws {
        let m = try parse("""
        Content-Type: multipart/signed; boundary="S"; protocol="application/pgp-signature"

        --S
        Content-Type: text/plain

        signed text
        --S
        Content-Type: application/pgp-signature

        -----BEGIN PGP SIGNATURE-----
        --S
        Content-Type: text/plain

        SSN 401-55-0101
        --S--
        """)
        XCTAssertTrue(m.bodyText.contains("signed text"), m.bodyText)
        XCTAssertTrue(m.bodyText.contains("SSN 401-55-0101"), m.bodyText)
        XCTAssertEqual(m.attachments.count, 0, "the signature itself is still not a document")
    }

    func testFirstPartOfMultipartEncryptedIsKeptUnlessItIsTheVersionStatement() throws {
        let m = try parse("""
        Content-Type: multipart/encrypted; boundary="E"; protocol="application/pgp-encrypted"

        --E
        Content-Type: text/plain; name="note.txt"

        SSN 401-55-0101
        --E
        Content-Type: application/octet-stream

        -----BEGIN PGP MESSAGE-----
        --E--
        """)
        XCTAssertEqual(m.attachments.map(\.fileName), ["note.txt", "encrypted.asc"])

        let normal = try parse("""
        Content-Type: multipart/encrypted; boundary="E"; protocol="application/pgp-encrypted"

        --E
        Content-Type: application/pgp-encrypted

        Version: 1
        --E
        Content-Type: application/octet-stream

        -----BEGIN PGP MESSAGE-----
        --E--
        """)
        XCTAssertEqual(normal.attachments.map(\.fileName), ["encrypted.asc"])
    }
}
