import Foundation

/// Errors that end a command. Each maps to a documented exit code (README, "Exit codes").
public enum DiscloseError: Error, CustomStringConvertible, Equatable {
    /// The job file is wrong: `path` names the file and key at fault.
    case job(path: String, message: String)
    /// An input or output path cannot be used.
    case io(path: String, message: String)
    /// The accounting did not add up, a schema did not validate, a leak was found.
    case integrity(String)
    /// `verify` found problems.
    case verification([String])
    /// A stage was asked to run before the one it reads from.
    case order(String)
    /// Another disclose process holds the case: two runs of one job would corrupt each other.
    case busy(String)

    public var description: String {
        switch self {
        case .job(let p, let m): return "job error: \(p): \(m)"
        case .io(let p, let m): return "i/o error: \(p): \(m)"
        case .integrity(let m): return "integrity error: \(m)"
        case .verification(let fs): return "verification failed (\(fs.count) problem(s)):\n" + fs.map { "  - \($0)" }.joined(separator: "\n")
        case .order(let m): return "stage order: \(m)"
        case .busy(let m): return m
        }
    }

    public var exitCode: Int32 {
        switch self {
        case .job: return 2
        case .io: return 3
        case .integrity: return 4
        case .verification: return 5
        case .order: return 6
        case .busy: return 7
        }
    }

    /// The disk (or the user's quota) is full, whoever noticed it: SQLite's SQLITE_FULL through
    /// GRDB, ENOSPC or EDQUOT from a write, Foundation's out-of-space error. Such a run is an
    /// output problem (exit 3) the operator can fix, not a bug; nil for any other error.
    public static func outOfSpace(_ error: Error, path: String) -> DiscloseError? {
        if error is DiscloseError { return nil }
        var next: NSError? = error as NSError
        var depth = 0
        while let e = next, depth < 8 {
            // GRDB's errorCode is SQLite's extended result code; its low byte is the primary code.
            let full = (e.domain == "GRDB.DatabaseError" && e.code & 0xFF == 13)
                || (e.domain == NSPOSIXErrorDomain && (e.code == Int(ENOSPC) || e.code == Int(EDQUOT)))
                || (e.domain == NSCocoaErrorDomain && e.code == CocoaError.fileWriteOutOfSpace.rawValue)
            if full { return .io(path: path, message: "no space left on device (\(e.localizedDescription))") }
            next = e.userInfo[NSUnderlyingErrorKey] as? NSError
            depth += 1
        }
        return nil
    }
}
