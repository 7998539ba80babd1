import Foundation

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
