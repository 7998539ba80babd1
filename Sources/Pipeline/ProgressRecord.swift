import DiscloseCore
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The running stage's progress, kept in the case folder beside `case.sqlite` rather than in it:
/// extract holds one write transaction per source (hours for a large PST), and SQLite lets one
/// writer in at a time, so a progress row could neither be committed on the run's connection
/// (it would wait for the source's commit) nor on a second one (busy until then). A small file
/// replaced by rename is read whole or not at all, by any process, without the case lock.
public struct ProgressRecord {
    public let url: URL

    public init(caseDirectory: URL) { url = caseDirectory.appendingPathComponent("progress.json") }

    private static let encoder: JSONEncoder = {
        let e = JSONEncoder()
        e.dateEncodingStrategy = .millisecondsSince1970
        e.outputFormatting = [.sortedKeys]
        return e
    }()

    private static let decoder: JSONDecoder = {
        let d = JSONDecoder()
        d.dateDecodingStrategy = .millisecondsSince1970
        return d
    }()

    /// Best effort: a full disk or a vanished folder must not fail the run over a progress note.
    public func write(_ p: StageProgress) {
        guard let data = try? Self.encoder.encode(p) else { return }
        try? data.write(to: url, options: .atomic)
    }

    public func read() -> StageProgress? {
        guard let data = try? Data(contentsOf: url) else { return nil }
        return try? Self.decoder.decode(StageProgress.self, from: data)
    }
}

extension CaseLock {
    /// Whether some process holds the case folder's lock, found without taking it: taking it,
    /// even for a moment, would make a `disclose run` started in that moment fail as busy.
    /// Linux lists every flock(2) in /proc/locks as "... FLOCK ADVISORY WRITE pid maj:min:inode ...";
    /// elsewhere nil, and the caller asks whether the recorded pid is alive instead.
    static func isHeld(folder: URL) -> Bool? {
        var st = stat()
        guard stat(folder.appendingPathComponent("lock").path, &st) == 0 else { return false }
        guard let locks = try? String(contentsOfFile: "/proc/locks", encoding: .utf8) else { return nil }
        // glibc's encoding of st_dev; /proc/locks prints major:minor in hex.
        let dev = UInt64(st.st_dev)
        let major = (dev >> 8) & 0xfff | (dev >> 32) & ~UInt64(0xfff)
        let minor = dev & 0xff | (dev >> 12) & ~UInt64(0xff)
        let id = [major, minor, UInt64(st.st_ino)]
        for line in locks.split(separator: "\n") {
            // "->" marks a process waiting for a lock, not holding it.
            let f = line.split(separator: " ")
            guard f.count >= 6, f[1] == "FLOCK" else { continue }
            let parts = f[5].split(separator: ":")
            guard parts.count == 3, let ma = UInt64(parts[0], radix: 16), let mi = UInt64(parts[1], radix: 16),
                  let ino = UInt64(parts[2]) else { continue }
            if [ma, mi, ino] == id { return true }
        }
        return false
    }
}

/// Whether a process is alive (EPERM: alive, someone else's).
func processAlive(_ pid: Int32) -> Bool {
    pid > 0 && (kill(pid, 0) == 0 || errno == EPERM)
}
