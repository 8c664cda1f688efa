#!/usr/bin/env python3
"""Writes fixtures/scenario-park.geojson: the small, fixed site every scenario fixture uses.

Drawn in local metres (x east, y north of the origin, WGS84 ENU exactly as docs/site-file.md
defines it) so that a scenario's input can say "x 150, y 50" and a reader can see
on the map below where that is. Standard library only; rerun after changing the layout:

    python3 tools/make-fixture-site.py

      y
    400 +----------------------------------------------------------+ fence
        |  M1 muster        OFFICE          CANTEEN                 |
    300 |                                                           |
        |  TANK-1 (red, permit hot-work)    CONTROL ROOM (max 3)    |
    200 |                                                           |
        |  CL2 (red, forbidden)   WAREHOUSE (yellow)  PUMP  P-HAZ   |
    100 |                                                           |
        |====R1 hazmat route====================================>   |
      0 +---G1----G2---------------G3----------------------G4------+
       0                                                          600 x
"""
import json
import math
import os
import sys

ORIGIN = (118.7300, 37.4500)
A = 6378137.0
F = 1 / 298.257223563
E2 = F * (2 - F)


def ecef(lon, lat):
    la, lo = math.radians(lat), math.radians(lon)
    n = A / math.sqrt(1 - E2 * math.sin(la) ** 2)
    return n * math.cos(la) * math.cos(lo), n * math.cos(la) * math.sin(lo), n * (1 - E2) * math.sin(la)


O = ecef(*ORIGIN)
SLA, CLA = math.sin(math.radians(ORIGIN[1])), math.cos(math.radians(ORIGIN[1]))
SLO, CLO = math.sin(math.radians(ORIGIN[0])), math.cos(math.radians(ORIGIN[0]))


def to_xy(lon, lat):
    x, y, z = ecef(lon, lat)
    dx, dy, dz = x - O[0], y - O[1], z - O[2]
    return -SLO * dx + CLO * dy, -SLA * CLO * dx - SLA * SLO * dy + CLA * dz


def to_lonlat(x, y):
    kx, ky = 88000.0, 111000.0
    lon, lat = ORIGIN[0] + x / kx, ORIGIN[1] + y / ky
    for _ in range(8):
        e, n = to_xy(lon, lat)
        lon += (x - e) / kx
        lat += (y - n) / ky
    return [round(lon, 9), round(lat, 9)]


def rect(x0, y0, x1, y1):
    ring = [to_lonlat(x, y) for x, y in [(x0, y0), (x1, y0), (x1, y1), (x0, y1), (x0, y0)]]
    return {"type": "Polygon", "coordinates": [ring]}


def feature(kind, fid, geometry, **props):
    props = {"kind": kind, "id": fid, **props}
    return {"type": "Feature", "geometry": geometry, "properties": props}


features = [
    feature("site", "scenario-park", rect(0, 0, 600, 400), name="Scenario park"),
    feature("enterprise", "E01", rect(0, 100, 300, 400), name="Haihua Petrochemical"),
    feature("enterprise", "E02", rect(300, 100, 600, 400), name="Lubei Fine Chemicals"),
    feature("zone", "Z-TANK-1", rect(20, 220, 140, 300), name="Tank farm 1", risk="red", access="permit",
            requires=["hot-work"], roles=["tank-operator"], max_people=6, two_person=True, vehicles="forbidden"),
    feature("zone", "Z-CL2", rect(20, 120, 100, 180), name="Chlorine store", risk="red", access="forbidden"),
    feature("zone", "Z-WH-1", rect(150, 120, 250, 180), name="Warehouse 1", risk="yellow", max_people=20),
    feature("zone", "Z-CR", rect(350, 220, 390, 250), name="Central control room", risk="blue", max_people=3),
    feature("zone", "Z-OFFICE", rect(150, 320, 250, 380), name="Office building", risk="blue"),
    feature("zone", "Z-CANTEEN", rect(350, 320, 450, 380), name="Canteen", risk="blue"),
    feature("zone", "Z-PUMP", rect(420, 120, 470, 180), name="Transfer pump station", risk="orange",
            crowding={"radius_m": 15, "min_people": 5, "duration_s": 60}),
    feature("zone", "Z-REACTOR", rect(420, 200, 500, 280), name="Reactor unit", risk="orange", access="permit",
            roles=["operator", "engineer"], enter_delay_s=5),
    feature("route", "R1", {"type": "LineString", "coordinates": [to_lonlat(100, 0), to_lonlat(100, 60),
                                                                  to_lonlat(550, 60), to_lonlat(550, 150)]},
            name="Hazmat route to E02", width_m=30, speed_limit_kmh=30, deviation_after_s=20, to="E02"),
    feature("gate", "G1", {"type": "Point", "coordinates": to_lonlat(50, 0)}, name="Main gate", **{"class": "general"},
            anti_passback="soft"),
    feature("gate", "G2", {"type": "Point", "coordinates": to_lonlat(100, 0)}, name="Hazmat gate", **{"class": "hazmat"},
            anti_passback="hard"),
    feature("gate", "G3", {"type": "Point", "coordinates": to_lonlat(300, 0)}, name="Staff gate", **{"class": "staff"},
            anti_passback="hard"),
    feature("gate", "G4", {"type": "Point", "coordinates": to_lonlat(550, 0)}, name="Emergency gate",
            **{"class": "emergency"}, anti_passback="off"),
    feature("parking", "P-HAZ", rect(480, 110, 580, 170), name="Hazmat parking", capacity=2),
    feature("muster", "M1", rect(20, 340, 80, 390), name="North-west assembly point"),
    feature("muster", "M2", rect(520, 330, 580, 390), name="North-east assembly point"),
]

site = {
    "type": "FeatureCollection",
    "cordon": {
        "site": "scenario-park", "origin": list(ORIGIN), "timezone": "Asia/Shanghai",
        "frames": {"uwb-cr": {"offset_m": [350.0, 220.0], "rotation_deg": 90.0}},
        "defaults": {"offline_after_s": 60, "man_down_after_s": 120, "man_down_cancel_s": 30, "low_battery_pct": 10,
                     "untracked_after_s": 300, "exit_tolerance_m": 0.5, "vehicle_max_stay_min": 360,
                     "stop_after_s": 300, "stop_speed_kmh": 3, "speeding_min_s": 15},
    },
    "features": features,
}

out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "fixtures", "scenario-park.geojson")
with open(out, "w", encoding="utf-8") as f:
    head = {k: v for k, v in site.items() if k != "features"}
    f.write(json.dumps(head, ensure_ascii=False, separators=(",", ":"))[:-1])
    f.write(',"features":[\n')
    f.write(",\n".join(json.dumps(ft, ensure_ascii=False, separators=(",", ":")) for ft in features))
    f.write("\n]}\n")
print("wrote", os.path.normpath(out), file=sys.stderr)
