#!/usr/bin/env python3
"""Writes the input.jsonl of the personnel-rule scenario fixtures (issue 3).

The incidents are long (a permit running two hours, tags reporting every 30 s), so their
input is generated here from a short script per incident; README.md, registry.json and
expected.jsonl of each fixture are written by hand. Positions are x/y metres on
fixtures/scenario-park.geojson (its map is in tools/make-fixture-site.py).

    python3 tools/make-personnel-fixtures.py
"""
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from fixture_gates import with_gate_entries  # noqa: E402

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "fixtures")
T0 = 1795305600000  # 2026-11-22T08:00:00+08:00


def ms(h, m, s=0):
    """Shanghai wall-clock time on 2026-11-22 as epoch milliseconds."""
    return T0 + ((h - 8) * 3600 + m * 60 + s) * 1000


def pos(tag, t, x, y, moving=True, **extra):
    d = {"type": "position", "tag": tag, "t": t, "x": round(x, 2), "y": round(y, 2), "moving": moving}
    d.update(extra)
    return d


def walk(tag, t0, t1, start, end, every=10):
    """Positions walking in a straight line from start to end between t0 and t1."""
    out = []
    n = max(1, (t1 - t0) // (every * 1000))
    for i in range(n + 1):
        f = i / n
        out.append(pos(tag, t0 + i * every * 1000, start[0] + f * (end[0] - start[0]), start[1] + f * (end[1] - start[1])))
    return out


def stay(tag, t0, t1, at, every=30, moving=True, jitter=0.4):
    out = []
    t, i = t0, 0
    while t <= t1:
        dx = jitter * ((i * 7) % 5 - 2) / 2
        out.append(pos(tag, t, at[0] + dx, at[1] - dx / 2, moving=moving))
        t += every * 1000
        i += 1
    return out


def control(t, request):
    return {"type": "control", "t": t, "request": request}


def key(d):
    t = d["t"]
    if isinstance(t, str):
        from datetime import datetime
        t = int(datetime.fromisoformat(t).timestamp() * 1000)
    return (t, d.get("type") == "control")


def write(name, lines):
    lines = with_gate_entries(lines, os.path.join(ROOT, name, "registry.json"))
    lines = sorted(lines, key=key)
    path = os.path.join(ROOT, name, "input.jsonl")
    with open(path, "w", encoding="utf-8") as f:
        for d in lines:
            f.write(json.dumps(d, ensure_ascii=False, separators=(",", ":")) + "\n")
    print(f"{name}: {len(lines)} lines")


# 1. A welder's hot-work permit runs out at 10:00 while he and his guardian are still in the tank farm.
write("welder-permit-expires", [
    control(ms(7, 55), {"op": "permit.create", "id": "WP7", "kind": "hot-work", "zone": "Z-TANK-1",
                        "workers": ["P0201"], "guardians": ["P0202"], "by": "E01 safety office",
                        "window": {"from": "2026-11-22T08:00:00+08:00", "until": "2026-11-22T10:00:00+08:00"}}),
    *stay("T0201", ms(8, 0), ms(10, 3, 30), (60, 260)),
    *walk("T0201", ms(10, 4), ms(10, 6), (141, 260), (200, 200)),
    *stay("T0202", ms(8, 0), ms(10, 4), (66, 258)),
    *walk("T0202", ms(10, 4, 30), ms(10, 6, 30), (141, 256), (200, 205)),
])

# 2. The guardian walks off to the canteen for ten minutes, leaving the welder alone.
write("guardian-goes-to-canteen", [
    control(ms(8, 55), {"op": "permit.create", "id": "WP8", "kind": "hot-work", "zone": "Z-TANK-1",
                        "workers": ["P0301"], "guardians": ["P0302"],
                        "window": {"from": "2026-11-22T09:00:00+08:00", "until": "2026-11-22T12:00:00+08:00"}}),
    *stay("T0301", ms(9, 0), ms(9, 25), (60, 260)),
    *stay("T0302", ms(9, 0), ms(9, 10), (64, 262)),
    *walk("T0302", ms(9, 10, 10), ms(9, 12, 10), (150, 300), (400, 350)),
    *stay("T0302", ms(9, 12, 40), ms(9, 18, 40), (400, 350)),
    *walk("T0302", ms(9, 19), ms(9, 19, 50), (300, 300), (150, 280)),
    *stay("T0302", ms(9, 20), ms(9, 25), (70, 262)),
])

# 3. Six fitters gather round a leaking pump; five of them stand within 15 m for two minutes.
crowd = []
spots = [(440, 150), (444, 152), (448, 148), (436, 146), (442, 158), (465, 125)]
arrive = [0, 5, 10, 15, 20, 25]
for i, ((x, y), a) in enumerate(zip(spots, arrive)):
    tag = "T07%02d" % (i + 1)
    crowd += walk(tag, ms(8, 29, a), ms(8, 30, a), (440, 60), (x, y), every=20)
    leave = ms(8, 32, 30) if i < 2 else ms(8, 35)
    crowd += stay(tag, ms(8, 30, a + 10), leave - 10000, (x, y), every=10)
    crowd += walk(tag, leave, leave + 60000, (x, y), (440 + 30 * i, 60), every=20)
    crowd += stay(tag, leave + 80000, ms(8, 36, 30), (440 + 30 * i, 60), every=20)
write("crowd-at-pump", crowd)

# 4. A worker collapses in the warehouse; in the office another sits still long enough for his
#    tag to pre-alarm and cancels it in time.
write("worker-collapses", [
    *stay("T0401", ms(8, 5), ms(8, 9, 55), (200, 150), every=10),
    *stay("T0401", ms(8, 10), ms(8, 14, 55), (201, 149), every=5, moving=False, jitter=0.2),
    *walk("T0401", ms(8, 15), ms(8, 16), (201, 149), (220, 200), every=10),
    *stay("T0402", ms(8, 5), ms(8, 9, 55), (200, 350), every=10),
    *stay("T0402", ms(8, 10), ms(8, 12, 55), (200, 350), every=5, moving=False, jitter=0.1),
    {"type": "alert", "tag": "T0402", "t": ms(8, 12, 10), "alert": "cancel"},
    *walk("T0402", ms(8, 13), ms(8, 16), (200, 350), (230, 360), every=10),
])

# 5. An operator in the reactor unit presses SOS; the control room acknowledges it.
write("sos-acknowledged", [
    *stay("T0501", ms(8, 20), ms(8, 22), (460, 240), every=10),
    {"type": "alert", "tag": "T0501", "t": ms(8, 20, 35), "alert": "sos"},
    control(ms(8, 21, 10), {"op": "alarms.active", "kind": "sos"}),
    control(ms(8, 21, 30), {"op": "alarms.ack", "id": "V-95317ed1c85af7fe", "by": "控制室值班员 马丽"}),
])

# 6. A tag dies in the warehouse: last position at 08:40:10, then silence. Its colleague
#    finishes his shift and walks out through the staff gate, so his tag going quiet outside
#    the fence is not an alarm.
write("tag-dies-in-warehouse", [
    *stay("T0601", ms(8, 38), ms(8, 40, 10), (180, 160), every=10),
    *stay("T0602", ms(8, 38), ms(8, 40), (220, 140), every=10),
    *walk("T0602", ms(8, 40, 10), ms(8, 42, 10), (230, 110), (300, -15), every=10),
])
