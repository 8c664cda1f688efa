import CordonCore

/// Judges the members of one message object against docs/protocol.md, "Ingest messages" and builds the
/// ``IngestMessage`` (or the replay control request of section 7).
///
/// Checks run in a fixed order, so a message with several faults always gets the same reason:
/// a non-finite number anywhere, then `type`, then `t`, then the type's fields in the order the
/// protocol lists them; for each field presence, then JSON type, then value. `null` counts as
/// absent everywhere.
struct MessageBuilder {
    /// Accept `{"type":"control",…}` (replay input only).
    var allowControl: Bool

    /// Hands `deliver` the item a message object turns into: a message, a control line, or its
    /// rejection. (Handing over rather than returning saves copies of a large enum per message.)
    func build(_ f: MessageFields, _ s: JSONScanner, _ deliver: (DecodedItem) -> Void) {
        do throws(RejectReason) {
            switch try messageType(f, s) {
            case .position: deliver(.message(.position(try position(f, s))))
            case .alert: deliver(.message(.alert(try alert(f, s))))
            case .gate: deliver(.message(.gate(try gate(f, s))))
            case .control: deliver(try control(f, s))
            }
        } catch {
            deliver(.rejected(error, raw: f.range))
        }
    }

    private enum MessageType {
        case position, alert, gate, control
    }

    /// `type`, after the one check that comes before it: a number beyond a double anywhere.
    private func messageType(_ f: MessageFields, _ s: JSONScanner) throws(RejectReason) -> MessageType {
        if f.sawNonFinite, case .object(let members)? = s.keptNonFiniteValue(at: f.range.lowerBound) {
            // Name the member, the first by name so that the message is stable.
            let names = members.filter { JSONScanner.holdsNonFinite($0.value) }.keys
            throw .nonFinite(names.min { $0.utf8.lexicographicallyPrecedes($1.utf8) } ?? "?")
        }
        guard let type = f[.type] else { throw .missingField("type") }
        guard type.kind == .string else { throw .wrongType("type", "a string") }
        let token = type.stringToken
        if s.string(token, equals: "position") { return .position }
        if s.string(token, equals: "alert") { return .alert }
        if s.string(token, equals: "gate") { return .gate }
        if allowControl, s.string(token, equals: "control") { return .control }
        throw .unknownType(s.string(token))
    }

    private func control(_ f: MessageFields, _ s: JSONScanner) throws(RejectReason) -> DecodedItem {
        let t = try time(f, s)
        guard let request = f[.request] else { throw .missingField("request") }
        guard request.kind == .object else { throw .wrongType("request", "an object") }
        var sub = JSONScanner(s.buf, at: request.range.lowerBound)
        var nonFinite: Int?
        // Already checked by the frame scan: a failure here cannot happen, and would be
        // reported like any other syntax error.
        do {
            return .control(time: t, request: try sub.parseValue(depth: 1, nonFinite: &nonFinite))
        } catch {
            throw .malformedJSON("at byte \(error.offset): expected \(error.expected)")
        }
    }

    // MARK: Message types

