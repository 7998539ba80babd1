/// Every failure ArchiveKit reports. The associated text always carries libarchive's own
/// `archive_error_string` (when it gave one) so a log line is enough to diagnose the file.
public enum ArchiveError: Error, CustomStringConvertible, Sendable, Equatable {
    /// The file could not be opened or is not an archive/compressed stream libarchive recognises.
    case open(String)
    /// The archive as a whole is unusable from this point on (truncation, corrupt headers, I/O error).
    case fatal(String)
    /// One entry could not be read or written; the archive may still be usable.
    case entry(String)
    /// The entry (or the archive's header) is encrypted and none of the given passphrases fits.
    case encrypted(String)

    public var description: String {
        switch self {
        case .open(let m): return "cannot open archive: \(m)"
        case .fatal(let m): return "archive is damaged or truncated: \(m)"
        case .entry(let m): return "cannot process archive entry: \(m)"
        case .encrypted(let m): return "archive entry is encrypted and no passphrase fits: \(m)"
        }
    }

    /// The message without the category prefix.
    public var message: String {
        switch self {
        case .open(let m), .fatal(let m), .entry(let m), .encrypted(let m): return m
        }
    }
}
