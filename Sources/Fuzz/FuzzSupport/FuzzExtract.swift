import DiscloseCore
import Extract
import Foundation

/// Runs bytes through a dispatcher as if they were a source file: written to one scratch file
/// (several readers open their input by path), read with a throwaway blob store.
public final class FuzzExtract {
    public static let shared = FuzzExtract()

    private let dir: URL
    private let file: URL
    private var blobs: BlobStore
    private var runs = 0
    private var generation = 0

    private init() {
        dir = FileManager.default.temporaryDirectory
            .appendingPathComponent("disclose-fuzz-\(ProcessInfo.processInfo.processIdentifier)")
        file = dir.appendingPathComponent("input")
        try? FileManager.default.removeItem(at: dir)
        blobs = FuzzExtract.freshBlobs(dir, 0)
    }

    deinit { try? FileManager.default.removeItem(at: dir) }

    private static func freshBlobs(_ dir: URL, _ generation: Int) -> BlobStore {
        let root = dir.appendingPathComponent("blobs-\(generation)")
        do { return try BlobStore(root: root) } catch { fatalError("fuzz harness cannot create \(root.path): \(error)") }
    }

    /// True when at least one item came out.
    public func run(_ data: Data, name: String, readers: [Reader]) -> Bool {
        // Every input adds blobs; a fresh store now and then keeps a long run off the disk.
        runs += 1
        if runs % 500 == 0 {
            try? FileManager.default.removeItem(at: blobs.root)
            generation += 1
            blobs = Self.freshBlobs(dir, generation)
        }
        do { try data.write(to: file) } catch { fatalError("fuzz harness cannot write \(file.path): \(error)") }
        let dispatcher = Dispatcher(readers: readers)
        let context = ExtractContext(source: 1, custodian: "fuzz", passwords: ["password"], blobs: blobs,
                                     dispatcher: dispatcher, store: NullCaseStore())
        let input = Input(url: file, name: name, path: name, key: DocKey.source(1), parentKey: nil, folder: "",
                          digests: nil, depth: 0)
        try? context.dispatch(input)
        try? context.flush()
        return context.itemCount > 0
    }

    public static func item(kind: ItemKind, name: String) -> Item {
        Item(key: DocKey.source(1), parentKey: nil, source: 1, custodian: "fuzz", kind: kind, format: "fuzz",
             path: name, fileName: name, folder: "", size: 0, sha256: "", sha1: "", md5: "")
    }
}
