import DiscloseCore
import Foundation

/// A folder given as a source: plain folders are walked in name order; a Maildir (cur/new/tmp)
/// yields its files as messages, with Maildir++ subfolders (`.Sent`) as mail folders.
/// Names are read as bytes (RawFileSystem): a name that is not UTF-8 is still read, and shown
/// with its odd bytes escaped.
public struct DirectoryReader: Reader {
    public let name = "directory"
    public let mediaTypes = ["inode/directory"]
    public init() {}

    public func confidence(_ input: inout Input) -> Int { input.isDirectory ? 100 : 0 }

    public func read(_ input: inout Input, _ context: ExtractContext) throws {
        let dirPath = input.rawPath ?? Array(input.url.path.utf8)
        let names = try RawFileSystem.list(dirPath)
        // A Maildir has cur/ and new/; exports often drop the empty one.
        let isMaildir = names.contains(Array("cur".utf8)) || names.contains(Array("new".utf8))
        for (i, raw) in names.enumerated() {
            let n = RawFileSystem.displayName(raw)
            if isMaildir, Self.isMaildirMetadata(n) { continue }
            guard var child = try entry(raw, in: dirPath, of: input, ordinal: i + 1, context) else { continue }
            child.folder = input.folder
            if isMaildir {
                if ["cur", "new", "tmp"].contains(n) {
                    if child.isDirectory {
                        try readMaildirMessages(child, folder: input.folder.isEmpty ? "INBOX" : input.folder, context)
                        continue
                    }
                } else if n.hasPrefix("."), child.isDirectory {
                    // Maildir++: ".Sent.2024" is the folder Sent/2024.
                    child.folder = String(n.dropFirst()).replacingOccurrences(of: ".", with: "/")
                }
            } else if child.isDirectory {
                child.folder = input.folder.isEmpty ? n : input.folder + "/" + n
            }
            try context.dispatch(child)
        }
    }

    private func readMaildirMessages(_ dir: Input, folder: String, _ context: ExtractContext) throws {
        let dirPath = dir.rawPath ?? Array(dir.url.path.utf8)
        let names: [[UInt8]]
        do { names = try RawFileSystem.list(dirPath) } catch {
            try context.exception(dir, "\(error)")
            return
        }
        for (i, raw) in names.enumerated() {
            // Maildir: names starting with "." are not messages (the spec reserves them).
            if raw.first == 0x2E { continue }
            guard var child = try entry(raw, in: dirPath, of: dir, ordinal: i + 1, context) else { continue }
            child.folder = folder
            if !child.isDirectory { child.declaredType = "message/rfc822" }
            try context.dispatch(child)
        }
    }

    /// The input for one name in a folder, or nil when it is recorded as an exception instead
    /// (a link, a device or pipe, a file gone or unreadable).
    private func entry(_ raw: [UInt8], in dirPath: [UInt8], of parent: Input, ordinal: Int,
                       _ context: ExtractContext) throws -> Input? {
        let n = RawFileSystem.displayName(raw)
        let path = dirPath + [0x2F] + raw
        var child = Input(url: parent.url.appendingPathComponent(n), name: n, path: parent.path + "/" + n,
                          key: DocKey.child(of: parent.key, ordinal), parentKey: parent.parentKey,
                          folder: parent.folder, digests: nil, isDirectory: false, declaredType: nil, depth: parent.depth)
        guard let status = RawFileSystem.status(path) else {
            try context.exception(child, "vanished while reading")
            return nil
        }
        switch status.kind {
        case .symlink:
            try context.exception(child, "symbolic link not followed")
            return nil
        case .other:
            // Reading a pipe would wait forever; a device is not a document.
            try context.exception(child, "not a regular file (device, pipe or socket); not read")
            return nil
        case .directory:
            child.isDirectory = true
            if !RawFileSystem.isUTF8(path) { child.rawPath = path }
        case .file:
            if !RawFileSystem.isUTF8(path) {
                // No URL reaches this file; its bytes are taken now, through the byte path.
                do {
                    let d = try context.storeBlob { w in try RawFileSystem.stream(path) { try w.write($0) } }
                    child.url = context.blobs.url(for: d.sha256)
                    child.digests = d
                } catch let e as ReadFailure {
                    try context.exception(child, e.description)
                    return nil
                }
            }
        }
        return child
    }

    /// Mail-server bookkeeping that sits beside a Maildir's folders: structure, not content,
    /// like the folder entries themselves (documented in docs/maildir.md).
    static func isMaildirMetadata(_ n: String) -> Bool {
        n == "maildirfolder" || n.hasPrefix("dovecot") || n.hasPrefix("courier") || n == "subscriptions" || n == ".gitkeep"
    }

    /// Byte order of the UTF-8 names: the same on every machine and locale.
    static func byteOrder(_ a: String, _ b: String) -> Bool { Array(a.utf8).lexicographicallyPrecedes(Array(b.utf8)) }
}
