#!/usr/bin/env python3
"""Writes the input.jsonl of the positioning-quality fixtures (issue 14).

Positions are x/y metres on fixtures/scenario-park.geojson (its map is in
tools/make-fixture-site.py). README.md, registry.json and expected.jsonl of each fixture are
written by hand.

    python3 tools/make-positioning-fixtures.py
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import json  # noqa: E402

from fixture_gates import with_gate_entries  # noqa: E402

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "fixtures")
T0 = 1795305600000  # 2026-11-22T08:00:00+08:00


def ms(h, m, s=0.0):
    """Shanghai wall-clock time on 2026-11-22 as epoch milliseconds."""
    return T0 + int(((h - 8) * 3600 + m * 60 + s) * 1000)


def pos(tag, t, x, y, acc, moving=True):
    return {"type": "position", "tag": tag, "t": t, "x": round(x, 2), "y": round(y, 2), "accuracy_m": acc, "moving": moving}


def control(t, request):
    return {"type": "control", "t": t, "request": request}


def write(name, lines):
    lines = with_gate_entries(lines, os.path.join(ROOT, name, "registry.json"))
    lines = sorted(lines, key=lambda d: (d["t"], d.get("type") == "control"))
    with open(os.path.join(ROOT, name, "input.jsonl"), "w", encoding="utf-8") as f:
        for d in lines:
            f.write(json.dumps(d, ensure_ascii=False, separators=(",", ":")) + "\n")
    print(f"{name}: {len(lines)} lines")


# 1. A fitter's BLE tag (±4 m) along the chlorine store's east wall (x = 100, red, forbidden):
#    the fixes wander 1.5 m either side of the wall, and none of them may decide. A UWB fix
#    (±0.3 m) 1 m inside raises the alarm; BLE fixes outside again clear nothing; a UWB fix
#    4 m outside clears it.
wall = [102.0, 101.2, 99.4, 100.6, 98.7, 101.8, 99.9, 100.3, 98.9, 101.4]
lines = []
for i in range(60):
    lines.append(pos("T3101", ms(8, 0, i), wall[i % len(wall)], 150 + (i % 7) * 0.5, 4.0))
lines.append(pos("T3101", ms(8, 1, 0), 99.0, 152.0, 0.3))
for i in range(30):
    lines.append(pos("T3101", ms(8, 1, 1 + i), wall[(i + 3) % len(wall)] + 1.0, 152.0, 4.0))
lines.append(pos("T3101", ms(8, 1, 31), 104.0, 152.0, 0.3))
lines.append(control(ms(8, 1, 32), {"op": "whereis", "person": "P3101"}))
write("ble-fix-at-chlorine-store", lines)

# 2. Three storekeepers in Warehouse 1 (yellow, 3 m required) report every 2 s at ±0.3 m. At
#    08:05 an anchor fails and every fix in the warehouse comes at ±4–7 m; it is replaced at 08:10.
lines = []
spots = {"T3201": (180, 140), "T3202": (200, 160), "T3203": (220, 150)}
for k in range(0, 15 * 60, 2):
    t = ms(8, 0, k)
    bad = 5 * 60 <= k < 10 * 60
    for j, (tag, (x, y)) in enumerate(sorted(spots.items())):
        jitter = ((k // 2 + j * 3) % 7 - 3) * (0.9 if bad else 0.05)
        acc = round(4 + ((k // 2 + j) % 4), 1) if bad else 0.3
        lines.append(pos(tag, t + j * 100, x + jitter, y - jitter / 2, acc))
lines.append(control(ms(8, 15, 0), {"op": "alarms.active", "kind": "positioning-degraded"}))
write("dead-anchor-in-warehouse", lines)
