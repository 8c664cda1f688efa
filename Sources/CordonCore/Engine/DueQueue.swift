/// Deadlines in time order: a binary min-heap keyed by (instant, arming order), so timers that
/// fall due at the same instant fire in the order they were set — the same in every replay.
///
/// Cancelling is lazy: a timer carries what it was armed for, and its owner checks on firing
/// whether that still holds. Peeking costs nothing, which matters because the engine's clock
/// advances at nearly every message.
struct DueQueue<Payload: Sendable>: Sendable {
    struct Timer: Sendable {
        var due: Instant
        var order: UInt64
        var payload: Payload
    }

    private var heap: [Timer] = []
    private var armed: UInt64 = 0

    var isEmpty: Bool { heap.isEmpty }
    var count: Int { heap.count }

    /// The earliest deadline.
    var nextDue: Instant? { heap.first?.due }

    mutating func schedule(_ payload: Payload, at due: Instant) {
        armed &+= 1
        heap.append(Timer(due: due, order: armed, payload: payload))
        var i = heap.count - 1
        while i > 0 {
            let parent = (i - 1) / 2
            guard Self.before(heap[i], heap[parent]) else { break }
            heap.swapAt(i, parent)
            i = parent
        }
    }

    /// Removes and returns the earliest timer if it is due at or before `t`.
    mutating func popDue(atOrBefore t: Instant) -> Timer? {
        guard let first = heap.first, first.due <= t else { return nil }
        let last = heap.removeLast()
        if !heap.isEmpty {
            heap[0] = last
            var i = 0
            while true {
                let l = 2 * i + 1, r = l + 1
                var m = i
                if l < heap.count, Self.before(heap[l], heap[m]) { m = l }
                if r < heap.count, Self.before(heap[r], heap[m]) { m = r }
                if m == i { break }
                heap.swapAt(i, m)
                i = m
            }
        }
        return first
    }

    private static func before(_ a: Timer, _ b: Timer) -> Bool {
        a.due < b.due || (a.due == b.due && a.order < b.order)
    }
}
