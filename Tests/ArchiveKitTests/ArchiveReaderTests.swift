import Foundation
import XCTest
@testable import ArchiveKit

final class ArchiveReaderTests: XCTestCase {
    private var tmp: TempDir!

    override func setUpWithError() throws { tmp = try TempDir() }
    override func tearDown() { tmp = nil }

    private let sample: [(String, Data)] = [
        ("docs/", Data()),
        ("docs/a.txt", Data("alpha\n".utf8)),
        ("docs/b.bin", Fixture.randomData(200_000, seed: 7)),
        ("empty.txt", Data()),
    ]

    private func assertSample(_ r: ReadResult, file: StaticString = #filePath, line: UInt = #line) {
        // 7-Zip stores empty files and directories after the streams, so order is format-specific.
        XCTAssertEqual(Set(r.names), ["docs/", "docs/a.txt", "docs/b.bin", "empty.txt"], file: file, line: line)
        let byName = Dictionary(uniqueKeysWithValues: r.entries.map { ($0.entry.pathname, $0.entry) })
        XCTAssertEqual(byName["docs/"]?.isDirectory, true, file: file, line: line)
        XCTAssertEqual(byName["docs/"]?.isRegularFile, false, file: file, line: line)
        XCTAssertEqual(byName["docs/a.txt"]?.isRegularFile, true, file: file, line: line)
        XCTAssertEqual(byName["docs/a.txt"]?.isDirectory, false, file: file, line: line)
        XCTAssertEqual(r.data("docs/a.txt"), Data("alpha\n".utf8), file: file, line: line)
        XCTAssertEqual(r.data("docs/b.bin"), sample[2].1, file: file, line: line)
        XCTAssertEqual(r.data("empty.txt"), Data(), file: file, line: line)
        XCTAssertFalse(r.entries.contains { $0.entry.isEncrypted }, file: file, line: line)
    }

    private func roundTrip(format: String, filters: [String], name: String, expectFormat: String) throws {
        let path = tmp.path(name)
        try Fixture.write(path, format: format, filters: filters, entries: sample)
        let r = try Fixture.readAll(path)
        assertSample(r)
        let reader = try ArchiveReader(path: path)
        XCTAssertTrue(reader.formatName.contains(expectFormat), "format \(reader.formatName)")
        XCTAssertFalse(reader.isRaw)
    }

    func testZip() throws {
        let path = tmp.path("a.zip")
        let w = try ZipWriter(path: path)
        try w.addDirectory("docs")
        try w.addData("docs/a.txt", sample[1].1)
        try w.addData("docs/b.bin", sample[2].1)
        try w.addData("empty.txt", Data())
        try w.close()
        let r = try Fixture.readAll(path)
        assertSample(r)
        XCTAssertEqual(r.names, ["docs/", "docs/a.txt", "docs/b.bin", "empty.txt"])
        XCTAssertEqual(r.entries[2].entry.size, 200_000)
        XCTAssertTrue(try ArchiveReader(path: path).formatName.hasPrefix("ZIP"))
    }

    func testTar() throws { try roundTrip(format: "gnutar", filters: [], name: "a.tar", expectFormat: "tar") }
    func testPaxTarGz() throws { try roundTrip(format: "pax", filters: ["gzip"], name: "a.tar.gz", expectFormat: "tar") }
    func testTarBz2() throws { try roundTrip(format: "ustar", filters: ["bzip2"], name: "a.tar.bz2", expectFormat: "tar") }
    func testTarXz() throws { try roundTrip(format: "gnutar", filters: ["xz"], name: "a.tar.xz", expectFormat: "tar") }
    func testTarZstd() throws { try roundTrip(format: "gnutar", filters: ["zstd"], name: "a.tar.zst", expectFormat: "tar") }
    func test7z() throws { try roundTrip(format: "7zip", filters: [], name: "a.7z", expectFormat: "7-Zip") }

