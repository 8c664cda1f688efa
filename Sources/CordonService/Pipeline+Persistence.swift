import CordonCore
import CordonStore
import CordonWire
import Foundation
import Logging

/// What a control request changed, made durable before its reply (or held while the store
/// refuses writes); and the engine rebuilt from the store after a restart.
extension Pipeline {
    /// Stores what a control request changed before its reply goes out. While the store refuses
    /// writes (or when it refuses one of these), the changes are handed to the committer, encoded
    /// as they are now, and written in order with the held events once it takes writes again:
    /// an acknowledgement or a roll-call is never refused for a full disk.
    func persist(_ effects: [ControlResult.Effect]) {
        guard store != nil else { return }
        var writes: [DeferredWrite] = []
        do {
            for e in effects { writes += try deferredWrites(for: e) }
        } catch {
            logger.error("could not encode a control change for the store: \(error)")
        }
        guard let store, !writes.isEmpty else { return }
        if isHolding { return hold(writes) }
        for (i, w) in writes.enumerated() {
            do { try w.write(store) } catch {
                logger.error("could not store \(w.what), holding it and what follows until the store takes writes: \(error)")
                return hold(Array(writes[i...]))
            }
        }
    }

    func hold(_ writes: [DeferredWrite]) {
        committer?.submit(.init(encoded: [], outputs: [], passages: [], journal: nil, deferred: writes))
    }

    /// The store writes one control change needs, with what they write encoded now.
    func deferredWrites(for e: ControlResult.Effect) throws -> [DeferredWrite] {
        switch e {
        case .registryUpserted(let people, let vehicles):
            return [DeferredWrite(what: "\(people.count) person(s) and \(vehicles.count) vehicle(s) of the registry", bytes: 512 * (people.count + vehicles.count)) {
                store throws(StoreError) in
                try store.upsertPeople(people)
                try store.upsertVehicles(vehicles)
            }]
        case .registryRemoved(let people, let vehicles):
            return [DeferredWrite(what: "the removal of \(people.count) person(s) and \(vehicles.count) vehicle(s)", bytes: 64 * (people.count + vehicles.count)) {
                store throws(StoreError) in
                for p in people { _ = try store.removePerson(id: p) }
                for v in vehicles { _ = try store.removeVehicle(plate: v) }
            }]
        case .referencesUpserted(let refs):
            return [DeferredWrite(what: "\(refs.count) reference tag(s)", bytes: 256 * refs.count) { store throws(StoreError) in
                try store.upsertReferences(refs)
            }]
        case .referencesRemoved(let ids):
            return [DeferredWrite(what: "the removal of \(ids.count) reference tag(s)", bytes: 64 * ids.count) { store throws(StoreError) in
                try store.removeReferences(ids)
            }]
        case .acknowledged(let id, let by, let at, let alarm):
            let messages = forward?.acknowledgement(of: alarm, by: by, at: at, now: WallClock.now()) ?? []
            return [DeferredWrite(what: "the acknowledgement of \(id) by \(by)", bytes: 256 + messages.count * 2048) { store throws(StoreError) in
                _ = try store.acknowledge(id: id, by: by, at: at, outbox: messages)
            }]
        case .stateChanged:
            let snapshot = try SnapshotCodec.encode(engine.snapshot())
            let muster = try engine.muster.map { try SnapshotCodec.encodeMuster($0) } ?? Data()
            return [DeferredWrite(what: "the engine's snapshot", bytes: snapshot.count + muster.count) { store throws(StoreError) in
                try store.saveState(key: Self.snapshotKey, data: snapshot)
                try store.saveState(key: Self.musterKey, data: muster)
            }]
        case .musterEnded(let id, let report):
            let data = JSONText.encodeBytes(report)
            return [DeferredWrite(what: "the report of muster \(id)", bytes: data.count) { store throws(StoreError) in
                try store.saveState(key: Self.musterReportKey(id), data: data)
            }]
        case .bookingStored(let b):
            return [DeferredWrite(what: "booking \(b.id)", bytes: 1024) { store throws(StoreError) in
                try store.saveBooking(b)
            }]
        }
    }

    // MARK: lifecycle

    /// Rebuilds the engine from the store after a restart: registry, live state, raised alarms.
    public func restoreFromStore() throws {
        guard let store else { return }
        let reg = try store.loadRegistry()
        engine.applyRegistry(people: reg.people, vehicles: reg.vehicles, at: engine.now)
        engine.applyReferences(try store.loadReferences(), at: engine.now)
        if let snap = try loadSnapshot(store) { engine.restore(snap) }
        // The muster record is newer than the snapshot whenever a muster changed since.
        if let data = try store.loadState(key: Self.musterKey) {
            engine.restore(muster: data.isEmpty ? nil : try SnapshotCodec.decodeMuster(data))
        }
        var acks: [String: AlarmBook.Acknowledgement] = [:]
        let open = try store.activeAlarms()
        for a in open {
            if let by = a.acknowledgedBy, let at = a.acknowledgedAt { acks[a.id] = AlarmBook.Acknowledgement(by: by, at: at) }
        }
        engine.restore(alarms: open.map(\.violation), acknowledgements: acks)
        engine.restoreGates(presence: try store.loadPresence(), bookings: try store.loadBookings())
        // Nothing is published here: what was raised stays raised. Whatever fell due while the
        // service was down (a tag gone silent, a stay run out) comes out at the first tick,
        // stored before it is published like everything else.
    }

    /// Keeps the engine's live state for the next start.
    public func saveSnapshot() {
        guard let store else { return }
        do {
            try saveFullLive(store)
        } catch {
            logger.error("could not save the engine snapshot: \(error)")
        }
    }

    /// Writes everything queued, then stops the background writer.
    public func close() {
        if let committer {
            let failure = committer.storeFailure
            let lost = committer.close()
            if lost > 0 {
                logger.critical("stopping with \(lost) event(s) the store never took (\(failure ?? "")): they were not published and are not stored")
            }
        }
        journalWriter?.close()
        forwarder?.close()
        saveSnapshot()
        do { try writer?.close() } catch { logger.error("the store writer stopped with an error: \(error)") }
        checkpointer?.close()
        do { try store?.close() } catch { logger.error("the store did not close cleanly: \(error)") }
    }

    /// Blocks until what was handed to the store so far is committed: events (published too,
    /// unless the store refuses them), queued positions and dead letters.
    public func flush() {
        waitCommitted()
        do { try writer?.flush() } catch { logger.error("queued positions or dead letters were not stored: \(error)") }
    }

    static let snapshotKey = "engine.snapshot"
    static let musterKey = "engine.muster"

    /// Where a finished muster's report is kept.
    public static func musterReportKey(_ id: String) -> String { "muster.report.\(id)" }

    /// The running muster on its own (small, written on every change), or an empty record once none runs.
    func saveMuster(_ store: Store) throws {
        let data = try engine.muster.map { try SnapshotCodec.encodeMuster($0) } ?? Data()
        try store.saveState(key: Self.musterKey, data: data)
    }
}
