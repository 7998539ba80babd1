import Crypto
import Foundation

/// SHA-256 (the production's integrity hash), SHA-1 and MD5 (courts and load files still ask
/// for them) computed in one pass over a stream.
public struct MultiHasher {
    private var sha256 = SHA256()
    private var sha1 = Insecure.SHA1()
    private var md5 = Insecure.MD5()
    public private(set) var count: Int64 = 0

    public init() {}

    public mutating func update(_ bytes: UnsafeRawBufferPointer) {
        sha256.update(bufferPointer: bytes)
        sha1.update(bufferPointer: bytes)
        md5.update(bufferPointer: bytes)
        count += Int64(bytes.count)
    }

    public mutating func update(_ data: Data) {
        data.withUnsafeBytes { update($0) }
    }

    public mutating func update(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { update($0) }
    }

    public func finish() -> Digests {
        Digests(sha256: hex(sha256.finalize()), sha1: hex(sha1.finalize()), md5: hex(md5.finalize()), size: count)
    }
}

public struct Digests: Sendable, Equatable {
    public var sha256: String
    public var sha1: String
    public var md5: String
    public var size: Int64
}

public enum Hash {
    public static func sha256(_ data: Data) -> String { hex(SHA256.hash(data: data)) }
    public static func sha256(_ s: String) -> String { sha256(Data(s.utf8)) }
    public static func md5(_ s: String) -> String { hex(Insecure.MD5.hash(data: Data(s.utf8))) }
    public static func md5(_ data: Data) -> String { hex(Insecure.MD5.hash(data: data)) }

    /// SHA-256 of a file, read in chunks so memory stays flat.
    public static func sha256(file url: URL) throws -> (hash: String, size: Int64) {
        guard let h = FileHandle(forReadingAtPath: url.path) else {
            throw DiscloseError.io(path: url.path, message: "cannot open")
        }
        defer { try? h.close() }
        var hasher = SHA256()
        var size: Int64 = 0
        while let chunk = try h.read(upToCount: 1 << 20), !chunk.isEmpty {
            hasher.update(data: chunk)
            size += Int64(chunk.count)
        }
        return (hex(hasher.finalize()), size)
    }
}

func hex<D: Sequence>(_ digest: D) -> String where D.Element == UInt8 {
    let digits: [UInt8] = Array("0123456789abcdef".utf8)
    var out = [UInt8]()
    out.reserveCapacity(64)
    for b in digest {
        out.append(digits[Int(b >> 4)])
        out.append(digits[Int(b & 0xF)])
    }
    return String(decoding: out, as: UTF8.self)
}