    func testUnicodeNamesRoundTrip() throws {
        let path = tmp.path("u.zip")
        let names = ["café/naïve résumé.txt", "日本語/メール.eml", "emoji-📎.txt"]
        let w = try ZipWriter(path: path)
        for n in names { try w.addData(n, Data(n.utf8)) }
        try w.close()
        let r = try Fixture.readAll(path)
        XCTAssertEqual(r.names, names)
        for n in names { XCTAssertEqual(r.data(n), Data(n.utf8)) }

        let tar = tmp.path("u.tar")
        try Fixture.write(tar, format: "pax", entries: names.map { ($0, Data($0.utf8)) })
        XCTAssertEqual(try Fixture.readAll(tar).names, names)
    }

    func testNonUTF8ZipNamesAreDecodedNotDropped() throws {
        let path = tmp.path("legacy.zip")
        try Fixture.rawNameZip([
            ([0x82, 0x74, 0x82, 0x2E, 0x74, 0x78, 0x74], Data("cp437".utf8)),          // "été.txt" in CP437
            (Array("caf".utf8) + [0xE9] + Array(".txt".utf8), Data("latin1".utf8)),   // Latin-1 é is CP437 Θ
            (Array("mac-é.txt".utf8), Data("utf8".utf8)),                             // UTF-8 without the flag
            ([0x83, 0x65, 0x83, 0x58, 0x83, 0x67], Data("sjis".utf8)),                // "テスト" in Shift_JIS
        ]).write(to: URL(fileURLWithPath: path))
        let r = try Fixture.readAll(path)
        XCTAssertEqual(r.entries.count, 4)
        XCTAssertEqual(r.names[0], "été.txt")
        XCTAssertEqual(r.names[1], "cafΘ.txt")
        XCTAssertEqual(r.names[2], "mac-é.txt")
        XCTAssertEqual(r.names[3].unicodeScalars.count, 6)
        XCTAssertEqual(r.data("été.txt"), Data("cp437".utf8))
    }

    func testNonUTF8TarNamesFallBackToLatin1() throws {
        let path = tmp.path("legacy.tar")
        try Fixture.rawNameTar([
            (Array("caf".utf8) + [0xE9] + Array(".txt".utf8), Data("latin1".utf8)),
            (Array("ok-ü.txt".utf8), Data("utf8".utf8)),
        ]).write(to: URL(fileURLWithPath: path))
        let r = try Fixture.readAll(path)
        XCTAssertEqual(r.names, ["café.txt", "ok-ü.txt"])
        XCTAssertEqual(r.data("café.txt"), Data("latin1".utf8))
    }

    func testNestedZipIsReadableByReopeningTheChild() throws {
        let inner = tmp.path("inner.zip")
        let w = try ZipWriter(path: inner)
        try w.addData("deep/note.txt", Data("nested bytes".utf8))
        try w.close()
        let outer = tmp.path("outer.zip")
        let o = try ZipWriter(path: outer)
        try o.addData("readme.txt", Data("outer".utf8))
        try o.addFile("attachments/inner.zip", from: URL(fileURLWithPath: inner))
        try o.close()

        let r = try Fixture.readAll(outer)
        XCTAssertEqual(r.names, ["readme.txt", "attachments/inner.zip"])
        let child = tmp.path("child.zip")
        try XCTUnwrap(r.data("attachments/inner.zip")).write(to: URL(fileURLWithPath: child))
        let nested = try Fixture.readAll(child)
        XCTAssertEqual(nested.names, ["deep/note.txt"])
        XCTAssertEqual(nested.data("deep/note.txt"), Data("nested bytes".utf8))
    }

