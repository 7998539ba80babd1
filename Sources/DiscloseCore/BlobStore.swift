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

    public func url(for sha256: String) -> URL {
        let a = sha256.prefix(2), b = sha256.dropFirst(2).prefix(2)
        return root.appendingPathComponent(String(a)).appendingPathComponent(String(b))
            .appendingPathComponent(sha256)
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

    public func put(_ data: Data) throws -> Digests {
        let w = try writer()
        try w.write(data)
        return try w.commit()
    }

    fileprivate func adopt(_ file: URL, digests: Digests) throws {
        let dest = url(for: digests.sha256)
        let fm = FileManager.default
        if fm.fileExists(atPath: dest.path) {
            try? fm.removeItem(at: file)
            return
        }
        try fm.createDirectory(at: dest.deletingLastPathComponent(), withIntermediateDirectories: true)
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
        try handle.write(contentsOf: buffer)
        buffer.removeAll(keepingCapacity: true)
    }

    public func commit() throws -> Digests {
        try flush()
        try handle.close()
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
