import Foundation

extension Array {
    /// `map` spread over the cores. Each result lands at its element's index, so the output is
    /// the same whatever finished first.
    func orderedMap<T>(_ transform: (Element) -> T) -> [T] {
        guard count > 1 else { return map(transform) }
        var out = [T?](repeating: nil, count: count)
        out.withUnsafeMutableBufferPointer { buffer in
            let slots = buffer
            withoutActuallyEscaping(transform) { f in
                self.withUnsafeBufferPointer { items in
                    DispatchQueue.concurrentPerform(iterations: items.count) { i in slots[i] = f(items[i]) }
                }
            }
        }
        return out.map { $0! }
    }
}
