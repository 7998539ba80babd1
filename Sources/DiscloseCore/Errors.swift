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

    public var description: String {
        switch self {
        case .job(let p, let m): return "job error: \(p): \(m)"
        case .io(let p, let m): return "i/o error: \(p): \(m)"
        case .integrity(let m): return "integrity error: \(m)"
        case .verification(let fs): return "verification failed (\(fs.count) problem(s)):\n" + fs.map { "  - \($0)" }.joined(separator: "\n")
        case .order(let m): return "stage order: \(m)"
        }
    }

    public var exitCode: Int32 {
        switch self {
        case .job: return 2
        case .io: return 3
        case .integrity: return 4
        case .verification: return 5
        case .order: return 6
        }
    }
}
