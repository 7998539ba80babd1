import Foundation

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
