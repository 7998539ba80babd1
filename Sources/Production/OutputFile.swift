import DiscloseCore
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// An append-only file written through a buffer, so load files and reports of any size are
/// written as they are produced instead of assembled in memory first.
final class OutputFile {
    let url: URL
    private let handle: FileHandle
    private var buffer = Data()
    private static let flushAt = 1 << 20

    init(_ url: URL) throws {
        self.url = url
        do {
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            guard FileManager.default.createFile(atPath: url.path, contents: nil) else {
                throw DiscloseError.io(path: url.path, message: "cannot create")
            }
            handle = try FileHandle(forWritingTo: url)
        } catch let e as DiscloseError { throw e } catch {
            throw DiscloseError.io(path: url.path, message: "cannot create: \(error.localizedDescription)")
        }
        buffer.reserveCapacity(Self.flushAt)
    }

    func write(_ s: String) throws { try write(Data(s.utf8)) }

    func write(_ d: Data) throws {
        buffer.append(d)
        if buffer.count >= Self.flushAt { try flush() }
    }

    private func flush() throws {
        guard !buffer.isEmpty else { return }
        do { try handle.write(contentsOf: buffer) } catch {
            throw DiscloseError.io(path: url.path, message: "cannot write: \(error.localizedDescription)")
        }
        buffer.removeAll(keepingCapacity: true)
    }

    /// A whole small file in one call. Foundation's `Data.write` syncs every file to disk, which
    /// cost a production of 100,000 text files more than writing them; the production is made
    /// whole (or not at all) by the move into place, and the zip is its durable form.
    static func write(_ data: Data, to url: URL) throws {
        let fd = open(url.path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw DiscloseError.io(path: url.path, message: "cannot create: \(String(cString: strerror(errno)))") }
        defer { _ = Glibc.close(fd) }
        try data.withUnsafeBytes { raw in
            var done = 0
            while done < raw.count {
                let n = Glibc.write(fd, raw.baseAddress! + done, raw.count - done)
                if n < 0 {
                    if errno == EINTR { continue }
                    throw DiscloseError.io(path: url.path, message: "cannot write: \(String(cString: strerror(errno)))")
                }
                done += n
            }
        }
    }

    func close() throws {
        try flush()
        do { try handle.close() } catch {
            throw DiscloseError.io(path: url.path, message: "cannot close: \(error.localizedDescription)")
        }
    }
}

/// A CSV report written row by row through the one CSV writer.
final class CSVFile {
    private let file: OutputFile
    init(_ url: URL, header: [String]) throws {
        file = try OutputFile(url)
        try file.write(CSVWriter.line(header))
    }
    func add(_ row: [String]) throws { try file.write(CSVWriter.line(row)) }
    func close() throws { try file.close() }
}

/// Records kept on disk between the passes of the package stage (length-prefixed JSON), read
/// back in the order written; a record can be found again by the offset it was written at.
final class Spool<T: Codable> {
    let url: URL
    private let out: OutputFile
    private(set) var offset: UInt64 = 0
    private let encoder = JSONEncoder()

    init(_ url: URL) throws {
        self.url = url
        out = try OutputFile(url)
    }

    /// Returns the offset the record starts at.
    @discardableResult
    func append(_ value: T) throws -> UInt64 {
        let body = try encoder.encode(value)
        var n = UInt32(body.count).littleEndian
        let at = offset
        try out.write(Data(bytes: &n, count: 4))
        try out.write(body)
        offset += 4 + UInt64(body.count)
        return at
    }

    func finishWriting() throws { try out.close() }

    /// Every record from `start` up to `end` (exclusive), in order, with the offset it starts at.
    /// Read in large blocks: a record is usually far smaller than a read call is worth.
    func read(from start: UInt64 = 0, to end: UInt64? = nil, _ body: (UInt64, T) throws -> Void) throws {
        let h: FileHandle
        do { h = try FileHandle(forReadingFrom: url) } catch {
            throw DiscloseError.io(path: url.path, message: "cannot read: \(error.localizedDescription)")
        }
        defer { try? h.close() }
        try h.seek(toOffset: start)
        let stop = end ?? offset
        var pos = start
        var buffer = Data()
        var at = 0
        let decoder = JSONDecoder()
        func need(_ n: Int) throws -> Bool {
            if buffer.count - at >= n { return true }
            buffer = buffer.subdata(in: at..<buffer.count)
            at = 0
            while buffer.count < n {
                guard let more = try h.read(upToCount: max(1 << 20, n - buffer.count)), !more.isEmpty else { return false }
                buffer.append(more)
            }
            return true
        }
        while pos < stop {
            guard try need(4) else { throw DiscloseError.integrity("\(url.lastPathComponent): truncated at \(pos)") }
            let n = Int(UInt32(buffer[at]) | UInt32(buffer[at + 1]) << 8 | UInt32(buffer[at + 2]) << 16 | UInt32(buffer[at + 3]) << 24)
            at += 4
            guard try need(n) else { throw DiscloseError.integrity("\(url.lastPathComponent): truncated at \(pos)") }
            try body(pos, decoder.decode(T.self, from: buffer.subdata(in: at..<(at + n))))
            at += n
            pos += 4 + UInt64(n)
        }
    }
}
