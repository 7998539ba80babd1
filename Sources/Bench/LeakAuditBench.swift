// disclose-bench --leak-audit MB: the leak audit's speed on MB megabytes of generated mail text,
// scanned as a file the way the package stage scans a production, with 10 needles and with
// 100,000. The cost per byte should not depend on the number of needles.
#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Redact

func leakAuditBench(megabytes: Int, seed: UInt64) {
    var rng = RNG(state: seed)
    let firsts = (0..<400).map { k in "Given\(k)" } + ["Jane", "Maria", "Samuel", "Hiroshi", "Carmen", "Peter", "José", "Zoë"]
    let lasts = (0..<300).map { k in "Family\(k)" } + ["Doe", "Marsh", "Müller", "García", "Nguyễn"]
    let words = ["the", "meeting", "is", "moved", "to", "Thursday", "please", "see", "attached", "report", "and", "call",
                 "me", "at", "office", "regarding", "contract", "review", "of", "budget", "for", "next", "quarter", "thanks",
                 "Re:", "Fwd:", "From:", "Sent:", "To:", "Subject:", "wrote:", ">", "—", "€", "über", "東京", "報告"]
    func phone() -> String { "(\(rng.int(200...999))) \(rng.int(100...999))-\(rng.int(1000...9999))" }

    // Text: mostly plain words, some names, numbers and addresses, wrapped into lines; written
    // a megabyte at a time, so the peak memory printed is the scan's.
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("disclose-bench-leak-\(getpid()).txt")
    _ = FileManager.default.createFile(atPath: url.path, contents: nil)
    let out = try! FileHandle(forWritingTo: url)
    defer { try? FileManager.default.removeItem(at: url) }
    var written = 0
    var line = 0
    while written < megabytes << 20 {
        var block = ""
        while block.utf8.count < 1 << 20 {
            let piece: String
            switch rng.int(0...19) {
            case 0: piece = "\(rng.pick(firsts)) \(rng.pick(lasts))"
            case 1: piece = phone()
            case 2: piece = "\(rng.pick(firsts).lowercased()).\(rng.pick(lasts).lowercased())@agency.example.gov"
            default: piece = rng.pick(words)
            }
            block += piece
            line += piece.utf8.count + 1
            if line > 72 { block += "\n"; line = 0 } else { block += rng.chance(0.1) ? ", " : " " }
        }
        out.write(Data(block.utf8))
        written += block.utf8.count
    }
    try! out.close()
    let bytes = Double(written)

    var needles: [(String, [String])] = []
    for f in firsts.prefix(20) { for l in lasts { needles.append(("\(f) \(l)", ["(b)(6)"])) } }
    for f in firsts.suffix(8) { needles.append((f, ["(b)(6)"])) }
    while needles.count < 100_000 { needles.append((phone(), ["(b)(7)(C)"])) }
    let few = Array(needles.prefix(6)) + [("Jane", ["(b)(6)"]), ("(555) 014-2231", ["(b)(6)"]), ("山田太郎", ["(b)(6)"]), ("Marsh", ["(b)(6)"])]

    print("leak audit: \(String(format: "%.1f", bytes / 1e6)) MB of text, seed \(seed)")
    for (label, set) in [("10 needles", few), ("100,000 needles", needles)] {
        var t0 = threadSeconds()
        let audit = LeakAudit(coded: set, allow: ["Given0 Family0"])
        let build = threadSeconds() - t0
        t0 = threadSeconds()
        let w0 = now()
        let found = try! audit.scan(file: url)
        let scan = threadSeconds() - t0
        let wall = now() - w0
        print(String(format: "  %@: build %.2f s, scan %.3f s CPU (%.3f s wall), %.0f MB/s, %d findings, peak memory so far %.0f MB",
                     label, build, scan, wall, bytes / 1e6 / scan, found.count, peakRSSMegabytes()))
    }
}

/// CPU seconds of this thread: on a shared machine, the wall clock also counts other programs.
func threadSeconds() -> Double {
    var t = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t)
    return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
}
