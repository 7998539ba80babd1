import DiscloseCore
import Foundation
import Production

/// The package stage replaces the production folder wholesale. That is safe only for a folder
/// this program wrote: an empty folder, or one whose files are exactly those its own
/// manifest.xml lists, unchanged (same size and SHA-256). Anything else (a reviewer's notes, a
/// changed report, a folder of evidence that happens to share the name) stops the job before
/// a stage runs, so nothing is lost without a word.
enum ProductionFolder {
    /// Why `dir` must not be replaced, or nil when it may be. Without `hashes`, changed files
    /// are not looked for (the early check of `run`; the one before package hashes them).
    static func foreignContent(_ dir: URL, hashes: Bool = true) -> String? {
        let fm = FileManager.default
        var isDir: ObjCBool = false
        guard fm.fileExists(atPath: dir.path, isDirectory: &isDir) else { return nil }
        guard isDir.boolValue else { return "it is a file, not a production folder" }
        guard let files = try? PackageStage.listFiles(dir) else { return "it cannot be read" }
        if files.isEmpty { return nil }
        guard files.contains("manifest.xml"),
              let data = try? Data(contentsOf: dir.appendingPathComponent("manifest.xml")),
              Manifest.validate(data).isEmpty, let entries = try? Manifest.read(data) else {
            return "it holds files but no manifest.xml written by disclose"
        }
        let listed = Dictionary(entries.map { ($0.path, $0) }, uniquingKeysWith: { a, _ in a })
        var unexpected: [String] = []
        var changed: [String] = []
        for f in files where f != "manifest.xml" {
            guard let e = listed[f] else { unexpected.append(f); continue }
            let url = dir.appendingPathComponent(f)
            if (try? fm.destinationOfSymbolicLink(atPath: url.path)) != nil { unexpected.append(f); continue }
            guard hashes else { continue }
            guard let (h, size) = try? Hash.sha256(file: url), size == e.size, h == e.sha256 else {
                changed.append(f); continue
            }
        }
        var why: [String] = []
        if !unexpected.isEmpty { why.append("files its manifest does not list: " + sample(unexpected)) }
        if !changed.isEmpty { why.append("files changed since it was written: " + sample(changed)) }
        return why.isEmpty ? nil : "it holds " + why.joined(separator: "; ")
    }

    static func sample(_ names: [String]) -> String {
        names.prefix(3).joined(separator: ", ") + (names.count > 3 ? " and \(names.count - 3) more" : "")
    }

    static func check(_ job: Job, hashes: Bool = true) throws {
        guard let why = foreignContent(job.productionDirectory, hashes: hashes) else { return }
        throw DiscloseError.job(path: "\(job.file.path): production",
            message: "the production folder \(job.productionDirectory.path) exists and \(why); disclose replaces "
                + "only a production folder it wrote itself. Move those files away, or choose another output or production name")
    }
}
