import FuzzSupport
import Foundation
import XCTest

/// Every input the fuzzer ever crashed on, replayed through the same entry point. Inputs live in
/// `Inputs/<target>/`, one folder per `FuzzTarget`; a crash here takes the test process down.
final class FuzzRegressionTests: XCTestCase {
    static let inputs = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Inputs")

    func testEveryStoredCrashInputRunsCleanly() throws {
        let fm = FileManager.default
        let folders = try fm.contentsOfDirectory(atPath: Self.inputs.path).filter { !$0.hasPrefix(".") }.sorted()
        var replayed = 0
        for folder in folders {
            let target = try XCTUnwrap(FuzzTarget(rawValue: folder), "Inputs/\(folder) names no fuzz target")
            let dir = Self.inputs.appendingPathComponent(folder)
            for name in try fm.contentsOfDirectory(atPath: dir.path).filter({ !$0.hasPrefix(".") }).sorted() {
                target.run(try Data(contentsOf: dir.appendingPathComponent(name)))
                replayed += 1
            }
        }
        if replayed == 0 { throw XCTSkip("no stored crash inputs yet") }
    }
}
