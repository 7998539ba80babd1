import DiscloseCore
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// File names as the file system holds them: bytes. Foundation decodes names as UTF-8 with
/// replacement, so a file called `caf\xE9.txt` (Latin-1, from an old share or a zip unpacked
/// by hand) comes back as a name that opens nothing. Folders are listed and files opened
/// through these byte paths; only what is shown in reports is made a string.
enum RawFileSystem {
    enum Kind { case file, directory, symlink, other }

    struct Status { var kind: Kind; var size: Int64; var mtimeNanos: Int64 }

    /// Names in a folder (without `.` and `..`), in byte order: the same on every machine.
    static func list(_ path: [UInt8]) throws -> [[UInt8]] {
        guard let dir = withCPath(path, { opendir($0) }) else {
            throw ReadFailure("cannot list folder: \(String(cString: strerror(errno)))")
        }
        defer { closedir(dir) }
        var names: [[UInt8]] = []
        while let entry = readdir(dir) {
            let name: [UInt8] = withUnsafePointer(to: &entry.pointee.d_name) {
                $0.withMemoryRebound(to: UInt8.self, capacity: 256) { p in
                    Array(UnsafeBufferPointer(start: p, count: strlen(UnsafeRawPointer(p).assumingMemoryBound(to: CChar.self))))
                }
            }
            if name == [0x2E] || name == [0x2E, 0x2E] { continue }
            names.append(name)
        }
        return names.sorted { $0.lexicographicallyPrecedes($1) }
    }

    /// lstat: links are reported as links, never followed, unless `followLink` (a source named
    /// in the job may be a link; what is inside it is not followed).
    static func status(_ path: [UInt8], followLink: Bool = false) -> Status? {
        var st = stat()
        guard withCPath(path, { followLink ? stat($0, &st) : lstat($0, &st) }) == 0 else { return nil }
        let kind: Kind
        switch st.st_mode & S_IFMT {
        case S_IFREG: kind = .file
        case S_IFDIR: kind = .directory
        case S_IFLNK: kind = .symlink
        default: kind = .other
        }
        #if canImport(Darwin)
        let mtime = Int64(st.st_mtimespec.tv_sec) * 1_000_000_000 + Int64(st.st_mtimespec.tv_nsec)
        #else
        let mtime = Int64(st.st_mtim.tv_sec) * 1_000_000_000 + Int64(st.st_mtim.tv_nsec)
        #endif
        return Status(kind: kind, size: Int64(st.st_size), mtimeNanos: mtime)
    }

    /// Streams a file's bytes in chunks.
    static func stream(_ path: [UInt8], _ body: (Data) throws -> Void) throws {
        let fd = withCPath(path) { open($0, O_RDONLY) }
        guard fd >= 0 else { throw ReadFailure("cannot open: \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        var buffer = [UInt8](repeating: 0, count: 1 << 20)
        while true {
            let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw ReadFailure("read failed: \(String(cString: strerror(errno)))")
            }
            if n == 0 { return }
            try body(Data(buffer[0..<n]))
        }
    }

    /// A name for reports and load files: valid UTF-8 as it is, any other byte as `\xNN`, so two
    /// different names never show alike and a reviewer can find the file.
    static func displayName(_ bytes: [UInt8]) -> String {
        if let s = String(validating: bytes, as: UTF8.self) { return s }
        var out = ""
        var i = 0
        while i < bytes.count {
            // The longest valid UTF-8 sequence starting here, else one escaped byte.
            var taken = false
            for len in (1...4).reversed() where i + len <= bytes.count {
                if let s = String(validating: bytes[i..<i + len], as: UTF8.self) {
                    out += s; i += len; taken = true; break
                }
            }
            if !taken { out += String(format: "\\x%02X", bytes[i]); i += 1 }
        }
        return out
    }

    static func isUTF8(_ bytes: [UInt8]) -> Bool { String(validating: bytes, as: UTF8.self) != nil }

    private static func withCPath<T>(_ path: [UInt8], _ body: (UnsafePointer<CChar>) -> T) -> T {
        (path + [0]).withUnsafeBufferPointer { buf in
            buf.baseAddress!.withMemoryRebound(to: CChar.self, capacity: buf.count) { body($0) }
        }
    }
}
