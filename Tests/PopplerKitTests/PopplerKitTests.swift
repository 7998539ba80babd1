import Foundation
import PopplerKit
import XCTest

/// Hand-written PDFs (classic xref table with exact offsets), like tools/sampledata/office.py.
enum MiniPDF {
    static func build(_ objects: [Data], trailerExtra: String = "") -> Data {
        var out = Data("%PDF-1.4\n%\u{E2}\u{E3}\u{CF}\u{D3}\n".utf8)
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

    static func literal(_ s: String) -> String {
        "(" + s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "(", with: "\\(")
            .replacingOccurrences(of: ")", with: "\\)") + ")"
    }

    /// One page per entry; a page is lines of text, or nil for a page showing only an image.
    static func document(_ pages: [[String]?], trailerExtra: String = "", extraObjects: [Data] = []) -> Data {
        // 1 catalog, 2 pages, 3 font, 4 image, then per page: page object, content stream.
        let n = pages.count
        let kids = (0..<n).map { "\(5 + 2 * $0) 0 R" }.joined(separator: " ")
        var objects: [Data] = [
            Data("<< /Type /Catalog /Pages 2 0 R >>".utf8),
            Data("<< /Type /Pages /Kids [\(kids)] /Count \(n) >>".utf8),
            Data("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>".utf8),
            stream("/Type /XObject /Subtype /Image /Width 4 /Height 4 /ColorSpace /DeviceGray /BitsPerComponent 8",
                   Data((0..<16).map { UInt8($0 * 15) })),
        ]
        for (i, page) in pages.enumerated() {
            let contentRef = 6 + 2 * i
            objects.append(Data(("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 3 0 R >> "
                + "/XObject << /Im1 4 0 R >> >> /Contents \(contentRef) 0 R >>").utf8))
            let content: String
            if let lines = page {
                content = lines.enumerated().map { "BT /F1 12 Tf 72 \(720 - 16 * $0.offset) Td \(literal($0.element)) Tj ET\n" }.joined()
            } else {
                content = "q 612 0 0 792 0 0 cm /Im1 Do Q\n"
            }
            objects.append(stream("", Data(content.utf8)))
        }
        return build(objects + extraObjects, trailerExtra: trailerExtra)
    }

    /// A Standard security handler (RC4, R2) whose U entry matches no password: poppler cannot
    /// open it without the (unknown) user password, which is what an encrypted production looks like.
    static func encrypted() -> Data {
        let o = String(repeating: "7A", count: 32)
        let u = String(repeating: "3C", count: 32)
        let encrypt = Data("<< /Filter /Standard /V 1 /R 2 /O <\(o)> /U <\(u)> /P -44 >>".utf8)
        // Pages: 1 (object 5, 6); the Encrypt dictionary is object 7.
        return document([["secret text"]], trailerExtra: "/Encrypt 7 0 R /ID [<0123456789ABCDEF0123456789ABCDEF> <0123456789ABCDEF0123456789ABCDEF>] ",
                        extraObjects: [encrypt])
    }
}

