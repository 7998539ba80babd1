import DiscloseCore
import Foundation

/// Email threading and inclusive-email detection (field guide §2).
///
/// Threads are connected components of top-level emails, linked by
/// - Message-ID / In-Reply-To / References (a referenced message that is not in the
///   collection is a phantom node, so two replies to a missing message still meet);
/// - where those are missing or stripped, and only between emails with the same normalised
///   subject: a quoted segment header naming another email's sender and sent time (within
///   60 seconds, compared in UTC), or a quoted segment whose fingerprint equals another email's
///   own text or another email's quoted segment.
///
/// An email is inclusive when it holds a segment or an attachment that no other email of its
/// thread holds; copies with exactly the same content count once and the first by key stands for
/// them. Everything is computed from compact per-email summaries (hashes and times), never from
/// text, so a case of any size threads in memory proportional to its email count.
public enum Threader {
    /// Quoted segments shorter than this (folded tokens) are not used to link emails: "Thanks!"
    /// is in too many threads.
    public static let minLinkTokens = 5
    /// How far apart a quoted sent time and the quoted email's own Date may be.
    public static let timeTolerance: Int64 = 60

    /// A quoted header reduced to what matching needs.
    public struct QuotedRef: Sendable, Equatable {
        public var fromAddress: UInt64
        public var fromName: UInt64
        public var onBehalfOf: UInt64
        public var subject: UInt64
        public var utc: Int64?
        public var local: Int64?
    }

    /// One segment reduced to its fingerprint and, for quoted ones, its header.
    public struct SegmentRef: Sendable, Equatable {
        public var fingerprint: UInt64
        public var tokens: Int
        public var quoted: Bool
        public var header: QuotedRef?
    }

    /// What threading keeps of one top-level email.
    public struct Email: Sendable {
        public var key: String
        /// Copies in the same group with identical content count once, the first by key standing
        /// for them: "" for global dedupe, the custodian for custodial, the key itself for none.
        public var copyGroup: String
        public var messageID: UInt64
        public var parents: [UInt64]
        public var subject: UInt64
        public var fromAddress: UInt64
        public var fromName: UInt64
        /// UTC seconds since 1970, and the sender's offset from UTC in seconds.
        public var sent: Int64?
        public var offset: Int
        public var segments: [SegmentRef]
        /// Hashes of the SHA-256 of the email's direct children.
        public var attachments: [UInt64]

        public init(key: String, document d: Document, attachmentSHA256: [String], copyGroup: String = "",
                    segments: [Segment]? = nil) {
            self.key = key
            self.copyGroup = copyGroup
            let own = Threader.idHash(d.messageID)
            messageID = own
            var ps: [UInt64] = []
            for raw in [d.inReplyTo] + d.references {
                for id in Threader.messageIDs(in: raw) { ps.append(Threader.idHash(id)) }
            }
            parents = ps.filter { $0 != 0 && $0 != own }
            subject = TextFold.hash(Threader.normalizeSubject(d.subject))
            fromAddress = Threader.addressHash(d.from?.address ?? "")
            fromName = Threader.nameHash(d.from?.name ?? "")
            sent = d.dateSent.isEmpty ? nil : LooseDate.epoch(iso: d.dateSent)
            offset = d.dateOffset.isEmpty ? 0 : LooseDate.offsetSeconds(d.dateOffset)
            let segs = segments ?? Segments.split(d.text)
            self.segments = segs.map(Threader.ref)
            attachments = attachmentSHA256.map { TextFold.mix64(TextFold.hash($0.lowercased()) ^ 0xA77A_C4ED) }
        }
    }

    public struct Result: Sendable, Equatable {
        public var key: String
        public var threadID: String
        public var inclusive: Bool
        public var reason: String
        /// For a non-inclusive email, the emails that each hold all of its content (inclusive
        /// ones first), so a caller suppressing it can check one of them is produced.
        public var containedIn: [String]
    }

