import Foundation
import XCTest
import ArchiveKit

/// Runs the reader over Apache Tika's hostile archive samples (recursive zips, a gzip quine,
/// encrypted, spanned and corrupted zips, SJIS/GBK names). Only robustness is asserted: every
/// file finishes, and every failure is an ArchiveError.
final class CorpusTests: XCTestCase {
    private static let corpus: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("../shared/corpora/tika-testdocs/archives").standardizedFileURL

    private static let rawExtensions: Set<String> = ["gz", "bz2", "xz", "zst", "lz4", "z"]
    private static let archiveExtensions: Set<String> = ["zip", "7z", "tar", "tgz", "gz", "bz2", "xz", "jar", "docx", "odt"]

    private final class Walk: @unchecked Sendable {
        var log: [String] = []
        var foreignErrors: [String] = []
        var entries = 0
    }

    func testTikaArchivesNeverCrashOrHang() throws {
        let dir = Self.corpus
        guard FileManager.default.fileExists(atPath: dir.path) else {
            throw XCTSkip("corpus not present at \(dir.path); skipping the tika archive robustness run")
        }
        let files = try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted()
        XCTAssertFalse(files.isEmpty)
        let scratch = try TempDir()
        let walk = Walk()
        let done = DispatchSemaphore(value: 0)
        // A dedicated thread with a big stack and a deadline: a hang inside libarchive would
        // otherwise block the whole test run instead of failing this test.
        let thread = Thread {
            for name in files {
                Self.visit(path: dir.appendingPathComponent(name).path, label: name, depth: 0,
                           scratch: scratch, walk: walk)
            }
            done.signal()
        }
        thread.stackSize = 8 << 20
        thread.start()
        if done.wait(timeout: .now() + 300) == .timedOut {
            XCTFail("corpus walk did not finish within 300 s; last: \(walk.log.last ?? "-")")
            return
        }
        print(walk.log.joined(separator: "\n"))
        XCTAssertEqual(walk.foreignErrors, [])
        XCTAssertGreaterThan(walk.entries, 20)
    }

    private static func visit(path: String, label: String, depth: Int, scratch: TempDir, walk: Walk) {
        let ext = (label as NSString).pathExtension.lowercased()
        let allowRaw = rawExtensions.contains(ext)
        var line = "\(String(repeating: "  ", count: depth))\(label):"
        var details: [String] = []
        let slot = walk.log.count
        walk.log.append(line)
        defer { walk.log[slot] = ([line] + details).joined(separator: "\n") }
        do {
            let reader = try ArchiveReader(path: path, passphrases: ["tika", "Tika", "password"], allowRaw: allowRaw)
            line += " [\(reader.formatName)]"
            var count = 0
            var entryErrors = 0
            while let entry = try reader.nextEntry() {
                count += 1
                walk.entries += 1
                if count > 5000 { line += " (stopped after 5000 entries)"; break }
                guard entry.isRegularFile else { continue }
                let child = scratch.path("d\(depth)-\(count)-" + ((entry.pathname as NSString).lastPathComponent.isEmpty ? "x" : "c"))
                _ = FileManager.default.createFile(atPath: child, contents: nil)
                let out = try FileHandle(forWritingTo: URL(fileURLWithPath: child))
                var total = 0
                do {
                    // Bounded so a zip bomb costs at most 64 MiB of disk per entry.
                    try reader.readData { chunk in
                        guard total < 64 << 20 else { return }
                        total += chunk.count
                        out.write(Data(chunk))
                    }
                    try out.close()
                } catch let e as ArchiveError {
                    try? out.close()
                    entryErrors += 1
                    if entryErrors <= 3 {
                        details.append("\(String(repeating: "  ", count: depth + 1))\(entry.pathname): \(e)")
                    }
                    if case .fatal = e { throw e }
                    continue
                }
                let childExt = (entry.pathname as NSString).pathExtension.lowercased()
                if depth < 3, archiveExtensions.contains(childExt) || reader.isRaw {
                    visit(path: child, label: entry.pathname, depth: depth + 1, scratch: scratch, walk: walk)
                }
                try? FileManager.default.removeItem(atPath: child)
            }
            line += " \(count) entries" + (entryErrors > 3 ? " (\(entryErrors) entry errors)" : "")
        } catch let e as ArchiveError {
            line += " \(e)"
        } catch {
            walk.foreignErrors.append("\(label): \(error)")
        }
    }
}
