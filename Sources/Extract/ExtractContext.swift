import DiscloseCore
import Foundation

/// What readers see of the job while reading one source: where to put bytes, where to record
/// items and exceptions, and the dispatcher to hand children back to.
public final class ExtractContext {
    public let source: Int
    public let custodian: String
    public let passwords: [String]
    public let blobs: BlobStore
    public let dispatcher: Dispatcher
    private let store: CaseStore
    private var pendingItems: [Item] = []
    private var pendingExceptions: [ExceptionRecord] = []
    private var emitted = Set<String>()
    public private(set) var itemCount = 0
    public private(set) var exceptionCount = 0
    public var progress: ((Int64) -> Void)?
    /// Machine paths and what reports show instead, longest first: no exception reason may
    /// carry a path of this machine, whichever library wrote the message.
    public var machinePaths: [(path: String, shownAs: String)] = [] {
        didSet { machinePaths.sort { $0.path.utf8.count > $1.path.utf8.count } }
    }

    public init(source: Int, custodian: String, passwords: [String], blobs: BlobStore,
                dispatcher: Dispatcher, store: CaseStore) {
        self.source = source; self.custodian = custodian; self.passwords = passwords
        self.blobs = blobs; self.dispatcher = dispatcher; self.store = store
    }

    public func dispatch(_ input: Input) throws { try dispatcher.dispatch(input, self) }

    /// Stores bytes (streamed from a closure that yields chunks) and returns the blob's hashes.
    public func storeBlob(_ fill: (BlobWriter) throws -> Void) throws -> Digests {
        let w = try blobs.writer()
        do { try fill(w) } catch { w.abandon(); throw error }
        return try w.commit()
    }

    public func storeBlob(_ data: Data) throws -> Digests { try blobs.put(data) }

    /// Records `input` as a produced-candidate item. Bytes not yet in the blob store are copied
    /// there first (streamed), so later stages read only the case folder.
    @discardableResult
    public func emit(_ input: inout Input, kind: ItemKind, format: String) throws -> Item {
        let d: Digests
        if let have = input.digests {
            d = have
        } else {
            let url = input.url
            d = try storeBlob { w in
                guard let h = FileHandle(forReadingAtPath: url.path) else {
                    throw ReadFailure("cannot open \(url.path)")
                }
                defer { try? h.close() }
                while let chunk = try h.read(upToCount: 1 << 20), !chunk.isEmpty { try w.write(chunk) }
            }
            input.digests = d
        }
        let item = Item(key: input.key, parentKey: input.parentKey, source: source, custodian: custodian,
                        kind: kind, format: format, path: input.path, fileName: input.name,
                        folder: input.folder, size: d.size, sha256: d.sha256, sha1: d.sha1, md5: d.md5)
        emitted.insert(input.key)
        pendingItems.append(item)
        itemCount += 1
        progress?(d.size)
        if pendingItems.count >= 500 { try flush() }
        return item
    }

    public func hasEmitted(_ key: String) -> Bool { emitted.contains(key) }

    public func exception(_ input: Input, _ reason: String) throws {
        // If the input already became an item (a container that broke half-way), the
        // unreadable remainder is its own accounted-for entry under the container.
        let key = emitted.contains(input.key) ? DocKey.child(of: input.key, 99_999_999) : input.key
        try exception(key: key, parentKey: emitted.contains(input.key) ? input.key : input.parentKey,
                      path: input.path, reason: reason)
    }

    public func exception(key: String, parentKey: String?, path: String, reason: String) throws {
        pendingExceptions.append(ExceptionRecord(key: key, parentKey: parentKey, source: source,
                                                 custodian: custodian, stage: "extract", path: path,
                                                 reason: scrub(reason)))
        exceptionCount += 1
        if pendingExceptions.count >= 500 { try flush() }
    }

    /// One pass, longest path first at each place, so a shown name that contains another
    /// machine path (a source under /tmp) is not rewritten again.
    func scrub(_ reason: String) -> String {
        let paths = machinePaths.filter { !$0.path.isEmpty }
        guard paths.contains(where: { reason.contains($0.path) }) else { return reason }
        let bytes = Array(reason.utf8)
        let needles = paths.map { (Array($0.path.utf8), Array($0.shownAs.utf8)) }
        var out: [UInt8] = []
        var i = 0
        outer: while i < bytes.count {
            for (needle, shown) in needles where bytes.count - i >= needle.count && bytes[i] == needle[0] {
                if bytes[i..<i + needle.count].elementsEqual(needle) {
                    out += shown
                    i += needle.count
                    continue outer
                }
            }
            out.append(bytes[i])
            i += 1
        }
        return String(decoding: out, as: UTF8.self)
    }

    public func flush() throws {
        if !pendingItems.isEmpty { try store.insert(items: pendingItems); pendingItems.removeAll() }
        if !pendingExceptions.isEmpty { try store.insert(exceptions: pendingExceptions); pendingExceptions.removeAll() }
    }
}
