import DiscloseCore
import Foundation
import XCTest

final class CoreTests: XCTestCase {
    func testKnownDigests() {
        var h = MultiHasher()
        h.update(Data("abc".utf8))
        let d = h.finish()
        XCTAssertEqual(d.sha256, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        XCTAssertEqual(d.sha1, "a9993e364706816aba3e25717850c26c9cd0d89d")
        XCTAssertEqual(d.md5, "900150983cd24fb0d6963f7d28e17f72")
        XCTAssertEqual(d.size, 3)
    }

    func testKeysSortInSourceOrderAtEveryDepth() {
        let a = DocKey.source(2), b = DocKey.source(10)
        let a1 = DocKey.child(of: a, 1), a2 = DocKey.child(of: a, 2), a10 = DocKey.child(of: a, 10)
        let a1x = DocKey.child(of: a1, 3)
        XCTAssertEqual([b, a10, a1x, a2, a1, a].sorted(), [a, a1, a1x, a2, a10, b])
        XCTAssertEqual(DocKey.depth(a1x), 2)
    }

    func testBlobStoreIsContentAddressed() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("blobs-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let s = try BlobStore(root: root)
        let d1 = try s.put(Data("hello".utf8))
        let d2 = try s.put(Data("hello".utf8))
        XCTAssertEqual(d1, d2)
        XCTAssertEqual(try s.read(d1.sha256), Data("hello".utf8))
        XCTAssertTrue(s.url(for: d1.sha256).path.hasSuffix("/2c/" + d1.sha256))
    }

    func testTextDecodingFallsBackWithoutLosingBytes() {
        XCTAssertEqual(TextDecoding.decode(Data("héllo".utf8)), "héllo")
        XCTAssertEqual(TextDecoding.decode(Data([0x93, 0x51, 0x94])), "\u{201C}Q\u{201D}")  // windows-1252 quotes
        XCTAssertEqual(TextDecoding.decode(Data([0xFF, 0xFE, 0x41, 0x00])), "A")
        XCTAssertEqual(TextDecoding.decode(Data([0xEF, 0xBB, 0xBF, 0x41])), "A")
    }

    func testSniff() {
        XCTAssertEqual(Sniff.mimeType(head: Array("%PDF-1.7".utf8), name: "x"), "application/pdf")
        XCTAssertEqual(Sniff.mimeType(head: [0x89, 0x50, 0x4E, 0x47, 0, 0], name: "x.png"), "image/png")
        XCTAssertEqual(Sniff.mimeType(head: Array("<html><body>x".utf8), name: "x"), "text/html")
        XCTAssertEqual(Sniff.mimeType(head: Array("a,b\n1,2\n".utf8), name: "t.csv"), "text/csv")
        XCTAssertEqual(Sniff.mimeType(head: [0, 1, 2, 3, 0, 0], name: "x.txt"), "application/octet-stream")
    }
}
