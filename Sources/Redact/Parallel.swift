import Foundation

extension Array {
    /// `map` spread over the cores. Each result lands at its element's index, so the output is
    /// the same whatever finished first.
    /// The transform is `@Sendable`, so the compiler checks what it shares between threads;
    /// the two buffers are the one unchecked part: each index is read and written by one
    /// iteration only.
    func orderedMap<T>(_ transform: @Sendable (Element) -> T) -> [T] {
        guard count > 1 else { return map(transform) }
        var out = [T?](repeating: nil, count: count)
        out.withUnsafeMutableBufferPointer { buffer in
            nonisolated(unsafe) let slots = buffer
            self.withUnsafeBufferPointer { items in
                nonisolated(unsafe) let items = items
                DispatchQueue.concurrentPerform(iterations: items.count) { i in slots[i] = transform(items[i]) }
            }
        }
        return out.map { $0! }
    }
}