    func testZipWithBrokenCentralDirectoryFallsBackToLocalHeaders() throws {
        let path = tmp.path("badcd.zip")
        var bytes = Fixture.rawNameZip([(Array("one.txt".utf8), Data("1".utf8)), (Array("two.txt".utf8), Data("22".utf8))])
        // Point the first central directory record's local-header offset into the middle of nowhere.
        let cd = try XCTUnwrap(bytes.firstRange(of: Data([0x50, 0x4B, 0x01, 0x02]))).lowerBound
        bytes.replaceSubrange(cd + 42..<cd + 46, with: [0x10, 0x00, 0x00, 0x00])
        try bytes.write(to: URL(fileURLWithPath: path))
        let r = try Fixture.readAll(path)
        XCTAssertEqual(r.names, ["one.txt", "two.txt"])
        XCTAssertEqual(r.data("two.txt"), Data("22".utf8))
    }

    func testTruncatedTarGzReadsLeadingEntriesThenFails() throws {
        let path = tmp.path("t.tar.gz")
        let entries = (0..<6).map { ("file\($0).bin", Fixture.randomData(100_000, seed: UInt64($0) + 1)) }
        try Fixture.write(path, format: "gnutar", filters: ["gzip"], entries: entries)
        let full = try Data(contentsOf: URL(fileURLWithPath: path))
        try full.prefix(full.count * 6 / 10).write(to: URL(fileURLWithPath: path))

        let reader = try ArchiveReader(path: path)
        var good: [String] = []
        var failure: Error?
        do {
            while let e = try reader.nextEntry() {
                var data = Data()
                try reader.readData { data.append(contentsOf: $0) }
                XCTAssertEqual(data, entries.first { $0.0 == e.pathname }?.1)
                good.append(e.pathname)
            }
        } catch {
            failure = error
        }
        XCTAssertGreaterThanOrEqual(good.count, 2, "leading entries should survive")
        XCTAssertLessThan(good.count, 6)
        let archiveError = try XCTUnwrap(failure as? ArchiveError, "expected ArchiveError, got \(String(describing: failure))")
        switch archiveError {
        case .fatal, .entry: break
        default: XCTFail("unexpected \(archiveError)")
        }
        XCTAssertFalse(archiveError.description.isEmpty)
        // The reader stays in a defined state after the failure.
        XCTAssertThrowsError(try reader.nextEntry())
    }

    func testCorruptedZipDataIsAnEntryOrFatalError() throws {
        let path = tmp.path("c.zip")
        let w = try ZipWriter(path: path)
        try w.addData("big.txt", Data(String(repeating: "lorem ipsum dolor sit amet ", count: 5000).utf8))
        try w.close()
        var bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        for i in 200..<260 { bytes[i] ^= 0x5A }
        try bytes.write(to: URL(fileURLWithPath: path))
        XCTAssertThrowsError(try Fixture.readAll(path)) { error in
            guard let e = error as? ArchiveError else { return XCTFail("not an ArchiveError: \(error)") }
            if case .open = e { XCTFail("the zip still opens; its data is what is damaged") }
        }
    }

    func testZipCryptoEncryptedEntry() throws {
        let path = tmp.path("enc.zip")
        let secret = Data("privileged and confidential".utf8)
        try Fixture.write(path, format: "zip", options: "zip:encryption=zipcrypt", passphrase: "s3cret",
                          entries: [("memo.txt", secret)])

        for passphrases in [[], ["wrong"]] {
            let reader = try ArchiveReader(path: path, passphrases: passphrases)
            let entry = try XCTUnwrap(try reader.nextEntry())
            XCTAssertTrue(entry.isEncrypted)
            XCTAssertThrowsError(try reader.readData { _ in }) { error in
                guard case ArchiveError.encrypted(let m) = error else { return XCTFail("got \(error)") }
                XCTAssertTrue(m.contains("memo.txt"), m)
            }
            // A failed passphrase does not poison the reader.
            XCTAssertNil(try reader.nextEntry())
        }
        let r = try Fixture.readAll(path, passphrases: ["wrong", "s3cret"])
        XCTAssertEqual(r.data("memo.txt"), secret)
        XCTAssertTrue(r.entries[0].entry.isEncrypted)
    }

