import Dedupe
import DiscloseCore
import Extract
import Foundation
import Normalize
import Production
import Redact

/// Runs the stages of one job in order. `run` resumes: a stage the case store records as done
/// is skipped, and extract and normalize pick up inside the stage where they stopped.
public final class Pipeline {
    public let job: Job
    public let kase: Case
    public let rules: RuleSet
    public var log: (String) -> Void = { FileHandle.standardError.write(Data(($0 + "\n").utf8)) }
    public var showProgress = isatty(2) != 0

    public init(job: Job) throws {
        self.job = job
        kase = try Case(job: job)
        rules = try job.rules.map(RuleSet.load) ?? RuleSet.none
    }

    public struct Report {
        public var extract: ExtractStage.Summary?
        public var normalize: NormalizeStage.Summary?
        public var dedupe: DedupeStage.Summary?
        public var redact: RedactStage.Summary?
        public var package: PackageStage.Summary?
    }

    public func run() throws -> Report {
        // Before hours of extraction, not after: the package stage would refuse it anyway. Files
        // are hashed only there, once, so a run reads the old production once.
        try ProductionFolder.check(job, hashes: false)
        for note in try ExtractStage(job: job, store: kase.store, blobs: kase.blobs).forgetChangedSources() { log(note) }
        var report = Report()
        for s in Stage.allCases where try !kase.store.stageDone(s) {
            try runStage(s, into: &report)
        }
        if report.package == nil { try runStage(.package, into: &report) }
        return report
    }

    /// One stage on its own, recomputed from what the previous stage committed; later stages
    /// are forgotten because they no longer follow from it.
    public func runSingle(_ stage: Stage) throws -> Report {
        if let prev = stage.previous, try !kase.store.stageDone(prev) {
            throw DiscloseError.order("the \(prev.rawValue) stage has not finished; run it (or `disclose run`) first")
        }
        if try kase.store.stageDone(stage) || stage == .extract { try kase.store.resetStage(stage) }
        var report = Report()
        try runStage(stage, into: &report)
        return report
    }

    func runStage(_ s: Stage, into report: inout Report) throws {
        let bar = ProgressBar(label: s.rawValue, enabled: showProgress)
        defer { bar.finish() }
        do { try runStage(s, bar: bar, into: &report) } catch {
            throw DiscloseError.outOfSpace(error, path: job.caseDirectory.path) ?? error
        }
    }

    private func runStage(_ s: Stage, bar: ProgressBar, into report: inout Report) throws {
        switch s {
        case .extract:
            var bytes: Int64 = 0
            report.extract = try ExtractStage(job: job, store: kase.store, blobs: kase.blobs).run { n in
                bytes += n
                bar.update(text: "\(bytes / 1_000_000) MB")
            }
        case .normalize:
            report.normalize = try NormalizeStage(store: kase.store, blobs: kase.blobs).run { bar.update($0, $1) }
        case .dedupe:
            report.dedupe = try DedupeStage(store: kase.store, job: job).run()
        case .redact:
            report.redact = try RedactStage(store: kase.store, rules: rules, custodians: job.sources.map(\.custodian),
                                            decisionsFile: job.decisions, propagate: job.propagate)
                .run { bar.update($0, $1) }
        case .package:
            try ProductionFolder.check(job)
            report.package = try PackageStage(job: job, store: kase.store, blobs: kase.blobs, rules: rules)
                .run { bar.update($0, $1) }
        }
    }
}

/// A one-line progress display on a terminal; silent otherwise (CI logs stay clean).
final class ProgressBar {
    let label: String
    let enabled: Bool
    var last = Date.distantPast

    init(label: String, enabled: Bool) { self.label = label; self.enabled = enabled }

    func update(_ done: Int, _ total: Int) {
        guard total > 0 else { return }
        let width = 30
        let filled = min(width, done * width / total)
        update(text: "[" + String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled) + "] \(done)/\(total)")
    }

    func update(text: String) {
        guard enabled, Date().timeIntervalSince(last) > 0.1 else { return }
        last = Date()
        FileHandle.standardError.write(Data("\r\u{1B}[K\(label): \(text)".utf8))
    }

    func finish() {
        if enabled { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
    }
}
