// disclose-bench: segmenting, threading and near-duplicate grouping on synthetic mail.
//
// Generates N emails in memory (threads of 3–12 messages quoting their history in the real
// client forms, copied into several custodians' mailboxes, some copies slightly changed:
// curly quotes, re-wrapping, a mobile footer, a gateway banner), feeds them through the same
// code the dedupe stage runs, and reports time, throughput and peak memory. Threads are
// generated and dropped one at a time, so peak memory is what the algorithms keep, not the
// corpus. Deterministic: the same seed gives the same mail and the same result.
//
//   disclose-bench [--count N] [--seed S] [--threshold T]
//   disclose-bench --leak-audit MB     (the leak audit's MB/s: LeakAuditBench.swift)
#if canImport(Glibc)
import Glibc
#endif
import Dedupe
import DiscloseCore
import Foundation

struct Options {
    var count = 100_000
    var seed: UInt64 = 20_240_305
    var threshold = 0.9
    var leakAuditMB = 0
}

func parseOptions() -> Options {
    var o = Options()
    var args = CommandLine.arguments.dropFirst()
    func fail(_ m: String) -> Never {
        FileHandle.standardError.write(Data("disclose-bench: \(m)\nusage: disclose-bench [--count N] [--seed S] [--threshold T] | --leak-audit MB\n".utf8))
        exit(2)
    }
    while let a = args.popFirst() {
        switch a {
        case "--count": guard let v = args.popFirst().flatMap(Int.init), v > 0 else { fail("--count needs a positive number") }; o.count = v
        case "--seed": guard let v = args.popFirst().flatMap(UInt64.init) else { fail("--seed needs a number") }; o.seed = v
        case "--threshold": guard let v = args.popFirst().flatMap(Double.init), (0...1).contains(v) else { fail("--threshold needs 0…1") }; o.threshold = v
        case "--leak-audit": guard let v = args.popFirst().flatMap(Int.init), v > 0 else { fail("--leak-audit needs megabytes") }; o.leakAuditMB = v
        case "-h", "--help": fail("help")
        default: fail("unknown argument \(a)")
        }
    }
    return o
}

/// splitmix64: small, fast, and the same stream on every platform.
struct RNG {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func int(_ r: ClosedRange<Int>) -> Int { r.lowerBound + Int(next() % UInt64(r.count)) }
    mutating func chance(_ p: Double) -> Bool { Double(next() >> 11) / Double(1 << 53) < p }
    mutating func pick<T>(_ a: [T]) -> T { a[Int(next() % UInt64(a.count))] }
}

struct Person {
    var first: String
    var last: String
    var address: String
    var offset: Int  // seconds east of UTC
    var client: Int  // index into the quoting styles
    var full: String { "\(first) \(last)" }
    var outlookName: String { "\(last), \(first)" }
}

let weekdays = ["Thursday", "Friday", "Saturday", "Sunday", "Monday", "Tuesday", "Wednesday"]
let months = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
              "November", "December"]

/// Wall-clock parts of a UTC time seen at an offset.
func parts(_ utc: Int64, _ offset: Int) -> (y: Int, m: Int, d: Int, h: Int, mi: Int, wd: Int) {
    let t = utc + Int64(offset)
    var days = Int(t / 86_400)
    var secs = Int(t % 86_400)
    if secs < 0 { secs += 86_400; days -= 1 }
    let (y, m, d) = CivilDate.civil(days: days)
    return (y, m, d, secs / 3600, secs / 60 % 60, ((days % 7) + 7) % 7)
}

func hm(_ h: Int, _ mi: Int) -> String { "\(h % 12 == 0 ? 12 : h % 12):\(mi < 10 ? "0" : "")\(mi) \(h < 12 ? "AM" : "PM")" }

func iso(_ utc: Int64) -> String {
    let p = parts(utc, 0)
    return String(format: "%04d-%02d-%02dT%02d:%02d:00Z", p.y, p.m, p.d, p.h, p.mi)
}

func offsetText(_ o: Int) -> String {
    String(format: "%@%02d:%02d", o < 0 ? "-" : "+", abs(o) / 3600, abs(o) / 60 % 60)
}

