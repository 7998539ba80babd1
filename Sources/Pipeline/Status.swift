import DiscloseCore
import Production
import Redact
import Foundation

extension Pipeline {
    /// Per stage: done or not, items, duplicates, exceptions, redactions by code.
    public func status() throws -> String {
        let s = kase.store
        var out = "matter \(job.matter), production \(job.production)\n"
        let exceptions = try s.exceptions()
        func mark(_ st: Stage) throws -> String { try s.stageDone(st) ? "done" : "not done" }
        out += "extract:   \(try mark(.extract)); items \(try s.itemCount()), exceptions \(exceptions.filter { $0.stage == "extract" }.count)\n"
        out += "normalize: \(try mark(.normalize)); documents \(try s.documentCount()), exceptions \(exceptions.filter { $0.stage == "normalize" }.count)\n"
        let d = try s.dedupeRecords()
        out += "dedupe:    \(try mark(.dedupe)); kept \(d.filter { $0.status == .kept }.count), duplicates \(d.filter { $0.status == .duplicate }.count), in duplicate families \(d.filter { $0.status == .familyOfDuplicate }.count)\n"
        let r = try s.allRedactions()
        var byCode: [String: Int] = [:]
        for x in r { for c in x.codes { byCode[c, default: 0] += 1 } }
        out += "redact:    \(try mark(.redact)); redactions \(r.count), documents \(Set(r.map(\.key)).count)"
        out += byCode.isEmpty ? "\n" : "; " + byCode.keys.sorted().map { "\($0) \(byCode[$0]!)" }.joined(separator: ", ") + "\n"
        let p = try s.producedRecords()
        out += "package:   \(try mark(.package)); documents \(p.count), pages \(p.reduce(0) { $0 + $1.pages })"
        if let f = p.first, let l = p.last { out += ", Bates \(f.begBates)-\(l.endBates)" }
        return out + "\n"
    }
}

extension Pipeline {
    /// The leak audit again, on a finished production: every string the case store says was
    /// redacted, searched for in every file and file name of `production`.
    public func audit(production: URL) throws -> [(file: String, finding: LeakAudit.Finding)] {
        var allow = rules.allow
        allow += try job.decisions.map(Decisions.load)?.filter { $0.action == .unredact }.map(\.text) ?? []
        let needles = try kase.store.allRedactions().filter { !$0.text.isEmpty }.map { ($0.text, $0.codes) }
        let audit = LeakAudit(coded: needles, allow: allow)
        let files = try PackageStage.listFiles(production)
        return try audit.scanProduction(folder: production, files: files)
    }
}
