import CordonCore
import Geometry
import Testing

@Suite("Loading a site file")
struct SiteLoaderTests {
    @Test("every kind and property is read")
    func readsEverything() throws {
        var s = TestSite()
        s.cordon["defaults"] = ["offline_after_s": 90, "exit_tolerance_m": 1.5]
        s.cordon["frames"] = ["uwb-hall-3": ["offset_m": [350.0, 120.0], "rotation_deg": 12.5]]
        s.cordon["severity"] = ["overstay": "major"]
        s.add(TestSite.feature(kind: "enterprise", id: "E01", geometry: TestSite.polygon(TestSite.rect(-400, -400, 0, 0)),
                               ["name": "Haihua"]))
        s.zone("Z-TANK-1", TestSite.rect(-300, -300, -200, -200), [
            "name": "Tank farm 1", "risk": "red", "level": 0, "access": "permit", "requires": ["hot-work"],
            "roles": ["tank-operator"], "max_people": 6, "max_stay_min": 120, "two_person": true,
            "crowding": ["radius_m": 15, "min_people": 5, "duration_s": 60], "vehicles": "forbidden",
            "speed_limit_kmh": 20, "enter_delay_s": 5,
        ])
        s.add(TestSite.feature(kind: "route", id: "R1", geometry: TestSite.line([(-500, 0), (0, 0), (0, 400)]),
                               ["width_m": 40, "speed_limit_kmh": 30, "deviation_after_s": 20, "to": "E01"]))
        s.add(TestSite.feature(kind: "gate", id: "G2", geometry: TestSite.point(-500, 0), ["class": "hazmat", "anti_passback": "hard"]))
        s.add(TestSite.feature(kind: "parking", id: "P-HAZ", geometry: TestSite.polygon(TestSite.rect(100, 100, 200, 200)), ["capacity": 40]))
        s.add(TestSite.feature(kind: "muster", id: "M1", geometry: TestSite.polygon(TestSite.rect(300, 300, 350, 350)), ["name": "North"]))
        let site = try s.load()

        #expect(site.id == "test-park")
        #expect(site.settings.offlineAfterS == 90)
        #expect(site.settings.exitToleranceM == 1.5)
        #expect(site.settings.manDownAfterS == 120, "a default the file does not set keeps the protocol's value")
        #expect(site.settings.severity["overstay"] == .major)
        let z = try #require(site.zone("Z-TANK-1"))
        #expect(z.risk == .red && z.access == .permit && z.requires == ["hot-work"] && z.roles == ["tank-operator"])
        #expect(z.maxPeople == 6 && z.maxStayMin == 120 && z.twoPerson && z.vehicles == .forbidden)
        #expect(z.crowding == Zone.Crowding(radiusM: 15, minPeople: 5, durationS: 60))
        #expect(z.enterDelayS == 5 && z.exitToleranceM == 1.5 && z.speedLimitKmh == 20 && z.level == 0)
        #expect(z.enterprise == "E01", "a zone inside an enterprise's premises belongs to it")
        let r = try #require(site.routes["R1"])
        #expect(r.widthM == 40 && r.deviationAfterS == 20 && r.to == "E01")
        #expect(r.corridor.contains(LocalPoint(x: -250, y: 19)), "the corridor is the line buffered by half the width")
        #expect(!r.corridor.contains(LocalPoint(x: -250, y: 21)))
        #expect(site.gates["G2"]?.gateClass == .hazmat && site.gates["G2"]?.antiPassback == .hard)
        #expect(site.parking["P-HAZ"]?.capacity == 40)
        #expect(site.musterPoints["M1"]?.name == "North")
        #expect(site.frames["uwb-hall-3"] == FrameTransform(offset: LocalPoint(x: 350, y: 120), rotationDegrees: 12.5))
    }

    @Test("an invalid file is refused with every problem, each named by its feature")
    func listsEveryProblem() throws {
        var s = TestSite()
        s.zone("Z-BOWTIE", [(0, 0), (100, 100), (100, 0), (0, 100)])
        s.zone("Z-A", TestSite.rect(0, 0, 10, 10))
        s.zone("Z-A", TestSite.rect(20, 20, 30, 30))
        s.add(TestSite.feature(kind: "pipeline", id: "X1", geometry: TestSite.point(0, 0)))
        s.add(TestSite.feature(kind: "route", id: "R-SHORT", geometry: ["type": "LineString", "coordinates": [[118.73, 37.45]]]))
        s.zone("Z-LIMITS", TestSite.rect(40, 40, 50, 50), ["min_people": 5, "max_people": 2])
        s.zone("Z-RADIUS", TestSite.rect(60, 60, 70, 70), ["crowding": ["radius_m": -3, "min_people": 5, "duration_s": 60]])
        s.zone("Z-ACCESS", TestSite.rect(80, 80, 90, 90), ["access": "sometimes", "risk": "purple"])
        let error = try #require(throws: SiteError.self) { try s.load() }
        let byFeature = Dictionary(grouping: error.problems, by: \.feature)
        #expect(byFeature["Z-BOWTIE"]?.first?.message.contains("Self-intersection") == true)
        #expect(byFeature["Z-A"]?.contains { $0.message == "duplicate id" } == true)
        #expect(byFeature["X1"]?.first?.message.contains("unknown kind 'pipeline'") == true)
        #expect(byFeature["R-SHORT"] != nil, "a route with one point is refused")
        #expect(byFeature["Z-LIMITS"]?.first?.message.contains("above 'max_people'") == true)
        #expect(byFeature["Z-RADIUS"]?.first?.message.contains("radius_m") == true)
        #expect(byFeature["Z-ACCESS"]?.count == 2)
    }

    @Test("a file without a site fence or settings is refused")
    func needsFence() throws {
        let doc: Value = ["type": "FeatureCollection", "features": []]
        let error = try #require(throws: SiteError.self) { try SiteLoader.load(doc) }
        #expect(error.problems.contains { $0.feature == "cordon" })
        #expect(error.problems.contains { $0.message.contains("no feature of kind 'site'") })
    }

    @Test("positions in an RTLS frame are rotated then shifted; far-away ones are refused")
    func locate() throws {
        var s = TestSite()
        s.cordon["frames"] = ["hall": ["offset_m": [100.0, 50.0], "rotation_deg": 90.0]]
        let site = try s.load()
        let p = try site.locate(.local(x: 10, y: 0, frame: "hall")).get()
        #expect(abs(p.x - 100) < 1e-9 && abs(p.y - 60) < 1e-9)
        #expect(throws: RejectReason.self) { try site.locate(.local(x: 0, y: 0, frame: "nope")).get() }
        #expect(throws: RejectReason.self) { try site.locate(.local(x: 1600, y: 0, frame: nil)).get() }
        #expect((try? site.locate(.local(x: 1400, y: 0, frame: nil)).get()) != nil, "within 1 km of the bounds is accepted")
        #expect(throws: RejectReason.self) { try site.locate(.wgs84(lon: 200, lat: 0)).get() }
    }
}
