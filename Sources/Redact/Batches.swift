import Foundation

/// Work on documents in batches: while the other cores work on one batch, the calling thread
/// reads the next (reading and decoding the store is serial, and as costly as the work).
/// Results are committed on the calling thread, batch after batch in the order the items were
/// added, so what is written does not depend on which core finished first.
final class Batches<Item, Output> {
    private let size: Int
    private let work: @Sendable (Item) -> Output
    private let commit: ([Item], [Output]) throws -> Void
    private var pending: [Item] = []
    private var running: Running?

    private final class Running: @unchecked Sendable {
        let items: [Item]
        var outputs: [Output] = []
        let done = DispatchGroup()
        init(_ items: [Item]) { self.items = items }
    }

    /// `work` runs in parallel and must not touch shared mutable state; `commit` runs on the
    /// thread that calls `add` and `finish`.
    init(size: Int = 256, work: @escaping @Sendable (Item) -> Output, commit: @escaping ([Item], [Output]) throws -> Void) {
        self.size = size
        self.work = work
        self.commit = commit
    }

    func add(_ item: Item) throws {
        pending.append(item)
        if pending.count >= size { try launch() }
    }

    /// Works on what is left and commits everything.
    func finish() throws {
        try launch()
        try settle()
    }

    /// Starts the pending batch once the one before has finished, then commits that one.
    private func launch() throws {
        let previous = running
        previous?.done.wait()
        running = nil
        if !pending.isEmpty {
            let batch = Running(pending)
            pending = []
            let work = self.work
            DispatchQueue.global().async(group: batch.done) { batch.outputs = batch.items.orderedMap(work) }
            running = batch
        }
        if let p = previous { try commit(p.items, p.outputs) }
    }

    private func settle() throws {
        guard let r = running else { return }
        r.done.wait()
        running = nil
        try commit(r.items, r.outputs)
    }
}
