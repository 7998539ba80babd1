import CArchive
import Foundation

/// Thin owner of a libarchive write handle shared by `ZipWriter` and the test fixtures: it keeps
/// the entry/locale/error plumbing in one place.
final class ArchiveWriter {
    private let archive: OpaquePointer
    private let path: String
    private var closed = false

    /// `format`/`filters` are libarchive names ("zip", "7zip", "gnutar", "pax"; "gzip", "xz"...).
    init(path: String, format: String, filters: [String] = [], options: String? = nil,
         passphrase: String? = nil) throws {
        guard let a = archive_write_new() else { throw ArchiveError.open("\(path): out of memory") }
        archive = a
        self.path = path
        let failure: String? = withUTF8Locale {
            if archive_write_set_format_by_name(a, format) != ARCHIVE_OK {
                return lastErrorString(a, fallback: "unknown format \(format)")
            }
            for f in filters where archive_write_add_filter_by_name(a, f) != ARCHIVE_OK {
                return lastErrorString(a, fallback: "unknown filter \(f)")
            }
            if let options, archive_write_set_options(a, options) != ARCHIVE_OK {
                return lastErrorString(a, fallback: "bad options \(options)")
            }
            if let passphrase, archive_write_set_passphrase(a, passphrase) != ARCHIVE_OK {
                return lastErrorString(a, fallback: "cannot set passphrase")
            }
            // No padding of the last block: the file must end where the archive ends.
            archive_write_set_bytes_in_last_block(a, 1)
            if archive_write_open_filename(a, path) != ARCHIVE_OK {
                return lastErrorString(a, fallback: "cannot create file")
            }
            return nil
        }
        // Every stored property is set, so deinit frees the handle on this path too.
        if let failure { throw ArchiveError.open("\(path): \(failure)") }
    }

    deinit {
        archive_write_free(archive)
    }

    /// Writes one header. uid/gid/uname/gname are never set, so nothing about the writing machine
    /// leaks into the archive.
    func header(_ pathInArchive: String, directory: Bool, size: Int64, mtime: Int) throws {
        guard !closed else { throw ArchiveError.entry("\(path): archive already closed") }
        guard let e = archive_entry_new() else { throw ArchiveError.entry("\(path): out of memory") }
        defer { archive_entry_free(e) }
        let r: Int32 = withUTF8Locale {
            archive_entry_set_pathname_utf8(e, pathInArchive)
            archive_entry_set_filetype(e, directory ? fileTypeDirectory : fileTypeRegular)
            archive_entry_set_perm(e, directory ? 0o755 : 0o644)
            archive_entry_set_size(e, directory ? 0 : size)
            archive_entry_set_mtime(e, time_t(mtime), 0)
            return archive_write_header(archive, e)
        }
        if r < ARCHIVE_WARN {
            throw ArchiveError.entry("\(path): \(pathInArchive): " + lastErrorString(archive, fallback: "cannot write header"))
        }
    }

    func write(_ bytes: UnsafeRawBufferPointer, entryName: String) throws {
        var offset = 0
        while offset < bytes.count {
            let n = withUTF8Locale {
                archive_write_data(archive, bytes.baseAddress! + offset, bytes.count - offset)
            }
            if n <= 0 {
                throw ArchiveError.entry("\(path): \(entryName): " + lastErrorString(archive, fallback: "write failed"))
            }
            offset += n
        }
    }

    func write(_ data: Data, entryName: String) throws {
        try data.withUnsafeBytes { try write($0, entryName: entryName) }
    }

    func close() throws {
        guard !closed else { return }
        closed = true
        let r = withUTF8Locale { archive_write_close(archive) }
        if r != ARCHIVE_OK {
            throw ArchiveError.fatal("\(path): " + lastErrorString(archive, fallback: "cannot finish archive"))
        }
    }
}