final class PopplerKitTests: XCTestCase {
    static func rssKB() -> Int {
        guard let s = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return 0 }
        for line in s.split(separator: "\n") where line.hasPrefix("VmRSS:") {
            return Int(line.split(separator: " ").dropFirst().first ?? "0") ?? 0
        }
        return 0
    }

    func testTextPagesInOrder() throws {
        let pdf = MiniPDF.document([["Retention white paper", "Chat logs are records (b)."], ["Second page text"]])
        let t = try PDF.text(pdf)
        XCTAssertEqual(t.pageCount, 2)
        XCTAssertEqual(t.pages.count, 2)
        XCTAssertTrue(t.pages[0].contains("Retention white paper"), t.pages[0])
        XCTAssertTrue(t.pages[0].contains("Chat logs are records (b)."), t.pages[0])
        XCTAssertTrue(t.pages[1].contains("Second page text"))
        XCTAssertEqual(t.imageOnlyPages, [])
        XCTAssertFalse(t.hasNoText)
        XCTAssertFalse(t.truncated)
        XCTAssertEqual(try PDF.text(pdf), t, "same bytes, same text")
    }

    func testImageOnlyPagesAreReported() throws {
        let scan = try PDF.text(MiniPDF.document([nil]))
        XCTAssertTrue(scan.hasNoText)
        XCTAssertEqual(scan.imageOnlyPages, [1])
        let mixed = try PDF.text(MiniPDF.document([["Cover letter"], nil, nil]))
        XCTAssertFalse(mixed.hasNoText)
        XCTAssertEqual(mixed.imageOnlyPages, [2, 3])
    }

    func testEncryptedWithoutPassword() {
        XCTAssertThrowsError(try PDF.text(MiniPDF.encrypted())) { e in
            XCTAssertEqual(e as? PDFError, .encrypted)
        }
    }

    func testPageCap() throws {
        let t = try PDF.text(MiniPDF.document([["a"], ["b"], ["c"]]), maxPages: 2)
        XCTAssertTrue(t.truncated)
        XCTAssertEqual(t.pages.count, 2)
        XCTAssertEqual(t.pageCount, 3)
    }

    func testGarbageAndTruncationNeverCrash() throws {
        XCTAssertThrowsError(try PDF.text(Data()))
        XCTAssertThrowsError(try PDF.text(Data("not a pdf at all".utf8)))
        let pdf = MiniPDF.document([["Some text here"], nil])
        for cut in stride(from: 0, to: pdf.count, by: 13) {
            _ = try? PDF.text(pdf.prefix(cut))
        }
        var damaged = [UInt8](pdf)
        for i in stride(from: 40, to: damaged.count, by: 37) { damaged[i] ^= 0x5A }
        _ = try? PDF.text(Data(damaged))
    }

    func testNoLeakOver500Iterations() throws {
        let pdf = MiniPDF.document([["Leak check page one"], nil, ["three"]])
        let enc = MiniPDF.encrypted()
        for _ in 0..<50 { _ = try PDF.text(pdf); _ = try? PDF.text(enc) }
        let before = Self.rssKB()
        for _ in 0..<500 {
            _ = try PDF.text(pdf)
            _ = try? PDF.text(enc)
            _ = try? PDF.text(pdf.prefix(pdf.count / 2))
        }
        let after = Self.rssKB()
        XCTAssertLessThan(after - before, 8_000, "RSS grew by \(after - before) kB over 500 iterations")
    }

    func testConcurrentDocuments() throws {
        let pdf = MiniPDF.document([["Concurrent"], ["pages"]])
        final class Box: @unchecked Sendable { var ok = [Bool](repeating: false, count: 16) }
        let box = Box()
        let lock = NSLock()
        DispatchQueue.concurrentPerform(iterations: 16) { i in
            let t = try? PDF.text(pdf)
            lock.lock(); box.ok[i] = t?.pages.first?.contains("Concurrent") == true; lock.unlock()
        }
        XCTAssertTrue(box.ok.allSatisfy { $0 })
    }

    func testCorporaPDFsNeverCrash() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("../shared/corpora").standardizedFileURL
        guard FileManager.default.fileExists(atPath: root.path) else {
            throw XCTSkip("corpora not present at \(root.path); skipping the PDF robustness run")
        }
        var files: [URL] = []
        let e = FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil)
        while let u = e?.nextObject() as? URL { if u.pathExtension.lowercased() == "pdf" { files.append(u) } }
        files.sort { $0.path < $1.path }
        var opened = 0
        for f in files {
            if (try? PDF.text(Data(contentsOf: f))) != nil { opened += 1 }
        }
        print("PopplerKit corpus: \(opened) of \(files.count) PDFs opened")
    }
}
