import Foundation

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
