import CZlib
import Foundation

/// Streaming gzip decompression that keeps what it could decompress when the input is cut
/// short. libarchive's gzip filter only hands data on when its output buffer fills or the
/// stream ends, so a small truncated .tar.gz loses even its complete first entries; this
/// recovers them for a second read of the (truncated) tar.
public enum Gunzip {
    public struct Result { public var bytesOut: Int64; public var truncated: Bool; public var error: String? }

    public static func decompress(_ input: URL, to output: URL, limit: Int64 = 8 << 30) throws -> Result {
        guard let inH = FileHandle(forReadingAtPath: input.path) else { throw ArchiveError.open("cannot open \(input.path)") }
        defer { try? inH.close() }
        guard FileManager.default.createFile(atPath: output.path, contents: nil),
              let outH = FileHandle(forWritingAtPath: output.path) else { throw ArchiveError.open("cannot create \(output.path)") }
        defer { try? outH.close() }
        var z = z_stream()
        // 15 + 32: a zlib or gzip header, detected.
        guard inflateInit2_(&z, 15 + 32, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw ArchiveError.open("zlib could not start")
        }
        defer { inflateEnd(&z) }
        var out = [UInt8](repeating: 0, count: 1 << 16)
        var total: Int64 = 0
        var ended = false
        while !ended {
            guard let chunk = try inH.read(upToCount: 1 << 16), !chunk.isEmpty else { break }
            var input = [UInt8](chunk)
            let status: Int32 = input.withUnsafeMutableBufferPointer { inBuf in
                z.next_in = inBuf.baseAddress
                z.avail_in = uInt(inBuf.count)
                var st: Int32 = Z_OK
                repeat {
                    st = out.withUnsafeMutableBufferPointer { o in
                        z.next_out = o.baseAddress
                        z.avail_out = uInt(o.count)
                        let r = inflate(&z, Z_SYNC_FLUSH)
                        let produced = o.count - Int(z.avail_out)
                        if produced > 0 { outH.write(Data(o[0..<produced])) }
                        total += Int64(produced)
                        return r
                    }
                } while st == Z_OK && (z.avail_in > 0 || z.avail_out == 0) && total < limit
                return st
            }
            if status == Z_STREAM_END { ended = true; break }
            if status != Z_OK && status != Z_BUF_ERROR {
                return Result(bytesOut: total, truncated: true, error: "gzip data damaged (zlib \(status))")
            }
            if total >= limit { return Result(bytesOut: total, truncated: true, error: "over the \(limit)-byte limit") }
        }
        return Result(bytesOut: total, truncated: !ended, error: ended ? nil : "gzip input ends early")
    }
}
