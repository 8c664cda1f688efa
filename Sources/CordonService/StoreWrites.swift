import CordonCore
import CordonStore
import CordonWire
import Foundation
import Logging

/// What one commit of the ``EventCommitter`` writes to the store, in one transaction (the
/// running muster's record just before it): violations with the bodies published for them,
/// gate passages, the live state they changed, audit entries that waited for the store; then,
/// one by one, control changes the store refused when they were made (``DeferredWrite``).
///
/// While the store refuses writes the committer keeps one of these and merges every later
/// group into it: violations, passages and audit entries are appended in order (never dropped:
/// they are the record), live-state rows replace older rows of the same subject and the
/// muster's record the older one, so the part that grows with time is only what must be kept.
struct StoreWrites {
    var violations: [(violation: Violation, body: String)] = []
    var passages: [(record: GateRecord, body: String)] = []
    var live: LiveState?
    var muster: Data?
    var audits: [AuditEntry] = []
    var deferred: [DeferredWrite] = []
    /// What forwards these events to other platforms, written in the same transaction.
    var outbox: [OutboxMessage] = []
    /// Events of these writes that were published (for `held_events`).
    var events = 0
    /// Roughly the memory held, in bytes (for `store-failing`'s details and the hold budget).
    private(set) var bytes = 0

    init() {}

    /// The writes of a group of batches, in their order, with the messages `forward` makes of
    /// their alarms; `globals` is the committer's own encoder, which keeps the text of what did
    /// not change between calls.
    init(_ group: [EventCommitter.Batch], globals: GlobalsEncoder, logger: Logger, forward: ForwardMessages? = nil,
         now: Instant = WallClock.now()) {
        // Only the newest globals of the group are kept (merge(live:)): the older are not encoded.
        let newestGlobals = group.lastIndex { $0.journal?.globals != nil }
        for (i, batch) in group.enumerated() {
            for (o, e) in zip(batch.outputs, batch.encoded) {
                guard case .violation(let v) = o else { continue }
                let body = String(decoding: e.body, as: UTF8.self)
                violations.append((v, body))
                if let forward { outbox += forward.messages(for: v, body: body, now: now) }
            }
            for p in batch.passages { passages.append((p.record, String(decoding: p.body, as: UTF8.self))) }
            var journal = batch.journal
            if let newestGlobals, i < newestGlobals { journal?.globals = nil }
            if let l = EventCommitter.live(journal, globals: globals, logger: logger) { merge(live: l) }
            if let m = batch.muster { muster = m }
            audits += batch.audits
            deferred += batch.deferred
            events += batch.encoded.count
        }
        bytes = violations.reduce(0) { $0 + $1.body.utf8.count + 256 } + passages.reduce(0) { $0 + $1.body.utf8.count + 256 }
            + (live?.byteEstimate ?? 0) + (muster?.count ?? 0) + audits.reduce(0) { $0 + $1.request.utf8.count + $1.result.utf8.count + 128 }
            + deferred.reduce(0) { $0 + $1.bytes } + outbox.reduce(0) { $0 + $1.envelope.utf8.count + 128 }
    }

    /// Nothing of the events' record is left to write (deferred control changes may be).
    var isRecorded: Bool { violations.isEmpty && passages.isEmpty && live == nil && muster == nil && audits.isEmpty && outbox.isEmpty }

    /// `later` appended: after these in the store's order, its live state over these.
    mutating func append(_ later: StoreWrites) {
        violations += later.violations
        passages += later.passages
        let before = live?.byteEstimate ?? 0
        if let l = later.live { merge(live: l) }
        if let m = later.muster { muster = m }
        audits += later.audits
        outbox += later.outbox
        deferred += later.deferred
        events += later.events
        bytes += later.bytes - (later.live?.byteEstimate ?? 0) + (live?.byteEstimate ?? 0) - before
    }

    private mutating func merge(live l: LiveState) {
        if live == nil { live = l } else { live?.merge(l) }
    }

    /// Writes them: the muster's record, then the events' record in one transaction, then the
    /// deferred control changes in order. On a refusal what is not written stays in `self`, so
    /// that nothing is written twice: once the record is in, only the changes are left.
    mutating func commit(to store: Store) throws(StoreError) {
        if !isRecorded {
            // A muster accounting is kept before it is announced: a restart resumes the roll-call.
            if let muster { try store.saveState(key: Pipeline.musterKey, data: muster) }
            try store.record(violations, gate: passages, lives: live.map { [$0] } ?? [], audits: audits, outbox: outbox)
            violations = []
            outbox = []
            passages = []
            live = nil
            muster = nil
            audits = []
            events = 0
        }
        while let next = deferred.first {
            try next.write(store)
            deferred.removeFirst()
        }
        bytes = deferred.reduce(0) { $0 + $1.bytes }
    }
}
