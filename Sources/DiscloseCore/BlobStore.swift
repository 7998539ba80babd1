import Foundation

/// Extracted bytes, stored once per SHA-256 under `blobs/ab/cd/<sha256>`.
/// Writes go to a temporary file first and are renamed into place, so a kill at any
/// moment leaves either a whole blob or none.
public final class BlobStore: @unchecked Sendable {
    public let root: URL
    private let tmp: URL

    public init(root: URL) throws {
        self.root = root
        self.tmp = root.appendingPathComponent("tmp")
        try FileManager.default.createDirectory(at: tmp, withIntermediateDirectories: true)
    }

    /// One level of 256 folders: a million blobs is 4,000 a folder, and a new blob rarely
    /// needs a new folder.
    public func url(for sha256: String) -> URL {
        root.appendingPathComponent(String(sha256.prefix(2))).appendingPathComponent(sha256)
    }

    public func contains(_ sha256: String) -> Bool {
        FileManager.default.fileExists(atPath: url(for: sha256).path)
    }

    public func read(_ sha256: String) throws -> Data {
        do { return try Data(contentsOf: url(for: sha256)) } catch {
            throw DiscloseError.io(path: url(for: sha256).path, message: "blob missing or unreadable")
        }
    }

    /// Starts a streamed write; call `write` with chunks, then `commit`.
    public func writer() throws -> BlobWriter { try BlobWriter(store: self, dir: tmp) }

    /// Bytes already in memory: hashed first, written only when the blob is new, in one write
    /// and a rename (a mailbox of 50,000 messages is 50,000 of these).
    public func put(_ data: Data) throws -> Digests {
        var h = MultiHasher()
        h.update(data)
        let d = h.finish()
        let dest = url(for: d.sha256)
        if FileManager.default.fileExists(atPath: dest.path) { return d }
        let tmpFile = tmp.appendingPathComponent(UUID().uuidString)
        // Plain write(2): Foundation's Data.write fsyncs every file, which made extraction wait on
        // the disk once per message. Durability comes from `flushToDisk` once per unit of work.
        let fd = open(tmpFile.path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard fd >= 0 else { throw DiscloseError.io(path: tmpFile.path, message: "cannot create blob: \(String(cString: strerror(errno)))") }
        let ok = data.withUnsafeBytes { buf -> Bool in
            var off = 0
            while off < buf.count {
                let n = write(fd, buf.baseAddress! + off, buf.count - off)
                if n <= 0 { return false }
                off += n
            }
            return true
        }
        close(fd)
        guard ok else { throw DiscloseError.io(path: tmpFile.path, message: "cannot write blob: \(String(cString: strerror(errno)))") }
        try adopt(tmpFile, digests: d)
        return d
    }

    /// Makes every blob written so far durable (one sync(2)), called before a unit of work that
    /// refers to them is committed to the case store.
    public func flushToDisk() { sync() }

    private let dirLock = NSLock()
    private var madeDirs = Set<String>()

    fileprivate func ensureDirectory(_ dir: URL) throws {
        dirLock.lock()
        let known = madeDirs.contains(dir.path)
        dirLock.unlock()
        if known { return }
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        dirLock.lock()
        madeDirs.insert(dir.path)
        dirLock.unlock()
    }

    fileprivate func adopt(_ file: URL, digests: Digests) throws {
        let dest = url(for: digests.sha256)
        let fm = FileManager.default
        if fm.fileExists(atPath: dest.path) {
            try? fm.removeItem(at: file)
            return
        }
        try ensureDirectory(dest.deletingLastPathComponent())
        if rename(file.path, dest.path) != 0 {
            // Another writer may have put the same content in place meanwhile.
            if !fm.fileExists(atPath: dest.path) {
                throw DiscloseError.io(path: dest.path, message: "cannot store blob: \(String(cString: strerror(errno)))")
            }
            try? fm.removeItem(at: file)
        }
    }
}

public final class BlobWriter {
    private let store: BlobStore
    private let file: URL
    private let handle: FileHandle
    private var hasher = MultiHasher()
    private var buffer = Data()
    private var done = false

    init(store: BlobStore, dir: URL) throws {
        self.store = store
        file = dir.appendingPathComponent(UUID().uuidString)
        guard FileManager.default.createFile(atPath: file.path, contents: nil),
              let h = FileHandle(forWritingAtPath: file.path) else {
            throw DiscloseError.io(path: file.path, message: "cannot create temporary blob")
        }
        handle = h
    }

    public var bytesWritten: Int64 { hasher.count }

    public func write(_ data: Data) throws {
        hasher.update(data)
        buffer.append(data)
        if buffer.count >= 1 << 20 { try flush() }
    }

    public func write(_ bytes: UnsafeRawBufferPointer) throws {
        hasher.update(bytes)
        buffer.append(contentsOf: bytes)
        if buffer.count >= 1 << 20 { try flush() }
    }

    private func flush() throws {
        do { try handle.write(contentsOf: buffer) } catch { throw failure(error) }
        buffer.removeAll(keepingCapacity: true)
    }

    /// A write to the blob store that fails is this machine's problem (usually a full disk), not
    /// the input's: as a DiscloseError it ends the run with exit 3 instead of being recorded as
    /// the item's exception while every later item fails the same way.
    private func failure(_ error: Error) -> DiscloseError {
        DiscloseError.outOfSpace(error, path: file.path)
            ?? .io(path: file.path, message: "cannot write blob: \(error.localizedDescription)")
    }

    public func commit() throws -> Digests {
        try flush()
        do { try handle.close() } catch { throw failure(error) }
        done = true
        let d = hasher.finish()
        try store.adopt(file, digests: d)
        return d
    }

    public func abandon() {
        guard !done else { return }
        done = true
        try? handle.close()
        try? FileManager.default.removeItem(at: file)
    }

    deinit { abandon() }
}
