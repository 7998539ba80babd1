import DiscloseCore
import Extract
import Foundation
import MIMEKit
import SQLiteStore
import XCTest

/// Runs extract over sources in a temporary case, like ExtractStageTests does, and gives back
/// what it recorded plus the bytes of each item.
final class OutlookHarness {
    let dir: URL
    private(set) var blobs: BlobStore?

    init() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("outlook-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: dir) }

    func write(_ name: String, _ data: Data) throws -> URL {
        let u = dir.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: u.deletingLastPathComponent(), withIntermediateDirectories: true)
        try data.write(to: u)
        return u
    }

    func run(_ sources: [URL]) throws -> (items: [Item], exceptions: [ExceptionRecord]) {
        let run = dir.appendingPathComponent("run-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: run, withIntermediateDirectories: true)
        let yaml = "matter: T\nproduction: P\nsources:\n" + sources.map {
            "  - path: \"\($0.path)\"\n    custodian: \"Doe, Jane\"\n"
        }.joined() + "bates: { prefix: T }\noutput: \(run.path)/out\n"
        let jobURL = run.appendingPathComponent("job.yml")
        try Data(yaml.utf8).write(to: jobURL)
        let job = try Job.load(jobURL)
        let store = try SQLiteStore(path: run.appendingPathComponent("case.sqlite").path)
        let blobs = try BlobStore(root: run.appendingPathComponent("blobs"))
        self.blobs = blobs
        _ = try ExtractStage(job: job, store: store, blobs: blobs).run()
        var items: [Item] = []
        try store.forEachItem { items.append($0) }
        return (items, try store.exceptions())
    }

    func run(_ source: URL) throws -> (items: [Item], exceptions: [ExceptionRecord]) { try run([source]) }

    func bytes(_ item: Item) throws -> Data { try blobs!.read(item.sha256) }

    func message(_ item: Item) throws -> MIMEMessage { try MIME.parse(try bytes(item)) }

    func text(_ item: Item) throws -> String { String(decoding: try bytes(item), as: UTF8.self) }
}

enum Corpus {
    /// `../shared/corpora` relative to the package root.
    static var root: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("../shared/corpora").standardizedFileURL
    }

    static func folder(_ name: String) throws -> URL {
        let u = root.appendingPathComponent(name)
        guard FileManager.default.fileExists(atPath: u.path) else {
            throw XCTSkip("conformance corpus \(name) not found at \(u.path); skipped")
        }
        return u
    }

    static func files(_ folder: URL, extensions: Set<String>) -> [URL] {
        guard let e = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: nil) else { return [] }
        return e.compactMap { $0 as? URL }.filter { extensions.contains($0.pathExtension.lowercased()) }
            .sorted { $0.path < $1.path }
    }
}

final class PSTReaderTests: XCTestCase {
    func testExplore() throws {
        guard let path = ProcessInfo.processInfo.environment["EXPLORE"] else { throw XCTSkip("set EXPLORE") }
        let h = try OutlookHarness()
        let (items, exc) = try h.run(URL(fileURLWithPath: path))
        for i in items {
            print("ITEM", i.key, i.parentKey ?? "-", i.kind, i.format, i.fileName, "|", i.folder, "|", i.path, i.size)
        }
        for e in exc { print("EXC", e.key, e.parentKey ?? "-", e.path, e.reason) }
        if let dump = ProcessInfo.processInfo.environment["DUMP"] {
            for i in items where i.kind == .email || i.fileName.hasSuffix(".ics") || i.fileName.hasSuffix(".vcf") || i.fileName.hasSuffix(".txt") {
                if dump == "all" || i.key == dump {
                    print("=====", i.key)
                    print(try h.text(i).prefix(6000))
                }
            }
        }
    }
}
