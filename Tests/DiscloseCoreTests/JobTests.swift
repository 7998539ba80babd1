import DiscloseCore
import XCTest

final class JobTests: XCTestCase {
    var dir: URL!

    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("jobtests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("data"), withIntermediateDirectories: true)
        try Data("From x\n".utf8).write(to: dir.appendingPathComponent("data/a.mbox"))
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: dir) }

    func write(_ yaml: String) throws -> URL {
        let u = dir.appendingPathComponent("job.yml")
        try Data(yaml.utf8).write(to: u)
        return u
    }

    let good = """
    matter: SAMPLE-001
    production: PROD001
    sources:
      - path: data/a.mbox
        custodian: "Doe, Jane"
    dedupe: { scope: custodian }
    bates: { prefix: SAMPLE, start: 5, width: 7 }
    output: out
    """

    func testLoadsAndResolvesRelativePaths() throws {
        let job = try Job.load(try write(good))
        XCTAssertEqual(job.matter, "SAMPLE-001")
        XCTAssertEqual(job.sources.first?.path.path, dir.appendingPathComponent("data/a.mbox").standardizedFileURL.path)
        XCTAssertEqual(job.sources.first?.spec, "data/a.mbox")
        XCTAssertEqual(job.dedupeScope, .custodian)
        XCTAssertEqual(job.bates.format(5), "SAMPLE0000005")
        XCTAssertEqual(job.output.path, dir.appendingPathComponent("out").standardizedFileURL.path)
        XCTAssertEqual(job.productionDirectory.lastPathComponent, "PROD001")
    }

    func testUnknownKeyIsAnErrorWithItsPath() throws {
        let u = try write(good.replacingOccurrences(of: "width: 7", with: "width: 7, padding: 3"))
        XCTAssertThrowsError(try Job.load(u)) { e in
            XCTAssertTrue("\(e)".contains("bates.padding"), "\(e)")
            XCTAssertTrue("\(e)".contains("unknown key"), "\(e)")
            XCTAssertEqual((e as? DiscloseError)?.exitCode, 2)
        }
    }

    func testWrongTypeNamesTheKey() throws {
        let u = try write(good.replacingOccurrences(of: "start: 5", with: "start: five"))
        XCTAssertThrowsError(try Job.load(u)) { e in XCTAssertTrue("\(e)".contains("bates.start"), "\(e)") }
        let v = try write(good.replacingOccurrences(of: "scope: custodian", with: "scope: planet"))
        XCTAssertThrowsError(try Job.load(v)) { e in XCTAssertTrue("\(e)".contains("dedupe.scope"), "\(e)") }
    }

    func testMissingSourceFileAndMissingCustodian() throws {
        let u = try write(good.replacingOccurrences(of: "data/a.mbox", with: "data/nope.mbox"))
        XCTAssertThrowsError(try Job.load(u)) { e in XCTAssertTrue("\(e)".contains("sources[0].path"), "\(e)") }
        let v = try write(good.replacingOccurrences(of: "    custodian: \"Doe, Jane\"\n", with: ""))
        XCTAssertThrowsError(try Job.load(v)) { e in XCTAssertTrue("\(e)".contains("sources[0].custodian"), "\(e)") }
    }

    func testOutputOverride() throws {
        let job = try Job.load(try write(good), outputOverride: URL(fileURLWithPath: "/tmp/elsewhere"))
        XCTAssertEqual(job.output.path, "/tmp/elsewhere")
    }
}
