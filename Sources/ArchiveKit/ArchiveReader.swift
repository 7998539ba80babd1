import CArchive
import Foundation

/// One header of an archive, copied out of libarchive so it stays valid after the reader moves on.
public struct ArchiveEntry: Sendable, Equatable {
    public let pathname: String
    /// nil when the format does not state it up front (streamed zip entries, raw streams).
    public let size: Int64?
    public let isDirectory: Bool
    public let isRegularFile: Bool
    /// Data or metadata is encrypted; reading it needs a passphrase.
    public let isEncrypted: Bool

    public init(pathname: String, size: Int64?, isDirectory: Bool, isRegularFile: Bool, isEncrypted: Bool) {
        self.pathname = pathname
        self.size = size
        self.isDirectory = isDirectory
        self.isRegularFile = isRegularFile
        self.isEncrypted = isEncrypted
    }
}

/// Streaming, forward-only reader over any archive or compressed stream libarchive understands.
/// Not thread-safe: use one reader from one task at a time.
public final class ArchiveReader {
    private var archive: OpaquePointer
    private let path: String
    private let buffer: UnsafeMutableRawBufferPointer
    private static let blockSize = 64 * 1024

    /// The first header is read during init so `formatName`/`isRaw` are meaningful before the
    /// caller iterates; its outcome is replayed by the first `nextEntry()`.
    private var pending: Result<ArchiveEntry?, any Error>?
    private var current: ArchiveEntry?
    private var finished = false
    private var fatalError: ArchiveError?
    private var consecutiveHeaderFailures = 0

    /// Opens a file on disk for streaming. All formats and all filters; when `allowRaw` the raw
    /// format is enabled too so a lone .gz/.bz2/.xz/.zst of a single file yields one entry.
    /// With `allowRaw` any non-empty file opens (as one raw entry), so callers should only ask for
    /// it when the file is known to be a compressed stream.
    public init(path: String, passphrases: [String] = [], allowRaw: Bool = false) throws {
        self.path = path
        archive = try Self.open(path: path, passphrases: passphrases, allowRaw: allowRaw, zipStreamingOnly: false)
        buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: Self.blockSize, alignment: 16)
        pending = Result { try self.readHeader() }

