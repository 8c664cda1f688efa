import CordonCore
import Testing

@Suite("RFC 3339 time, as the protocol sends and publishes it")
struct RFC3339Tests {
    @Test("a UTC time with milliseconds parses to epoch milliseconds")
    func utc() {
        #expect(RFC3339.parse("2026-11-22T08:00:00.250Z") == Instant(milliseconds: 1_795_334_400_250))
    }

    @Test("an offset is applied: 16:00 in Shanghai is 08:00 UTC")
    func offset() {
        #expect(RFC3339.parse("2026-11-22T16:00:00+08:00") == RFC3339.parse("2026-11-22T08:00:00Z"))
        #expect(RFC3339.parse("2026-11-22T03:00:00-05:00") == RFC3339.parse("2026-11-22T08:00:00Z"))
    }

    @Test("fractions of any length are cut to milliseconds")
    func fractions() {
        #expect(RFC3339.parse("2026-11-22T08:00:00.1Z")?.milliseconds == 1_795_334_400_100)
        #expect(RFC3339.parse("2026-11-22T08:00:00.123456789Z")?.milliseconds == 1_795_334_400_123)
    }

    @Test("times without a zone, impossible dates and trailing text are refused",
          arguments: ["2026-11-22T08:00:00", "2026-02-30T08:00:00Z", "2026-11-22T25:00:00Z", "2026-11-22T08:00:00Zx",
                      "yesterday", "", "2026-11-22", "2026-11-22T08:00:00.Z", "2026-11-22T08:00:00+8:00"])
    func refused(_ text: String) {
        #expect(RFC3339.parse(text) == nil)
    }

    @Test("output is UTC with milliseconds, and round-trips")
    func format() {
        let t = Instant(milliseconds: 1_795_334_400_250)
        #expect(t.rfc3339 == "2026-11-22T08:00:00.250Z")
        #expect(RFC3339.parse(t.rfc3339) == t)
        #expect(Instant(milliseconds: 0).rfc3339 == "1970-01-01T00:00:00.000Z")
        #expect(Instant(milliseconds: -1).rfc3339 == "1969-12-31T23:59:59.999Z")
    }

    @Test("a qualification dated 2027-06-30 is valid to the end of that day in Shanghai")
    func endOfDay() throws {
        let e = try #require(Expiry(text: "2027-06-30"))
        let offset = 8 * 3600
        #expect(e.isValid(at: try #require(RFC3339.parse("2027-06-30T23:59:59+08:00")), utcOffsetSeconds: offset))
        #expect(!e.isValid(at: try #require(RFC3339.parse("2027-07-01T00:00:00+08:00")), utcOffsetSeconds: offset))
    }
}
