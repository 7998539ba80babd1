import Foundation

/// MinHash signatures over word 5-shingles of the folded text (`TextFold`): lowercase,
/// punctuation, quote markers, link markup and mobile footers ignored, line wrapping folded.
public struct MinHash: Sendable {
    public static let shingleSize = 5
    public let count: Int
    let a: [UInt64]
    let b: [UInt64]

    /// `count` hash functions h(x) = (a·x + b) >> 32 with odd `a`, their parameters drawn from a
    /// splitmix64 stream started at `seed`: the same signatures on every machine and run.
    public init(count: Int = 128, seed: UInt64 = 0x0D15_C105_E5EE_D001) {
        self.count = count
        var state = seed
        func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            return TextFold.mix64(state)
        }
        var a: [UInt64] = [], b: [UInt64] = []
        for _ in 0..<count { a.append(next() | 1); b.append(next()) }
        self.a = a
        self.b = b
    }

    /// Shingle hashes of a token-hash sequence (one shingle of everything when shorter than 5).
    public static func shingles(_ t: [UInt64]) -> [UInt64] {
        if t.isEmpty { return [] }
        let k = shingleSize
        if t.count < k { return [TextFold.fingerprint(tokenHashes: t)] }
        var out: [UInt64] = []
        out.reserveCapacity(t.count - k + 1)
        t.withUnsafeBufferPointer { p in
            for i in 0...(p.count - k) {
                var h: UInt64 = 0x6A09_E667_F3BC_C908
                for j in 0..<k { h = (h ^ p[i + j]) &* 0x0000_0100_0000_01B3 &+ 0x9E37_79B9 }
                out.append(TextFold.mix64(h))
            }
        }
        return out
    }

    public func signature(tokenHashes: [UInt64]) -> [UInt32] {
        var sig = [UInt32](repeating: .max, count: count)
        let sh = MinHash.shingles(tokenHashes)
        sig.withUnsafeMutableBufferPointer { s in
            a.withUnsafeBufferPointer { A in
                b.withUnsafeBufferPointer { B in
                    for x in sh {
                        for j in 0..<s.count {
                            let v = UInt32(truncatingIfNeeded: (A[j] &* x &+ B[j]) >> 32)
                            if v < s[j] { s[j] = v }
                        }
                    }
                }
            }
        }
        return sig
    }

    public func signature(_ text: String) -> [UInt32] { signature(tokenHashes: TextFold.tokenHashes(text)) }

    /// Estimated Jaccard similarity of the shingle sets: the share of equal positions.
    public static func similarity<C: RandomAccessCollection>(_ x: C, _ y: C) -> Double
    where C.Element == UInt32, C.Index == Int {
        guard x.count == y.count, !x.isEmpty else { return 0 }
        var eq = 0
        for i in 0..<x.count where x[x.startIndex + i] == y[y.startIndex + i] { eq += 1 }
        return Double(eq) / Double(x.count)
    }
}

/// Near-duplicate grouping: MinHash signatures, LSH banding for candidate pairs, union-find over
/// pairs whose estimated similarity reaches the threshold. Only signatures (512 bytes per
/// document with 128 hashes) are held, never text, so documents are streamed in with `add`.
///
/// The group's principal is the longest text (ties: smallest key), as Relativity does; each
/// member's similarity is estimated from the signatures against the principal's.
public struct NearDuplicates {
    public struct Member: Sendable, Equatable {
        public var key: String
        public var group: String
        public var similarity: Double
        public var principal: Bool
    }

    public let threshold: Double
    public let minTokens: Int
    public let hasher: MinHash
    /// Buckets larger than this are not compared all-pairs: each member is compared with the
    /// bucket's first members and its neighbours only, which bounds the work for boilerplate that
    /// thousands of documents share.
    public var maxBucketPairs = 64

    private var keys: [String] = []
    private var lengths: [Int] = []
    private var sigs: [UInt32] = []

    public init(threshold: Double, minTokens: Int = 10, hasher: MinHash = MinHash()) {
        self.threshold = threshold
        self.minTokens = minTokens
        self.hasher = hasher
    }

    public var count: Int { keys.count }

    /// Adds a document; false when it is too short to take part.
    @discardableResult
    public mutating func add(key: String, text: String) -> Bool {
        add(key: key, length: text.unicodeScalars.count, tokenHashes: TextFold.tokenHashes(text))
    }