    func testGarbageIsAnOpenError() throws {
        let path = tmp.path("garbage.bin")
        try Fixture.randomData(5000, seed: 99).write(to: URL(fileURLWithPath: path))
        XCTAssertThrowsError(try ArchiveReader(path: path)) { error in
            guard case ArchiveError.open(let m) = error else { return XCTFail("got \(error)") }
            XCTAssertTrue(m.contains("garbage.bin"), m)
            XCTAssertTrue(error.localizedDescription.isEmpty == false)
            XCTAssertTrue("\(error)".contains("Unrecognized archive format"), "\(error)")
        }
        XCTAssertThrowsError(try ArchiveReader(path: tmp.path("missing.zip"))) { error in
            guard case ArchiveError.open = error else { return XCTFail("got \(error)") }
        }
    }

    func testEmptyFileHasNoEntries() throws {
        let path = tmp.path("empty.zip")
        _ = FileManager.default.createFile(atPath: path, contents: Data())
        let reader = try ArchiveReader(path: path)
        XCTAssertNil(try reader.nextEntry())
        XCTAssertNil(try reader.nextEntry())
    }

    func testLoneGzipWithAllowRaw() throws {
        let path = tmp.path("mail.eml.gz")
        let payload = Data(String(repeating: "Subject: hi\r\n\r\nbody line\r\n", count: 3000).utf8)
        try Fixture.write(path, format: "raw", filters: ["gzip"], entries: [("mail.eml", payload)])

        let reader = try ArchiveReader(path: path, allowRaw: true)
        XCTAssertTrue(reader.isRaw)
        XCTAssertEqual(reader.formatName, "raw")
        let entry = try XCTUnwrap(try reader.nextEntry())
        XCTAssertTrue(entry.isRegularFile)
        var data = Data()
        try reader.readData { data.append(contentsOf: $0) }
        XCTAssertEqual(data, payload)
        XCTAssertNil(try reader.nextEntry())

        XCTAssertThrowsError(try ArchiveReader(path: path, allowRaw: false)) { error in
            guard case ArchiveError.open = error else { return XCTFail("got \(error)") }
        }
    }

    func testTruncatedLoneGzipIsAnError() throws {
        let path = tmp.path("cut.gz")
        try Fixture.write(path, format: "raw", filters: ["gzip"],
                          entries: [("x", Fixture.randomData(300_000, seed: 3))])
        let full = try Data(contentsOf: URL(fileURLWithPath: path))
        try full.prefix(full.count / 2).write(to: URL(fileURLWithPath: path))
        XCTAssertThrowsError(try Fixture.readAll(path, allowRaw: true)) { error in
            XCTAssertTrue(error is ArchiveError, "got \(error)")
        }
    }

    func testSkipDataAndMisuse() throws {
        let path = tmp.path("s.tar.gz")
        try Fixture.write(path, format: "gnutar", filters: ["gzip"], entries: sample)
        let reader = try ArchiveReader(path: path)
        XCTAssertThrowsError(try reader.readData { _ in }) { error in
            guard case ArchiveError.entry = error else { return XCTFail("got \(error)") }
        }
        var names: [String] = []
        while let e = try reader.nextEntry() {
            names.append(e.pathname)
            if e.pathname == "docs/a.txt" {
                var d = Data()
                try reader.readData { d.append(contentsOf: $0) }
                XCTAssertEqual(d, Data("alpha\n".utf8))
            } else {
                try reader.skipData()
            }
        }
        XCTAssertEqual(names.count, 4)
        XCTAssertThrowsError(try reader.readData { _ in })
    }

    func testErrorsFromTheBodyPropagate() throws {
        struct Stop: Error {}
        let path = tmp.path("b.tar")
        try Fixture.write(path, format: "gnutar", entries: sample)
        let reader = try ArchiveReader(path: path)
        _ = try reader.nextEntry()
        _ = try reader.nextEntry()
        XCTAssertThrowsError(try reader.readData { _ in throw Stop() }) { XCTAssertTrue($0 is Stop) }
        XCTAssertEqual(try reader.nextEntry()?.pathname, "docs/b.bin")
    }
}