/// A vocabulary of invented words from syllables, drawn with a skew so some words are common.
struct Vocabulary {
    var words: [String] = []
    init(_ rng: inout RNG) {
        let on = ["b", "c", "d", "f", "g", "h", "k", "l", "m", "n", "p", "r", "s", "t", "v", "w", "st", "tr", "pl", "gr"]
        let nu = ["a", "e", "i", "o", "u", "ai", "ou", "ea"]
        var seen = Set<String>()
        while words.count < 6000 {
            var w = ""
            for _ in 0..<rng.int(1...3) { w += rng.pick(on) + rng.pick(nu) }
            if rng.chance(0.4) { w += rng.pick(["n", "r", "s", "t", "l"]) }
            if seen.insert(w).inserted { words.append(w) }
        }
    }
    func word(_ rng: inout RNG) -> String {
        // Squaring a uniform draw favours the front of the list.
        let u = Double(rng.next() >> 11) / Double(1 << 53)
        return words[min(words.count - 1, Int(u * u * Double(words.count)))]
    }
    func sentence(_ rng: inout RNG) -> String {
        var s = ""
        for i in 0..<rng.int(8...18) {
            var w = word(&rng)
            if i == 0 { w = w.prefix(1).uppercased() + w.dropFirst() }
            s += (i == 0 ? "" : " ") + w
            if rng.chance(0.04) { s += " \"\(word(&rng))\"" }
            if rng.chance(0.03) { s += " we'd" }
        }
        return s + "."
    }
}

struct Message {
    var sender: Int
    var to: [Int]
    var subject: String
    var sent: Int64
    var body: String
    var id: String
    var parentID: String?
    var refs: [String]
}

/// Builds one thread's messages, quoting the parent in the replier's client style.
struct Generator {
    var rng: RNG
    let vocab: Vocabulary
    let people: [Person]