    @discardableResult
    public mutating func add(key: String, length: Int, tokenHashes: [UInt64]) -> Bool {
        guard tokenHashes.count >= minTokens else { return false }
        add(key: key, length: length, signature: hasher.signature(tokenHashes: tokenHashes))
        return true
    }

    public mutating func add(key: String, length: Int, signature: [UInt32]) {
        precondition(signature.count == hasher.count)
        keys.append(key)
        lengths.append(length)
        sigs.append(contentsOf: signature)
    }

    /// Rows per LSH band: the most rows (fewest false candidates) for which a pair exactly at
    /// the threshold still becomes a candidate with probability ≥ 99.5 %.
    public static func rowsPerBand(threshold t: Double, hashes k: Int) -> Int {
        var best = 1
        for r in 1...16 where r <= k {
            let bands = k / r
            let p = 1 - pow(1 - pow(t, Double(r)), Double(bands))
            if p >= 0.995 { best = r }
        }
        return best
    }

    /// Groups of two or more near-duplicates among the documents `include` accepts, members in
    /// key order; group ids `N000001…` in order of each group's first member.
    public func run(include: (String) -> Bool = { _ in true }) -> [Member] {
        guard threshold > 0 else { return [] }
        let k = hasher.count
        let order = keys.indices.filter { include(keys[$0]) }.sorted { keys[$0] < keys[$1] }
        let n = order.count
        if n < 2 { return [] }
        var uf = Threader.UnionFind(n)
        let need = Int((threshold * Double(k)).rounded(.up))

        return sigs.withUnsafeBufferPointer { S -> [Member] in
            func sig(_ i: Int) -> UnsafeBufferPointer<UInt32> {
                UnsafeBufferPointer(rebasing: S[(order[i] * k)..<(order[i] * k + k)])
            }
            func equalCount(_ i: Int, _ j: Int) -> Int {
                let x = sig(i), y = sig(j)
                var eq = 0
                for p in 0..<k where x[p] == y[p] { eq += 1 }
                return eq
            }
            func check(_ i: Int, _ j: Int) {
                if uf.find(i) == uf.find(j) { return }
                if equalCount(i, j) >= need { uf.union(i, j) }
            }

            let r = NearDuplicates.rowsPerBand(threshold: threshold, hashes: k)
            let bands = k / r
            var entries = [(UInt64, Int32)](repeating: (0, 0), count: n)
            for band in 0..<bands {
                for i in 0..<n {
                    let s = sig(i)
                    var h: UInt64 = UInt64(band) &* 0x9E37_79B9_7F4A_7C15
                    for p in (band * r)..<(band * r + r) { h = TextFold.mix64(h ^ UInt64(s[p])) }
                    entries[i] = (h, Int32(i))
                }
                entries.sort { $0.0 != $1.0 ? $0.0 < $1.0 : $0.1 < $1.1 }
                var a = 0
                while a < n {
                    var b = a + 1
                    while b < n && entries[b].0 == entries[a].0 { b += 1 }
                    let size = b - a
                    if size > 1 {
                        if size <= maxBucketPairs {
                            for x in a..<b { for y in (x + 1)..<b { check(Int(entries[x].1), Int(entries[y].1)) } }
                        } else {
                            for x in (a + 1)..<b {
                                for y in max(a, x - 4)..<x { check(Int(entries[x].1), Int(entries[y].1)) }
                                for y in a..<min(a + 4, x) { check(Int(entries[x].1), Int(entries[y].1)) }
                            }
                        }
                    }
                    a = b
                }
            }

            // Groups in order of their first member (roots are the smallest index).
            var groupOfRoot: [Int: Int] = [:]
            var groups: [[Int]] = []
            for i in 0..<n {
                let root = uf.find(i)
                if let g = groupOfRoot[root] { groups[g].append(i) } else {
                    groupOfRoot[root] = groups.count
                    groups.append([i])
                }
            }
            var out: [Member] = []
            var index = 0
            for g in groups where g.count > 1 {
                index += 1
                let s = String(index)
                let id = "N" + String(repeating: "0", count: max(0, 6 - s.count)) + s
                var principal = g[0]
                for i in g.dropFirst() where lengths[order[i]] > lengths[order[principal]] { principal = i }
                for i in g {
                    let sim = i == principal ? 1.0 : Double(equalCount(i, principal)) / Double(k)
                    out.append(Member(key: keys[order[i]], group: id, similarity: sim, principal: i == principal))
                }
            }
            return out.sorted { $0.key < $1.key }
        }
    }
}
