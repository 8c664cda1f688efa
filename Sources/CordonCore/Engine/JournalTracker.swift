/// Which parts of the engine's live state changed since they were last handed out for storing.
///
/// The engine marks the subjects each message or timer touched; at a drain it compares a
/// cheap signature of each touched subject's lasting state (zones and entry times, stillness,
/// a pending fall, vehicle episodes) with the one last handed out. A changed subject goes out at
/// once, to be stored with the frame's violations; one that only moved waits for the next
/// periodic drain. Rule state kept outside subjects is compared whole (copy-on-write values:
/// an unchanged one compares in constant time).
struct JournalTracker {
    /// Slots touched since the last drain, each once.
    var touched: [Int] = []
    var isTouched: [Bool] = []
    /// Everything must be looked at (a gate event, a control request, a restore).
    var touchedAll = false
    /// Signature of each slot's lasting state when last handed out.
    var signatures: [Int] = []
    /// Slots that moved since they were last handed out, without a lasting change.
    var fresh: [Bool] = []
    var anyFresh = false
    /// The state outside subjects when last handed out.
    var globals: EngineJournal.Globals?
    /// Numbers the drains.
    var sequence: UInt64 = 0
    /// Slots whose subject periodic drains have named so far (slots are only ever added).
    var namedSlots = 0

    mutating func touch(_ slot: Int) {
        if slot >= isTouched.count { grow(to: slot + 1) }
        if !isTouched[slot] {
            isTouched[slot] = true
            touched.append(slot)
        }
    }

    mutating func grow(to n: Int) {
        guard n > isTouched.count else { return }
        let more = n - isTouched.count
        isTouched += repeatElement(false, count: more)
        signatures += repeatElement(0, count: more)
        fresh += repeatElement(false, count: more)
    }

    var hasChanges: Bool { touchedAll || !touched.isEmpty }
}
