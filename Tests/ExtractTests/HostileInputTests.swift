import ArchiveKit
import DiscloseCore
import Extract
import Foundation
import SQLiteStore
import XCTest

/// Inputs made to hurt: one-character archive entries, lone compressed files, source names
/// that are not UTF-8, MIME trees deeper than the parser walks. None may stop the run, and
/// nothing in them may vanish: each part is read or reported.
final class HostileInputTests: XCTestCase {
    var dir: URL!

    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("hostile-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: dir) }

    /// `spec` is the source as the job file names it (relative to the job file when not absolute).
    func extract(_ source: URL, spec: String? = nil, tag: String = "a") throws -> (items: [Item], exceptions: [ExceptionRecord]) {
        let yaml = "matter: T\nproduction: P\nsources:\n  - path: \(spec ?? source.path)\n    custodian: \"Doe, Jane\"\nbates: { prefix: T }\noutput: \(dir.path)/out\n"
        let jobURL = dir.appendingPathComponent("job-\(tag).yml")
        try Data(yaml.utf8).write(to: jobURL)
        let store = try SQLiteStore(path: dir.appendingPathComponent("case-\(tag).sqlite").path)
        let blobs = try BlobStore(root: dir.appendingPathComponent("blobs"))
        _ = try ExtractStage(job: try Job.load(jobURL), store: store, blobs: blobs).run()
        var items: [Item] = []
        try store.forEachItem { items.append($0) }
        return (items, try store.exceptions())
    }

    func testOneCharacterEntryNamesInZipAreRead() throws {
        let src = dir.appendingPathComponent("src")
        try FileManager.default.createDirectory(at: src, withIntermediateDirectories: true)
        let zip = try ZipWriter(path: src.appendingPathComponent("a.zip").path)
        for name in ["x", ".", "é", "y/z"] { try zip.addData(name, Data("text of \(name)".utf8)) }
        try zip.close()
        let r = try extract(src)
        // "." would name a produced file after its own folder.
        XCTAssertEqual(r.items.map(\.fileName), ["x", "entry-2", "é", "z"])
        XCTAssertEqual(r.items.map(\.folder), ["", "", "", "y"])
        XCTAssertEqual(r.exceptions, [])
    }

    func testOneCharacterEntryNamesInTarAreRead() throws {
        let tar = dir.appendingPathComponent("a.tar")
        try python("""
            import tarfile, io, sys
            with tarfile.open(sys.argv[1], "w") as t:
                for n in ["x", "é", "d/x"]:
                    b = ("text of " + n).encode()
                    i = tarfile.TarInfo(n); i.size = len(b); t.addfile(i, io.BytesIO(b))
            """, tar.path)
        let r = try extract(tar)
        XCTAssertEqual(r.items.map(\.fileName), ["x", "é", "x"])
        XCTAssertEqual(r.items.map(\.folder), ["", "", "d"])
    }

    func testLoneOneLetterGzipIsDecompressed() throws {
        let gz = dir.appendingPathComponent("x.gz")
        try python("import gzip, sys\nopen(sys.argv[1], 'wb').write(gzip.compress(b'SSN 401-55-0101'))", gz.path)
        let r = try extract(gz)
        XCTAssertEqual(r.items.map(\.fileName), ["x"])
        XCTAssertEqual(r.items.first?.path, gz.path + "!/x")
        XCTAssertEqual(r.exceptions, [])
    }

    func testNamesThatAreNotUTF8AreReadAndShownEscaped() throws {
        let src = dir.appendingPathComponent("src")
        try python("""
            import os, sys
            r = sys.argv[1].encode()
            os.makedirs(r + b"/d\\xff")
            open(r + b"/caf\\xe9.txt", "wb").write(b"SSN 401-55-0101")
            open(r + b"/d\\xff/in.txt", "wb").write(b"inner")
            os.mkfifo(r + b"/pipe")
            """, src.path)
        let r = try extract(src)
        XCTAssertEqual(r.items.map(\.fileName), ["caf\\xE9.txt", "in.txt"])
        XCTAssertEqual(r.items.map(\.folder), ["", "d\\xFF"])
        XCTAssertEqual(r.items.map(\.path), [src.path + "/caf\\xE9.txt", src.path + "/d\\xFF/in.txt"])
        XCTAssertEqual(r.items.first?.sha256, Hash.sha256("SSN 401-55-0101"))
        XCTAssertEqual(r.exceptions.map(\.reason), ["not a regular file (device, pipe or socket); not read"])
    }

    func testLibraryErrorsDoNotNameMachinePaths() throws {
        let src = dir.appendingPathComponent("src")
        try FileManager.default.createDirectory(at: src, withIntermediateDirectories: true)
        let badPST = Data("!BDN".utf8) + Data(count: 600)
        try badPST.write(to: src.appendingPathComponent("bad.pst"))
        let zip = try ZipWriter(path: src.appendingPathComponent("z.zip").path)
        try zip.addData("inner/bad.pst", badPST)
        try zip.close()
        let r = try extract(src, spec: "src")
        XCTAssertEqual(r.exceptions.map(\.path), ["src/bad.pst", "src/z.zip!/inner/bad.pst"])
        for e in r.exceptions {
            XCTAssertTrue(e.reason.hasPrefix("pst: cannot open PST/OST"), e.reason)
            XCTAssertFalse(e.reason.contains(dir.path), e.reason)
            XCTAssertFalse(e.reason.contains("/blobs/"), e.reason)
        }
        XCTAssertTrue(r.exceptions[0].reason.contains("src/bad.pst"), r.exceptions[0].reason)
    }

    func testTarHeaderClaimingAnEnormousSizeIsNotACrash() throws {
        let tar = dir.appendingPathComponent("big.tar")
        try python("""
            import io, sys, tarfile
            buf = io.BytesIO()
            with tarfile.open(fileobj=buf, mode="w", format=tarfile.GNU_FORMAT) as t:
                i = tarfile.TarInfo("a.txt"); i.size = 5; t.addfile(i, io.BytesIO(b"hello"))
            h = bytearray(512)
            h[0:7] = b"big.txt"; h[100:108] = b"0000644\\0"; h[108:116] = b"0000000\\0"; h[116:124] = b"0000000\\0"
            h[124:136] = bytes([0x80]) + ((1 << 63) - 2).to_bytes(11, "big")
            h[136:148] = b"00000000000\\0"; h[156:157] = b"0"; h[257:265] = b"ustar  \\0"
            h[148:156] = b" " * 8
            h[148:156] = ("%06o\\0 " % sum(h)).encode()
            open(sys.argv[1], "wb").write(buf.getvalue()[:1024] + bytes(h) + b"x" * 512)
            """, tar.path)
        let r = try extract(tar)
        XCTAssertEqual(r.items.map(\.fileName), ["a.txt"])
        XCTAssertEqual(r.exceptions.count, 1, "the cut entry is reported")
    }

    func testChatExportFolderReportsWhatItCannotTake() throws {
        let folder = dir.appendingPathComponent("WhatsApp Chat - Family")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try Data("[02/01/2024, 10:11:12] Jane Doe: hello\n[02/01/2024, 10:12:00] Sam: thanks\n".utf8)
            .write(to: folder.appendingPathComponent("_chat.txt"))
        try python("""
            import os, sys
            r = sys.argv[1].encode()
            open(r + b"/caf\\xe9.pdf", "wb").write(b"%PDF SSN 401-55-0101")
            os.mkfifo(r + b"/pipe")
            """, folder.path)
        let r = try extract(folder)
        XCTAssertEqual(r.exceptions.map(\.path), [folder.path + "/caf\\xE9.pdf", folder.path + "/pipe"])
        XCTAssertEqual(r.exceptions.map(\.reason), ["name is not UTF-8; not read as part of the export",
                                                    "not a regular file (device, pipe or socket); not read"])
    }

    func deepMessage(levels: Int) -> String {
        var s = "From: a@example.com\nSubject: deep\nMIME-Version: 1.0\n"
        for i in 0..<levels { s += "Content-Type: multipart/mixed; boundary=\"b\(i)\"\n\n--b\(i)\n" }
        s += "Content-Type: text/plain\n\nSSN 401-55-0101\n"
        for i in (0..<levels).reversed() { s += "--b\(i)--\n" }
        return s
    }

    func testPartsBelowTheMIMEDepthLimitAreAnExceptionInTheFamily() throws {
        let eml = dir.appendingPathComponent("deep.eml")
        try Data(deepMessage(levels: 120).utf8).write(to: eml)
        let r = try extract(eml)
        XCTAssertEqual(r.items.map(\.kind), [.email])
        let email = r.items[0].key
        XCTAssertEqual(r.exceptions.count, 1)
        let e = try XCTUnwrap(r.exceptions.first)
        XCTAssertEqual(e.parentKey, email, "the loss belongs to the message's family")
        XCTAssertEqual(e.key, DocKey.damage(of: email, 0))
        XCTAssertTrue(e.path.hasPrefix(eml.path + "!/(part 1.1.1.…"), e.path)
        XCTAssertTrue(e.reason.contains("deeper than 100 levels"), e.reason)
    }

    func testShallowMessageHasNoLoss() throws {
        let eml = dir.appendingPathComponent("ok.eml")
        try Data(deepMessage(levels: 50).utf8).write(to: eml)
        let r = try extract(eml)
        XCTAssertEqual(r.items.map(\.kind), [.email])
        XCTAssertEqual(r.exceptions, [])
    }

    func python(_ script: String, _ args: String...) throws {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["python3", "-c", script] + args
        try p.run()
        p.waitUntilExit()
        guard p.terminationStatus == 0 else { throw XCTSkip("python3 not usable here") }
    }
}
