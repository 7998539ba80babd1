import DiscloseCore
import Foundation
import XMLKit

/// `disclose verify`: proves a production intact from its own files. Every file's SHA-256
/// against the manifest (and no file missing or extra), the manifest against its schema, Bates
/// numbers unique and gap-free, and the load files agreeing with each other and with the disk.
public struct Verifier {
    public let root: URL
    public init(root: URL) { self.root = root }

    /// `checkHashes: false` is the package stage's own check of what it just wrote and hashed:
    /// everything but re-reading every file for its hash.
    public func verify(checkHashes: Bool = true) -> [String] {
        var problems: [String] = []
        let manifestURL = root.appendingPathComponent("manifest.xml")
        guard let manifestData = try? Data(contentsOf: manifestURL, options: .alwaysMapped) else {
            return ["manifest.xml: missing or unreadable in \(root.path)"]
        }
        problems += Manifest.validate(manifestData).map { "manifest.xml: schema: \($0)" }
        var listed = Set<String>()
        do { try Manifest.forEachEntry(manifestData) { e in
            listed.insert(e.path)
            let url = root.appendingPathComponent(e.path)
            if !checkHashes {
                if !FileManager.default.fileExists(atPath: url.path) { problems.append("\(e.path): listed in manifest but missing") }
                return
            }
            guard let (h, size) = try? Hash.sha256(file: url) else { problems.append("\(e.path): listed in manifest but missing"); return }
            if size != e.size { problems.append("\(e.path): size \(size), manifest says \(e.size)") }
            if h != e.sha256 { problems.append("\(e.path): SHA-256 \(h) does not match manifest \(e.sha256)") }
        } } catch { return problems + ["manifest.xml: \(error)"] }
        let onDisk = (try? PackageStage.listFiles(root)) ?? []
        for f in onDisk where f != "manifest.xml" && !listed.contains(f) {
            problems.append("\(f): on disk but not in manifest")
        }

        let dats = onDisk.filter { $0.hasSuffix(".dat") && $0.contains("/DATA/") }
        guard let datPath = dats.first, let datData = try? Data(contentsOf: root.appendingPathComponent(datPath), options: .alwaysMapped) else {
            return problems + ["no DAT load file under */DATA/"]
        }
        var seen = Set<String>()
        var previousEnd: (String, Int)? = nil
        var begs: [String] = []
        do {
            try ConcordanceWriter.forEachRow(datData, keep: ["BEGBATES", "ENDBATES", "PGCOUNT", "TEXTPATH", "NATIVEPATH"]) { line, r in
                begs.append(r["BEGBATES"] ?? "")
                problems += checkRow(r, line: line, datPath: datPath, listed: listed, seen: &seen, previousEnd: &previousEnd)
            }
        } catch { return problems + ["\(datPath): \(error)"] }

        if let xmlPath = onDisk.first(where: { $0.hasSuffix(".xml") && $0.contains("/DATA/") }),
           let xmlData = try? Data(contentsOf: root.appendingPathComponent(xmlPath), options: .alwaysMapped) {
            var ids: [String] = []
            do {
                try XMLStream.elements(xmlData, named: ["Document", "ExternalFile"]) { name, attributes in
                    if name == "Document" { ids.append(attributes["DocID"] ?? ""); return }
                    guard checkHashes else { return }
                    let rel = [attributes["FilePath"] ?? "", attributes["FileName"] ?? ""].filter { !$0.isEmpty }.joined(separator: "/")
                    guard let (h, _) = try? Hash.sha256(file: root.appendingPathComponent(rel)) else {
                        problems.append("\(xmlPath): \(ids.last ?? "?") names missing file \(rel)"); return
                    }
                    if h != attributes["Hash"] { problems.append("\(xmlPath): hash of \(rel) does not match") }
                }
                if ids != begs {
                    problems.append("\(xmlPath): documents (\(ids.count)) do not match the DAT (\(begs.count)) one for one")
                }
            } catch { problems.append("\(xmlPath): \(error)") }
        } else {
            problems.append("no EDRM XML load file under */DATA/")
        }
        return problems
    }

    /// One DAT row: its Bates range against the previous one, its page count against its text
    /// file, and its paths against the manifest.
    func checkRow(_ r: [String: String], line: Int, datPath: String, listed: Set<String>,
                  seen: inout Set<String>, previousEnd: inout (String, Int)?) -> [String] {
        var problems: [String] = []
        let beg = r["BEGBATES"] ?? "", end = r["ENDBATES"] ?? ""
        guard let (bp, bn) = Self.splitBates(beg), let (ep, en) = Self.splitBates(end), bp == ep, en >= bn else {
            return ["\(datPath) line \(line): bad Bates range '\(beg)'-'\(end)'"]
        }
        if !seen.insert(beg).inserted { problems.append("\(datPath) line \(line): Bates \(beg) used twice") }
        if let (pp, pn) = previousEnd, pp == bp, bn != pn + 1 {
            problems.append("\(datPath) line \(line): Bates gap or overlap: \(beg) follows \(bp)\(pn)")
        }
        previousEnd = (bp, en)
        if let pc = Int(r["PGCOUNT"] ?? ""), pc != en - bn + 1 {
            problems.append("\(datPath) line \(line): PGCOUNT \(pc) but \(beg)-\(end) is \(en - bn + 1) pages")
        }
        for f in ["TEXTPATH", "NATIVEPATH"] {
            guard let p = r[f], !p.isEmpty else { continue }
            if !listed.contains(p) { problems.append("\(datPath) line \(line): \(f) \(p) is not in the production") }
        }
        if let tp = r["TEXTPATH"], !tp.isEmpty, let text = try? String(contentsOf: root.appendingPathComponent(tp), encoding: .utf8) {
            let pages = text.split(separator: "\u{0C}", omittingEmptySubsequences: false)
            if pages.count != en - bn + 1 {
                problems.append("\(tp): \(pages.count) pages, load file says \(en - bn + 1)")
            } else {
                for (k, page) in pages.enumerated() {
                    let want = Self.format(bp, bn + k, width: beg.count - bp.count)
                    let footer = page.split(separator: "\n").last.map(String.init) ?? ""
                    if !footer.hasSuffix(want) { problems.append("\(tp): page \(k + 1) is not stamped \(want)") }
                }
            }
        }
        return problems
    }

    static func splitBates(_ s: String) -> (String, Int)? {
        let digits = s.reversed().prefix(while: { $0.isNumber })
        guard !digits.isEmpty, let n = Int(String(digits.reversed())) else { return nil }
        return (String(s.dropLast(digits.count)), n)
    }

    static func format(_ prefix: String, _ n: Int, width: Int) -> String {
        let s = String(n)
        return prefix + String(repeating: "0", count: max(0, width - s.count)) + s
    }
}
