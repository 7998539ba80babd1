import CGsf
import Foundation

public struct OLEError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}

/// An OLE2 compound file (the container of .msg, .doc, .xls) read through libgsf.
/// Storages are folders, streams are files; names are what libgsf decodes from the directory.
public final class OLEFile {
    /// The eight bytes every compound file starts with.
    public static let magic: [UInt8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]

    public let root: OLEStorage

    static let initialiseGsf: Void = { gsf_init(); disclose_gsf_quiet() }()

    public convenience init(path: String) throws {
        _ = Self.initialiseGsf
        var err: UnsafeMutablePointer<GError>? = nil
        guard let input = gsf_input_stdio_new(path, &err) else {
            defer { if err != nil { g_error_free(err) } }
            throw OLEError("cannot open: \(Self.message(err))")
        }
        try self.init(input: input, buffer: nil)
    }

    public convenience init(data: Data) throws {
        _ = Self.initialiseGsf
        guard !data.isEmpty else { throw OLEError("empty") }
        let buffer = UnsafeMutableRawPointer.allocate(byteCount: data.count, alignment: 8)
        data.copyBytes(to: buffer.assumingMemoryBound(to: UInt8.self), count: data.count)
        guard let input = gsf_input_memory_new(buffer.assumingMemoryBound(to: UInt8.self), gsf_off_t(data.count), 0) else {
            buffer.deallocate()
            throw OLEError("cannot wrap bytes")
        }
        try self.init(input: input, buffer: buffer)
    }

    private init(input: OpaquePointer, buffer: UnsafeMutableRawPointer?) throws {
        var err: UnsafeMutablePointer<GError>? = nil
        guard let infile = gsf_infile_msole_new(input, &err) else {
            let m = Self.message(err)
            if err != nil { g_error_free(err) }
            disclose_gsf_unref_input(input)
            buffer?.deallocate()
            throw OLEError("not an OLE2 compound file: \(m)")
        }
        self.root = OLEStorage(infile: infile, name: "", backing: OLEBacking(source: input, buffer: buffer))
    }

    static func message(_ err: UnsafeMutablePointer<GError>?) -> String {
        guard let err, let m = err.pointee.message else { return "unknown error" }
        return String(cString: m)
    }
}

/// What every open storage needs kept alive: the source libgsf reads and, when opened from
/// memory, the bytes it reads without copying.
final class OLEBacking {
    let source: OpaquePointer
    let buffer: UnsafeMutableRawPointer?
    init(source: OpaquePointer, buffer: UnsafeMutableRawPointer?) {
        self.source = source; self.buffer = buffer
    }
    deinit {
        disclose_gsf_unref_input(source)
        buffer?.deallocate()
    }
}

/// A storage (folder) inside a compound file. Children are opened on demand and released when
/// the Swift object goes away, so walking a large file holds only the path being read.
public final class OLEStorage {
    public let name: String
    private let infile: OpaquePointer?
    private let backing: OLEBacking

    init(infile: OpaquePointer?, name: String, backing: OLEBacking) {
        self.infile = infile; self.name = name; self.backing = backing
    }

    deinit { disclose_gsf_unref_infile(infile) }

    public struct Entry: Sendable, Equatable {
        public var name: String
        public var isStorage: Bool
        public var size: Int64
    }

    /// Children in directory order.
    public var entries: [Entry] {
        guard let infile else { return [] }
        let n = Int(gsf_infile_num_children(infile))
        guard n > 0 else { return [] }
        var out: [Entry] = []
        out.reserveCapacity(n)
        for i in 0..<n {
            guard let cname = gsf_infile_name_by_index(infile, Int32(i)) else { continue }
            let child = gsf_infile_child_by_index(infile, Int32(i))
            defer { disclose_gsf_unref_input(child) }
            out.append(Entry(name: String(cString: cname), isStorage: disclose_gsf_is_storage(child) != 0,
                             size: child.map { Int64(gsf_input_size($0)) } ?? 0))
        }
        return out
    }

    public func has(_ name: String) -> Bool {
        guard let infile, let child = gsf_infile_child_by_name(infile, name) else { return false }
        disclose_gsf_unref_input(child)
        return true
    }

    public func storage(_ name: String) -> OLEStorage? {
        guard let infile, let child = gsf_infile_child_by_name(infile, name) else { return nil }
        guard disclose_gsf_is_storage(child) != 0 else { disclose_gsf_unref_input(child); return nil }
        return OLEStorage(infile: disclose_gsf_as_infile(child), name: name, backing: backing)
    }

    /// The whole stream, or nil when there is no such stream. Streams larger than `limit`
    /// throw rather than allocate what a corrupt size field claims.
    public func stream(_ name: String, limit: Int64 = 1 << 30) throws -> Data? {
        guard let infile, let child = gsf_infile_child_by_name(infile, name) else { return nil }
        defer { disclose_gsf_unref_input(child) }
        guard disclose_gsf_is_storage(child) == 0 else { return nil }
        return try Self.readAll(child, name: name, limit: limit)
    }

    static func readAll(_ input: OpaquePointer, name: String, limit: Int64) throws -> Data {
        let size = Int64(gsf_input_size(input))
        guard size >= 0 else { throw OLEError("stream \(name): negative size") }
        guard size <= limit else { throw OLEError("stream \(name) of \(size) bytes is over the \(limit)-byte limit") }
        var data = Data()
        data.reserveCapacity(Int(size))
        var remaining = size
        let chunk: Int64 = 1 << 20
        while remaining > 0 {
            let n = Int(min(chunk, remaining))
            guard let p = gsf_input_read(input, n, nil) else {
                throw OLEError("stream \(name) damaged: read failed after \(size - remaining) of \(size) bytes")
            }
            data.append(p, count: n)
            remaining -= Int64(n)
        }
        return data
    }
}
