import Foundation
import XCTest

/// kill -9 at several points of a run, then `disclose run` again: the production must come out
/// exactly as from an uninterrupted run.
final class ResumeTests: XCTestCase {
    func disclose(_ args: [String]) throws -> Process {
        guard FileManager.default.isExecutableFile(atPath: Paths.binary.path) else {
            XCTFail("build the CLI first (make test does): \(Paths.binary.path) is missing")
            throw XCTSkip("no binary")
        }
        let p = Process()
        p.executableURL = Paths.binary
        p.arguments = args
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try p.run()
        return p
    }

    func runToEnd(_ out: URL) throws {
        let p = try disclose(["run", Paths.sampleJob.path, "--out", out.path])
        p.waitUntilExit()
        XCTAssertEqual(p.terminationStatus, 0, "run into \(out.path)")
    }

    func testKillNineAtAnyPointThenResumeGivesTheSameProduction() throws {
        let reference = try Paths.temp("resume-ref")
        let started = Date()
        try runToEnd(reference)
        let full = Date().timeIntervalSince(started)
        let want = try Data(contentsOf: reference.appendingPathComponent("PROD001.zip"))

        // Kill points spread over the whole run: early extract … late package.
        for fraction in [0.05, 0.2, 0.4, 0.6, 0.8, 0.95] {
            let out = try Paths.temp("resume-\(Int(fraction * 100))")
            let p = try disclose(["run", Paths.sampleJob.path, "--out", out.path])
            Thread.sleep(forTimeInterval: full * fraction)
            kill(p.processIdentifier, SIGKILL)
            p.waitUntilExit()
            try runToEnd(out)
            let got = try Data(contentsOf: out.appendingPathComponent("PROD001.zip"))
            XCTAssertEqual(got, want, "production differs after kill -9 at \(Int(fraction * 100))% of the run")
            try? FileManager.default.removeItem(at: out)
        }
    }
}
