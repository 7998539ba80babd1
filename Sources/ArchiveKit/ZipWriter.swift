import Foundation

/// Deterministic zip writer: the same calls with the same bytes give a byte-identical file on any
/// run and any machine (given the same libarchive/zlib versions).
///
/// Entries keep the caller's order, all carry `fixedTime`, mode 0644 (files) / 0755 (directories),
/// uid/gid 0 and no owner names; files are deflated; names are UTF-8 with the UTF-8 flag.
/// libarchive always writes a "UT" extra field (mtime only, since only mtime is set) and a "ux"
/// field (uid/gid 0); both are fixed, so they need no suppressing. `close()` is required: it is
/// where the DOS timestamps are made time-zone independent.
public final class ZipWriter {
    private let writer: ArchiveWriter
    private let path: String
    private let fixedTime: Int
    private var closed = false

    public init(path: String, fixedTime: Int = 315_532_800) throws {
        self.path = path
        self.fixedTime = fixedTime
        // hdrcharset=UTF-8 makes libarchive set the UTF-8 name flag whatever the process locale is.
        writer = try ArchiveWriter(path: path, format: "zip",
                                   options: "zip:compression=deflate,zip:hdrcharset=UTF-8")
    }

    public func addDirectory(_ pathInArchive: String) throws {
        try ensureOpen()
        let name = pathInArchive.hasSuffix("/") ? pathInArchive : pathInArchive + "/"
        try writer.header(name, directory: true, size: 0, mtime: fixedTime)
    }

    /// Streams the file in 1 MiB chunks after declaring its size in the header. Fails if the file
    /// changes size while it is being copied, rather than writing a zip whose header lies.
    public func addFile(_ pathInArchive: String, from fileURL: URL) throws {
        try ensureOpen()
        let handle: FileHandle
        let size: Int64
        do {
            let attributes = try FileManager.default.attributesOfItem(atPath: fileURL.path)
            size = (attributes[.size] as? NSNumber)?.int64Value ?? 0
            handle = try FileHandle(forReadingFrom: fileURL)
        } catch {
            throw ArchiveError.entry("\(path): \(pathInArchive): cannot read \(fileURL.path): \(error.localizedDescription)")
        }
        defer { try? handle.close() }
        try writer.header(pathInArchive, directory: false, size: size, mtime: fixedTime)
        var written: Int64 = 0
        while true {
            let chunk: Data
            do {
                chunk = try handle.read(upToCount: 1 << 20) ?? Data()
            } catch {
                throw ArchiveError.entry("\(path): \(pathInArchive): read error on \(fileURL.path): \(error.localizedDescription)")
            }
            if chunk.isEmpty { break }
            written += Int64(chunk.count)
            if written > size { break }
            try writer.write(chunk, entryName: pathInArchive)
        }
        if written != size {
            throw ArchiveError.entry("\(path): \(pathInArchive): \(fileURL.path) changed size while being added (expected \(size) bytes)")
        }
    }

    public func addData(_ pathInArchive: String, _ data: Data) throws {
        try ensureOpen()
        try writer.header(pathInArchive, directory: false, size: Int64(data.count), mtime: fixedTime)
        try writer.write(data, entryName: pathInArchive)
    }

    public func close() throws {
        guard !closed else { return }
        closed = true
        try writer.close()
        do {
            try ZipTimestampFixer.rewrite(path: path, dosTime: Self.dosDateTime(fixedTime))
        } catch let e as ArchiveError {
            throw e
        } catch {
            throw ArchiveError.fatal("\(path): cannot finalise timestamps: \(error.localizedDescription)")
        }
    }

    private func ensureOpen() throws {
        if closed { throw ArchiveError.entry("\(path): zip already closed") }
    }

    /// DOS date/time of `t` read as UTC, clamped to the representable 1980...2107 range.
    static func dosDateTime(_ t: Int) -> UInt32 {
        var seconds = time_t(t)
        var parts = tm()
        guard gmtime_r(&seconds, &parts) != nil else { return 0x0021_0000 }
        let year = Int(parts.tm_year) + 1900
        if year < 1980 { return 0x0021_0000 }
        if year > 2107 { return 0xFF9F_BF7D }
        let date = UInt32(year - 1980) << 9 | UInt32(parts.tm_mon + 1) << 5 | UInt32(parts.tm_mday)
        let time = UInt32(parts.tm_hour) << 11 | UInt32(parts.tm_min) << 5 | UInt32(parts.tm_sec / 2)
        return date << 16 | time
    }
}

