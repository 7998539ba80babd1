import Foundation
import FuzzSupport

// libFuzzer's own `main` cannot be used: SwiftPM links every executable against a renamed Swift
// entry point. So this is an ordinary Swift program that hands control to libFuzzer's driver.
@_silgen_name("LLVMFuzzerRunDriver")
private func LLVMFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<CInt>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt
) -> CInt

/// libFuzzer runs one target per process, so `FUZZ_TARGET` (readers, mime, rtf, ...) picks which.
private let target: FuzzTarget = {
    let name = ProcessInfo.processInfo.environment["FUZZ_TARGET"] ?? ""
    guard let t = FuzzTarget(rawValue: name) else {
        let all = FuzzTarget.allCases.map(\.rawValue).joined(separator: ", ")
        fputs("set FUZZ_TARGET to one of: \(all)\n", stderr)
        exit(2)
    }
    return t
}()

@main
enum Harness {
    static func main() {
        _ = target
        var argc = CommandLine.argc
        var argv = CommandLine.unsafeArgv
        exit(LLVMFuzzerRunDriver(&argc, &argv) { data, size in
            target.run(size == 0 ? Data() : Data(bytes: data!, count: size))
            return 0
        })
    }
}