    private func position(_ f: MessageFields, _ s: JSONScanner) throws(RejectReason) -> PositionReport {
        let t = try time(f, s)
        let source: SourceID
        switch (f.has(.tag), f.has(.plate)) {
        case (true, true): throw RejectReason("invalid-value", "give exactly one of 'tag' and 'plate', not both")
        case (false, false): throw RejectReason("missing-field", "one of 'tag' or 'plate' is required")
        case (true, false): source = .tag(try requiredID(.tag, f, s))
        case (false, true): source = .plate(try requiredID(.plate, f, s))
        }
        let local = f.has(.x) || f.has(.y)
        let geo = f.has(.lon) || f.has(.lat)
        let place: Place
        switch (local, geo) {
        case (true, true):
            throw RejectReason("invalid-value", "give either 'x','y' or 'lon','lat', not both")
        case (false, false):
            throw RejectReason("missing-field", "a place is required: 'x' and 'y', or 'lon' and 'lat'")
        case (true, false):
            let x = try requiredNumber(.x, f)
            let y = try requiredNumber(.y, f)
            let frame = try optionalID(.frame, f, s)
            place = .local(x: x, y: y, frame: frame)
        case (false, true):
            let lon = try requiredNumber(.lon, f)
            guard lon >= -180, lon <= 180 else { throw .invalidValue("lon", "must be between -180 and 180") }
            let lat = try requiredNumber(.lat, f)
            guard lat >= -90, lat <= 90 else { throw .invalidValue("lat", "must be between -90 and 90") }
            place = .wgs84(lon: lon, lat: lat)
        }
        let level = try optionalInteger(.level, f, in: Double(Int32.min)...Double(Int32.max)) ?? 0
        let accuracy = try optionalNumber(.accuracyM, f)
        if let accuracy, !(0...PositionReport.maxAccuracyM).contains(accuracy) {
            throw .invalidValue("accuracy_m", "must be between 0 and \(Int(PositionReport.maxAccuracyM)) metres (a fix worse than that locates nothing)")
        }
        let speed = try optionalNumber(.speedKmh, f)
        if let speed, !(0...PositionReport.maxSpeedKmh).contains(speed) {
            throw .invalidValue("speed_kmh", "must be between 0 and \(Int(PositionReport.maxSpeedKmh)) km/h (a faster reading is a bad fix, not a vehicle)")
        }
        let heading = try optionalNumber(.headingDeg, f)
        let battery = try optionalNumber(.batteryPct, f)
        if let battery, battery < 0 || battery > 100 { throw .invalidValue("battery_pct", "must be between 0 and 100") }
        let moving = try optionalBool(.moving, f)
        return PositionReport(
            source: source, time: t, place: place, level: level, accuracyM: accuracy, speedKmh: speed,
            headingDeg: heading, batteryPct: battery, moving: moving
        )
    }

    private func alert(_ f: MessageFields, _ s: JSONScanner) throws(RejectReason) -> TagAlert {
        let t = try time(f, s)
        let tag = try requiredID(.tag, f, s)
        guard let slot = f[.alert] else { throw .missingField("alert") }
        guard slot.kind == .string else { throw .wrongType("alert", "a string") }
        let token = slot.stringToken
        let kind: TagAlert.Kind
        if s.string(token, equals: "sos") {
            kind = .sos
        } else if s.string(token, equals: "fall") {
            kind = .fall
        } else if s.string(token, equals: "tamper") {
            kind = .tamper
        } else if s.string(token, equals: "cancel") {
            kind = .cancel
        } else {
            throw .invalidValue("alert", "must be one of sos, fall, tamper, cancel")
        }
        return TagAlert(tag: tag, time: t, kind: kind)
    }

    private func gate(_ f: MessageFields, _ s: JSONScanner) throws(RejectReason) -> GatePassage {
        let t = try time(f, s)
        let gate = try requiredID(.gate, f, s)
        guard let slot = f[.direction] else { throw .missingField("direction") }
        guard slot.kind == .string else { throw .wrongType("direction", "a string") }
        let direction: GatePassage.Direction
        if s.string(slot.stringToken, equals: "in") {
            direction = .in
        } else if s.string(slot.stringToken, equals: "out") {
            direction = .out
        } else {
            throw .invalidValue("direction", "must be 'in' or 'out'")
        }
        let given = (f.has(.person) ? 1 : 0) + (f.has(.card) ? 1 : 0) + (f.has(.plate) ? 1 : 0)
        guard given > 0 else { throw RejectReason("missing-field", "one of 'person', 'card' or 'plate' is required") }
        guard given == 1 else {
            throw RejectReason("invalid-value", "give exactly one credential of 'person', 'card' and 'plate'")
        }
        let credential: GatePassage.Credential
        if f.has(.person) {
            credential = .person(try requiredID(.person, f, s))
        } else if f.has(.card) {
            credential = .card(try requiredID(.card, f, s))
        } else {
            credential = .plate(try requiredID(.plate, f, s))
        }
        let tag = try optionalID(.tag, f, s)
        let count = try optionalInteger(.count, f, in: 1...Double(Int32.max))
        let plateColor = try optionalString(.plateColor, f, s)
        let granted = try optionalBool(.granted, f)
        return GatePassage(
            gate: gate, time: t, direction: direction, credential: credential, tag: tag, count: count,
            plateColor: plateColor, granted: granted
        )
    }