/// libarchive derives each entry's DOS timestamp with localtime(), so the same zip written in
/// two time zones differs. After the archive is complete, the central directory tells where every
/// local header is, and both timestamp copies are overwritten with the UTC-derived value.
enum ZipTimestampFixer {
    static func rewrite(path: String, dosTime: UInt32) throws {
        guard let handle = FileHandle(forUpdatingAtPath: path) else {
            throw ArchiveError.fatal("\(path): cannot reopen to finalise timestamps")
        }
        defer { try? handle.close() }
        let fileSize = try handle.seekToEnd()
        guard fileSize >= 22 else { throw ArchiveError.fatal("\(path): zip too short") }

        // libarchive writes no archive comment, so the end record is the last 22 bytes.
        let eocdOffset = fileSize - 22
        let eocd = try read(handle, at: eocdOffset, count: 22)
        guard le32(eocd, 0) == 0x0605_4b50 else { throw ArchiveError.fatal("\(path): no end of central directory") }
        var entries = UInt64(le16(eocd, 10))
        var cdSize = UInt64(le32(eocd, 12))
        var cdOffset = UInt64(le32(eocd, 16))
        if entries == 0xFFFF || cdSize == 0xFFFF_FFFF || cdOffset == 0xFFFF_FFFF, eocdOffset >= 20 {
            let locator = try read(handle, at: eocdOffset - 20, count: 20)
            if le32(locator, 0) == 0x0706_4b50 {
                let z = try read(handle, at: le64(locator, 8), count: 56)
                guard le32(z, 0) == 0x0606_4b50 else { throw ArchiveError.fatal("\(path): bad zip64 end record") }
                entries = le64(z, 32)
                cdSize = le64(z, 40)
                cdOffset = le64(z, 48)
            }
        }
        guard cdOffset + cdSize <= fileSize else { throw ArchiveError.fatal("\(path): central directory out of range") }
        var cd = try read(handle, at: cdOffset, count: Int(cdSize))
        var localOffsets: [UInt64] = []
        var p = 0
        for _ in 0..<entries {
            guard p + 46 <= cd.count, le32(cd, p) == 0x0201_4b50 else {
                throw ArchiveError.fatal("\(path): malformed central directory")
            }
            let nameLength = Int(le16(cd, p + 28)), extraLength = Int(le16(cd, p + 30))
            let commentLength = Int(le16(cd, p + 32))
            var localOffset = UInt64(le32(cd, p + 42))
            if localOffset == 0xFFFF_FFFF {
                localOffset = zip64LocalOffset(cd, record: p, extraStart: p + 46 + nameLength, extraLength: extraLength) ?? localOffset
            }
            put32(&cd, p + 12, dosTime)
            localOffsets.append(localOffset)
            p += 46 + nameLength + extraLength + commentLength
        }
        var stamp = Data(count: 4)
        put32(&stamp, 0, dosTime)
        for offset in localOffsets {
            let header = try read(handle, at: offset, count: 4)
            guard le32(header, 0) == 0x0403_4b50 else { throw ArchiveError.fatal("\(path): local header not where expected") }
            try handle.seek(toOffset: offset + 10)
            try handle.write(contentsOf: stamp)
        }
        try handle.seek(toOffset: cdOffset)
        try handle.write(contentsOf: cd)
    }

    private static func zip64LocalOffset(_ cd: Data, record: Int, extraStart: Int, extraLength: Int) -> UInt64? {
        var q = extraStart
        let end = extraStart + extraLength
        while q + 4 <= end {
            let id = le16(cd, q), length = Int(le16(cd, q + 2))
            if id == 0x0001 {
                // Fields appear only for the header values that overflowed, in this fixed order.
                var field = q + 4
                if le32(cd, record + 24) == 0xFFFF_FFFF { field += 8 }
                if le32(cd, record + 20) == 0xFFFF_FFFF { field += 8 }
                return field + 8 <= q + 4 + length ? le64(cd, field) : nil
            }
            q += 4 + length
        }
        return nil
    }

    private static func read(_ handle: FileHandle, at offset: UInt64, count: Int) throws -> Data {
        try handle.seek(toOffset: offset)
        let data = try handle.read(upToCount: count) ?? Data()
        guard data.count == count else { throw ArchiveError.fatal("short read while finalising zip") }
        return data
    }

    private static func le16(_ d: Data, _ i: Int) -> UInt16 {
        let s = d.startIndex + i
        return UInt16(d[s]) | UInt16(d[s + 1]) << 8
    }

    private static func le32(_ d: Data, _ i: Int) -> UInt32 {
        UInt32(le16(d, i)) | UInt32(le16(d, i + 2)) << 16
    }

    private static func le64(_ d: Data, _ i: Int) -> UInt64 {
        UInt64(le32(d, i)) | UInt64(le32(d, i + 4)) << 32
    }

    private static func put32(_ d: inout Data, _ i: Int, _ v: UInt32) {
        let s = d.startIndex + i
        for k in 0..<4 { d[s + k] = UInt8(truncatingIfNeeded: v >> (8 * UInt32(k))) }
    }
}
