import CordonCore
import CordonService
import CordonStore
import CordonTestSupport
import CordonWire
import Foundation
import Synchronization
import Testing

/// The console in a real browser (Debian's headless Chromium) against a real serve fed over
/// ZeroMQ, with no network but loopback. Screenshots go to .build/console-screens/.
@Suite(.serialized, .enabled(if: Chromium.path != nil, "chromium is not installed: make test installs it (apt-get install chromium)"))
struct BrowserTests {
    static let screens = ConsoleHarness.root.appendingPathComponent(".build/console-screens").path

    /// The RGB of screenshot pixels, read by the standard-library decoder in png_pixels.py.
    static func pixels(_ png: String, _ points: [(Double, Double)]) throws -> [[Int]] {
        let p = try ChildProcess.run("/usr/bin/env", ["python3", ConsoleHarness.root.appendingPathComponent("Tests/CordonHTTPTests/png_pixels.py").path, png]
            + points.map { "\(Int($0.0)),\(Int($0.1))" }, within: 60)
        let data = p.output
        return String(decoding: data, as: UTF8.self).split(separator: "\n").map { $0.split(separator: " ").compactMap { Int($0) } }
    }

    /// Page coordinates of a point in site metres.
    static func pagePoint(_ x: Double, _ y: Double) -> String {
        "(() => { const p = cordonMap.latLngToContainerPoint([\(y), \(x)]); const r = document.getElementById('map').getBoundingClientRect(); return [p.x + r.left, p.y + r.top]; })()"
    }