    func quote(_ text: String, wrap: Bool) -> String {
        var out: [String] = []
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.isEmpty { out.append(">"); continue }
            let prefix = line.hasPrefix(">") ? ">" : "> "
            if wrap && line.count > 72 && !line.hasPrefix(">") {
                var cur = ""
                for w in line.split(separator: " ") {
                    if cur.count + w.count + 1 > 70 { out.append(prefix + cur); cur = "" }
                    cur += cur.isEmpty ? String(w) : " " + w
                }
                out.append(prefix + cur)
            } else {
                out.append(prefix + line)
            }
        }
        return out.joined(separator: "\n")
    }

    mutating func history(_ parent: Message, viewer: Person, forward: Bool) -> String {
        let s = people[parent.sender]
        let p = parts(parent.sent, viewer.offset)
        let toNames = parent.to.map { people[$0].outlookName }.joined(separator: "; ")
        let toFull = parent.to.map { "\(people[$0].full) <\(people[$0].address)>" }.joined(separator: ", ")
        let long = "\(weekdays[p.wd]), \(months[p.m - 1]) \(p.d), \(p.y)"
        let short = "\(weekdays[p.wd].prefix(3)), \(months[p.m - 1].prefix(3)) \(p.d), \(p.y)"
        switch forward ? 7 + rng.int(0...1) : viewer.client {
        case 0:
            return "-----Original Message-----\nFrom: \(s.outlookName) <\(s.address)>\nSent: \(long) \(hm(p.h, p.mi))\nTo: \(toNames)\nSubject: \(parent.subject)\n\n" + parent.body
        case 1:
            return "-----Original Message-----\nFrom:\n\(s.outlookName) <\(s.address)>\nSent:\n\(long) \(hm(p.h, p.mi))\nTo:\n\(toNames)\nSubject:\n\(parent.subject)\n\n" + parent.body
        case 2:
            return "________________________________\nFrom: \(s.outlookName) <\(s.address)>\nSent: \(long) \(hm(p.h, p.mi))\nTo: \(toNames)\nSubject: \(parent.subject)\n\n" + parent.body
        case 3:
            return "On \(short) at \(hm(p.h, p.mi)) \(s.full) <\(s.address)> wrote:\n" + quote(parent.body, wrap: false)
        case 4:
            return "On \(months[p.m - 1].prefix(3)) \(p.d), \(p.y), at \(hm(p.h, p.mi)), \(s.full) <\(s.address)>\nwrote:\n\n" + quote(parent.body, wrap: false)
        case 5:
            return "On \(p.m)/\(p.d)/\(p.y % 100) \(hm(p.h, p.mi)), \(s.full) wrote:\n" + quote(parent.body, wrap: true)
        case 6:
            return String(format: "----- Original message -----\nFrom: %@ <%@>\nDate: %02d/%02d/%04d %@\nTo: %@\nSubject: %@\n\n",
                          s.full, s.address, p.m, p.d, p.y, hm(p.h, p.mi), toFull, parent.subject) + parent.body
        case 7:
            return "---------- Forwarded message ---------\nFrom: \(s.full) <\(s.address)>\nDate: \(short) at \(hm(p.h, p.mi))\nSubject: \(parent.subject)\nTo: \(toFull)\n\n" + parent.body
        default:
            return "Begin forwarded message:\n\nFrom: \(s.full) <\(s.address)>\nDate: \(long) at \(hm(p.h, p.mi))\nTo: \(toFull)\nSubject: \(parent.subject)\n\n" + parent.body
        }
    }

    mutating func thread(_ index: Int) -> [Message] {
        let n = rng.int(3...12)
        var who = [rng.int(0...(people.count - 1))]
        while who.count < rng.int(2...5) {
            let p = rng.int(0...(people.count - 1))
            if !who.contains(p) { who.append(p) }
        }
        var subject = "\(vocab.word(&rng)) \(vocab.word(&rng)) \(vocab.word(&rng)) \(index)"
        subject = subject.prefix(1).uppercased() + subject.dropFirst()
        var t: Int64 = 1_672_531_200 + Int64(rng.int(0...(540 * 86_400)))
        var out: [Message] = []
        for k in 0..<n {
            let sender = k == 0 ? who[0] : rng.pick(who.filter { $0 != out[k - 1].sender })
            let to = who.filter { $0 != sender }
            var body = rng.pick(["Hi \(people[to[0]].first),", "\(people[to[0]].first) —", "All,", "Hello,"]) + "\n\n"
            for _ in 0..<rng.int(1...3) {
                body += (0..<rng.int(1...3)).map { _ in vocab.sentence(&rng) }.joined(separator: " ") + "\n\n"
            }
            body += rng.pick(["Thanks,\n", "Best,\n", "Regards,\n", ""]) + people[sender].first
            let id = "<\(index).\(k).\(rng.next() % 1_000_000)@bench.example>"
            var m = Message(sender: sender, to: to, subject: subject, sent: t, body: body, id: id, parentID: nil, refs: [])
            if k > 0 {
                // Mostly a chain; sometimes a branch off an earlier message.
                let parent = rng.chance(0.85) ? out[k - 1] : out[rng.int(0...(k - 1))]
                let forward = rng.chance(0.08)
                m.subject = (forward ? "FW: " : "RE: ") + parent.subject.replacingOccurrences(of: "RE: ", with: "")
                    .replacingOccurrences(of: "FW: ", with: "")
                m.body += "\n\n" + history(parent, viewer: people[sender], forward: forward)
                // Gateways and clients lose threading headers now and then.
                if rng.chance(0.8) {
                    m.parentID = parent.id
                    if rng.chance(0.8) { m.refs = parent.refs + [parent.id] }
                }
            }
            out.append(m)
            t += Int64(rng.int(5...600) * 60)
        }
        return out
    }

    /// A copy as another custodian holds it, sometimes changed in rendering only.
    mutating func variant(_ body: String) -> String {
        switch rng.int(0...3) {
        case 0: return body.replacingOccurrences(of: "we'd", with: "we\u{2019}d").replacingOccurrences(of: " \"", with: " \u{201C}")
            .replacingOccurrences(of: "\" ", with: "\u{201D} ")
        case 1: return body.split(separator: "\n", omittingEmptySubsequences: false).flatMap { line -> [String] in
                guard line.count > 72 else { return [String(line)] }
                var out: [String] = [], cur = ""
                for w in line.split(separator: " ") {
                    if cur.count + w.count + 1 > 72 { out.append(cur); cur = "" }
                    cur += cur.isEmpty ? String(w) : " " + w
                }
                return out + [cur]
            }.joined(separator: "\n")
        case 2: return body + "\n\nSent from my iPhone"
        default: return "[EXTERNAL] Use caution with links and attachments.\n\n" + body
        }
    }
}

func peakRSSMegabytes() -> Double {
    var u = rusage()
    getrusage(RUSAGE_SELF.rawValue, &u)
    return Double(u.ru_maxrss) / 1024  // kilobytes on Linux
}

func now() -> Double { Date().timeIntervalSinceReferenceDate }

let opt = parseOptions()
if opt.leakAuditMB > 0 {
    leakAuditBench(megabytes: opt.leakAuditMB, seed: opt.seed)
    exit(0)
}
var rng = RNG(state: opt.seed)
let vocab = Vocabulary(&rng)
var people: [Person] = []
let firsts = ["Jane", "Maria", "Samuel", "Hiroshi", "Carmen", "Peter", "Siobhan", "Nadia", "Priya", "Lucian", "Haruto",
              "Declan", "Ingrid", "Renée", "Dmitri", "Xiaoling", "Orville", "Theo", "Ximena", "Elena"]
