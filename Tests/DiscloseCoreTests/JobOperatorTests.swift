import DiscloseCore
import XCTest

/// Job-file mistakes an operator makes, each refused with a message that says what to change.
final class JobOperatorTests: XCTestCase {
    var dir: URL!

    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("joboperator-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("data"), withIntermediateDirectories: true)
        try Data("From x\n".utf8).write(to: dir.appendingPathComponent("data/a.mbox"))
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: dir) }

    func job(bates: String = "bates: { prefix: SAMPLE, start: 5, width: 7 }", source: String = "data",
             output: String = "out") throws -> URL {
        let u = dir.appendingPathComponent("job.yml")
        try Data("""
        matter: M
        production: PROD001
        sources:
          - path: \(source)
            custodian: Doe
        \(bates)
        output: \(output)
        """.utf8).write(to: u)
        return u
    }

    func assertJobError(_ url: URL, _ needles: [String], file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertThrowsError(try Job.load(url), file: file, line: line) { e in
            for n in needles { XCTAssertTrue("\(e)".contains(n), "'\(n)' not in: \(e)", file: file, line: line) }
            XCTAssertEqual((e as? DiscloseError)?.exitCode, 2, file: file, line: line)
        }
    }

    func testMisspeltKeysAreNamedWithASuggestionNotReportedAsMissing() throws {
        assertJobError(try job(bates: "bate: { prefix: SAMPLE }"), ["bate", "unknown key", "did you mean 'bates'?"])
        assertJobError(try job(bates: "bates: { prefx: SAMPLE }"), ["bates.prefx", "unknown key", "did you mean 'prefix'?"])
        assertJobError(try job(bates: "bates: { prefix: S, Width: 7 }"), ["bates.Width", "did you mean 'width'?"])
        // Nothing close: no guess, but still the unknown key rather than a missing one.
        assertJobError(try job(bates: "bates: { prefix: S }\nzzzzzz: 1"), ["zzzzzz: unknown key"])
        XCTAssertThrowsError(try Job.load(try job(bates: "bates: { prefix: S }\nzzzzzz: 1"))) { e in
            XCTAssertFalse("\(e)".contains("did you mean"), "\(e)")
        }
    }

    func testBatesWidthTooSmallForTheFirstNumberIsRefusedUpFront() throws {
        assertJobError(try job(bates: "bates: { prefix: S, start: 1000, width: 3 }"), ["bates.width", "at least 4"])
        XCTAssertNoThrow(try Job.load(try job(bates: "bates: { prefix: S, start: 999, width: 3 }")))
    }

    func testBatesWidthTooSmallForTheLastNumberNamesTheWidthNeeded() throws {
        let j = try Job.load(try job(bates: "bates: { prefix: S, start: 995, width: 3 }"))
        XCTAssertNoThrow(try j.bates.checkFits(last: 999, jobFile: j.file))
        XCTAssertThrowsError(try j.bates.checkFits(last: 1004, jobFile: j.file)) { e in
            XCTAssertTrue("\(e)".contains("bates.width"), "\(e)")
            XCTAssertTrue("\(e)".contains("at least 4"), "\(e)")
            XCTAssertEqual((e as? DiscloseError)?.exitCode, 2)
        }
    }

    func testOutputFolderMustStayOutOfEverySource() throws {
        assertJobError(try job(source: "data", output: "data"), ["output", "is the source 'data'"])
        assertJobError(try job(source: "data", output: "data/out"), ["output", "inside the source 'data'"])
        assertJobError(try job(source: "data/a.mbox", output: "data"), ["output", "inside the output folder"])
        assertJobError(try job(source: ".", output: "out"), ["output", "inside the source '.'"])
        // Through a symbolic link to the source folder: still the same folder.
        try FileManager.default.createSymbolicLink(at: dir.appendingPathComponent("link"), withDestinationURL: dir.appendingPathComponent("data"))
        assertJobError(try job(source: "data", output: "link/out"), ["output", "inside the source 'data'"])
        XCTAssertThrowsError(try Job.load(try job(source: "data/a.mbox", output: "out"),
                                          outputOverride: dir.appendingPathComponent("data"))) { e in
            XCTAssertTrue("\(e)".contains("inside the output folder"), "\(e)")
        }
        XCTAssertNoThrow(try Job.load(try job(source: "data", output: "out")))
    }
}
