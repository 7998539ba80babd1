import DiscloseCore
import Foundation

/// What a source looks like on disk, cheaply: for a file its size and modification time, for a
/// folder a hash of every entry below it (byte path, kind, size, modification time) in byte
/// order. Hashing the contents would mean reading a whole collection at the start of every run;
/// a file changed in place keeps neither its size nor its time unless someone forges both.
public enum SourceFingerprint {
    /// nil when the source is not there.
    public static func of(_ url: URL) -> String? {
        let root = Array(url.path.utf8)
        guard let top = RawFileSystem.status(root, followLink: true) else { return nil }
        switch top.kind {
        case .directory:
            var hasher = MultiHasher()
            var pending: [[UInt8]] = [[]]
            // Depth-first in byte order, so the same tree always hashes the same.
            while let rel = pending.popLast() {
                let names = (try? RawFileSystem.list(rel.isEmpty ? root : root + [0x2F] + rel)) ?? []
                var subfolders: [[UInt8]] = []
                for name in names {
                    let childRel = rel.isEmpty ? name : rel + [0x2F] + name
                    guard let st = RawFileSystem.status(root + [0x2F] + childRel) else {
                        hasher.update(childRel + Array("\u{0}gone\n".utf8))
                        continue
                    }
                    switch st.kind {
                    case .directory:
                        hasher.update(childRel + Array("\u{0}dir\n".utf8))
                        subfolders.append(childRel)
                    default:
                        hasher.update(childRel + Array("\u{0}\(st.kind)\u{0}\(st.size)\u{0}\(st.mtimeNanos)\n".utf8))
                    }
                }
                pending += subfolders.reversed()
            }
            return "folder sha256:" + hasher.finish().sha256
        default:
            return "file size:\(top.size) mtime:\(top.mtimeNanos)"
        }
    }
}

extension ExtractStage {
    /// Sources whose files changed since extract read them are forgotten, and with them
    /// everything built from them, so this run reads them again instead of producing from a
    /// stale store. A source read before fingerprints were kept counts as changed. Returns one
    /// line for the log per source.
    public func forgetChangedSources() throws -> [String] {
        var changed: [Int] = []
        var notes: [String] = []
        for (i, source) in job.sources.enumerated() {
            let index = i + 1
            guard try store.sourceDone(index) else { continue }
            let now = SourceFingerprint.of(source.path)
            if let now, try store.sourceFingerprint(index) == now { continue }
            changed.append(index)
            notes.append(now == nil
                ? "source \(index) (\(source.spec)) is no longer there; its extraction is discarded"
                : "source \(index) (\(source.spec)) changed since it was extracted; reading it again")
        }
        guard !changed.isEmpty else { return [] }
        try store.transaction {
            for index in changed { try store.clearSource(index) }
            // Normalize onward is built from every source together; rebuilding it is simplest
            // and cannot leave a stale document behind.
            try store.resetStage(.normalize)
            try store.setStageDone(.extract, false)
        }
        return notes
    }
}
