import DiscloseCore
import Foundation

/// A folder given as a source: plain folders are walked in name order; a Maildir (cur/new/tmp)
/// yields its files as messages, with Maildir++ subfolders (`.Sent`) as mail folders.
public struct DirectoryReader: Reader {
    public let name = "directory"
    public let mediaTypes = ["inode/directory"]
    public init() {}

    public func confidence(_ input: inout Input) -> Int { input.isDirectory ? 100 : 0 }

    public func read(_ input: inout Input, _ context: ExtractContext) throws {
        let fm = FileManager.default
        let names: [String]
        do { names = try fm.contentsOfDirectory(atPath: input.url.path).sorted(by: Self.byteOrder) } catch {
            throw ReadFailure("cannot list folder: \(error.localizedDescription)")
        }
        // A Maildir has cur/ and new/; exports often drop the empty one.
        let isMaildir = names.contains("cur") || names.contains("new")
        for (i, n) in names.enumerated() {
            if isMaildir, Self.isMaildirMetadata(n) { continue }
            let url = input.url.appendingPathComponent(n)
            var isDir: ObjCBool = false
            let attrs = try? fm.attributesOfItem(atPath: url.path)
            var child = Input(url: url, name: n, path: input.path + "/" + n, key: DocKey.child(of: input.key, i + 1),
                              parentKey: input.parentKey, folder: input.folder, digests: nil,
                              isDirectory: false, declaredType: nil, depth: input.depth)
            if attrs?[.type] as? FileAttributeType == .typeSymbolicLink {
                try context.exception(child, "symbolic link not followed")
                continue
            }
            guard fm.fileExists(atPath: url.path, isDirectory: &isDir) else {
                try context.exception(child, "vanished while reading")
                continue
            }
            child.isDirectory = isDir.boolValue
            if isMaildir {
                if ["cur", "new", "tmp"].contains(n) {
                    if isDir.boolValue {
                        try readMaildirMessages(child, folder: input.folder.isEmpty ? "INBOX" : input.folder, context)
                        continue
                    }
                } else if n.hasPrefix("."), isDir.boolValue {
                    // Maildir++: ".Sent.2024" is the folder Sent/2024.
                    child.folder = String(n.dropFirst()).replacingOccurrences(of: ".", with: "/")
                }
            } else if isDir.boolValue {
                child.folder = input.folder.isEmpty ? n : input.folder + "/" + n
            }
            try context.dispatch(child)
        }
    }

    private func readMaildirMessages(_ dir: Input, folder: String, _ context: ExtractContext) throws {
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: dir.url.path)) ?? []).sorted(by: Self.byteOrder)
        for (i, n) in names.enumerated() {
            // Maildir: names starting with "." are not messages (the spec reserves them).
            if n.hasPrefix(".") { continue }
            let url = dir.url.appendingPathComponent(n)
            var isDir: ObjCBool = false
            FileManager.default.fileExists(atPath: url.path, isDirectory: &isDir)
            let child = Input(url: url, name: n, path: dir.path + "/" + n, key: DocKey.child(of: dir.key, i + 1),
                              parentKey: dir.parentKey, folder: folder, digests: nil,
                              isDirectory: isDir.boolValue, declaredType: isDir.boolValue ? nil : "message/rfc822",
                              depth: dir.depth)
            try context.dispatch(child)
        }
    }

    /// Mail-server bookkeeping that sits beside a Maildir's folders: structure, not content,
    /// like the folder entries themselves (documented in docs/maildir.md).
    static func isMaildirMetadata(_ n: String) -> Bool {
        n == "maildirfolder" || n.hasPrefix("dovecot") || n.hasPrefix("courier") || n == "subscriptions" || n == ".gitkeep"
    }

    /// Byte order of the UTF-8 names: the same on every machine and locale.
    static func byteOrder(_ a: String, _ b: String) -> Bool { Array(a.utf8).lexicographicallyPrecedes(Array(b.utf8)) }
}
