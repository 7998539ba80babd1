import DiscloseCore
import Foundation

/// How a run shows its progress: a redrawn bar on a terminal, plain lines for logs (cron, CI, a
/// batch scheduler would otherwise see nothing for hours), or nothing.
public enum ProgressStyle: Sendable {
    case terminal, lines, off

    /// The bar when stderr is a terminal, lines otherwise.
    public static var automatic: ProgressStyle { isatty(2) != 0 ? .terminal : .lines }
}

/// One stage's progress: throttles what the stage reports into redraws, log lines and records.
/// Everything time-dependent reads `now`, so tests drive it with a fake clock.
final class ProgressReporter {
    struct Timing {
        /// Between plain lines.
        var lineInterval: TimeInterval = 5
        /// Between records in the case folder: cheap, but not for every batch.
        var recordInterval: TimeInterval = 2
        /// Between terminal redraws.
        var drawInterval: TimeInterval = 0.1
    }

    private(set) var progress: StageProgress
    private let style: ProgressStyle
    private let timing: Timing
    private let now: () -> Date
    private let log: (String) -> Void
    private let draw: (String) -> Void
    private let record: (StageProgress) -> Void
    private var lastLine: Date
    private var lastRecord: Date
    private var lastDraw = Date.distantPast

    /// `log` takes whole lines; `draw` takes raw terminal output; `record` keeps the progress
    /// where another process can read it.
    init(stage: Stage, style: ProgressStyle, timing: Timing = Timing(), now: @escaping () -> Date,
         log: @escaping (String) -> Void, draw: @escaping (String) -> Void, record: @escaping (StageProgress) -> Void) {
        let start = now()
        progress = StageProgress(stage: stage, startedAt: start)
        self.style = style
        self.timing = timing
        self.now = now
        self.log = log
        self.draw = draw
        self.record = record
        lastLine = start
        lastRecord = start
        // Recorded at once: `status` should name the stage that is running, not the one before.
        record(progress)
    }

    func update(done: Int64, total: Int64?) {
        let t = now()
        progress.report(done: done, total: total, at: t)
        if t.timeIntervalSince(lastRecord) >= timing.recordInterval {
            lastRecord = t
            record(progress)
        }
        switch style {
        case .terminal:
            guard t.timeIntervalSince(lastDraw) >= timing.drawInterval else { return }
            lastDraw = t
            let bar = Self.bar(progress)
            draw("\r\u{1B}[K\(progress.stage.rawValue): " + (bar.isEmpty ? "" : bar + " ") + ProgressText.details(progress))
        case .lines:
            guard t.timeIntervalSince(lastLine) >= timing.lineInterval else { return }
            lastLine = t
            log(ProgressText.line(progress))
        case .off:
            break
        }
    }

    /// The stage ended: its last record, and one line with its duration (or where it stopped).
    func finish(succeeded: Bool) {
        progress.updatedAt = now()
        progress.finished = succeeded
        record(progress)
        if style == .terminal { draw("\r\u{1B}[K") }
        guard style != .off else { return }
        log(succeeded ? ProgressText.finished(progress)
                      : "\(progress.stage.rawValue) stopped after \(ProgressText.duration(progress.elapsed)) at \(ProgressText.count(progress))")
    }

    /// "[#########.....................]" when the total is known, nothing otherwise.
    static func bar(_ p: StageProgress, width: Int = 30) -> String {
        guard let total = p.total, total > 0 else { return "" }
        let filled = Int(min(Int64(width), max(0, p.done) * Int64(width) / total))
        return "[" + String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled) + "]"
    }
}
