import Foundation

/// Per-index result storage written by concurrent workers; each slot is written once,
/// by one worker, and read only after all workers are done.
final class ResultSlots<Value>: @unchecked Sendable {
    private var storage: [Value?]
    private let lock = NSLock()

    init(count: Int) {
        storage = Array(repeating: nil, count: count)
    }

    func set(_ index: Int, _ value: Value) {
        lock.withLock { storage[index] = value }
    }

    var values: [Value?] { lock.withLock { storage } }
}
