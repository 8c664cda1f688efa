#!/usr/bin/env python3
"""Writes the mustering scenario fixtures (issue 6): input.jsonl, registry.json and, for the
300-person drill, expected.jsonl with the report's figures computed here independently of the
engine (who reaches a muster point when, and so the times to 90 % and 100 %).

Positions are x/y metres on fixtures/scenario-park.geojson (map in tools/make-fixture-site.py):
M1 is the north-west assembly point (20-80, 340-390), M2 the north-east one (520-580, 330-390).

    python3 tools/make-muster-fixtures.py
"""
import json
import math
import os
import random
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from fixture_gates import with_gate_entries  # noqa: E402

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "fixtures")
T0 = 1795305600000  # 2026-11-22T08:00:00+08:00
DWELL_S = 10        # the site's muster_dwell_s default
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华"


def ms(h, m, s=0):
    return T0 + ((h - 8) * 3600 + m * 60 + s) * 1000


def iso(t):
    s = (t - T0) // 1000 + 8 * 3600
    return "2026-11-22T%02d:%02d:%02d+08:00" % (s // 3600, s // 60 % 60, s % 60)


def name(rng):
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.randint(1, 2)))


def pos(tag, t, x, y):
    return {"type": "position", "tag": tag, "t": t, "x": round(x, 2), "y": round(y, 2), "moving": True}


def inside(box, x, y):
    return box[0] < x < box[2] and box[1] < y < box[3]


def route(tag, t_from, t_until, waypoints, start_walking, every, speed=1.4):
    """Reports every `every` s from t_from to t_until while walking the waypoints from start_walking."""
    legs = list(zip(waypoints, waypoints[1:]))
    out = []
    t = t_from
    while t <= t_until:
        d = max(0.0, (t - start_walking) / 1000 * speed)
        x, y = waypoints[0]
        for (ax, ay), (bx, by) in legs:
            seg = math.hypot(bx - ax, by - ay)
            if d <= seg:
                f = d / seg if seg else 1
                x, y = ax + f * (bx - ax), ay + f * (by - ay)
                break
            d -= seg
            x, y = bx, by
        out.append(pos(tag, t, x, y))
        t += every * 1000
    return out


def accounted_at(lines, box):
    """The engine's rule, done by hand: the first report that has stood DWELL_S in the point."""
    since = None
    for l in lines:
        if inside(box, l["x"], l["y"]):
            since = since if since is not None else l["t"]
            if l["t"] - since >= DWELL_S * 1000:
                return l["t"]
        else:
            since = None
    return None


def write(name_, lines, registry, expected=None, ignore=None):
    d = os.path.join(ROOT, name_)
    with open(os.path.join(d, "registry.json"), "w", encoding="utf-8") as f:
        f.write('{"people":[\n' + ",\n".join(json.dumps(p, ensure_ascii=False, separators=(",", ":")) for p in registry["people"]) + '\n],"vehicles":[]}\n')
    lines = with_gate_entries(lines, os.path.join(d, "registry.json"))
    lines.sort(key=lambda d: (d["t"], d.get("type") == "control"))
    with open(os.path.join(d, "input.jsonl"), "w", encoding="utf-8") as f:
        for l in lines:
            f.write(json.dumps(l, ensure_ascii=False, separators=(",", ":")) + "\n")
    with open(os.path.join(d, "registry.json"), "w", encoding="utf-8") as f:
        f.write('{"people":[\n' + ",\n".join(json.dumps(p, ensure_ascii=False, separators=(",", ":")) for p in registry["people"]) + '\n],"vehicles":[]}\n')
    if expected is not None:
        with open(os.path.join(d, "expected.jsonl"), "w", encoding="utf-8") as f:
            for e in expected:
                f.write(json.dumps(e, ensure_ascii=False, separators=(",", ":")) + "\n")
    if ignore:
        with open(os.path.join(d, "ignore"), "w") as f:
            f.write("\n".join(ignore) + "\n")
    print(f"{name_}: {len(lines)} lines")


M1 = (20, 340, 80, 390)
M2 = (520, 330, 580, 390)

# 1. A drill over 300 people: 150 in E01's open yard walk to M1 round the office, 150 in E02's
#    east yard walk north to M2. Everyone gets there.
rng = random.Random(6)
lines, people, accounted = [], [], []
start = ms(9, 0, 5)
for i in range(300):
    pid, tag = "P%04d" % (3000 + i), "T%04d" % (3000 + i)
    e01 = i < 150
    people.append({"id": pid, "name": name(rng), "role": "operator", "enterprise": "E01" if e01 else "E02", "tag": tag})
    if e01:
        x0, y0 = rng.uniform(150, 290), rng.uniform(190, 310)
        goal = (rng.uniform(30, 70), rng.uniform(350, 380))
        wps = [(x0, y0), (145, 330), goal]
    else:
        x0, y0 = rng.uniform(510, 590), rng.uniform(190, 300)
        goal = (rng.uniform(530, 570), rng.uniform(340, 380))
        wps = [(x0, y0), goal]
    phase = rng.randint(0, 9)
    react = rng.uniform(5, 90)  # seconds before they stop work and go
    track = route(tag, ms(9, 0, phase % 5), ms(9, 8), wps, start + int(react * 1000), every=10)
    lines += track
    accounted.append(accounted_at(track, M1 if e01 else M2))
