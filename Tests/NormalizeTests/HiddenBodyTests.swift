import DiscloseCore
import Foundation
import MIMEKit
@testable import Normalize
import XCTest

/// Text a mail client shows must be in the document's text: review and redaction read only that.
final class HiddenBodyTests: XCTestCase {
    func item() -> Item {
        Item(key: "0001", parentKey: nil, source: 1, custodian: "C", kind: .email, format: "email", path: "p",
             fileName: "m.eml", folder: "", size: 0, sha256: "", sha1: "", md5: "")
    }

    func mail(_ body: String) -> Data {
        Data(("From: a@example.com\nSubject: s\nMIME-Version: 1.0\n" + body).utf8)
    }

    func testHTMLBodyBesideAPlainBodyIsInTheText() throws {
        let d = try Normalizer().document(for: item(), bytes: mail("""
        Content-Type: multipart/mixed; boundary="M"

        --M
        Content-Type: text/plain

        Hello.
        --M
        Content-Type: text/html

        <p>SSN 401-55-0101</p>
        --M--
        """))
        XCTAssertTrue(d.text.contains("Hello."), d.text)
        XCTAssertTrue(d.text.contains("SSN 401-55-0101"), d.text)
    }

    func testHTMLAlternativeThatSaysMoreThanThePlainBodyIsInTheText() throws {
        let d = try Normalizer().document(for: item(), bytes: mail("""
        Content-Type: multipart/alternative; boundary="A"

        --A
        Content-Type: text/plain

        Hello there.
        --A
        Content-Type: text/html

        <p>Hello there.</p><div style="display:none">SSN 401-55-0101</div>
        --A--
        """))
        XCTAssertTrue(d.text.hasPrefix("Hello there."), d.text)
        XCTAssertTrue(d.text.contains("SSN 401-55-0101"), d.text)
    }

    func testHTMLAlternativeToThePlainBodyIsNotRepeated() throws {
        let d = try Normalizer().document(for: item(), bytes: mail("""
        Content-Type: multipart/alternative; boundary="A"

        --A
        Content-Type: text/plain

        Hello there.
        --A
        Content-Type: multipart/related; boundary="R"

        --R
        Content-Type: text/html

        <p>Hello there.</p>
        --R--
        --A--
        """))
        XCTAssertEqual(d.text, "Hello there.")
    }
}

final class ReviewSizeLimitTests: XCTestCase {
    func testADocumentWithMoreTextThanReviewHoldsIsRefused() {
        var d = Document(key: "0001", kind: .file)
        d.text = String(repeating: "a", count: NormalizeStage.maxTextBytes + 1)
        XCTAssertThrowsError(try NormalizeStage.checkText(d))
        d.text = "small"
        XCTAssertNoThrow(try NormalizeStage.checkText(d))
    }

    func testAnItemLargerThanReviewReadsIsRefusedUnread() {
        let big = Item(key: "0001", parentKey: nil, source: 1, custodian: "C", kind: .file, format: "file", path: "p",
                       fileName: "big.txt", folder: "", size: NormalizeStage.maxItemBytes + 1, sha256: "", sha1: "", md5: "")
        XCTAssertThrowsError(try NormalizeStage.checkSize(big))
    }
}
