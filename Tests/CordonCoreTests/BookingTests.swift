import CordonCore
import CordonTestSupport
import Testing

@Suite("Bookings: one truck, one gate, one window, one trip")
struct BookingTests {
    /// A valid hazmat booking request for 鲁E12345 at G2 from at(0) for four hours, with changes.
    static func request(_ changes: [String: Value] = [:]) -> Value {
        var r: [String: Value] = [
            "op": "booking.create", "id": "B1", "plate": "鲁E12345", "gate": "G2", "route": "R1", "destination": "E02",
            "window": ["from": .time(at(0)), "until": .time(at(4 * 3600))],
            "max_stay_min": 240, "cargo": ["un": "UN1203", "class": "3", "name": "gasoline"], "waybill": "WB-2026-000042",
        ]
        r.merge(changes) { _, new in new }
        return .object(r.filter { !$0.value.isNull })
    }

    @Test("booking.create stores a validated booking, canonical plate and UN number, and says so")
    func create() throws {
        let e = try GateSite.engine()
        let result = e.control(Self.request(["plate": "鲁e 12345"]), at: at(-600))
        let b = try result.reply.get()["booking"]
        #expect(b?["id"] == "B1" && b?["plate"] == "鲁E12345" && b?["status"] == "active")
        #expect(b?["cargo"] == ["un": "1203", "class": "3", "name": "gasoline"])
        #expect(b?["window"]?["until"] == "2026-11-22T12:00:00.000Z")
        #expect(result.effects.count == 1, "the booking is handed to the store")
    }

    @Test("every problem of a booking is refused at once, with its reason")
    func refused() throws {
        let e = try GateSite.engine()
        let bad = Self.request([
            "gate": "G9", "route": "R9", "destination": "E99",
            "window": ["from": .time(at(3600)), "until": .time(at(0))],
            "cargo": ["un": "12034", "class": "3.1"],
        ])
        let r = e.control(bad, at: at(0))
        guard case .failure(let err) = r.reply else { Issue.record("refused expected"); return }
        #expect(err.code == "invalid-booking")
        for part in ["gate 'G9'", "route 'R9'", "destination 'E99'", "ends", "'cargo.un' '12034'", "'cargo.class' '3.1'"] {
            #expect(err.message.contains(part), "\(part) in: \(err.message)")
        }
        #expect(r.effects.isEmpty && e.bookings.bookings.isEmpty)
    }

    @Test("a hazmat booking needs a hazmat gate, a route and a destination; a booking needs a window")
    func hazmatNeeds() throws {
        let e = try GateSite.engine()
        let wrongGate = e.control(Self.request(["gate": "G1"]), at: at(0))
        #expect((try? wrongGate.reply.get()) == nil)
        let noRoute = e.control(Self.request(["route": nil, "destination": nil, "window": nil]), at: at(0))
        guard case .failure(let err) = noRoute.reply else { Issue.record("refused expected"); return }
        #expect(err.message.contains("'route' is required") && err.message.contains("'destination' is required"))
        #expect(err.message.contains("'window'"))
    }

    @Test("a window that has already closed is refused")
    func closedWindow() throws {
        let e = try GateSite.engine()
        let r = e.control(Self.request(), at: at(86_400))
        guard case .failure(let err) = r.reply else { Issue.record("a booking whose window closed yesterday was taken"); return }
        #expect(err.code == "invalid-booking" && err.message.contains("the window closed at 2026-11-22T12:00:00.000Z"), "\(err.message)")
        #expect(r.effects.isEmpty && e.bookings.bookings.isEmpty)
    }

    @Test("an id is assigned when none is given; the same booking sent twice is one booking")
    func ids() throws {
        let e = try GateSite.engine()
        let a = try e.control(Self.request(["id": nil]), at: at(0)).reply.get()
        #expect(a["booking"]?["id"] == "BK000001")
        let once = try e.control(Self.request(), at: at(0)).reply.get()
        #expect(once["created"] == true)
        let twice = e.control(Self.request(), at: at(5))
        #expect(try twice.reply.get()["created"] == false && twice.effects.isEmpty)
        let other = e.control(Self.request(["gate": "G2", "waybill": "WB-OTHER"]), at: at(6))
        #expect(throws: RequestError.self) { try other.reply.get() }
    }

    @Test("the truck enters within its window at its gate, and the booking is used: one booking, one trip")
    func oneTrip() throws {
        let e = try GateSite.engine()
        _ = try e.control(Self.request(), at: at(-600)).reply.get()
        let entry = e.pass(passage("G2", 600, .in, .plate("鲁E12345")))
        #expect(entry.granted && entry.decision?["booking"] == "B1")
        #expect(e.bookings["B1"]?.status == .used && e.bookings["B1"]?.usedAt == at(600))
        #expect(e.presence[.vehicle("鲁E12345")]?.booking == "B1")
        #expect(e.pass(passage("G2", 3600, .out, .plate("鲁E12345"))).granted)
        #expect(e.pass(passage("G2", 4000, .in, .plate("鲁E12345"))).reasons == ["booking-used"])
    }

    @Test("outside the window, at another gate, or cancelled, the booking admits no one", arguments: [
        (-3600.0, "G2", "booking-not-yet-valid"),
        (15 * 3600.0, "G2", "booking-expired"),
    ])
    func window(_ t: Double, _ gate: String, _ code: String) throws {
        let e = try GateSite.engine()
        _ = try e.control(Self.request(), at: at(-7200)).reply.get()
        #expect(e.pass(passage(gate, t, .in, .plate("鲁E12345"))).reasons == [code])
    }

