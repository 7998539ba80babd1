import DiscloseCore
import Production
import Redact
import Foundation
import SQLiteStore

extension Pipeline {
    /// Per stage: done or not, items, duplicates, exceptions, redactions by code; then what a
    /// run in another process is doing. Reads the case store as it stands, without the case
    /// lock (a run holds it for hours) and without writing: WAL lets a reader see the last
    /// commit while the run writes.
    public static func status(job: Job, now: Date = Date()) throws -> String {
        var out = "matter \(job.matter), production \(job.production)\n"
        let file = job.caseDirectory.appendingPathComponent("case.sqlite")
        guard FileManager.default.fileExists(atPath: file.path) else {
            return out + "not started: no case store at \(file.path)\n"
        }
        let s = try SQLiteStore(readingOnly: file.path)
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
        out += "\n"
        if let rec = ProgressRecord(caseDirectory: job.caseDirectory).read() {
            let held = CaseLock.isHeld(folder: job.caseDirectory) ?? processAlive(rec.pid)
            out += progressLine(rec, held: held, now: now) + "\n"
        }
        return out
    }

    /// The recorded progress as status prints it. `held`: a disclose process has the case open,
    /// so an unfinished record is a run under way and not one that died there.
    static func progressLine(_ p: StageProgress, held: Bool, now: Date) -> String {
        let age = ProgressText.duration(now.timeIntervalSince(p.updatedAt)) + " ago"
        switch (held, p.finished) {
        case (true, false) where p.firstAt == nil:
            // Dedupe reports no counts, and the other stages none before their first batch.
            return "running: \(p.stage.rawValue), started \(ProgressText.duration(now.timeIntervalSince(p.startedAt))) ago"
        case (true, false):
            return "running: \(ProgressText.line(p)) (updated \(age))"
        case (true, true):
            return "in use by another disclose process; last \(ProgressText.finished(p)) (\(age))"
        case (false, false):
            let point = p.firstAt == nil
                ? ", started \(ProgressText.duration(now.timeIntervalSince(p.startedAt))) ago"
                : " at \(ProgressText.count(p)), \(ProgressText.duration(p.elapsed)) into the stage (last update \(age))"
            return "stopped: \(p.stage.rawValue)\(point); no disclose process has the case open; `disclose run` resumes from the last commit"
        case (false, true):
            return "last run: \(ProgressText.finished(p)) (\(age))"
        }
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
