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
    /// False: no bar and no progress lines (the record for `status` is still kept).
    public var showProgress = true
    public var progressStyle = ProgressStyle.automatic
    /// Seconds between plain progress lines when stderr is not a terminal.
    public var progressLineInterval: TimeInterval = 5
    /// Read for every progress figure, so tests can run a stage on a clock of their own.
    public var clock: () -> Date = { Date() }

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
        let record = ProgressRecord(caseDirectory: job.caseDirectory)
        var timing = ProgressReporter.Timing()
        timing.lineInterval = progressLineInterval
        let meter = ProgressReporter(stage: s, style: showProgress ? progressStyle : .off, timing: timing, now: clock,
                                     log: log, draw: { FileHandle.standardError.write(Data($0.utf8)) },
                                     record: { record.write($0) })
        do {
            try runStage(s, meter: meter, into: &report)
            meter.finish(succeeded: true)
        } catch {
            meter.finish(succeeded: false)
            throw DiscloseError.outOfSpace(error, path: job.caseDirectory.path) ?? error
        }
    }

    private func runStage(_ s: Stage, meter: ProgressReporter, into report: inout Report) throws {
        let counted: (Int, Int) -> Void = { meter.update(done: Int64($0), total: Int64($1)) }
        switch s {
        case .extract:
            var bytes: Int64 = 0
            report.extract = try ExtractStage(job: job, store: kase.store, blobs: kase.blobs).run { n in
                bytes += n
                meter.update(done: bytes, total: nil)
            }
        case .normalize:
            report.normalize = try NormalizeStage(store: kase.store, blobs: kase.blobs).run(progress: counted)
        case .dedupe:
            report.dedupe = try DedupeStage(store: kase.store, job: job).run()
        case .redact:
            report.redact = try RedactStage(store: kase.store, rules: rules, custodians: job.sources.map(\.custodian),
                                            decisionsFile: job.decisions, propagate: job.propagate)
                .run(progress: counted)
        case .package:
            try ProductionFolder.check(job)
            report.package = try PackageStage(job: job, store: kase.store, blobs: kase.blobs, rules: rules)
                .run(progress: counted)
        }
    }
}
