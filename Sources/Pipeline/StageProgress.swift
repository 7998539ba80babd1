import DiscloseCore
import Foundation

/// What a stage counts: extract reports bytes read, the later stages documents.
public enum ProgressUnit: String, Codable, Sendable {
    case bytes, documents

    init(_ stage: Stage) { self = stage == .extract ? .bytes : .documents }
}

/// Where one stage of a run stands. The running process keeps it for its own display and
/// records it in the case folder, where `disclose status` in another process reads it back.
public struct StageProgress: Codable, Equatable, Sendable {
    public var stage: Stage
    public var unit: ProgressUnit
    public var done: Int64
    /// Nil when the stage cannot know it in advance (extract finds containers as it goes).
    public var total: Int64?
    public var startedAt: Date
    public var updatedAt: Date
    /// The first report of the stage: a resumed stage starts with the work of an earlier run
    /// already counted, so the rate is taken from here, not from zero.
    public var firstDone: Int64?
    public var firstAt: Date?
    public var finished: Bool
    public var pid: Int32

    public init(stage: Stage, startedAt: Date, pid: Int32 = getpid()) {
        self.stage = stage
        unit = ProgressUnit(stage)
        done = 0
        self.startedAt = startedAt
        updatedAt = startedAt
        finished = false
        self.pid = pid
    }

    mutating func report(done: Int64, total: Int64?, at now: Date) {
        if firstAt == nil { firstDone = done; firstAt = now }
        self.done = done
        self.total = total
        updatedAt = now
    }

    public var elapsed: TimeInterval { max(0, updatedAt.timeIntervalSince(startedAt)) }

    /// Units per second; nil until something was done in measurable time.
    public var rate: Double? {
        if let d0 = firstDone, let t0 = firstAt, updatedAt.timeIntervalSince(t0) > 0, done > d0 {
            return Double(done - d0) / updatedAt.timeIntervalSince(t0)
        }
        guard elapsed > 0, done > 0 else { return nil }
        return Double(done) / elapsed
    }

    /// Seconds left at the current rate; nil without a total or a rate.
    public var eta: TimeInterval? {
        guard let total, let rate, rate > 0 else { return nil }
        return Double(max(0, total - done)) / rate
    }
}

/// The words and numbers of a progress line, one place for the bar, the plain lines and status.
public enum ProgressText {
    /// "1200/4861 documents", "840 MB", "840/1000 MB".
    public static func count(_ p: StageProgress) -> String {
        switch p.unit {
        case .bytes:
            let mb = { (b: Int64) in String(b / 1_000_000) }
            return (p.total.map { mb(p.done) + "/" + mb($0) } ?? mb(p.done)) + " MB"
        case .documents:
            return (p.total.map { "\(p.done)/\($0)" } ?? "\(p.done)") + " documents"
        }
    }

    /// "12.5 MB/s", "35 docs/s"; nil before there is a rate.
    public static func rate(_ p: StageProgress) -> String? {
        guard let r = p.rate else { return nil }
        switch p.unit {
        case .bytes: return String(format: "%.1f MB/s", r / 1_000_000)
        case .documents: return r >= 10 ? "\(Int(r.rounded())) docs/s" : String(format: "%.1f docs/s", r)
        }
    }

    /// "45s", "1m45s", "2h05m": short enough for a terminal line, exact enough for an estimate.
    public static func duration(_ seconds: TimeInterval) -> String {
        let s = Int(max(0, seconds).rounded())
        if s < 60 { return "\(s)s" }
        if s < 3600 { return "\(s / 60)m" + pad(s % 60) + "s" }
        return "\(s / 3600)h" + pad(s / 60 % 60) + "m"
    }

    private static func pad(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }

    /// "1200/4861 documents, 35 docs/s, ETA 1m45s".
    public static func details(_ p: StageProgress) -> String {
        var parts = [count(p)]
        if let r = rate(p) { parts.append(r) }
        if let e = p.eta { parts.append("ETA " + duration(e)) }
        return parts.joined(separator: ", ")
    }

    /// "redact 1200/4861 documents, 35 docs/s, ETA 1m45s".
    public static func line(_ p: StageProgress) -> String { "\(p.stage.rawValue) " + details(p) }

    /// "redact done: 4861 documents in 2m19s"; a stage without counts has its time only. No rate:
    /// the stage's work after its last report (an audit, a commit) would skew the running one,
    /// and a resumed stage's count includes what an earlier run did.
    public static func finished(_ p: StageProgress) -> String {
        guard p.firstAt != nil else { return "\(p.stage.rawValue) done in \(duration(p.elapsed))" }
        return "\(p.stage.rawValue) done: \(p.unit == .bytes ? "\(p.done / 1_000_000) MB" : "\(p.done) documents") in \(duration(p.elapsed))"
    }
}
