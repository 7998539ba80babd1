import Foundation
import XCTest

/// Paths the end-to-end and conformance tests share.
enum Paths {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let sampleJob = root.appendingPathComponent("Pipelines/sample.yml")
    static let sampleData = root.appendingPathComponent("SampleData")
    static let corpora = root.deletingLastPathComponent().appendingPathComponent("shared/corpora")
    static let binary = root.appendingPathComponent(".build/debug/disclose")

    static func corpus(_ name: String) throws -> URL {
        let u = corpora.appendingPathComponent(name)
        guard FileManager.default.fileExists(atPath: u.path) else {
            throw XCTSkip("conformance corpus \(name) not present at \(u.path); skipping")
        }
        return u
    }

    static func temp(_ tag: String) throws -> URL {
        let u = FileManager.default.temporaryDirectory.appendingPathComponent("disclose-\(tag)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: u, withIntermediateDirectories: true)
        return u
    }
}

/// Every regular file below a folder, relative paths in byte order.
func files(under root: URL) -> [String] {
    var out: [String] = []
    let en = FileManager.default.enumerator(atPath: root.path)
    while let rel = en?.nextObject() as? String {
        var isDir: ObjCBool = false
        if FileManager.default.fileExists(atPath: root.appendingPathComponent(rel).path, isDirectory: &isDir), !isDir.boolValue {
            out.append(rel)
        }
    }
    return out.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
}

/// Whole-word occurrence of `needle` in `text` (letters and digits around it do not count).
func containsWord(_ text: String, _ needle: String) -> Bool {
    // Scripts without word spaces: any occurrence counts.
    if needle.contains(where: { $0.isLetter && !$0.isUppercase && !$0.isLowercase }) { return text.contains(needle) }
    var from = text.startIndex
    while let r = text.range(of: needle, range: from..<text.endIndex) {
        let before = r.lowerBound == text.startIndex ? nil : text[text.index(before: r.lowerBound)]
        let after = r.upperBound == text.endIndex ? nil : text[r.upperBound]
        let wordy: (Character?) -> Bool = { $0.map { $0.isLetter || $0.isNumber } ?? false }
        if !wordy(before) && !wordy(after) { return true }
        from = r.upperBound
    }
    return false
}
