import Foundation
import XCTest
@testable import ArchiveKit

/// Fixtures are built at test time so the repository carries no binary archives.
final class TempDir: Sendable {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory
            .appendingPathComponent("archivekit-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    func path(_ name: String) -> String { url.appendingPathComponent(name).path }

    deinit { try? FileManager.default.removeItem(at: url) }
}

struct ReadResult {
    var entries: [(entry: ArchiveEntry, data: Data)] = []
    var names: [String] { entries.map(\.entry.pathname) }

    func data(_ name: String) -> Data? { entries.first { $0.entry.pathname == name }?.data }
}

enum Fixture {
    /// Writes an archive with libarchive itself (internal `ArchiveWriter`), covering formats and
    /// encryption that python's stdlib cannot produce.
    static func write(_ path: String, format: String, filters: [String] = [], options: String? = nil,
                      passphrase: String? = nil, entries: [(String, Data)]) throws {
        let w = try ArchiveWriter(path: path, format: format, filters: filters, options: options,
                                  passphrase: passphrase)
        for (name, data) in entries {
            if name.hasSuffix("/") {
                try w.header(name, directory: true, size: 0, mtime: 1_600_000_000)
            } else {
                try w.header(name, directory: false, size: Int64(data.count), mtime: 1_600_000_000)
                try w.write(data, entryName: name)
            }
        }
        try w.close()
    }

    static func readAll(_ path: String, passphrases: [String] = [], allowRaw: Bool = false) throws -> ReadResult {
        let reader = try ArchiveReader(path: path, passphrases: passphrases, allowRaw: allowRaw)
        var result = ReadResult()
        while let entry = try reader.nextEntry() {
            var data = Data()
            try reader.readData { data.append(contentsOf: $0) }
            result.entries.append((entry, data))
        }
        return result
    }

    static func randomData(_ count: Int, seed: UInt64) -> Data {
        var state = seed
        var data = Data(capacity: count)
        for _ in 0..<count {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            data.append(UInt8(truncatingIfNeeded: state >> 33))
        }
        return data
    }

    /// A stored zip with names taken byte for byte and no UTF-8 flag, the way old Windows and
    /// macOS tools wrote them.
    static func rawNameZip(_ entries: [([UInt8], Data)]) -> Data {
        var out = Data(), central = Data()
        for (name, data) in entries {
            let crc = crc32(data)
            let offset = UInt32(out.count)
            out.append(le32(0x0403_4b50)); out.append(le16(10)); out.append(le16(0)); out.append(le16(0))
            out.append(le16(0)); out.append(le16(0x21)); out.append(le32(crc))
            out.append(le32(UInt32(data.count))); out.append(le32(UInt32(data.count)))
            out.append(le16(UInt16(name.count))); out.append(le16(0))
            out.append(contentsOf: name); out.append(data)
            central.append(le32(0x0201_4b50)); central.append(le16(20)); central.append(le16(10))
            central.append(le16(0)); central.append(le16(0)); central.append(le16(0)); central.append(le16(0x21))
            central.append(le32(crc)); central.append(le32(UInt32(data.count))); central.append(le32(UInt32(data.count)))
            central.append(le16(UInt16(name.count))); central.append(le16(0)); central.append(le16(0))
            central.append(le16(0)); central.append(le16(0)); central.append(le32(0)); central.append(le32(offset))
            central.append(contentsOf: name)
        }
        let cdOffset = UInt32(out.count)
        out.append(central)
        out.append(le32(0x0605_4b50)); out.append(le16(0)); out.append(le16(0))
        out.append(le16(UInt16(entries.count))); out.append(le16(UInt16(entries.count)))
        out.append(le32(UInt32(central.count))); out.append(le32(cdOffset)); out.append(le16(0))
        return out
    }

    /// A ustar archive with raw name bytes (a Latin-1 system's tar).
    static func rawNameTar(_ entries: [([UInt8], Data)]) -> Data {
        var out = Data()
        for (name, data) in entries {
            var h = [UInt8](repeating: 0, count: 512)
            func put(_ s: [UInt8], _ at: Int) { for (i, b) in s.enumerated() { h[at + i] = b } }
            func octal(_ v: Int, _ width: Int) -> [UInt8] {
                Array(String(v, radix: 8).leftPadded(to: width - 1).utf8) + [0]
            }
            put(name, 0)
            put(octal(0o644, 8), 100); put(octal(0, 8), 108); put(octal(0, 8), 116)
            put(octal(data.count, 12), 124); put(octal(1_600_000_000, 12), 136)
            put(Array(repeating: 0x20, count: 8), 148)
            h[156] = UInt8(ascii: "0")
            put(Array("ustar".utf8) + [0], 257); put(Array("00".utf8), 263)
            let sum = h.reduce(0) { $0 + Int($1) }
            put(Array(String(sum, radix: 8).leftPadded(to: 6).utf8) + [0, 0x20], 148)
            out.append(contentsOf: h)
            out.append(data)
            let pad = (512 - data.count % 512) % 512
            out.append(Data(count: pad))
        }
        out.append(Data(count: 1024))
        return out
    }

    static func crc32(_ data: Data) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in data {
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
        }
        return ~crc
    }

    private static func le16(_ v: UInt16) -> Data { Data([UInt8(v & 0xFF), UInt8(v >> 8)]) }
    private static func le32(_ v: UInt32) -> Data { Data((0..<4).map { UInt8(truncatingIfNeeded: v >> (8 * $0)) }) }
}

extension String {
    func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}

/// Runs python3 for an independent opinion on our zips; nil when python3 is absent.
func python3(_ script: String, _ args: [String]) throws -> String? {
    let candidates = ["/usr/bin/python3", "/usr/local/bin/python3"]
    guard let exe = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else { return nil }
    let p = Process()
    p.executableURL = URL(fileURLWithPath: exe)
    p.arguments = ["-c", script] + args
    let out = Pipe()
    p.standardOutput = out
    p.standardError = out
    try p.run()
    let data = out.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    let text = String(decoding: data, as: UTF8.self)
    guard p.terminationStatus == 0 else {
        XCTFail("python3 failed: \(text)")
        return text
    }
    return text
}