let offsets = [-8, -7, -6, -5, 0, 1, 2, 9].map { $0 * 3600 } + [19_800]
for i in 0..<400 {
    let f = firsts[i % firsts.count]
    let l = vocab.words[(i * 7919) % vocab.words.count].capitalized
    people.append(Person(first: f, last: l, address: "\(f.lowercased().prefix(1))\(l.lowercased())\(i)@bench.example",
                         offset: rng.pick(offsets), client: rng.int(0...6)))
}
var gen = Generator(rng: RNG(state: opt.seed ^ 0xA5A5), vocab: vocab, people: people)

print("disclose-bench: \(opt.count) emails, seed \(opt.seed), near-duplicate threshold \(opt.threshold)")
var emails: [Threader.Email] = []
emails.reserveCapacity(opt.count)
var near = NearDuplicates(threshold: opt.threshold)
var nearInclude = Set<String>()
var truth: [String: Int] = [:]  // key → generated thread
var segmentTime = 0.0, generateTime = 0.0, signatureTime = 0.0
var produced = 0
var threadIndex = 0
var segmentsSeen = 0
let custodians = 12
var counters = [Int](repeating: 0, count: custodians)

let wall = now()
while produced < opt.count {
    threadIndex += 1
    var t0 = now()
    let msgs = gen.thread(threadIndex)
    generateTime += now() - t0
    for m in msgs where produced < opt.count {
        // The sender's Sent copy plus one Inbox copy per recipient, up to three.
        let holders = [m.sender] + m.to.prefix(3)
        for (c, holder) in holders.enumerated() where produced < opt.count {
            t0 = now()
            let custodian = holder % custodians
            counters[custodian] += 1
            let key = String(format: "%04d.%08d", custodian + 1, counters[custodian])
            var d = Document(key: key, kind: .email)
            d.messageID = String(m.id.dropFirst().dropLast())
            d.inReplyTo = m.parentID ?? ""
            d.references = m.refs
            d.subject = m.subject
            let s = people[m.sender]
            d.from = Address(name: s.outlookName, address: s.address)
            d.to = m.to.map { Address(name: people[$0].outlookName, address: people[$0].address) }
            d.dateSent = iso(m.sent)
            d.dateOffset = offsetText(s.offset)
            let changed = c > 0 && gen.rng.chance(0.15)
            d.text = changed ? gen.variant(m.body) : m.body
            generateTime += now() - t0

            t0 = now()
            let segs = Segments.split(d.text)
            segmentsSeen += segs.count
            emails.append(Threader.Email(key: key, document: d, attachmentSHA256: [], segments: segs))
            segmentTime += now() - t0
            t0 = now()
            near.add(key: key, text: d.text)
            // Exact copies are suppressed duplicates in the pipeline: only first copies and changed
            // copies are clustered (signatures are still computed for every document, as there).
            if c == 0 || changed { nearInclude.insert(key) }
            signatureTime += now() - t0
            truth[key] = threadIndex
            produced += 1
        }
    }
}

var t0 = now()
let threads = Threader.run(emails)
let threadTime = now() - t0
t0 = now()
let groups = near.run(include: { nearInclude.contains($0) })
let clusterTime = now() - t0
let total = now() - wall

// How well threads came back: generated threads recovered exactly.
var found: [String: Set<Int>] = [:]
var members: [Int: Set<String>] = [:]
for r in threads { found[r.threadID, default: []].insert(truth[r.key]!); members[truth[r.key]!, default: []].insert(r.threadID) }
let merged = found.values.filter { $0.count > 1 }.count
let split = members.values.filter { $0.count > 1 }.count
let work = segmentTime + signatureTime + threadTime + clusterTime

func f(_ x: Double) -> String { String(format: "%.2f", x) }
print("generated \(produced) emails in \(threadIndex) threads (\(f(generateTime)) s, not counted below)")
print("segmenting:      \(f(segmentTime)) s  (\(segmentsSeen) segments)")
print("signatures:      \(f(signatureTime)) s")
print("threading:       \(f(threadTime)) s  (\(Set(threads.map(\.threadID)).count) threads, \(threads.filter(\.inclusive).count) inclusive emails; \(split) generated threads split, \(merged) merged)")
print("near-dup groups: \(f(clusterTime)) s  (\(Set(groups.map(\.group)).count) groups over \(groups.count) documents)")
print("total:           \(f(work)) s  = \(Int(Double(produced) / max(work, 1e-9))) messages/s  (wall \(f(total)) s)")
print("peak RSS:        \(f(peakRSSMegabytes())) MB")