    // MARK: Fields

    /// `t`: an RFC 3339 date-time with a zone, or whole milliseconds since the epoch.
    private func time(_ f: MessageFields, _ s: JSONScanner) throws(RejectReason) -> Instant {
        guard let slot = f[.t] else { throw .missingField("t") }
        switch slot.kind {
        case .string:
            let instant: Instant?
            if slot.flag {
                instant = RFC3339.parse(s.unescapedBytes(slot.stringToken))
            } else {
                instant = RFC3339.parse(UnsafeRawBufferPointer(rebasing: s.buf[slot.range]))
            }
            guard let instant else { throw .invalidValue("t", "must be an RFC 3339 date-time with a zone") }
            return instant
        case .number:
            // Up to 9999-12-31T23:59:59.999Z, the last instant RFC 3339 (four-digit years) can
            // express, so every accepted time can be published again.
            guard let t = Bounded.instant(epochMilliseconds: slot.number) else {
                throw .invalidValue("t", "must be a whole number of milliseconds from 0 to \(Bounded.maxEpochMilliseconds)")
            }
            return t
        default:
            throw .wrongType("t", "an RFC 3339 string or a number of milliseconds")
        }
    }

    /// A required identifier: a non-empty string.
    private func requiredID(_ key: FieldKey, _ f: MessageFields, _ s: JSONScanner) throws(RejectReason) -> String {
        guard let id = try optionalID(key, f, s) else { throw .missingField(key.name) }
        return id
    }

    /// An optional identifier: a non-empty string when present.
    private func optionalID(_ key: FieldKey, _ f: MessageFields, _ s: JSONScanner) throws(RejectReason) -> String? {
        guard let slot = f[key] else { return nil }
        guard slot.kind == .string else { throw .wrongType(key.name, "a string") }
        guard !slot.range.isEmpty else { throw .invalidValue(key.name, "must not be empty") }
        return s.string(slot.stringToken)
    }

    private func optionalString(_ key: FieldKey, _ f: MessageFields, _ s: JSONScanner) throws(RejectReason) -> String? {
        guard let slot = f[key] else { return nil }
        guard slot.kind == .string else { throw .wrongType(key.name, "a string") }
        return s.string(slot.stringToken)
    }

    private func requiredNumber(_ key: FieldKey, _ f: MessageFields) throws(RejectReason) -> Double {
        guard let n = try optionalNumber(key, f) else { throw .missingField(key.name) }
        return n
    }

    private func optionalNumber(_ key: FieldKey, _ f: MessageFields) throws(RejectReason) -> Double? {
        guard let slot = f[key] else { return nil }
        guard slot.kind == .number else { throw .wrongType(key.name, "a number") }
        return slot.number
    }

    /// An optional whole number within `range` (`1.0` counts as whole, as it does to any JSON
    /// reader that yields doubles).
    private func optionalInteger(_ key: FieldKey, _ f: MessageFields, in range: ClosedRange<Double>) throws(RejectReason) -> Int? {
        guard let n = try optionalNumber(key, f) else { return nil }
        guard let i = Bounded.integer(n, in: Int(range.lowerBound)...Int(range.upperBound)) else {
            throw .invalidValue(key.name, "must be a whole number from \(Int(range.lowerBound)) to \(Int(range.upperBound))")
        }
        return i
    }

    private func optionalBool(_ key: FieldKey, _ f: MessageFields) throws(RejectReason) -> Bool? {
        guard let slot = f[key] else { return nil }
        guard slot.kind == .bool else { throw .wrongType(key.name, "true or false") }
        return slot.flag
    }
}
