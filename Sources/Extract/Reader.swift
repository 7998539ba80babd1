import DiscloseCore
import Foundation

/// One thing handed to the dispatcher: a source, an archive entry, an attachment, a message
/// split from a mailbox. Its bytes are on disk (the source itself or a blob).
public struct Input {
    public var url: URL
    public var name: String
    /// Source path, then `!/`-joined paths inside containers.
    public var path: String
    public var key: String
    /// The family parent item this input belongs under (nil at source level and inside
    /// containers that are walked through rather than produced).
    public var parentKey: String?
    public var folder: String
    /// Hashes when the bytes already sit in the blob store.
    public var digests: Digests?
    public var isDirectory: Bool
    /// What the container says this is (`message/rfc822` for mailbox members, maildir files and
    /// message attachments): only readers of that type may claim it, and if none can, the input
    /// is an exception rather than a loose binary file.
    public var declaredType: String?
    public var depth: Int
    /// The bytes, when a container already holds them in memory (a mailbox member, an
    /// attachment): readers use them instead of reading the blob back from disk.
    public var data: Data?
    /// The file system path as bytes, when it is not valid UTF-8 and `url` cannot reach it
    /// (folders only: such files are copied into the blob store as they are listed).
    public var rawPath: [UInt8]?
    public private(set) lazy var head: [UInt8] = data.map { [UInt8]($0.prefix(4096)) } ?? Input.readHead(url, isDirectory)

    public init(url: URL, name: String, path: String, key: String, parentKey: String?, folder: String,
                digests: Digests?, isDirectory: Bool = false, declaredType: String? = nil, depth: Int, data: Data? = nil) {
        self.url = url; self.name = name; self.path = path; self.key = key; self.parentKey = parentKey
        self.folder = folder; self.digests = digests; self.isDirectory = isDirectory
        self.declaredType = declaredType; self.depth = depth; self.data = data
    }

    /// The whole content: from memory when a container handed it over, else from disk.
    public func bytes() throws -> Data {
        if let d = data { return d }
        do { return try Data(contentsOf: url) } catch { throw ReadFailure("cannot read: \(error.localizedDescription)") }
    }

    static func readHead(_ url: URL, _ isDirectory: Bool) -> [UInt8] {
        guard !isDirectory, let h = FileHandle(forReadingAtPath: url.path) else { return [] }
        defer { try? h.close() }
        return [UInt8]((try? h.read(upToCount: 4096)) ?? Data())
    }

    public var fileExtension: String {
        let e = PathName.fileExtension(name).lowercased()
        return e
    }
}

/// A format reader. Each says from the first bytes how well it matches; the dispatcher picks
/// the best. Containers hand their children back to the dispatcher through the context, so no
/// reader knows another and nesting works at any depth.
public protocol Reader: Sendable {
    var name: String { get }
    /// Media types this reader produces items of; used when a container declares its child's type.
    var mediaTypes: [String] { get }
    /// 0 = not mine, 100 = certain.
    func confidence(_ input: inout Input) -> Int
    func read(_ input: inout Input, _ context: ExtractContext) throws
}

/// Why an input could not be read; becomes the exception's reason.
public struct ReadFailure: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
