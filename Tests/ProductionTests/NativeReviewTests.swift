import DiscloseCore
import Foundation
@testable import Production
import XCTest

final class NativeReviewTests: XCTestCase {
    func testXMLViewKeepsAttributesCommentsAndJoinsSplitRuns() {
        let xml = #"<w:document><!-- ssn 401-22-3003 --><w:p w:author="Jane Hidden"><w:t>Jo</w:t><w:t>hn</w:t></w:p></w:document>"#
        let views = XMLTextView.views(Array(xml.utf8))
        XCTAssertTrue(views[0].contains("401-22-3003"), views[0])
        XCTAssertTrue(views[0].contains("Jane Hidden"), views[0])
        XCTAssertTrue(views[1].contains("John"), views[1])
    }

    func testShapesFromKindAndName() {
        XCTAssertEqual(NativeView.shape(kind: .email, mimeType: "", fileName: "a.eml"), .message)
        XCTAssertEqual(NativeView.shape(kind: .file, mimeType: "text/plain", fileName: "a"), .text)
        XCTAssertEqual(NativeView.shape(kind: .file, mimeType: "", fileName: "Budget.XLSX"), .office)
        XCTAssertEqual(NativeView.shape(kind: .file, mimeType: "application/pdf", fileName: "a.pdf"), .opaque)
        XCTAssertEqual(NativeView.shape(kind: .container, mimeType: "application/zip", fileName: "a.zip"), .opaque)
    }

    func testTextViewKeepsEveryByteOfALegacyFile() {
        // Invalid UTF-8 must not hide what follows it.
        let data = Data([0x53, 0x53, 0x4E, 0x20, 0xE9, 0x20] + Array("301-11-5001".utf8))
        XCTAssertTrue(NativeView.decodeText(data).hasSuffix("301-11-5001"))
    }

    func testControlCharactersNeverStartAPageTheLoadFileDoesNotCount() {
        let r = PageRenderer(page: PageConfig(lines: 12, columns: 40))
        let pages = r.pages(header: [("Subject", "page\u{0C}break\u{0B}x")], body: "first\u{0C}second\u{0B}third\r\nfourth\u{85}fifth\u{1B}")
        let text = pages.enumerated().map { r.stamp($1, bates: "B\($0)", confidentiality: "") }.joined(separator: "\u{0C}")
        XCTAssertEqual(text.split(separator: "\u{0C}", omittingEmptySubsequences: false).count, pages.count)
        XCTAssertFalse(text.unicodeScalars.contains { $0.value < 0x20 && $0 != "\n" && $0.value != 0x0C })
        XCTAssertTrue(pages[0].contains { $0.hasPrefix("Subject:") && $0.contains("page break x") }, "\(pages[0])")
        XCTAssertEqual(pages.flatMap { $0 }.filter { ["first", "second", "third", "fourth", "fifth"].contains($0.trimmingCharacters(in: .whitespaces)) }.count, 5)
    }

    func testLoadFileValuesAreBoundedOnACharacterBoundary() {
        let long = String(repeating: "é", count: 40_000)
        let cut = PackageStage.bounded(long)
        XCTAssertLessThan(cut.utf8.count, PackageStage.maxLoadFileValue + 100)
        XCTAssertTrue(cut.hasPrefix(String(repeating: "é", count: PackageStage.maxLoadFileValue / 2)))
        XCTAssertFalse(cut.contains("\u{FFFD}"))
        XCTAssertEqual(PackageStage.bounded("short"), "short")
    }

    func testPlaceholderCharactersInTheTextCannotForgeARedactionMark() {
        let forged = "a\u{E000}00\u{E001}b"
        let laid = DocumentPages.placeholders(forged, [])
        XCTAssertFalse(laid.contains("\u{E000}"))
        XCTAssertEqual(laid.utf8.count, forged.utf8.count)
    }
}
