import ArchiveKit
import DiscloseCore
import Foundation

/// zip, tar (plain or gz/bz2/xz/zstd), 7z, rar, cpio, and lone compressed files, through
/// libarchive. Each entry goes back to the dispatcher. Met as an attachment the archive is a
/// family member (a container item with its entries as children); met as a source, or inside
/// a source archive, it is only walked through.
public struct ArchiveFormatReader: Reader {
    public let name = "archive"
    public let mediaTypes = ["application/zip", "application/x-tar", "application/x-7z-compressed"]
    public init() {}

    enum Magic { case zip, tar, sevenZip, rar, compressed, none }

    static func magic(_ h: [UInt8]) -> Magic {
        func at(_ o: Int, _ bytes: [UInt8]) -> Bool { h.count >= o + bytes.count && Array(h[o..<o + bytes.count]) == bytes }
        if at(0, [0x50, 0x4B, 0x03, 0x04]) || at(0, [0x50, 0x4B, 0x05, 0x06]) || at(0, [0x50, 0x4B, 0x07, 0x08]) { return .zip }
        if at(0, [0x37, 0x7A, 0xBC, 0xAF, 0x27, 0x1C]) { return .sevenZip }
        if at(0, Array("Rar!\u{1A}\u{07}".utf8)) { return .rar }
        if at(257, Array("ustar".utf8)) { return .tar }
        if at(0, [0x1F, 0x8B]) || at(0, Array("BZh".utf8)) || at(0, [0xFD, 0x37, 0x7A, 0x58, 0x5A, 0x00])
            || at(0, [0x28, 0xB5, 0x2F, 0xFD]) { return .compressed }
        return .none
    }

    /// Office Open XML and OpenDocument files are zips, but they are documents, not folders.
    static func isOfficeZip(_ h: [UInt8]) -> Bool {
        guard h.count > 30 else { return false }
        let nameLen = Int(h[26]) | Int(h[27]) << 8
        guard h.count >= 30 + nameLen else { return false }
        let first = String(decoding: h[30..<30 + nameLen], as: UTF8.self)
        return first == "[Content_Types].xml" || first == "mimetype" || first.hasPrefix("word/")
            || first.hasPrefix("xl/") || first.hasPrefix("ppt/") || first == "_rels/.rels"
    }

    public func confidence(_ input: inout Input) -> Int {
        guard !input.isDirectory else { return 0 }
        switch Self.magic(input.head) {
        case .zip: return Self.isOfficeZip(input.head) ? 0 : 90
        case .tar, .sevenZip, .rar: return 90
        case .compressed: return 80
        case .none: return 0
        }
    }

    /// libarchive names the file it read; that is a blob or source path on this machine, which
    /// must not make two runs' exception reports differ. The item's own path says where.
    static func scrub(_ error: Error, _ paths: [String]) -> String {
        var m = "\(error)"
        for p in paths where !p.isEmpty { m = m.replacingOccurrences(of: p + ": ", with: "").replacingOccurrences(of: p, with: "(archive)") }
        return m
    }

    public func read(_ input: inout Input, _ context: ExtractContext) throws {
        var readPaths = [input.url.path]
        let reader: ArchiveReader
        do {
            reader = try ArchiveReader(path: input.url.path, passphrases: context.passwords,
                                       allowRaw: Self.magic(input.head) == .compressed)
        } catch {
            // A truncated .gz: libarchive gives nothing back, so decompress what is there with
            // zlib and read the (truncated) inner archive; the cut is then reported per entry.
            guard input.head.starts(with: [0x1F, 0x8B]) else { throw ReadFailure("cannot open archive: \(Self.scrub(error, readPaths))") }
            let d = try context.storeBlob { w in
                let tmp = FileManager.default.temporaryDirectory.appendingPathComponent("disclose-gunzip-\(UUID().uuidString)")
                defer { try? FileManager.default.removeItem(at: tmp) }
                let r = try Gunzip.decompress(input.url, to: tmp)
                guard r.bytesOut > 0 else { throw ReadFailure("cannot open archive: \(Self.scrub(error, readPaths))") }
                guard let h = FileHandle(forReadingAtPath: tmp.path) else { throw ReadFailure("cannot reopen decompressed data") }
                defer { try? h.close() }
                while let c = try h.read(upToCount: 1 << 20), !c.isEmpty { try w.write(c) }
            }
            let recovered = context.blobs.url(for: d.sha256)
            readPaths.append(recovered.path)
            guard let r = try? ArchiveReader(path: recovered.path, passphrases: context.passwords, allowRaw: false) else {
                throw ReadFailure("cannot open archive: \(Self.scrub(error, readPaths))")
            }
            reader = r
        }

        var childParent = input.parentKey
        if input.parentKey != nil {
            let item = try context.emit(&input, kind: .container, format: "archive")
            childParent = item.key
        }
        var ordinal = 0
        var lastName = "(start)"
        var brokeMidEntry = false
        while true {
            let entry: ArchiveEntry?
            do { entry = try reader.nextEntry() } catch {
                if !brokeMidEntry {
                    ordinal += 1
                    try context.exception(key: DocKey.child(of: input.key, ordinal), parentKey: childParent,
                                          path: input.path + "!/" + "(after \(lastName))",
                                          reason: "archive damaged or truncated: \(Self.scrub(error, readPaths))")
                }
                return
            }
            guard let e = entry else { return }
            if e.isDirectory { try reader.skipData(); continue }
            ordinal += 1
            lastName = e.pathname
            let entryName = reader.isRaw ? Self.decompressedName(input.name) : e.pathname
            let base = (entryName as NSString).lastPathComponent
            let key = DocKey.child(of: input.key, ordinal)
            let path = input.path + "!/" + entryName
            guard e.isRegularFile else {
                try reader.skipData()
                try context.exception(key: key, parentKey: childParent, path: path,
                                      reason: "archive entry is not a regular file (link or device); not followed")
                continue
            }
            let digests: Digests
            do {
                digests = try context.storeBlob { w in try reader.readData { try w.write($0) } }
            } catch let err as ArchiveError {
                let reason: String
                if case .encrypted = err {
                    reason = context.passwords.isEmpty ? "encrypted; no password given for this source"
                        : "encrypted; none of the \(context.passwords.count) password(s) given fits"
                } else {
                    reason = "entry damaged or truncated: \(Self.scrub(err, readPaths))"
                    brokeMidEntry = true
                }
                try context.exception(key: key, parentKey: childParent, path: path, reason: reason)
                continue
            }
            var child = Input(url: context.blobs.url(for: digests.sha256), name: base.isEmpty ? "entry-\(ordinal)" : base,
                              path: path, key: key, parentKey: childParent, folder: input.folder,
                              digests: digests, isDirectory: false, declaredType: nil, depth: input.depth + 1)
            if input.folder.isEmpty, input.parentKey == nil {
                let dir = EntryPath.folder(of: entryName)
                child.folder = dir
            }
            try context.dispatch(child)
        }
    }

    static func decompressedName(_ name: String) -> String {
        let ext = (name as NSString).pathExtension.lowercased()
        if ["gz", "bz2", "xz", "zst", "z"].contains(ext) { return (name as NSString).deletingPathExtension }
        if ext == "tgz" { return (name as NSString).deletingPathExtension + ".tar" }
        return name + ".out"
    }
}