lines.append({"type": "control", "t": start, "request": {"op": "muster.start", "mode": "drill", "by": "drill coordinator 周"}})
lines.append({"type": "control", "t": ms(9, 8, 30), "request": {"op": "muster.end", "by": "drill coordinator 周"}})
assert all(a is not None for a in accounted), "everyone must arrive"
times = sorted(a for a in accounted)
t90 = (times[math.ceil(0.9 * 300) - 1] - start) / 1000
t100 = (times[-1] - start) / 1000
write("drill-300-people", lines, {"people": people}, expected=[
    {"topic": "muster.started", "body": {"mode": "drill", "total": 300, "by": "drill coordinator 周", "t": "2026-11-22T01:00:05.000Z"}},
    {"reply": {"ok": True, "muster": {"mode": "drill", "total": 300}}},
    {"topic": "muster.ended", "body": {"mode": "drill", "total": 300, "accounted": 300, "missing": 0,
                                       "time_to_90_s": t90, "time_to_100_s": t100, "missing_people": [],
                                       "by_point": {"M1": 150, "M2": 150}, "ended_by": "drill coordinator 周"}},
    {"reply": {"ok": True, "report": {"accounted": 300, "missing": 0, "time_to_90_s": t90, "time_to_100_s": t100}}},
], ignore=["access.", "muster.progress", "muster.accounted"])

# 2. An emergency (a chlorine alarm) scoped to E01: twelve people on E01's premises. Nine walk to
#    M1. Wang Qiang stays in the tank farm closing valves; Sun Li's tag went silent in the
#    warehouse 30 s before the alarm; Zhao Min leaves by ambulance and the gate guard marks her
#    safe. An E02 operator outside the scope is not on the roster.
rng = random.Random(7)
lines, people = [], []
alarm = ms(10, 0)
for i in range(9):
    pid, tag = "P%04d" % (4000 + i), "T%04d" % (4000 + i)
    people.append({"id": pid, "name": name(rng), "role": "operator", "enterprise": "E01", "tag": tag})
    x0, y0 = rng.uniform(160, 280), rng.uniform(200, 300)
    lines += route(tag, ms(9, 58, i), ms(10, 6), [(x0, y0), (145, 330), (40 + 3 * i, 360)], alarm + 20000 + 4000 * i, every=10)
people.append({"id": "P4100", "name": "王强", "role": "tank-operator", "enterprise": "E01", "tag": "T4100"})
lines += route("T4100", ms(9, 58), ms(10, 6), [(60, 250), (70, 260), (60, 250)], ms(9, 58), every=10, speed=0.2)
people.append({"id": "P4101", "name": "孙丽", "role": "storekeeper", "enterprise": "E01", "tag": "T4101"})
lines += route("T4101", ms(9, 58), ms(9, 59, 30), [(200, 150), (210, 160)], ms(9, 58), every=10, speed=0.1)
people.append({"id": "P4102", "name": "赵敏", "role": "operator", "enterprise": "E01", "tag": "T4102"})
lines += route("T4102", ms(9, 58), ms(10, 3), [(180, 250), (150, 200), (130, 100), (50, 0), (50, -60)], ms(10, 0, 30), every=10, speed=3.0)
people.append({"id": "P4200", "name": "钱进", "role": "operator", "enterprise": "E02", "tag": "T4200"})
lines += route("T4200", ms(9, 58), ms(10, 6), [(540, 250), (545, 255)], ms(9, 58), every=10, speed=0.02)
lines.append({"type": "control", "t": alarm, "request": {"op": "muster.start", "mode": "emergency", "scope": ["E01"],
                                                         "by": "emergency commander 陈"}})
lines.append({"type": "control", "t": ms(10, 3, 10), "request": {"op": "muster.mark", "person": "P4102", "by": "gate guard 张",
                                                                 "note": "left site by ambulance"}})
lines.append({"type": "control", "t": ms(10, 5), "request": {"op": "muster.status"}})
lines.append({"type": "control", "t": ms(10, 6, 10), "request": {"op": "muster.end", "by": "emergency commander 陈"}})
write("emergency-two-missing", lines, {"people": people}, ignore=["access.", "muster.progress"])

# 3. A drill over five people; at 09:02 a fire crew of three comes onto the site and works by
#    the reactor; the crew leader reports them safe at 09:05 and the commander marks them.
rng = random.Random(8)
lines, people = [], []
for i in range(5):
    pid, tag = "P%04d" % (5000 + i), "T%04d" % (5000 + i)
    people.append({"id": pid, "name": name(rng), "role": "operator", "enterprise": "E02", "tag": tag})
    x0 = 526 + 12 * i
    lines += route(tag, ms(9, 0), ms(9, 7), [(x0, 250), (x0, 360)], ms(9, 0, 20), every=10)
for i in range(3):
    pid, tag = "P%04d" % (5900 + i), "T%04d" % (5900 + i)
    people.append({"id": pid, "name": "消防队员" + "甲乙丙"[i], "role": "firefighter", "enterprise": "FIRE", "tag": tag})
    lines += route(tag, ms(9, 2), ms(9, 7), [(550, 5), (530 + 10 * i, 200)], ms(9, 2), every=10)
lines.append({"type": "control", "t": ms(9, 0, 5), "request": {"op": "muster.start", "mode": "drill", "by": "commander 陈"}})
for i in range(3):
    lines.append({"type": "control", "t": ms(9, 5, i), "request": {"op": "muster.mark", "person": "P%04d" % (5900 + i),
                                                                  "by": "commander 陈", "note": "reported by the crew leader"}})
lines.append({"type": "control", "t": ms(9, 7), "request": {"op": "muster.end", "by": "commander 陈"}})
write("fire-crew-enters-during-muster", lines, {"people": people}, ignore=["access.", "muster.progress"])
