import DiscloseCore
import Foundation
import SQLiteStore

/// A job's case folder: the SQLite case store and the blob store. When the job file changes,
/// what was computed from the old one is forgotten: a production must follow from one job.
public final class Case {
    public let job: Job
    public let store: CaseStore
    public let blobs: BlobStore
    /// Held as long as this case is open: one process per case at a time.
    private let lock: CaseLock

    public init(job: Job) throws {
        self.job = job
        let dir = job.caseDirectory
        do { try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true) } catch {
            throw DiscloseError.io(path: dir.path, message: "cannot create case folder")
        }
        lock = try CaseLock(folder: dir)
        store = try SQLiteStore(path: dir.appendingPathComponent("case.sqlite").path)
        blobs = try BlobStore(root: dir.appendingPathComponent("blobs"))
        try checkFingerprint()
    }

    /// The job's identity for resuming: the job file and the rules/decision files it names.
    func fingerprint() throws -> String {
        var parts: [String] = []
        for u in [job.file, job.rules, job.decisions].compactMap({ $0 }) {
            parts.append((try? Hash.sha256(file: u).hash) ?? "missing:\(u.path)")
        }
        for s in job.sources { parts.append(s.path.path) }
        return Hash.sha256(parts.joined(separator: "\n"))
    }

    private func checkFingerprint() throws {
        let f = job.caseDirectory.appendingPathComponent("job.fingerprint")
        let now = try fingerprint()
        let before = try? String(contentsOf: f, encoding: .utf8)
        if before != now {
            if before != nil { try store.resetStage(.extract) }
            try Data(now.utf8).write(to: f)
        }
    }
}