    @Test func theConsoleDrawsTheParkMovesMarkersRaisesAcksAndMusters() async throws {
        let h = try await ConsoleHarness()
        defer { h.shutdown() }
        try h.loadRegistry()
        try h.send([
            ["type": "gate", "gate": "G3", "direction": "in", "person": "P0042"],
            ["type": "gate", "gate": "G3", "direction": "in", "person": "P0101"],
        ])
        let tank = try await h.centre(of: "Z-E01-TANK-1")
        let office = try await h.centre(of: "Z-E01-OFFICE")
        // Positioned before the page opens, then nothing new: the map must still show them.
        try h.send([["type": "position", "tag": "T1001", "x": .number(office.x), "y": .number(office.y + 20)]])
        _ = try await h.eventually(5) { (try await h.json("GET", "/api/console/positions").body["positions"]?.arrayValue?.count ?? 0) >= 1 }
        let chromium = try Chromium()
        defer { chromium.stop() }
        let base = h.base
        try await chromium.withPage { page in
            try await page.call("Network.enable")
            try await page.call("Page.enable")
            try await page.call("Page.navigate", ["url": .string(base + "/?lang=en")])
            _ = try await page.waitFor("window.cordon && cordon.ready && cordon.wsUp", seconds: 20)

            // 1. The site plan: a red zone's pixels where the tank farm is, a blue one's at the office.
            _ = try await page.waitFor("document.querySelectorAll('.leaflet-overlay-pane path').length > 20")
            try await Task.sleep(for: .milliseconds(300))
            let site = Self.screens + "/site.png"
            try await page.screenshot(to: site)
            let tp = try await page.evaluate(Self.pagePoint(tank.x, tank.y)).arrayValue?.compactMap(\.numberValue) ?? []
            let op = try await page.evaluate(Self.pagePoint(office.x, office.y)).arrayValue?.compactMap(\.numberValue) ?? []
            let px = try Self.pixels(site, [(tp[0], tp[1]), (op[0], op[1])])
            #expect(px.count == 2)
            if px.count == 2 {
                let (red, blue) = (px[0], px[1])
                #expect(red[0] > red[1] + 40 && red[0] > red[2] + 40, "the tank farm is drawn red: \(red)")
                #expect(blue[2] > blue[0] + 30, "the office is drawn blue: \(blue)")
            }

            // 2. Someone positioned before the page opened is on the map without moving again.
            _ = try await page.waitFor("cordonSubjects.subjects.has('person:P0001')", seconds: 5)

            // 3. A position over ZeroMQ moves its marker (drawn on the canvas where it now is).
            try h.send([["type": "position", "tag": "T2101", "x": .number(office.x - 30), "y": .number(office.y)]])
            _ = try await page.waitFor("(s => s && Math.abs(s.x - \(office.x - 30)) < 0.5)(cordonSubjects.subjects.get('person:P0101'))", seconds: 5)
            try await Task.sleep(for: .milliseconds(600))
            try h.send([["type": "position", "tag": "T2101", "x": .number(office.x + 30), "y": .number(office.y + 10)]])
            _ = try await page.waitFor("(s => s && Math.abs(s.x - \(office.x + 30)) < 0.5)(cordonSubjects.subjects.get('person:P0101'))", seconds: 5)
            // Drawn on the next animation frame: the canvas has the marker's pixels where it now is.
            let drawn = try? await page.waitFor("""
                (() => { const s = cordonSubjects.subjects.get('person:P0101'); const p = cordonMap.latLngToContainerPoint([s.y, s.x]);
                  const c = cordonSubjects.canvas, r = window.devicePixelRatio || 1;
                  return c.getContext('2d').getImageData(Math.round(p.x * r), Math.round(p.y * r), 1, 1).data[3] > 0; })()
                """, seconds: 3)
            #expect(drawn != nil, "the marker is drawn where the position put it")

            // 4. An alarm appears within 1 s: the contractor walks into the tank farm without a permit.
            let sent = Date()
            try h.send([["type": "position", "tag": "T1042", "x": .number(tank.x), "y": .number(tank.y)]])
            _ = try await page.waitFor("[...document.querySelectorAll('#alarm-list li')].some(li => li.textContent.includes('P0042') || li.textContent.includes('赵强'))", seconds: 5)
            let latency = Date().timeIntervalSince(sent)
            #expect(latency < 1, "the alarm showed after \(latency) s")
            let alarmShot = Self.screens + "/alarm.png"
            try await page.screenshot(to: alarmShot)

            // 5. Acknowledged from the page with a name and a comment: stored, with the name.
            _ = try await page.evaluate("""
                (() => { const li = [...document.querySelectorAll('#alarm-list li')].find(li => li.textContent.includes('赵强'));
                  li.querySelector('button.ack').click();
                  document.getElementById('ack-name').value = '张伟 (shift lead)';
                  document.getElementById('ack-comment').value = 'called the contractor out';
                  document.getElementById('ack-send').click(); return true; })()
                """)
            _ = try await page.waitFor("[...document.querySelectorAll('#alarm-list li.acked')].length > 0", seconds: 5)
            let active = try h.zmqControl(["op": "alarms.active"])
            let acked = active["alarms"]?.arrayValue?.first { $0["subject"]?["id"]?.stringValue == "P0042" }
            #expect(acked?["acknowledged"]?["by"]?.stringValue == "张伟 (shift lead)")
            let audit = try h.zmqControl(["op": "audit.list"])
            #expect((audit["entries"]?.arrayValue ?? []).contains {
                $0["op"]?.stringValue == "alarms.ack" && JSONText.encode($0["request"] ?? .null).contains("called the contractor out")
            }, "the comment is stored with the acknowledgement's audit")

            // 6. A muster started from the page shows its progress.
            _ = try await page.evaluate("document.querySelector('[data-tab=muster]').click(); document.getElementById('muster-drill').click(); true")
            _ = try await page.waitFor("cordon.muster && cordon.muster.total >= 2 && document.getElementById('muster-state').textContent.includes('accounted')", seconds: 5)
            let status = try h.zmqControl(["op": "muster.status"])
            #expect(status["muster"]?["mode"]?.stringValue == "drill")
            _ = try await page.waitFor("document.querySelectorAll('#muster-missing li').length >= 1")
            try await page.screenshot(to: Self.screens + "/muster.png")

