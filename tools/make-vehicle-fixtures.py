#!/usr/bin/env python3
"""Writes the hazmat-vehicle scenario fixtures (issue 5): input.jsonl and registry.json.

Trucks report GNSS fixes (lon/lat, speed) every 10-30 s, as real terminals do. Positions are
planned in local metres on fixtures/scenario-park.geojson (map in tools/make-fixture-site.py):
the hazmat gate G2 is at (100, 0), route R1 runs (100,0) -> (100,60) -> (550,60) -> (550,150)
into E02, the hazmat lot P-HAZ is (480-580, 110-170), Tank farm 1 (closed to vehicles) is
(20-140, 220-300).

    python3 tools/make-vehicle-fixtures.py
"""
import importlib.util
import json
import math
import os

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.join(HERE, "..", "fixtures")
spec = importlib.util.spec_from_file_location("fixture_site", os.path.join(HERE, "make-fixture-site.py"))
site = importlib.util.module_from_spec(spec)
spec.loader.exec_module(site)  # writes the site file again, unchanged

T0 = 1795305600000  # 2026-11-22T08:00:00+08:00


def ms(h, m, s=0):
    return T0 + ((h - 8) * 3600 + m * 60 + s) * 1000


def fix(plate, t, x, y, kmh):
    lon, lat = site.to_lonlat(x, y)
    return {"type": "position", "plate": plate, "t": t, "lon": round(lon, 7), "lat": round(lat, 7), "speed_kmh": round(kmh, 1)}


def drive(plate, t0, path, kmh, every=10):
    """Fixes every `every` s along a polyline at a steady speed; returns (fixes, arrival time)."""
    out, t = [], t0
    speed = kmh / 3.6
    for (ax, ay), (bx, by) in zip(path, path[1:]):
        seg = math.hypot(bx - ax, by - ay)
        n = max(1, int(seg / (speed * every)))
        for i in range(n):
            f = i / n
            out.append(fix(plate, t, ax + f * (bx - ax), ay + f * (by - ay), kmh))
            t += int(seg / n / speed * 1000)
    out.append(fix(plate, t, *path[-1], kmh))
    return out, t


def wait(plate, t0, t1, at, every=30):
    return [fix(plate, t, at[0], at[1], 0) for t in range(t0, t1 + 1, every * 1000)]


def booking(t, bid, plate, max_stay=360):
    return {"type": "control", "t": t, "request": {
        "op": "booking.create", "id": bid, "plate": plate, "gate": "G2", "route": "R1", "destination": "E02",
        "window": {"from": "2026-11-22T07:00:00+08:00", "until": "2026-11-22T12:00:00+08:00"}, "max_stay_min": max_stay,
        "cargo": {"un": "1203", "class": "3"}, "waybill": "WB20261122%s" % bid[-3:]}}


def gate(t, plate, g, direction):
    return {"type": "gate", "gate": g, "t": t, "direction": direction, "plate": plate, "plate_color": "yellow"}


def write(name, lines, vehicles):
    lines = sorted(lines, key=lambda d: (d["t"] if isinstance(d["t"], int) else 0, d["type"] == "control"))
    d = os.path.join(ROOT, name)
    with open(os.path.join(d, "input.jsonl"), "w", encoding="utf-8") as f:
        for l in lines:
            f.write(json.dumps(l, ensure_ascii=False, separators=(",", ":")) + "\n")
    with open(os.path.join(d, "registry.json"), "w", encoding="utf-8") as f:
        json.dump({"people": [], "vehicles": vehicles}, f, ensure_ascii=False)
        f.write("\n")
    print(f"{name}: {len(lines)} lines")


ROUTE_IN = [(100, 2), (100, 60), (550, 60), (550, 150), (560, 200)]
ROUTE_OUT = list(reversed(ROUTE_IN))
TRUCK = {"plate": "鲁E6H021", "kind": "hazmat", "enterprise": "E02", "tag": "GV021"}

# 1. A clean delivery: booked, in at the hazmat gate, along R1 at 25 km/h, unloads in E02 for
#    twenty minutes, back along R1, out at the hazmat gate. Nothing to report.
ins, t = drive("鲁E6H021", ms(8, 0, 20), ROUTE_IN, 25)
unload = wait("鲁E6H021", t + 30000, t + 20 * 60000, ROUTE_IN[-1])
outs, t2 = drive("鲁E6H021", t + 20 * 60000 + 30000, ROUTE_OUT, 25)
write("hazmat-clean-delivery", [
    booking(ms(7, 30), "B021", "鲁E6H021"), gate(ms(8, 0), "鲁E6H021", "G2", "in"), *ins, *unload, *outs,
    gate(t2 + 20000, "鲁E6H021", "G2", "out"),
    {"type": "control", "t": t2 + 30000, "request": {"op": "journey", "booking": "B021"}},
], [TRUCK])

# 2. A crane truck (not hazmat) cuts across Tank farm 1 between two fixes 25 s apart.
crane = {"plate": "鲁E7C330", "kind": "general", "enterprise": "E01"}
a, t = drive("鲁E7C330", ms(9, 0, 20), [(50, 2), (10, 40), (10, 250)], 20)
b, t3 = drive("鲁E7C330", t + 25000, [(160, 250), (160, 200), (200, 100), (50, 2)], 20)
write("shortcut-through-tank-farm", [gate(ms(9, 0), "鲁E7C330", "G1", "in"), *a, *b,
                                     gate(t3 + 20000, "鲁E7C330", "G1", "out")], [crane])

# 3. A booked truck stops on the road shoulder of R1 for ten minutes, then drives on.
ins, t = drive("鲁E6H021", ms(10, 0, 20), [(100, 2), (100, 60), (300, 60)], 25)
stop = wait("鲁E6H021", t + 30000, t + 600000, (300, 60))
on, t4 = drive("鲁E6H021", t + 630000, [(300, 60), (550, 60), (550, 150), (560, 200)], 25)
write("truck-on-road-shoulder", [booking(ms(9, 30), "B022", "鲁E6H021"), gate(ms(10, 0), "鲁E6H021", "G2", "in"),
                                 *ins, *stop, *on], [TRUCK])

# 4. A booked truck drives the long straight of R1 at 45 km/h (the route's limit is 30).
a, t = drive("鲁E6H021", ms(11, 0, 20), [(100, 2), (100, 60), (150, 60)], 25, every=5)
fast, t5 = drive("鲁E6H021", t + 5000, [(150, 60), (500, 60)], 45, every=5)
slow, _ = drive("鲁E6H021", t5 + 5000, [(500, 60), (550, 60), (550, 150), (560, 200)], 20, every=5)
write("truck-speeding-on-main-road", [booking(ms(10, 30), "B023", "鲁E6H021"), gate(ms(11, 0), "鲁E6H021", "G2", "in"),
                                      *a, *fast, *slow], [TRUCK])

# 5. A truck enters at 08:00 with a six-hour stay, drives to the hazmat lot and waits there;
#    at 14:00 it is still on site.
to_lot, t = drive("鲁E6H021", ms(8, 0, 20), [(100, 2), (100, 60), (520, 60), (520, 140)], 20)
write("truck-on-site-six-hours", [booking(ms(7, 30), "B024", "鲁E6H021", max_stay=360), gate(ms(8, 0), "鲁E6H021", "G2", "in"),
                                  *to_lot, *wait("鲁E6H021", t + 30000, ms(14, 5), (520, 140))], [TRUCK])