    static func ref(_ s: Segment) -> SegmentRef {
        SegmentRef(fingerprint: s.fingerprint, tokens: s.tokenCount, quoted: s.quoted, header: s.header.map { h in
            QuotedRef(fromAddress: addressHash(h.fromAddress), fromName: nameHash(h.fromName),
                      onBehalfOf: nameHash(h.onBehalfOf), subject: h.subject.isEmpty ? 0 : TextFold.hash(normalizeSubject(h.subject)),
                      utc: h.sentEpoch, local: h.localEpoch)
        })
    }

    // MARK: normalisation

    static let subjectPrefixes: Set<String> = ["re", "fw", "fwd", "aw", "wg", "sv", "vs", "réf", "ref", "tr", "rv", "antw",
                                               "enc", "res", "odp", "rif", "r", "f", "回复", "转发", "答复", "回覆", "轉寄"]

    static let listTagClose: [Character: Character] = ["[": "]", "【": "】", "［": "］"]

    /// Subject without any number of reply/forward prefixes (`RE:`, `FW:`, `Fwd:`, `AW:`, `WG:`,
    /// `SV:`, `Réf :`, `Re[2]:`) and list tags (`[Parley]`), lowercased, whitespace folded.
    public static func normalizeSubject(_ s: String) -> String {
        var t = trim(s)
        // Prefixes and tags need a colon or a bracket (ASCII, or full-width ones starting E3/EF).
        var changed = t.utf8.contains { $0 == 58 || $0 == 91 || $0 == 0xE3 || $0 == 0xEF }
        while changed {
            changed = false
            if let open = t.first, let closing = listTagClose[open], let close = t.firstIndex(of: closing),
               t.distance(from: t.startIndex, to: close) < 40 {
                t = t[t.index(after: close)...].drop { $0.isWhitespace }
                changed = true
                continue
            }
            if let colon = t.prefix(11).firstIndex(where: { $0 == ":" || $0 == "：" }) {
                var p = trim(t[..<colon]).lowercased()
                // Re[2], Re^2, Re(2)
                if let b = p.firstIndex(where: { $0 == "[" || $0 == "^" || $0 == "(" }) {
                    let tail = p[b...].dropFirst().filter { $0 != "]" && $0 != ")" }
                    if tail.allSatisfy(\.isNumber) { p = String(p[..<b]) }
                }
                if subjectPrefixes.contains(p) {
                    t = t[t.index(after: colon)...].drop { $0.isWhitespace }
                    changed = true
                }
            }
        }
        var out = t.lowercased()
        for suffix in ["(fwd)", "(fw)"] where out.hasSuffix(suffix) { out = String(out.dropLast(suffix.count)) }
        // Collapse whitespace runs (ASCII fast path; other spaces are rare in subjects).
        var bytes: [UInt8] = []
        bytes.reserveCapacity(out.utf8.count)
        var space = false
        for c in out.utf8 {
            if c == 32 || c == 9 || c == 10 || c == 13 { space = !bytes.isEmpty; continue }
            if space { bytes.append(32); space = false }
            bytes.append(c)
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// `<a@b> <c@d>` → `a@b`, `c@d`; a bare id without brackets counts as one.
    static func messageIDs(in s: String) -> [String] {
        var out: [String] = []
        var rest = Substring(s)
        while let lt = rest.firstIndex(of: "<") {
            guard let gt = rest[lt...].firstIndex(of: ">") else { break }
            out.append(String(rest[rest.index(after: lt)..<gt]))
            rest = rest[rest.index(after: gt)...]
        }
        if out.isEmpty {
            for w in s.split(whereSeparator: { $0 == " " || $0 == "," || $0 == "\t" || $0 == "\n" }) where w.contains("@") {
                out.append(String(w))
            }
        }
        return out
    }

    static func idHash(_ id: String) -> UInt64 {
        var t = trim(id)
        if t.hasPrefix("<") && t.hasSuffix(">") && t.count >= 2 { t = t.dropFirst().dropLast() }
        return t.isEmpty ? 0 : TextFold.hash(t.lowercased())
    }

    static func addressHash(_ a: String) -> UInt64 {
        let t = trim(a).lowercased()
        return t.isEmpty ? 0 : TextFold.hash(t)
    }

    /// Names compare as sets of folded words: "Doe, Jane" and "Jane Doe" are the same person.
    static func nameHash(_ n: String) -> UInt64 {
        let toks = TextFold.tokenHashes(n).sorted()
        return toks.isEmpty ? 0 : TextFold.fingerprint(tokenHashes: toks)
    }

    // MARK: threading

    struct UnionFind {
        var parent: [Int32]
        init(_ n: Int) { parent = (0..<Int32(n)).map { $0 } }
        mutating func add() -> Int { parent.append(Int32(parent.count)); return parent.count - 1 }
        mutating func find(_ x: Int) -> Int {
            var x = Int32(x)
            while parent[Int(x)] != x {
                let p = parent[Int(x)]
                parent[Int(x)] = parent[Int(p)]
                x = p
            }
            return Int(x)
        }
        /// The smaller index becomes the root, so roots are the first member in key order.
        mutating func union(_ a: Int, _ b: Int) {
            let ra = find(a), rb = find(b)
            if ra == rb { return }
            if ra < rb { parent[rb] = Int32(ra) } else { parent[ra] = Int32(rb) }
        }
    }

    @inline(__always) static func combine(_ a: UInt64, _ b: UInt64) -> UInt64 {
        TextFold.mix64(a &* 0x9E37_79B9_7F4A_7C15 ^ b)
    }

    /// Threads and inclusiveness for every email, in key order. The input order does not matter.
    public static func run(_ input: [Email]) -> [Result] {
        let emails = input.sorted { $0.key < $1.key }
        let n = emails.count
        var uf = UnionFind(n)

        // Message-ID links.
        var idNode: [UInt64: Int] = [:]
        for (i, e) in emails.enumerated() where e.messageID != 0 {
            if let j = idNode[e.messageID] { uf.union(i, j) } else { idNode[e.messageID] = i }
        }
        for (i, e) in emails.enumerated() {
            for p in e.parents {
                if let j = idNode[p] { uf.union(i, j) } else {
                    let node = uf.add()
                    idNode[p] = node
                    uf.union(i, node)
                }
            }
        }

        // Segment fingerprints, keyed by subject: own text is linked only when someone quotes it.
        var ownHolders: [UInt64: [Int32]] = [:]
        var firstQuoted: [UInt64: Int32] = [:]
        for (i, e) in emails.enumerated() {
            if let own = e.segments.first(where: { !$0.quoted && $0.tokens >= minLinkTokens }) {
                ownHolders[combine(e.subject, own.fingerprint), default: []].append(Int32(i))
            }
        }
        for (i, e) in emails.enumerated() {
            for s in e.segments where s.quoted && s.tokens >= minLinkTokens {
                var subjects = [e.subject]
                if let hs = s.header?.subject, hs != 0, hs != e.subject { subjects.append(hs) }
                for subj in subjects {
                    let k = combine(subj, s.fingerprint)
                    if let f = firstQuoted[k] { uf.union(i, Int(f)) } else { firstQuoted[k] = Int32(i) }
                    for j in ownHolders[k] ?? [] { uf.union(i, Int(j)) }
                }
            }
        }

        // Quoted headers naming another email's sender and time.
        var byUTC: [UInt64: [Int32]] = [:]
        var byLocal: [UInt64: [Int32]] = [:]
        for (i, e) in emails.enumerated() {
            guard let t = e.sent else { continue }
            byUTC[combine(e.subject, UInt64(bitPattern: floorDiv(t, 60))), default: []].append(Int32(i))
            byLocal[combine(e.subject, UInt64(bitPattern: floorDiv(t + Int64(e.offset), 60))), default: []].append(Int32(i))
        }
        func senderMatches(_ h: QuotedRef, _ f: Email) -> Bool {
            (h.fromAddress != 0 && h.fromAddress == f.fromAddress) || (h.fromName != 0 && h.fromName == f.fromName)
                || (h.onBehalfOf != 0 && h.onBehalfOf == f.fromName)
        }
        // Copies of one message in several mailboxes (same subject, sender and time) are one
        // thread even when nobody quotes them and their Message-IDs are gone.
        for (i, e) in emails.enumerated() {
            guard let t = e.sent, e.fromAddress != 0 || e.fromName != 0 else { continue }
            let me = QuotedRef(fromAddress: e.fromAddress, fromName: e.fromName, onBehalfOf: 0, subject: e.subject, utc: t, local: nil)
            let m = floorDiv(t, 60)
            for mm in (m - 1)...(m + 1) {
                for j in byUTC[combine(e.subject, UInt64(bitPattern: mm))] ?? [] where Int(j) < i {
                    let f = emails[Int(j)]
                    if let fs = f.sent, abs(fs - t) <= timeTolerance, senderMatches(me, f) { uf.union(i, Int(j)) }
                }
            }
        }
        for (i, e) in emails.enumerated() {
            for s in e.segments {
                guard let h = s.header, h.fromAddress != 0 || h.fromName != 0 || h.onBehalfOf != 0 else { continue }
                var subjects = [e.subject]
                if h.subject != 0, h.subject != e.subject { subjects.append(h.subject) }
                // With a zone the time is UTC; without one it is the quoting client's wall clock
                // (the quoter's own offset) or, in some clients, the sender's.
                var utcTargets: [Int64] = []
                if let u = h.utc { utcTargets.append(u) } else if let l = h.local { utcTargets.append(l - Int64(e.offset)) }
                for subj in subjects {
                    for t in utcTargets {
                        let m = floorDiv(t, 60)
                        for mm in (m - 1)...(m + 1) {
                            for j in byUTC[combine(subj, UInt64(bitPattern: mm))] ?? [] where Int(j) != i {
                                let f = emails[Int(j)]
                                if let fs = f.sent, abs(fs - t) <= timeTolerance, senderMatches(h, f) { uf.union(i, Int(j)) }
                            }
                        }
                    }
                    if h.utc == nil, let l = h.local {
                        let m = floorDiv(l, 60)
                        for mm in (m - 1)...(m + 1) {
                            for j in byLocal[combine(subj, UInt64(bitPattern: mm))] ?? [] where Int(j) != i {
                                let f = emails[Int(j)]
                                if let fs = f.sent, abs(fs + Int64(f.offset) - l) <= timeTolerance, senderMatches(h, f) {
                                    uf.union(i, Int(j))
                                }
                            }
                        }
                    }
                }
            }
        }

        // Thread ids in order of each thread's first member.
        var threadOfRoot: [Int: Int] = [:]
        var members: [[Int]] = []
        var thread = [Int](repeating: 0, count: n)
        for i in 0..<n {
            let r = uf.find(i)
            if let t = threadOfRoot[r] { thread[i] = t; members[t].append(i) } else {
                threadOfRoot[r] = members.count
                thread[i] = members.count
                members.append([i])
            }
        }
        var results = emails.indices.map { i in
            Result(key: emails[i].key, threadID: threadID(thread[i]), inclusive: true, reason: "", containedIn: [])
        }
        for m in members { inclusiveness(m, emails, &results) }
        return results
    }

    public static func threadID(_ index: Int) -> String {
        let s = String(index + 1)
        return "T" + String(repeating: "0", count: max(0, 6 - s.count)) + s
    }

    static func floorDiv(_ a: Int64, _ b: Int64) -> Int64 { a >= 0 ? a / b : -((-a + b - 1) / b) }

    // MARK: inclusive

    /// One distinct content (segment fingerprints plus attachment hashes) within a thread.
    struct Content {
        var elements: [UInt64]       // sorted, unique
        var attachments: Set<UInt64>
        var members: [Int]           // email indices, key order
        var inclusive = false
        var uniqueSegment = false
    }

    static func inclusiveness(_ m: [Int], _ emails: [Email], _ results: inout [Result]) {
        if m.count == 1 {
            results[m[0]].reason = "only email in thread"
            return
        }
        var contents: [Content] = []
        var byElements: [[UInt64]: Int] = [:]
        for i in m {
            let e = emails[i]
            var set = Set(e.segments.lazy.filter { $0.tokens > 0 }.map(\.fingerprint))
            let atts = Set(e.attachments)
            set.formUnion(atts)
            let sorted = set.sorted()
            if let c = byElements[sorted] { contents[c].members.append(i) } else {
                byElements[sorted] = contents.count
                contents.append(Content(elements: sorted, attachments: atts, members: [i]))
            }
        }
        // How many distinct contents hold each element, and which.
        var holders: [UInt64: [Int]] = [:]
        for (c, x) in contents.enumerated() { for el in x.elements { holders[el, default: []].append(c) } }
        for c in contents.indices {
            var seg = false, att = false
            for el in contents[c].elements where holders[el]!.count == 1 {
                if contents[c].attachments.contains(el) { att = true } else { seg = true }
            }
            contents[c].inclusive = seg || att || contents.count == 1
            contents[c].uniqueSegment = seg
        }

        for (c, x) in contents.enumerated() {
            // The first member of each copy group stands for its identical copies.
            var standIn: [String: Int] = [:]
            var copyCount: [String: Int] = [:]
            for i in x.members {
                if standIn[emails[i].copyGroup] == nil { standIn[emails[i].copyGroup] = i }
                copyCount[emails[i].copyGroup, default: 0] += 1
            }
            var containers: [Int] = []
            if !x.inclusive { containers = supersets(c, contents, holders) }
            for i in x.members {
                let first = standIn[emails[i].copyGroup]!
                let copies = copyCount[emails[i].copyGroup]!
                if x.inclusive && i == first {
                    var base = contents.count == 1 ? "only email in thread" : x.uniqueSegment ? "unique segment" : "unique attachment"
                    if copies > 1 { base += "; identical content; first copy" }
                    results[i].inclusive = true
                    results[i].reason = base
                } else if x.inclusive {
                    results[i].inclusive = false
                    results[i].reason = "content contained in \(emails[first].key)"
                    results[i].containedIn = [emails[first].key]
                } else {
                    results[i].inclusive = false
                    let keys = containers.map { emails[contents[$0].members[0]].key }
                    if !keys.isEmpty {
                        results[i].reason = "content contained in \(keys[0])"
                        results[i].containedIn = Array(keys.prefix(16))
                    } else {
                        let cover = coverKeys(c, contents, emails)
                        results[i].reason = "content contained in " + cover.joined(separator: ", ")
                    }
                }
            }
        }
    }

    /// Contents that hold all of content `c`, inclusive ones first, each in key order.
    static func supersets(_ c: Int, _ contents: [Content], _ holders: [UInt64: [Int]]) -> [Int] {
        let mine = contents[c].elements
        let candidates: [Int]
        if let rarest = mine.min(by: { holders[$0]!.count < holders[$1]!.count }) {
            candidates = holders[rarest]!.filter { $0 != c }
        } else {
            candidates = contents.indices.filter { $0 != c }
        }
        var out: [Int] = []
        for d in candidates {
            let theirs = contents[d].elements
            if theirs.count < mine.count { continue }
            if isSubset(mine, of: theirs) { out.append(d) }
        }
        return out.sorted { a, b in
            if contents[a].inclusive != contents[b].inclusive { return contents[a].inclusive }
            return contents[a].members[0] < contents[b].members[0]
        }
    }

    static func isSubset(_ a: [UInt64], of b: [UInt64]) -> Bool {
        var j = 0
        for x in a {
            while j < b.count && b[j] < x { j += 1 }
            if j == b.count || b[j] != x { return false }
            j += 1
        }
        return true
    }

    /// Content spread over several emails: a few inclusive ones that together hold it (greedy).
    static func coverKeys(_ c: Int, _ contents: [Content], _ emails: [Email]) -> [String] {
        var left = Set(contents[c].elements)
        var keys: [String] = []
        while !left.isEmpty, keys.count < 4 {
            var best = -1, bestCount = 0
            for (d, x) in contents.enumerated() where d != c && x.inclusive {
                let n = x.elements.reduce(0) { $0 + (left.contains($1) ? 1 : 0) }
                if n > bestCount { best = d; bestCount = n }
            }
            if best < 0 { break }
            keys.append(emails[contents[best].members[0]].key)
            left.subtract(contents[best].elements)
        }
        if !left.isEmpty || keys.isEmpty { keys.append("…") }
        return keys
    }
}
