import Foundation

/// Byte strings to dense indices by open addressing. A slot keeps the key's first eight bytes and
/// what the scan needs to know of the word, so a look-up of a short word reads one slot (one cache
/// line) however many strings were redacted.
struct ByteKeyTable: Sendable {
    /// What a scan learns of a word it finds.
    struct Hit: Sendable {
        var index: Int32 = -1
        /// The word's id in the word automaton, or -1.
        var id: Int32 = -1
        /// Where the automaton's root goes on the word.
        var root: Int32 = 0
        /// Whether some one-word needle lower-cases to this word.
        var single = false
    }
    private struct Slot {
        var head: UInt64 = 0
        var length: Int32 = 0
        var start: Int32 = 0
        var hit = Hit()
    }
    private var bytes: [UInt8] = []
    private var bounds: [Int] = [0]
    private var slots = [Slot](repeating: Slot(), count: 16)
    /// One bit per hash (four bits for each slot, so eight or more for each key): most words
    /// of a text are no needle's, and this answers "absent" for nearly all of them from a table
    /// small enough to stay in cache, where the slots may not.
    private var filter = [UInt64](repeating: 0, count: 1)
    /// One bit per first byte and length (up to 63) of the keys: with few needles, most words
    /// are ruled out by their shape before they are hashed.
    private var shapes = [UInt64](repeating: 0, count: 256)
    private(set) var longest = 0

    var count: Int { bounds.count - 1 }

    /// The first eight bytes of `p`, zero-padded, each ORed with `fold` first: 0x20 lower-cases
    /// a run of ASCII letters and digits (digits already carry the bit), which is how a plain
    /// ASCII word is looked up.
    @inline(__always)
    static func head(_ p: UnsafeRawBufferPointer, fold: UInt8) -> UInt64 {
        let n = p.count
        let wide = UInt64(fold) &* 0x0101_0101_0101_0101
        if n >= 8 { return p.loadUnaligned(as: UInt64.self) | wide }
        if n >= 4 {
            // Two overlapping 4-byte reads; the second loses the bytes the first has.
            let cut = UInt64((8 - n) * 8)
            let lo = UInt64(p.loadUnaligned(as: UInt32.self))
            let hi = UInt64(p.loadUnaligned(fromByteOffset: n - 4, as: UInt32.self)) >> cut
            return (lo | hi << 32) | wide >> cut
        }
        var t: UInt64 = 0
        for k in 0..<n { t |= UInt64(p[k] | fold) << UInt64(8 * k) }
        return t
    }

    @inline(__always)
    static func hash(_ p: UnsafeRawBufferPointer, head: UInt64, fold: UInt8) -> UInt64 {
        let n = p.count
        var h = mix(head ^ (UInt64(n) &* 0x243F_6A88_85A3_08D3))
        guard n > 8 else { return h }
        let wide = UInt64(fold) &* 0x0101_0101_0101_0101
        var i = 8
        while i + 8 <= n {
            h = mix(h ^ (p.loadUnaligned(fromByteOffset: i, as: UInt64.self) | wide))
            i += 8
        }
        if i < n { h = mix(h ^ (p.loadUnaligned(fromByteOffset: n - 8, as: UInt64.self) | wide)) }
        return h
    }

    @inline(__always)
    static func mix(_ x: UInt64) -> UInt64 {
        var x = x &* 0x9E37_79B9_7F4A_7C15
        x ^= x >> 29
        x = x &* 0xBF58_476D_1CE4_E5B9
        return x ^ (x >> 32)
    }

    /// The index of `p`'s bytes (ORed with `fold`), or -1.
    func find(_ p: UnsafeRawBufferPointer, fold: UInt8 = 0) -> Int {
        Int(lookup(p, fold: fold).index)
    }

    @inline(__always)
    func lookup(_ p: UnsafeRawBufferPointer, fold: UInt8) -> Hit {
        guard let first = p.first, shapes[Int(first | fold)] & (1 << UInt64(min(p.count, 63))) != 0 else { return Hit() }
        let head = Self.head(p, fold: fold)
        let h = Self.hash(p, head: head, fold: fold)
        let bit = Int(truncatingIfNeeded: h >> 32) & (filter.count * 64 - 1)
        if filter[bit >> 6] & (1 << UInt64(bit & 63)) == 0 { return Hit() }
        return slots.withUnsafeBufferPointer { sl in
            let mask = sl.count - 1
            var s = Int(truncatingIfNeeded: h) & mask
            while true {
                let v = sl[s]
                if v.hit.index < 0 { return v.hit }
                if v.head == head, Int(v.length) == p.count, p.count <= 8 || rest(Int(v.start), p, fold) { return v.hit }
                s = (s + 1) & mask
            }
        }
    }

