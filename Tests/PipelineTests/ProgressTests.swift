import DiscloseCore
import Foundation
@testable import Pipeline
import XCTest

/// Rates, estimates and throttling of the progress display, on a clock the test moves.
final class ProgressTests: XCTestCase {
    let t0 = Date(timeIntervalSince1970: 1_700_000_000)

    func testDurationsAreShortAndRounded() {
        XCTAssertEqual(ProgressText.duration(0.4), "0s")
        XCTAssertEqual(ProgressText.duration(45), "45s")
        XCTAssertEqual(ProgressText.duration(105), "1m45s")
        XCTAssertEqual(ProgressText.duration(3599), "59m59s")
        XCTAssertEqual(ProgressText.duration(7500), "2h05m")
        XCTAssertEqual(ProgressText.duration(-3), "0s")
    }

    func testDocumentRateAndETAComeFromTheFirstReportOn() {
        var p = StageProgress(stage: .redact, startedAt: t0)
        XCTAssertNil(p.rate)
        // A resumed stage: 1000 documents were done by an earlier run and must not count as speed.
        p.report(done: 1000, total: 4861, at: t0.addingTimeInterval(2))
        p.report(done: 1350, total: 4861, at: t0.addingTimeInterval(12))
        XCTAssertEqual(p.rate!, 35, accuracy: 1e-9)
        XCTAssertEqual(p.eta!, 3511.0 / 35, accuracy: 1e-9)
        XCTAssertEqual(ProgressText.line(p), "redact 1350/4861 documents, 35 docs/s, ETA 1m40s")
    }

    func testOneReportTakesTheRateFromTheStart() {
        var p = StageProgress(stage: .normalize, startedAt: t0)
        p.report(done: 30, total: 100, at: t0.addingTimeInterval(4))
        XCTAssertEqual(ProgressText.line(p), "normalize 30/100 documents, 7.5 docs/s, ETA 9s")
    }

    func testBytesShowMegabytesPerSecondAndNoETAWithoutATotal() {
        var p = StageProgress(stage: .extract, startedAt: t0)
        p.report(done: 10_000_000, total: nil, at: t0.addingTimeInterval(1))
        p.report(done: 60_000_000, total: nil, at: t0.addingTimeInterval(5))
        XCTAssertEqual(p.unit, .bytes)
        XCTAssertNil(p.eta)
        XCTAssertEqual(ProgressText.line(p), "extract 60 MB, 12.5 MB/s")
    }

    func testBarFillsWithTheShareDone() {
        var p = StageProgress(stage: .package, startedAt: t0)
        p.report(done: 1, total: 3, at: t0)
        XCTAssertEqual(ProgressReporter.bar(p, width: 6), "[##....]")
        p.report(done: 5, total: 3, at: t0)
        XCTAssertEqual(ProgressReporter.bar(p, width: 6), "[######]")
        p.total = nil
        XCTAssertEqual(ProgressReporter.bar(p), "")
    }

    /// A reporter on a fake clock; `advance` moves the clock.
    final class Rig {
        var now: Date
        var lines: [String] = []
        var drawn: [String] = []
        var records: [StageProgress] = []
        init(_ start: Date) { now = start }

        func reporter(_ stage: Stage, _ style: ProgressStyle, lineEvery: TimeInterval = 5) -> ProgressReporter {
            var timing = ProgressReporter.Timing()
            timing.lineInterval = lineEvery
            return ProgressReporter(stage: stage, style: style, timing: timing, now: { self.now },
                                    log: { self.lines.append($0) }, draw: { self.drawn.append($0) },
                                    record: { self.records.append($0) })
        }
    }

