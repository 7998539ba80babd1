import DiscloseCore
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// An exclusive lock on a case folder, held from opening the case until the process lets go of
/// it. Two commands on one job would otherwise share the SQLite file and the blob folder and
/// the loser would die of "database is locked" or a missing file halfway through a stage.
/// flock(2): the kernel drops it when the process dies, so a kill -9 leaves no stale lock.
final class CaseLock {
    private let fd: Int32

    init(folder: URL) throws {
        let path = folder.appendingPathComponent("lock").path
        fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            throw DiscloseError.io(path: path, message: "cannot open lock file: \(String(cString: strerror(errno)))")
        }
        if flock(fd, LOCK_EX | LOCK_NB) != 0 {
            let err = errno
            let holder = Self.holder(fd)
            close(fd)
            guard err == EWOULDBLOCK else {
                throw DiscloseError.io(path: path, message: "cannot lock case folder: \(String(cString: strerror(err)))")
            }
            throw DiscloseError.busy("case \(folder.path) is in use by another disclose process"
                + (holder.map { " (pid \($0))" } ?? "") + "; wait for it to finish or stop it, then run again")
        }
        // The pid is for the message the next process prints, not part of the lock.
        let pid = Data("\(getpid())\n".utf8)
        _ = ftruncate(fd, 0)
        _ = pid.withUnsafeBytes { pwrite(fd, $0.baseAddress, $0.count, 0) }
    }

    deinit { close(fd) }

    private static func holder(_ fd: Int32) -> Int? {
        var buf = [UInt8](repeating: 0, count: 32)
        let n = pread(fd, &buf, buf.count, 0)
        guard n > 0 else { return nil }
        return Int(String(decoding: buf[0..<n], as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))
    }
}
