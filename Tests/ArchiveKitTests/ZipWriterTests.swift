import Foundation
import XCTest
@testable import ArchiveKit

final class ZipWriterTests: XCTestCase {
    private var tmp: TempDir!

    override func setUpWithError() throws { tmp = try TempDir() }
    override func tearDown() { tmp = nil }

    private func writeProduction(_ path: String, source: URL) throws {
        let w = try ZipWriter(path: path)
        try w.addDirectory("VOL001/")
        try w.addDirectory("VOL001/NATIVES")
        try w.addData("VOL001/DATA/loadfile.dat", Data("þDOCIDþ\u{14}þBEGATTþ\r\n".utf8))
        try w.addFile("VOL001/NATIVES/ABC000001.bin", from: source)
        try w.addData("VOL001/TEXT/ÄBC000001.txt", Data("ünïcode".utf8))
        try w.close()
    }

    private func makeSource() throws -> (URL, Data) {
        // Larger than one 1 MiB read so the chunked copy is exercised.
        let data = Fixture.randomData(2_500_000, seed: 42) + Data(repeating: 0x41, count: 300_000)
        let url = URL(fileURLWithPath: tmp.path("source.bin"))
        try data.write(to: url)
        return (url, data)
    }

    func testOutputIsByteIdenticalAndReadable() throws {
        let (source, sourceData) = try makeSource()
        let a = tmp.path("a.zip"), b = tmp.path("b.zip")
        try writeProduction(a, source: source)
        Thread.sleep(forTimeInterval: 1.1)  // a wall-clock timestamp leaking in would now differ
        try writeProduction(b, source: source)
        let bytesA = try Data(contentsOf: URL(fileURLWithPath: a))
        let bytesB = try Data(contentsOf: URL(fileURLWithPath: b))
        XCTAssertEqual(bytesA, bytesB)
        XCTAssertLessThan(bytesA.count, sourceData.count, "deflate is used")

        let r = try Fixture.readAll(a)
        XCTAssertEqual(r.names, ["VOL001/", "VOL001/NATIVES/", "VOL001/DATA/loadfile.dat",
                                 "VOL001/NATIVES/ABC000001.bin", "VOL001/TEXT/ÄBC000001.txt"])
        XCTAssertEqual(r.data("VOL001/NATIVES/ABC000001.bin"), sourceData)
        XCTAssertEqual(r.data("VOL001/TEXT/ÄBC000001.txt"), Data("ünïcode".utf8))
        XCTAssertTrue(r.entries[0].entry.isDirectory)
        XCTAssertEqual(r.entries[3].entry.size, Int64(sourceData.count))
    }

    func testIndependentOfTimeZone() throws {
        let (source, _) = try makeSource()
        let utc = tmp.path("utc.zip"), east = tmp.path("east.zip")
        let saved = ProcessInfo.processInfo.environment["TZ"]
        defer {
            if let saved { setenv("TZ", saved, 1) } else { unsetenv("TZ") }
            tzset()
        }
        setenv("TZ", "UTC", 1); tzset()
        try writeProduction(utc, source: source)
        setenv("TZ", "Asia/Kolkata", 1); tzset()
        try writeProduction(east, source: source)
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: utc)), try Data(contentsOf: URL(fileURLWithPath: east)))

        // 1980-01-01 00:00:00 in DOS form in the first local header.
        let bytes = try Data(contentsOf: URL(fileURLWithPath: east))
        XCTAssertEqual(Array(bytes[10..<14]), [0x00, 0x00, 0x21, 0x00])
    }

    func testDosTimeConversion() {
        XCTAssertEqual(ZipWriter.dosDateTime(315_532_800), 0x0021_0000)
        XCTAssertEqual(ZipWriter.dosDateTime(0), 0x0021_0000)
        // 2021-03-04 05:06:08 UTC
        XCTAssertEqual(ZipWriter.dosDateTime(1_614_834_368), (41 << 25 | 3 << 21 | 4 << 16 | 5 << 11 | 6 << 5 | 4))
    }

    func testCustomFixedTimeIsStoredInUTC() throws {
        let path = tmp.path("t.zip")
        let w = try ZipWriter(path: path, fixedTime: 1_614_834_368)
        try w.addData("a.txt", Data("a".utf8))
        try w.close()
        let script = """
        import zipfile, sys
        z = zipfile.ZipFile(sys.argv[1])
        assert z.testzip() is None
        for i in z.infolist():
            print(i.filename, i.date_time, hex(i.flag_bits), oct(i.external_attr >> 16))
        """
        guard let out = try python3(script, [path]) else { throw XCTSkip("python3 not installed") }
        XCTAssertEqual(out.trimmingCharacters(in: .whitespacesAndNewlines), "a.txt (2021, 3, 4, 5, 6, 8) 0x8 0o100644")
    }

    func testPythonAgreesWithOurZip() throws {
        let (source, sourceData) = try makeSource()
        let path = tmp.path("p.zip")
        try writeProduction(path, source: source)
        let script = """
        import zipfile, sys, hashlib
        z = zipfile.ZipFile(sys.argv[1])
        assert z.testzip() is None
        for i in z.infolist():
            print(i.filename, i.compress_type, oct(i.external_attr >> 16), i.date_time, hashlib.sha256(z.read(i)).hexdigest()[:12])
        """
        guard let out = try python3(script, [path]) else { throw XCTSkip("python3 not installed") }
        let lines = out.split(separator: "\n").map(String.init)
        XCTAssertEqual(lines.count, 5, out)
        XCTAssertTrue(lines[0].hasPrefix("VOL001/ 0 0o40755 (1980, 1, 1, 0, 0, 0)"), lines[0])
        XCTAssertTrue(lines[3].hasPrefix("VOL001/NATIVES/ABC000001.bin 8 0o100644 (1980, 1, 1, 0, 0, 0)"), lines[3])
        XCTAssertTrue(lines[4].hasPrefix("VOL001/TEXT/ÄBC000001.txt 8 0o100644"), lines[4])
        XCTAssertGreaterThan(sourceData.count, 0)
    }

    func testMisuseThrows() throws {
        let path = tmp.path("m.zip")
        let w = try ZipWriter(path: path)
        XCTAssertThrowsError(try w.addFile("nope", from: URL(fileURLWithPath: tmp.path("does-not-exist")))) { error in
            guard case ArchiveError.entry = error else { return XCTFail("got \(error)") }
        }
        try w.addData("ok.txt", Data("ok".utf8))
        try w.close()
        try w.close()
        XCTAssertThrowsError(try w.addData("late.txt", Data()))
        XCTAssertEqual(try Fixture.readAll(path).names, ["ok.txt"])

        XCTAssertThrowsError(try ZipWriter(path: tmp.path("no/such/dir/x.zip"))) { error in
            guard case ArchiveError.open = error else { return XCTFail("got \(error)") }
        }
    }
}