    @Test("a truck booked for the hazmat gate that comes to the general gate is refused there, naming its gate")
    func anotherGate() throws {
        let e = try GateSite.engine()
        _ = try e.control(Self.request(), at: at(-7200)).reply.get()
        let out = e.pass(passage("G1", 600, .in, .plate("鲁E12345")))
        #expect(!out.granted)
        #expect(out.reasons.contains("booking-wrong-gate"), "\(out.reasons)")
        #expect(e.bookings["B1"]?.status == .active, "the booking is still there for G2")
    }

    @Test("a booking for tomorrow says when it opens")
    func tomorrow() throws {
        let e = try GateSite.engine()
        _ = try e.control(Self.request(["window": ["from": .time(at(86_400)), "until": .time(at(90_000))]]),
                          at: at(0)).reply.get()
        let out = e.pass(passage("G2", 60, .in, .plate("鲁E12345")))
        #expect(out.reasons == ["booking-not-yet-valid"])
        #expect(out.decision?["reasons"]?.arrayValue?.first?["message"] == "booking B1 opens at 2026-11-23T08:00:00.000Z")
    }

    @Test("cancel: a cancelled booking admits no one; a used one cannot be cancelled")
    func cancel() throws {
        let e = try GateSite.engine()
        _ = try e.control(Self.request(), at: at(0)).reply.get()
        let c = e.control(["op": "booking.cancel", "id": "B1"], at: at(10))
        #expect(try c.reply.get()["booking"]?["status"] == "cancelled" && c.effects.count == 1)
        #expect(e.pass(passage("G2", 20, .in, .plate("鲁E12345"))).reasons == ["booking-cancelled"])
        #expect(throws: RequestError.self) { try e.ask(["op": "booking.cancel", "id": "B404"], at: 30) }

        _ = try e.control(Self.request(["id": "B2"]), at: at(40)).reply.get()
        _ = e.pass(passage("G2", 50, .in, .plate("鲁E12345")))
        #expect(throws: RequestError.self) { try e.ask(["op": "booking.cancel", "id": "B2"], at: 60) }
    }

    @Test("booking.list by window start, filtered by plate, gate and status")
    func list() throws {
        let e = try GateSite.engine()
        _ = try e.control(Self.request(["id": "B2", "window": ["from": .time(at(3600)), "until": .time(at(7200))]]),
                          at: at(0)).reply.get()
        _ = try e.control(Self.request(), at: at(0)).reply.get()
        _ = try e.ask(["op": "booking.cancel", "id": "B2"], at: 1)
        #expect(try e.ask(["op": "booking.list"], at: 2)["bookings"]?.arrayValue?.map { $0["id"] } == ["B1", "B2"])
        #expect(try e.ask(["op": "booking.list", "status": "active"], at: 2)["count"] == 1)
        #expect(try e.ask(["op": "booking.list", "plate": "鲁Ｅ12345"], at: 2)["count"] == 2)
        #expect(try e.ask(["op": "booking.list", "gate": "G1"], at: 2)["count"] == 0)
    }

    @Test("a vehicle the registry does not know enters on a booking and counts under its destination")
    func visitorVehicle() throws {
        let e = try GateSite.engine()
        _ = try e.control(Self.request(["plate": "冀J54321", "id": "V1"]), at: at(0)).reply.get()
        _ = try e.control(Self.request(["plate": "冀J67890", "id": "V2", "gate": "G1", "cargo": nil, "route": nil,
                                        "destination": "E01"]), at: at(0)).reply.get()
        let hazmat = e.pass(passage("G2", 60, .in, .plate("冀J54321")))
        #expect(hazmat.granted && hazmat.decision?["subject"]?["id"] == "冀J54321")
        #expect(e.presence[.vehicle("冀J54321")]?.enterprise == "E02")
        #expect(e.pass(passage("G1", 70, .in, .plate("冀J67890"))).granted)
        #expect(e.pass(passage("G1", 80, .out, .plate("冀J54321"))).reasons == ["wrong-gate-class"],
                "a hazmat visit leaves by the hazmat gate too")
        #expect(e.pass(passage("G2", 90, .out, .plate("冀J54321"))).granted)
        #expect(e.pass(passage("G1", 100, .out, .plate("冀J11111"))).reasons == ["unknown-plate"])
    }
}

@Suite("Dangerous goods: UN numbers and hazard classes")
struct CargoTests {
    @Test("UN numbers are four digits, with or without the UN prefix", arguments: [
        ("1203", "1203"), ("UN1203", "1203"), ("un 1005", "1005"), ("ＵＮ１８３０", "1830"), ("0004", "0004"),
    ])
    func unNumbers(_ text: String, _ canonical: String) {
        #expect(Cargo.unNumber(text) == canonical)
    }

    @Test("anything else is not a UN number", arguments: ["123", "12034", "UNX203", "0000", "", "1203a"])
    func notUN(_ text: String) {
        #expect(Cargo.unNumber(text) == nil)
    }

    @Test("hazard classes 1–9 and their divisions", arguments: ["1", "1.1", "1.4", "1.1D", "2", "2.1", "2.3", "3", "4.3", "5.1", "5.2", "6.1", "6.2", "7", "8", "9"])
    func classes(_ text: String) {
        #expect(Cargo.hazardClass(text) == text)
    }

    @Test("classes that do not exist are refused", arguments: ["0", "10", "2.4", "3.1", "1.7", "7.1", "9.9", "1.1Z", "x", ""])
    func notClasses(_ text: String) {
        #expect(Cargo.hazardClass(text) == nil)
    }
}