    /// Whether the bytes after the first eight agree.
    private func rest(_ lo: Int, _ p: UnsafeRawBufferPointer, _ fold: UInt8) -> Bool {
        bytes.withUnsafeBufferPointer { b in
            var k = 8
            while k < p.count { if b[lo + k] != p[k] | fold { return false }; k += 1 }
            return true
        }
    }

    /// The index of `key`, added if new.
    @discardableResult
    mutating func insert(_ key: [UInt8]) -> Int {
        let found = key.withUnsafeBytes { find($0) }
        if found >= 0 { return found }
        if let first = key.first { shapes[Int(first)] |= 1 << UInt64(min(key.count, 63)) }
        bytes += key
        bounds.append(bytes.count)
        longest = max(longest, key.count)
        if count * 2 > slots.count {
            let old = slots.filter { $0.hit.index >= 0 }.map(\.hit)
            slots = [Slot](repeating: Slot(), count: slots.count * 2)
            filter = [UInt64](repeating: 0, count: slots.count / 16)
            for h in old { place(Int(h.index), h) }
        }
        place(count - 1, Hit(index: Int32(count - 1)))
        return count - 1
    }

    /// Sets what a scan learns of key `i`.
    mutating func describe(_ i: Int, id: Int32, root: Int32, single: Bool) {
        let h = Hit(index: Int32(i), id: id, root: root, single: single)
        let s = slot(of: i)
        slots[s].hit = h
    }

    private func slot(of i: Int) -> Int {
        bytes.withUnsafeBytes { b in
            let p = UnsafeRawBufferPointer(rebasing: b[bounds[i]..<bounds[i + 1]])
            let h = Self.hash(p, head: Self.head(p, fold: 0), fold: 0)
            let mask = slots.count - 1
            var s = Int(truncatingIfNeeded: h) & mask
            while slots[s].hit.index != Int32(i) { s = (s + 1) & mask }
            return s
        }
    }

    private mutating func place(_ i: Int, _ hit: Hit) {
        let (head, h) = bytes.withUnsafeBytes { b -> (UInt64, UInt64) in
            let p = UnsafeRawBufferPointer(rebasing: b[bounds[i]..<bounds[i + 1]])
            let head = Self.head(p, fold: 0)
            return (head, Self.hash(p, head: head, fold: 0))
        }
        let bit = Int(truncatingIfNeeded: h >> 32) & (filter.count * 64 - 1)
        filter[bit >> 6] |= 1 << UInt64(bit & 63)
        let mask = slots.count - 1
        var s = Int(truncatingIfNeeded: h) & mask
        while slots[s].hit.index >= 0 { s = (s + 1) & mask }
        slots[s] = Slot(head: head, length: Int32(bounds[i + 1] - bounds[i]), start: Int32(bounds[i]), hit: hit)
    }
}

/// Aho–Corasick over words: every needle of several words and every allowed phrase is one path
/// from the root, so each word of text costs one step (amortised) whatever the number of
/// patterns. State 0 is the root.
struct WordAutomaton: Sendable {
    /// Where the root goes on each word id.
    private(set) var rootNext: [Int32] = []
    /// Everything a scan reads of a state, in one record: the state it has just reached is then
    /// one cache line away from both its output and its next step.
    struct State: Sendable {
        var fail: Int32 = 0
        /// The state itself when something ends there, else the nearest suffix state where
        /// something does; 0 when none.
        var firstOut: Int32 = 0
        var nextOut: Int32 = 0
        var depth: Int32 = 0
        /// The needle (index into the sequences) that ends here, or -1.
        var needle: Int32 = -1
        /// The word of the state's only edge; -1 when it has none, -2 when several (in `edges`).
        var onlyWord: Int32 = -1
        var onlyTo: Int32 = 0
        /// Whether an allowed phrase ends here.
        var allowed = false
    }
    private(set) var states: [State] = [State()]
    /// Edges of the other states by open addressing: key state << 32 | word id (never 0, the
    /// root having none here), value the state it leads to.
    private struct Edge {
        var key: UInt64 = 0
        var to: Int32 = 0
    }
    private var edges = [Edge](repeating: Edge(), count: 16)
    private var edgeCount = 0
    /// Four bits for each slot of `edges`, set by the hash of each edge: most words that follow
    /// the first word of a needle continue none, and the filter says so from cache.
    private var edgeFilter = [UInt64](repeating: 0, count: 1)

