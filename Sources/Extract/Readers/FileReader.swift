import DiscloseCore
import Foundation

/// The fallback: any file no other reader claims is a loose document (text is extracted later).
public struct FileReader: Reader {
    public let name = "file"
    public let mediaTypes = ["application/octet-stream"]
    public init() {}

    public func confidence(_ input: inout Input) -> Int { input.isDirectory ? 0 : 1 }

    public func read(_ input: inout Input, _ context: ExtractContext) throws {
        try context.emit(&input, kind: .file, format: "file")
    }
}