            // 7. The WebSocket drops; an alarm raised meanwhile is caught up from the API on reconnection.
            _ = try await page.evaluate("cordon.reconnectDelayMs = 1500; cordon.ws.close(); true")
            _ = try await page.waitFor("!cordon.wsUp", seconds: 5)
            try h.send([["type": "alert", "tag": "T1001", "alert": "sos"]])
            try await Task.sleep(for: .milliseconds(300))
            #expect(try await page.evaluate("[...cordon.alarms.values()].some(a => a.kind === 'sos')").boolValue == false, "no live stream while disconnected")
            _ = try await page.waitFor("cordon.wsUp && [...cordon.alarms.values()].some(a => a.kind === 'sos')", seconds: 10)
            #expect(try await page.evaluate("cordonSubjects.subjects.get('person:P0001').alarm === true").boolValue == true,
                    "the SOS sender, positioned before the page opened, stands out on the map")

            // 8. Track replay: P0101's path from the store, on the map with a slider.
            _ = try await page.evaluate("""
                document.querySelector('[data-tab=replay]').click(); document.getElementById('replay-subject').value = 'P0101';
                document.getElementById('replay-load').click(); true
                """)
            _ = try await page.waitFor("Number(document.getElementById('replay-slider').max) >= 1", seconds: 5)
            _ = try await page.evaluate("const s = document.getElementById('replay-slider'); s.value = s.max; s.dispatchEvent(new Event('input')); true")
            #expect(try await page.evaluate("document.getElementById('replay-info').textContent").stringValue?.contains("2/") == true)
            try await page.screenshot(to: Self.screens + "/replay.png")

            // 9. Nothing was asked of any host but this one.
            let urls = page.requested.withLock { $0 }
            #expect(!urls.isEmpty)
            let foreign = urls.filter { !$0.hasPrefix(base) && !$0.hasPrefix("data:") && !$0.hasPrefix("blob:") }
            #expect(foreign.isEmpty, "the page asked for \(foreign)")
        }
    }

    /// The control room must know when the record is behind: a banner while the store refuses
    /// writes, and the alarms that came in meanwhile marked as not yet stored.
    @Test func aFailingStoreShowsABannerAndAlarmsStillArrive() async throws {
        let h = try await ConsoleHarness()
        defer { h.shutdown() }
        try h.loadRegistry()
        try h.send([["type": "gate", "gate": "G3", "direction": "in", "person": "P0042"]])
        let tank = try await h.centre(of: "Z-E01-TANK-1")
        let store = try #require(h.service.pipeline.store)
        let chromium = try Chromium()
        defer { chromium.stop() }
        let base = h.base
        try await chromium.withPage { page in
            try await page.call("Page.navigate", ["url": .string(base + "/?lang=en")])
            _ = try await page.waitFor("window.cordon && cordon.ready && cordon.wsUp", seconds: 20)
            #expect(try await page.evaluate("document.getElementById('store-banner').hidden").boolValue == true)

            // The disk is full: what still fits in the file's free pages goes in, then nothing.
            try store.capSize(extraPages: 0)
            let filling = Date()
            var n = 0
            while !h.service.pipeline.isHolding, Date().timeIntervalSince(filling) < 10 {
                try h.send([["type": "gate", "gate": "G3", "direction": n % 2 == 0 ? "in" : "out", "person": "P0101"]])
                n += 1
                try await Task.sleep(for: .milliseconds(20))
            }
            #expect(h.service.pipeline.isHolding, "the cap never bit")
            let sent = Date()
            try h.send([["type": "position", "tag": "T1042", "x": .number(tank.x), "y": .number(tank.y)]])
            _ = try await page.waitFor("""
                [...document.querySelectorAll('#alarm-list li')].some(li => li.textContent.includes('赵强') && li.querySelector('.unstored'))
                """, seconds: 5)
            let latency = Date().timeIntervalSince(sent)
            #expect(latency < 1, "the alarm showed after \(latency) s with the disk full")
            _ = try await page.waitFor("!document.getElementById('store-banner').hidden", seconds: 5)
            #expect(try await page.evaluate("[...cordon.alarms.values()].some(a => a.kind === 'store-failing' && a.severity === 'critical')").boolValue == true)
            try await page.screenshot(to: Self.screens + "/store-failing.png")

            try store.capSize(extraPages: nil)  // space again
            _ = try await page.waitFor("document.getElementById('store-banner').hidden", seconds: 8)
            #expect(try await page.evaluate("[...cordon.alarms.values()].some(a => a.kind === 'restricted-zone')").boolValue == true)
        }
    }

    /// A platform that has taken nothing for half a minute shows in the header, with its backlog.
    @Test func aPlatformBehindShowsInTheHeader() async throws {
        let h = try await ConsoleHarness(forwardingFile: try ConsoleHarness.unreachablePlatform())
        defer { h.shutdown() }
        try h.loadRegistry()
        let tank = try await h.centre(of: "Z-E01-TANK-1")
        try h.send([["type": "gate", "gate": "G3", "direction": "in", "person": "P0042"],
                    ["type": "position", "tag": "T1042", "x": .number(tank.x), "y": .number(tank.y)]])
        let chromium = try Chromium()
        defer { chromium.stop() }
        let base = h.base
        try await chromium.withPage { page in
            try await page.call("Page.navigate", ["url": .string(base + "/?lang=en")])
            _ = try await page.waitFor("window.cordon && cordon.ready", seconds: 20)
            #expect(try await page.evaluate("document.getElementById('forward-status').hidden").boolValue == true, "not behind yet")
            _ = try await page.waitFor("!document.getElementById('forward-status').hidden", seconds: 45)
            let text = try await page.evaluate("document.getElementById('forward-status').textContent").stringValue ?? ""
            #expect(text.contains("province") && text.contains("behind by"), "\(text)")
            try await page.screenshot(to: Self.screens + "/forwarding-behind.png")
        }
    }

    @Test func twentyThousandMovingMarkersStaySmooth() async throws {
        let h = try await ConsoleHarness()
        defer { h.shutdown() }
        let chromium = try Chromium()
        defer { chromium.stop() }
        let base = h.base
        let stats = try await chromium.withPage { page in
            try await page.call("Page.navigate", ["url": .string(base + "/?lang=en&synthetic=20000")])
            _ = try await page.waitFor("window.cordon && cordon.ready && cordonSubjects.subjects.size >= 20000", seconds: 20)
            // Frames over 3 s: the drawing time of each, and the interval between them.
            return try await page.evaluate("""
                new Promise(done => { const s = cordonSubjects.stats; const f0 = s.frames, t0 = s.totalMs, start = performance.now();
                  let max = 0, last = start, n = 0;
                  const tick = now => { max = Math.max(max, now - last); last = now; n++;
                    if (now - start < 3000) requestAnimationFrame(tick);
                    else done({ frames: s.frames - f0, drawMs: (s.totalMs - t0) / Math.max(1, s.frames - f0), maxDrawMs: s.maxMs,
                                rafFrames: n, frameIntervalMs: (now - start) / n, worstIntervalMs: max, drawn: s.drawn }); };
                  requestAnimationFrame(tick); })
                """)
        }
        let line = "20000 markers: \(JSONText.encode(stats))"
        print(line)
        try FileManager.default.createDirectory(atPath: Self.screens, withIntermediateDirectories: true)
        try line.write(toFile: Self.screens + "/frame-time.txt", atomically: true, encoding: .utf8)
        #expect((stats["frames"]?.numberValue ?? 0) >= 10, "\(line)")
        #expect((stats["drawMs"]?.numberValue ?? 999) < 50, "\(line)")
    }
}