    init(words: Int, needles: [[Int32]], allowed phrases: [[Int32]]) {
        rootNext = [Int32](repeating: 0, count: words)
        var children: [[(Int32, Int32)]] = [[]]
        func add(_ seq: [Int32]) -> Int32 {
            var s: Int32 = 0
            for w in seq {
                let next = s == 0 ? rootNext[Int(w)] : edge(s, w)
                if next != 0 { s = next; continue }
                let t = Int32(states.count)
                states.append(State(depth: states[Int(s)].depth + 1))
                children.append([])
                children[Int(s)].append((w, t))
                if s == 0 { rootNext[Int(w)] = t } else { addEdge(s, w, t) }
                s = t
            }
            return s
        }
        for (k, seq) in needles.enumerated() {
            let s = Int(add(seq))
            if states[s].needle < 0 { states[s].needle = Int32(k) }
        }
        for seq in phrases { states[Int(add(seq))].allowed = true }
        for s in 1..<states.count {
            let c = children[s]
            if c.count == 1 { states[s].onlyWord = c[0].0; states[s].onlyTo = c[0].1 } else if c.count > 1 { states[s].onlyWord = -2 }
        }

        // Breadth first, so a state's failure target is final before its children need it.
        var queue: [Int32] = children[0].map(\.1)
        var head = 0
        while head < queue.count {
            let s = Int(queue[head]); head += 1
            let f = states[s].fail
            states[s].nextOut = states[Int(f)].firstOut
            states[s].firstOut = states[s].needle >= 0 || states[s].allowed ? Int32(s) : states[s].nextOut
            for (w, t) in children[s] {
                states[Int(t)].fail = step(f, w)
                queue.append(t)
            }
        }
    }

    @inline(__always)
    func step(_ state: Int32, _ word: Int32) -> Int32 {
        var s = state
        while s != 0 {
            let st = states[Int(s)]
            if st.onlyWord == word { return st.onlyTo }
            if st.onlyWord == -2 {
                let t = edge(s, word)
                if t != 0 { return t }
            }
            s = st.fail
        }
        return rootNext[Int(word)]
    }

    /// The state `s` goes to on `word`, 0 when it has no such edge.
    @inline(__always)
    private func edge(_ s: Int32, _ word: Int32) -> Int32 {
        let key = UInt64(s) << 32 | UInt64(UInt32(bitPattern: word))
        let h = ByteKeyTable.mix(key)
        let bit = Int(truncatingIfNeeded: h >> 32) & (edgeFilter.count * 64 - 1)
        if edgeFilter[bit >> 6] & (1 << UInt64(bit & 63)) == 0 { return 0 }
        return edges.withUnsafeBufferPointer { e in
            let mask = e.count - 1
            var i = Int(truncatingIfNeeded: h) & mask
            while true {
                let k = e[i].key
                if k == key { return e[i].to }
                if k == 0 { return 0 }
                i = (i + 1) & mask
            }
        }
    }

    private mutating func addEdge(_ s: Int32, _ word: Int32, _ t: Int32) {
        if (edgeCount + 1) * 2 > edges.count {
            let old = edges.filter { $0.key != 0 }
            edges = [Edge](repeating: Edge(), count: edges.count * 2)
            edgeFilter = [UInt64](repeating: 0, count: edges.count / 16)
            for e in old { place(e.key, e.to) }
        }
        place(UInt64(s) << 32 | UInt64(UInt32(bitPattern: word)), t)
        edgeCount += 1
    }

    private mutating func place(_ key: UInt64, _ t: Int32) {
        let h = ByteKeyTable.mix(key)
        let bit = Int(truncatingIfNeeded: h >> 32) & (edgeFilter.count * 64 - 1)
        edgeFilter[bit >> 6] |= 1 << UInt64(bit & 63)
        let mask = edges.count - 1
        var i = Int(truncatingIfNeeded: h) & mask
        while edges[i].key != 0 { i = (i + 1) & mask }
        edges[i] = Edge(key: key, to: t)
    }
}

