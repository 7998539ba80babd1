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
