@testable import Dedupe
import XCTest

final class NearDuplicatesTests: XCTestCase {
    let base = """
    Jane, Carmen —

    My recommendation, before we decide, is that we do not adopt the 90-day rule for direct messages \
    until the investigation into the deleted pilot messages is closed. If we shorten retention now, it \
    will look like we are destroying evidence, and we'd have a hard time explaining why the "transitory" \
    category was widened in the middle of a complaint. I would rather keep everything for one more \
    quarter and revisit the rule in July.

    Happy to discuss at the working session.

    Maria
    """

    var curly: String {
        base.replacingOccurrences(of: "we'd", with: "we\u{2019}d")
            .replacingOccurrences(of: "\"transitory\"", with: "\u{201C}transitory\u{201D}")
    }

    /// Thunderbird re-wrapped at 72 columns, quoted with `>`.
    var rewrapped: String {
        var out: [String] = []
        for para in base.components(separatedBy: "\n\n") {
            var line = ""
            for w in para.split(separator: " ") {
                if line.count + w.count + 1 > 70 { out.append("> " + line); line = "" }
                line += line.isEmpty ? String(w) : " " + w
            }
            out.append("> " + line)
            out.append(">")
        }
        return out.joined(separator: "\n")
    }

    var mobile: String { base + "\n\nSent from my iPhone" }

    let unrelated = """
    The vendor's release 4.6 adds the device id to every login event in the audit export. The export \
    is JSON Lines, one event per line, and the schema is in the attached document. Please confirm that \
    the state archives can ingest it before the pilot ends in June.
    """

    func testRenderingVariantsGroupAtHighSimilarityAndUnrelatedTextStaysOut() {
        var n = NearDuplicates(threshold: 0.9)
        XCTAssertTrue(n.add(key: "0001", text: base))
        XCTAssertTrue(n.add(key: "0002", text: curly))
        XCTAssertTrue(n.add(key: "0003", text: rewrapped))
        XCTAssertTrue(n.add(key: "0004", text: mobile))
        XCTAssertTrue(n.add(key: "0005", text: unrelated))
        XCTAssertFalse(n.add(key: "0006", text: "Thanks, see you Friday."), "too short to take part")
        let r = Dictionary(uniqueKeysWithValues: n.run().map { ($0.key, $0) })
        XCTAssertEqual(Set(r.keys), ["0001", "0002", "0003", "0004"])
        XCTAssertEqual(Set(r.values.map(\.group)), ["N000001"])
        for k in ["0001", "0002", "0003", "0004"] { XCTAssertGreaterThanOrEqual(r[k]!.similarity, 0.9, k) }
        // Principal: the longest text ("> " markers and the footer make 0003 and 0004 longer).
        let longest = ["0001": base, "0002": curly, "0003": rewrapped, "0004": mobile]
            .max { $0.value.unicodeScalars.count < $1.value.unicodeScalars.count }!.key
        XCTAssertEqual(r.values.filter(\.principal).map(\.key), [longest])
        XCTAssertEqual(r[longest]?.similarity, 1.0)
        // The unrelated text is far below the threshold.
        let h = MinHash()
        XCTAssertLessThan(MinHash.similarity(h.signature(base), h.signature(unrelated)), 0.2)
    }

    func testSimilarityTracksJaccardForSmallEdits() {
        // About 5 % of the words changed: similar, but below 0.95 and above 0.5.
        var words = base.split(separator: " ").map(String.init)
        for i in stride(from: 3, to: words.count, by: 20) { words[i] = "changed\(i)" }
        let edited = words.joined(separator: " ")
        let h = MinHash()
        let s = MinHash.similarity(h.signature(base), h.signature(edited))
        XCTAssertGreaterThan(s, 0.5)
        XCTAssertLessThan(s, 0.95)
        var n = NearDuplicates(threshold: 0.95)
        n.add(key: "a", text: base)
        n.add(key: "b", text: edited)
        XCTAssertEqual(n.run(), [], "below the threshold")
        var low = NearDuplicates(threshold: 0.5)
        low.add(key: "a", text: base)
        low.add(key: "b", text: edited)
        XCTAssertEqual(low.run().count, 2)
    }

    func testThresholdZeroTurnsItOff() {
        var n = NearDuplicates(threshold: 0)
        n.add(key: "a", text: base)
        n.add(key: "b", text: base)
        XCTAssertEqual(n.run(), [])
    }

    func testDeterministicAndIndependentOfInsertionOrder() {
        let texts = [("0003", base), ("0001", curly), ("0009", unrelated), ("0002", mobile),
                     ("0005", unrelated + " Thanks."), ("0004", rewrapped)]
        var a = NearDuplicates(threshold: 0.9)
        for (k, t) in texts { a.add(key: k, text: t) }
        var b = NearDuplicates(threshold: 0.9)
        for (k, t) in texts.reversed() { b.add(key: k, text: t) }
        let ra = a.run(), rb = b.run()
        XCTAssertEqual(ra, rb)
        XCTAssertEqual(ra.first { $0.key == "0001" }?.group, "N000001")
        XCTAssertEqual(ra.first { $0.key == "0005" }?.group, "N000002")
        XCTAssertEqual(ra.filter { $0.group == "N000002" }.map(\.key), ["0005", "0009"])
        // Excluded documents (suppressed duplicates) take no part.
        XCTAssertFalse(a.run(include: { $0 != "0009" }).contains { $0.key == "0005" })
    }

    func testHugeBucketOfIdenticalTextsStaysLinear() {
        var n = NearDuplicates(threshold: 0.9)
        for i in 0..<3000 { n.add(key: String(format: "%06d", i), text: base) }
        let start = Date()
        let r = n.run()
        XCTAssertLessThan(Date().timeIntervalSince(start), 20)
        XCTAssertEqual(r.count, 3000)
        XCTAssertEqual(Set(r.map(\.group)), ["N000001"])
        XCTAssertEqual(r.filter(\.principal).map(\.key), ["000000"], "ties go to the smallest key")
    }

    func testRowsPerBandKeepCandidatesAtTheThreshold() {
        XCTAssertEqual(NearDuplicates.rowsPerBand(threshold: 0.9, hashes: 128), 9)
        XCTAssertEqual(NearDuplicates.rowsPerBand(threshold: 0.5, hashes: 128), 3)
    }
}