/// Aho–Corasick over bytes, for needles searched as substrings of the words run together.
struct ByteAutomaton: Sendable {
    private var root = [Int32](repeating: 0, count: 256)
    /// The children of state s are childByte/childState[childStart[s]..<childStart[s + 1]].
    private var childStart: [Int32] = []
    private var childByte: [UInt8] = []
    private var childState: [Int32] = []
    private var fail: [Int32] = []
    private(set) var pattern: [Int32] = []
    private(set) var firstOut: [Int32] = []
    private(set) var nextOut: [Int32] = []

    init(_ patterns: [[UInt8]]) {
        var kids: [[(UInt8, Int32)]] = [[]]
        pattern = [-1]
        for (k, p) in patterns.enumerated() where !p.isEmpty {
            var s: Int32 = 0
            for b in p {
                if let t = kids[Int(s)].first(where: { $0.0 == b })?.1 { s = t; continue }
                let t = Int32(kids.count)
                kids.append([]); pattern.append(-1)
                kids[Int(s)].append((b, t))
                s = t
            }
            if pattern[Int(s)] < 0 { pattern[Int(s)] = Int32(k) }
        }
        childStart = [0]
        for var c in kids {
            c.sort { $0.0 < $1.0 }
            childByte += c.map(\.0); childState += c.map(\.1)
            childStart.append(Int32(childByte.count))
        }
        for (b, t) in kids[0] { root[Int(b)] = t }
        asciiStarts = kids[0].contains { $0.0 < 0x80 }
        fail = [Int32](repeating: 0, count: kids.count)
        firstOut = [Int32](repeating: 0, count: kids.count)
        nextOut = [Int32](repeating: 0, count: kids.count)
        var queue = kids[0].map(\.1)
        var head = 0
        while head < queue.count {
            let s = queue[head]; head += 1
            let f = fail[Int(s)]
            nextOut[Int(s)] = firstOut[Int(f)]
            firstOut[Int(s)] = pattern[Int(s)] >= 0 ? s : nextOut[Int(s)]
            for (b, t) in kids[Int(s)] {
                fail[Int(t)] = step(f, b)
                queue.append(t)
            }
        }
    }

    /// Whether some pattern starts with an ASCII byte; when none does, ASCII read at the root
    /// leaves the automaton at the root.
    private(set) var asciiStarts = false

    /// Where the root goes on `b`.
    @inline(__always)
    func start(_ b: UInt8) -> Int32 { root[Int(b)] }

    @inline(__always)
    func step(_ state: Int32, _ b: UInt8) -> Int32 {
        var s = state
        while s != 0 {
            var k = Int(childStart[Int(s)])
            let end = Int(childStart[Int(s) + 1])
            while k < end { if childByte[k] == b { return childState[k] }; k += 1 }
            s = fail[Int(s)]
        }
        return root[Int(b)]
    }
}

/// Bytes appended by memcpy: the scanner copies every word it reads, and Array's generic
/// append costs more than the copy itself for words of a few bytes. Not copy-on-write: it has
/// one owner, the scanner, which is never copied.
struct ByteArena {
    /// Frees the storage when the last copy of the arena is gone.
    private final class Storage {
        let base: UnsafeMutablePointer<UInt8>
        let capacity: Int
        init(_ capacity: Int) {
            base = .allocate(capacity: capacity)
            self.capacity = capacity
        }
        deinit { base.deallocate() }
    }

    private var storage = Storage(1 << 16)
    private var base: UnsafeMutablePointer<UInt8>
    private var capacity: Int
    private(set) var count = 0

    init() {
        base = storage.base
        capacity = storage.capacity
    }

    @inline(__always)
    mutating func append(_ b: UnsafeRawBufferPointer) {
        if count + b.count > capacity { grow(count + b.count) }
        if let src = b.baseAddress { (base + count).update(from: src.assumingMemoryBound(to: UInt8.self), count: b.count) }
        count += b.count
    }

    private mutating func grow(_ needed: Int) {
        var size = capacity * 2
        while size < needed { size *= 2 }
        let s = Storage(size)
        s.base.update(from: base, count: count)
        storage = s
        base = s.base
        capacity = size
    }

    /// Drops the first `n` bytes.
    mutating func removeFirst(_ n: Int) {
        base.update(from: base + n, count: count - n)
        count -= n
    }

    func slice(_ from: Int, _ length: Int) -> [UInt8] {
        Array(UnsafeBufferPointer(start: base + from, count: length))
    }
}
