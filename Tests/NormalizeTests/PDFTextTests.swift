import DiscloseCore
import Foundation
@testable import Normalize
import XCTest

/// Hand-written PDFs (classic xref with exact offsets), as tools/sampledata/office.py writes them.
enum TinyPDF {
    static func build(_ objects: [Data], trailerExtra: String = "") -> Data {
        var out = Data("%PDF-1.4\n".utf8)
        var offsets: [Int] = []
        for (i, body) in objects.enumerated() {
            offsets.append(out.count)
            out += Data("\(i + 1) 0 obj\n".utf8) + body + Data("\nendobj\n".utf8)
        }
        let xref = out.count
        var x = "xref\n0 \(objects.count + 1)\n0000000000 65535 f \n"
        for o in offsets { x += String(format: "%010d 00000 n \n", o) }
        x += "trailer\n<< /Size \(objects.count + 1) /Root 1 0 R \(trailerExtra)>>\nstartxref\n\(xref)\n%%EOF\n"
        return out + Data(x.utf8)
    }

    static func stream(_ dict: String, _ data: Data) -> Data {
        Data("<< \(dict) /Length \(data.count) >>\nstream\n".utf8) + data + Data("\nendstream".utf8)
    }

    /// Pages of text lines (WinAnsi literal strings), or nil for an image-only "scanned" page.
    static func document(_ pages: [[String]?], trailerExtra: String = "", extra: [Data] = []) -> Data {
        let kids = (0..<pages.count).map { "\(5 + 2 * $0) 0 R" }.joined(separator: " ")
        var objects: [Data] = [
            Data("<< /Type /Catalog /Pages 2 0 R >>".utf8),
            Data("<< /Type /Pages /Kids [\(kids)] /Count \(pages.count) >>".utf8),
            Data("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>".utf8),
            stream("/Type /XObject /Subtype /Image /Width 2 /Height 2 /ColorSpace /DeviceGray /BitsPerComponent 8", Data([0, 80, 160, 240])),
        ]
        for (i, page) in pages.enumerated() {
            objects.append(Data(("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 3 0 R >> "
                + "/XObject << /Im1 4 0 R >> >> /Contents \(6 + 2 * i) 0 R >>").utf8))
            var content = Data()
            if let lines = page {
                for (k, l) in lines.enumerated() {
                    content += Data("BT /F1 12 Tf 72 \(720 - 16 * k) Td (".utf8)
                    content += l.data(using: .windowsCP1252)!
                    content += Data(") Tj ET\n".utf8)
                }
            } else {
                content = Data("q 612 0 0 792 0 0 cm /Im1 Do Q\n".utf8)
            }
            objects.append(stream("", content))
        }
        return build(objects + extra, trailerExtra: trailerExtra)
    }

    /// RC4 R2 security handler whose U entry fits no password: opening needs the password.
    static func encrypted() -> Data {
        let encrypt = Data("<< /Filter /Standard /V 1 /R 2 /O <\(String(repeating: "7A", count: 32))> /U <\(String(repeating: "3C", count: 32))> /P -44 >>".utf8)
        return document([["secret"]], trailerExtra: "/Encrypt 7 0 R /ID [<00112233445566778899AABBCCDDEEFF> <00112233445566778899AABBCCDDEEFF>] ",
                        extra: [encrypt])
    }
}

final class PDFTextTests: XCTestCase {
    func testTextLayerPagesAsBlankLineSeparatedBlocks() throws {
        let d = try Fixtures.document("paper.pdf", TinyPDF.document([["Retention white paper", "Café rules"], ["Page two"]]))
        XCTAssertEqual(d.mimeType, "application/pdf")
        XCTAssertEqual(d.textNote, "")
        XCTAssertEqual(d.text, "Retention white paper\nCafé rules\n\nPage two")
    }

    func testScannedEncryptedAndDamaged() throws {
        XCTAssertEqual(try Fixtures.document("scan.pdf", TinyPDF.document([nil, nil])).textNote, "no text layer (scanned image?)")
        let mixed = try Fixtures.document("signed.pdf", TinyPDF.document([["Order form"], nil]))
        XCTAssertEqual(mixed.text, "Order form")
        XCTAssertEqual(mixed.textNote, "page 2 of 2 has no text layer (scanned image?)")
        let enc = try Fixtures.document("locked.pdf", TinyPDF.encrypted())
        XCTAssertEqual(enc.text, "")
        XCTAssertEqual(enc.textNote, "encrypted PDF")
        let junk = try Fixtures.document("junk.pdf", Data("%PDF-1.4\ngarbage garbage".utf8))
        XCTAssertEqual(junk.text, "")
        XCTAssertFalse(junk.textNote.isEmpty)
        let pdf = TinyPDF.document([["Some text"], ["More"]])
        for cut in stride(from: 10, to: pdf.count, by: 29) {
            let d = try Fixtures.document("cut.pdf", pdf.prefix(cut))
            XCTAssertFalse(d.text.isEmpty && d.textNote.isEmpty, "cut at \(cut): never silently blank")
        }
    }

    func testSampleDataPDFs() throws {
        let paper = try Fixtures.document("parley-retention-whitepaper.pdf",
                                          Fixtures.attachment("msg-0077", "parley-retention-whitepaper.pdf"))
        XCTAssertEqual(paper.textNote, "")
        for s in ["Parley Retention Controls - White Paper (v1.2)", "Carmen Ruiz, Deputy Director",
                  "Priya Raghunathan (+1-555-014-2318)"] {
            XCTAssertTrue(paper.text.contains(s), "\(s) missing from\n\(paper.text)")
        }
        let scan = try Fixtures.document("signed-order-form-scan.pdf", Fixtures.attachment("msg-0077", "signed-order-form-scan.pdf"))
        XCTAssertEqual(scan.text, "")
        XCTAssertEqual(scan.textNote, "no text layer (scanned image?)")
    }
}