        // libarchive trusts a zip's central directory; when that is inconsistent with the local
        // headers (seen in the wild, e.g. data-descriptor zips) the streaming zip reader, which
        // walks the local headers, often still gets everything out.
        if case .failure = pending, isZip,
           let streaming = try? Self.open(path: path, passphrases: passphrases, allowRaw: false, zipStreamingOnly: true) {
            let seekable = archive
            let seekableState = (pending, fatalError, finished)
            archive = streaming
            fatalError = nil
            finished = false
            let retry = Result { try self.readHeader() }
            // An empty result would hide the real error behind "no entries".
            if case .success(.some) = retry {
                archive_read_free(seekable)
                pending = retry
            } else {
                archive_read_free(streaming)
                archive = seekable
                (pending, fatalError, finished) = seekableState
            }
        }
    }

    private static func open(path: String, passphrases: [String], allowRaw: Bool,
                             zipStreamingOnly: Bool) throws -> OpaquePointer {
        guard let a = archive_read_new() else { throw ArchiveError.open("\(path): out of memory") }
        let opened: Int32 = withUTF8Locale {
            archive_read_support_filter_all(a)
            if zipStreamingOnly {
                archive_read_support_format_zip_streamable(a)
            } else {
                archive_read_support_format_all(a)
                if allowRaw { archive_read_support_format_raw(a) }
            }
            for p in passphrases { archive_read_add_passphrase(a, p) }
            return archive_read_open_filename(a, path, blockSize)
        }
        if opened < ARCHIVE_WARN {
            let message = lastErrorString(a, fallback: "unrecognised or unreadable file")
            archive_read_free(a)
            throw ArchiveError.open("\(path): \(message)")
        }
        return a
    }

    deinit {
        archive_read_free(archive)
        buffer.deallocate()
    }

    /// archive_format_name, e.g. "ZIP 2.0 (deflation)", "GNU tar format", "raw". Zip and 7z refine
    /// it per entry, so it reflects the most recently read header.
    public var formatName: String {
        guard let c = archive_format_name(archive) else { return "" }
        return String(cString: c)
    }

    /// The archive is a single decompressed stream (only possible with `allowRaw`).
    public var isRaw: Bool {
        archive_format(archive) & ARCHIVE_FORMAT_BASE_MASK == ARCHIVE_FORMAT_RAW
    }

    private var isZip: Bool {
        archive_format(archive) & ARCHIVE_FORMAT_BASE_MASK == ARCHIVE_FORMAT_ZIP
    }

    /// Next entry header; nil at a clean end. Throws `.fatal` once the archive is unusable,
    /// `.encrypted` when the headers themselves are encrypted. ARCHIVE_WARN is not an error.
    public func nextEntry() throws -> ArchiveEntry? {
        current = nil
        if let p = pending {
            pending = nil
            let entry = try p.get()
            current = entry
            return entry
        }
        let entry = try readHeader()
        current = entry
        return entry
    }

    private func readHeader() throws -> ArchiveEntry? {
        if let fatalError { throw fatalError }
        if finished { return nil }
        // RETRY means "call again"; a bound keeps a misbehaving reader from spinning forever.
        for _ in 0..<16 {
            var entryPtr: OpaquePointer?
            let r = withUTF8Locale { archive_read_next_header(archive, &entryPtr) }
            switch r {
            case ARCHIVE_OK, ARCHIVE_WARN:
                consecutiveHeaderFailures = 0
                guard let e = entryPtr else { break }
                return makeEntry(e)
            case ARCHIVE_EOF:
                finished = true
                return nil
            case ARCHIVE_RETRY:
                continue
            case ARCHIVE_FAILED:
                // libarchive lets the caller try the following header after FAILED; stop treating
                // it as recoverable if it keeps happening without progress.
                consecutiveHeaderFailures += 1
                let m = lastErrorString(archive, fallback: "unreadable entry header")
                if consecutiveHeaderFailures > 8 { try fail(fatal: m) }
                throw classify(m, encrypted: false, otherwise: ArchiveError.entry)
            default:
                try fail(fatal: lastErrorString(archive, fallback: "unreadable archive header"))
            }
        }
        try fail(fatal: "libarchive kept asking to retry the header read")
    }

    private func fail(fatal message: String) throws -> Never {
        let error = classify(message, encrypted: false, otherwise: ArchiveError.fatal)
        fatalError = error
        throw error
    }

    /// libarchive has no error code for "encrypted", only its message text; the entry's name is
    /// kept out of the match so a file called "encrypted.txt" with a CRC error stays an `.entry`.
    private func classify(_ message: String, entryName: String? = nil, encrypted: Bool,
                          otherwise: (String) -> ArchiveError) -> ArchiveError {
        let lower = message.lowercased()
        let text = entryName.map { "\(path): \($0): \(message)" } ?? "\(path): \(message)"
        if encrypted || lower.contains("passphrase") || lower.contains("encrypt") || lower.contains("decrypt") {
            return .encrypted(text)
        }
        return otherwise(text)
    }

    private func makeEntry(_ e: OpaquePointer) -> ArchiveEntry {
        let type = UInt32(archive_entry_filetype(e)) & fileTypeMask
        return ArchiveEntry(
            pathname: decodePathname(e),
            size: archive_entry_size_is_set(e) != 0 ? archive_entry_size(e) : nil,
            isDirectory: type == fileTypeDirectory,
            isRegularFile: type == fileTypeRegular,
            isEncrypted: archive_entry_is_encrypted(e) != 0)
    }

    private func decodePathname(_ e: OpaquePointer) -> String {
        let utf8: UnsafePointer<CChar>? = withUTF8Locale { archive_entry_pathname_utf8(e) }
        if let utf8 { return String(cString: utf8) }
        if let raw = archive_entry_pathname(e) {
            let bytes = Array(UnsafeBufferPointer(start: raw, count: strlen(raw))).map { UInt8(bitPattern: $0) }
            return NameDecoding.decode(bytes, zip: isZip)
        }
        if let wide = archive_entry_pathname_w(e) {
            var scalars = String.UnicodeScalarView()
            var p = wide
            while p.pointee != 0 {
                scalars.append(Unicode.Scalar(UInt32(bitPattern: p.pointee)) ?? "\u{FFFD}")
                p += 1
            }
            return String(scalars)
        }
        return ""
    }

    /// Streams the current entry's bytes in chunks of at most 64 KiB. Sparse regions come back
    /// as zeros. Throws `.encrypted` when no passphrase fits, `.entry` for damaged entry data
    /// (CRC mismatch, bad deflate stream), `.fatal` when the archive cannot continue.
    public func readData(_ body: (UnsafeRawBufferPointer) throws -> Void) throws {
        if let fatalError { throw fatalError }
        guard let entry = current else { throw ArchiveError.entry("\(path): no current entry to read") }
        var stalls = 0
        while true {
            let n = withUTF8Locale { archive_read_data(archive, buffer.baseAddress, buffer.count) }
            if n > 0 {
                stalls = 0
                try body(UnsafeRawBufferPointer(rebasing: buffer[0..<n]))
                continue
            }
            if n == 0 { return }
            switch Int32(n) {
            case ARCHIVE_WARN, ARCHIVE_RETRY:
                // WARN leaves the block in place and the next call continues with it.
                stalls += 1
                if stalls > 16 {
                    throw ArchiveError.entry("\(path): \(entry.pathname): libarchive made no progress")
                }
            case ARCHIVE_FAILED:
                let m = lastErrorString(archive, fallback: "damaged entry data")
                throw classify(m, entryName: entry.pathname, encrypted: entry.isEncrypted, otherwise: ArchiveError.entry)
            default:
                let m = lastErrorString(archive, fallback: "damaged archive data")
                let error = classify(m, entryName: entry.pathname, encrypted: entry.isEncrypted, otherwise: ArchiveError.fatal)
                fatalError = error
                throw error
            }
        }
    }

    /// Skips the current entry's data. Damaged data surfaces here or at the next `nextEntry()`.
    public func skipData() throws {
        if let fatalError { throw fatalError }
        guard current != nil else { return }
        let r = withUTF8Locale { archive_read_data_skip(archive) }
        if r == ARCHIVE_FATAL {
            try fail(fatal: lastErrorString(archive, fallback: "cannot skip entry data"))
        }
        if r < ARCHIVE_WARN {
            throw ArchiveError.entry("\(path): " + lastErrorString(archive, fallback: "cannot skip entry data"))
        }
    }
}