    func testPlainLinesComeEveryIntervalAndEndWithTheDuration() {
        let rig = Rig(t0)
        let r = rig.reporter(.normalize, .lines)
        for (second, done) in [(1.0, 10), (4.0, 40), (5.0, 50), (6.0, 60), (10.5, 105)] {
            rig.now = t0.addingTimeInterval(second)
            r.update(done: Int64(done), total: 200)
        }
        XCTAssertEqual(rig.lines, ["normalize 50/200 documents, 10 docs/s, ETA 15s",
                                   "normalize 105/200 documents, 10 docs/s, ETA 10s"])
        rig.now = t0.addingTimeInterval(20)
        r.update(done: 200, total: 200)
        r.finish(succeeded: true)
        XCTAssertEqual(rig.lines.last, "normalize done: 200 documents in 20s")
        XCTAssertEqual(rig.lines.count, 4)
        XCTAssertTrue(rig.drawn.isEmpty)
        XCTAssertFalse(rig.lines.joined().contains("\u{1B}"), "no escape codes in a log")
    }

    func testRecordsAreKeptAtMostEveryTwoSecondsAndAtStartAndEnd() {
        let rig = Rig(t0)
        let r = rig.reporter(.redact, .off)
        for second in [0.5, 1.0, 2.5, 3.0, 4.4, 4.6] {
            rig.now = t0.addingTimeInterval(second)
            r.update(done: Int64(second * 10), total: 100)
        }
        r.finish(succeeded: true)
        XCTAssertEqual(rig.records.map { ($0.updatedAt.timeIntervalSince(t0) * 100).rounded() }, [0, 250, 460, 460])
        XCTAssertEqual(rig.records.map(\.finished), [false, false, false, true])
        XCTAssertTrue(rig.lines.isEmpty, "off prints nothing")
    }

    func testTerminalRedrawsAreThrottledAndCleared() {
        let rig = Rig(t0)
        let r = rig.reporter(.package, .terminal)
        for ms in [10, 50, 120, 150, 260] {
            rig.now = t0.addingTimeInterval(Double(ms) / 1000)
            r.update(done: Int64(ms), total: 1000)
        }
        XCTAssertEqual(rig.drawn.count, 3)
        XCTAssertTrue(rig.drawn[0].hasPrefix("\r\u{1B}[Kpackage: [...."), rig.drawn[0])
        XCTAssertTrue(rig.drawn[2].contains("260/1000 documents"), rig.drawn[2])
        r.finish(succeeded: false)
        XCTAssertEqual(rig.drawn.last, "\r\u{1B}[K")
        XCTAssertEqual(rig.lines, ["package stopped after 0s at 260/1000 documents"])
    }

    func testAStageWithoutCountsReportsItsTime() {
        let rig = Rig(t0)
        let r = rig.reporter(.dedupe, .lines, lineEvery: 0)
        rig.now = t0.addingTimeInterval(75)
        r.finish(succeeded: true)
        XCTAssertEqual(rig.lines, ["dedupe done in 1m15s"])
    }

    func testStatusLineSaysRunningStoppedOrLast() {
        var p = StageProgress(stage: .redact, startedAt: t0, pid: 4242)
        p.report(done: 1000, total: 4861, at: t0.addingTimeInterval(10))
        p.report(done: 1350, total: 4861, at: t0.addingTimeInterval(20))
        let later = t0.addingTimeInterval(22)
        XCTAssertEqual(Pipeline.progressLine(p, held: true, now: later),
                       "running: redact 1350/4861 documents, 35 docs/s, ETA 1m40s (updated 2s ago)")
        XCTAssertEqual(Pipeline.progressLine(p, held: false, now: t0.addingTimeInterval(320)),
                       "stopped: redact at 1350/4861 documents, 20s into the stage (last update 5m00s ago); no disclose process has the case open; `disclose run` resumes from the last commit")
        p.finished = true
        XCTAssertEqual(Pipeline.progressLine(p, held: false, now: later), "last run: redact done: 1350 documents in 20s (2s ago)")
    }

    func testStatusOfAStageBeforeItsFirstCount() {
        let p = StageProgress(stage: .dedupe, startedAt: t0, pid: 4242)
        XCTAssertEqual(Pipeline.progressLine(p, held: true, now: t0.addingTimeInterval(12)), "running: dedupe, started 12s ago")
        XCTAssertTrue(Pipeline.progressLine(p, held: false, now: t0.addingTimeInterval(12)).hasPrefix("stopped: dedupe, started 12s ago; no disclose process"))
    }
}
