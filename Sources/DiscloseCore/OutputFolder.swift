import Foundation

/// The output folder and the sources must stay apart. An output folder that is, holds or lies
/// inside a source folder makes the next run read its own case store, blobs and previous
/// productions as evidence (and package replaces folders there).
public enum OutputFolder {
    /// Why `output` cannot be used with these sources, or nil when it can.
    public static func overlap(output: URL, sources: [JobSource]) -> String? {
        let out = real(output)
        for s in sources {
            let src = real(s.path)
            if src == out {
                return "the output folder \(output.path) is the source '\(s.spec)'; choose an output folder outside every source"
            }
            if src.starts(with: out) {
                return "the source '\(s.spec)' is inside the output folder \(output.path), where disclose writes and replaces "
                    + "its own files; choose an output folder outside every source"
            }
            if out.starts(with: src) {
                return "the output folder \(output.path) is inside the source '\(s.spec)': the next run would read its own "
                    + "case store and productions as evidence; choose an output folder outside every source"
            }
        }
        return nil
    }

    /// Path components with symbolic links resolved as far as the path exists, so `out` and a
    /// link to it compare equal even before `out` is created.
    static func real(_ url: URL) -> [String] {
        var existing = url.standardizedFileURL
        var rest: [String] = []
        while !FileManager.default.fileExists(atPath: existing.path), existing.pathComponents.count > 1 {
            rest.insert(existing.lastPathComponent, at: 0)
            existing.deleteLastPathComponent()
        }
        var base = existing.pathComponents
        if let r = realpath(existing.path, nil) {
            base = URL(fileURLWithPath: String(cString: r)).pathComponents
            free(r)
        }
        return base + rest
    }
}
