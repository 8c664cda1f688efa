#!/usr/bin/env python3
"""Writes the generated parts of fixtures/staff-gate-shift-change: the morning shift change
at the staff gate G3 of scenario-park, hundreds of passages long.

    python3 tools/make-gate-fixtures.py

The expected output is written from the story below, not from running Cordon: each passage
is granted unless the story says otherwise, and the gate rules of docs/gates.md say what a
refused one raises. Standard library only; deterministic.

The story: 150 night-shift workers (N1001-N1150, Haihua E01 and Lubei E02) came in through
G3 between 19:30 and 19:55 the evening before. From 07:30 the 200 day-shift workers
(D2001-D2200) swipe in while the night shift swipes out. D2042 swipes in with a colleague
close behind him (the gate counts 2). D2077 swipes in, does not trust the green light, and
swipes again 40 s later: G3 is hard anti-passback, so the second swipe is refused. At 08:15
the duty officer asks for presence: the 200 of the day shift, nobody else.

The fixture has its own site: scenario-park with `untracked_after_s` at a day, because
positions are not part of this incident (untracked is covered by its own specifications).
"""
import json
import os

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "fixtures")
OUT = os.path.join(ROOT, "staff-gate-shift-change")


def line(o):
    return json.dumps(o, ensure_ascii=False, separators=(",", ":"))


def shanghai(day, h, m, s):
    return "2026-11-%02dT%02d:%02d:%02d+08:00" % (day, h, m, s)


def utc(day, h, m, s):
    """The same instant as shanghai(...), as Cordon writes it (UTC, milliseconds)."""
    total = ((day * 24 + h) * 60 + m) * 60 + s - 8 * 3600
    d, rem = divmod(total, 86400)
    return "2026-11-%02dT%02d:%02d:%02d.000Z" % (d, rem // 3600, rem // 60 % 60, rem % 60)


def clock(base_h, base_m, seconds):
    t = base_h * 3600 + base_m * 60 + seconds
    return t // 3600, t // 60 % 60, t % 60


os.makedirs(OUT, exist_ok=True)
night = ["N%d" % (1001 + i) for i in range(150)]
day = ["D%d" % (2001 + i) for i in range(200)]
people = [{"id": p, "name": "Night %s" % p[1:], "role": "operator", "enterprise": "E01" if i % 2 else "E02",
           "tag": "T" + p, "card": "C" + p} for i, p in enumerate(night)]
people += [{"id": p, "name": "Day %s" % p[1:], "role": "operator", "enterprise": "E01" if i % 3 else "E02",
            "tag": "T" + p, "card": "C" + p} for i, p in enumerate(day)]
with open(os.path.join(OUT, "registry.json"), "w", encoding="utf-8") as f:
    f.write('{"people":[\n' + ",\n".join(line(p) for p in people) + '\n],"vehicles":[]}\n')

with open(os.path.join(ROOT, "scenario-park.geojson"), encoding="utf-8") as f:
    site = json.load(f)
site["cordon"]["defaults"]["untracked_after_s"] = 86400
with open(os.path.join(OUT, "site.geojson"), "w", encoding="utf-8") as f:
    head = {k: v for k, v in site.items() if k != "features"}
    f.write(json.dumps(head, ensure_ascii=False, separators=(",", ":"))[:-1])
    f.write(',"features":[\n')
    f.write(",\n".join(line(ft) for ft in site["features"]))
    f.write("\n]}\n")

# (sort key, input line, expected lines)
events = []


def granted(pid, direction, when, count=None, reasons=()):
    body = {"gate": "G3", "direction": direction, "t": utc(*when), "decision": "granted",
            "subject": {"kind": "person", "id": pid}, "credential": {"card": "C" + pid},
            "reasons": [{"code": c, "effect": "warn"} for c in reasons]}
    if count:
        body["count"] = count
    return {"topic": "access.G3", "body": body}


for i, p in enumerate(night):
    when = (21,) + clock(19, 30, i * 10)
    events.append((when, {"type": "gate", "gate": "G3", "t": shanghai(*when), "direction": "in", "card": "C" + p},
                   [granted(p, "in", when)]))
for i, p in enumerate(night):
    when = (22,) + clock(7, 31, i * 11)
    events.append((when, {"type": "gate", "gate": "G3", "t": shanghai(*when), "direction": "out", "card": "C" + p},
                   [granted(p, "out", when)]))
for i, p in enumerate(day):
    when = (22,) + clock(7, 30, i * 9 + 4)
    msg = {"type": "gate", "gate": "G3", "t": shanghai(*when), "direction": "in", "card": "C" + p}
    if p == "D2042":
        msg["count"] = 2
        events.append((when, msg, [
            granted(p, "in", when, count=2, reasons=["tailgating"]),
            {"topic": "violation.tailgating", "body": {
                "kind": "tailgating", "state": "raised", "t": utc(*when), "subject": {"kind": "person", "id": p},
                "details": {"gate": "G3", "count": 2, "credentials": 1, "followers": 1}}}]))
        continue
    events.append((when, msg, [granted(p, "in", when)]))
    if p == "D2077":
        again = (22,) + clock(7, 30, i * 9 + 4 + 40)
        refused = {"code": "already-inside", "effect": "deny"}
        events.append((again, {"type": "gate", "gate": "G3", "t": shanghai(*again), "direction": "in", "card": "C" + p}, [
            {"topic": "access.G3", "body": {"gate": "G3", "direction": "in", "t": utc(*again), "decision": "denied",
                                           "subject": {"id": p}, "reasons": [refused]}},
            {"topic": "violation.access-denied", "body": {
                "kind": "access-denied", "state": "raised", "t": utc(*again), "subject": {"kind": "person", "id": p},
                "details": {"gate": "G3", "reasons": [refused]}}},
            {"topic": "violation.anti-passback", "body": {
                "kind": "anti-passback", "state": "raised", "t": utc(*again), "subject": {"kind": "person", "id": p},
                "details": {"gate": "G3", "mode": "hard", "reason": "already-inside", "inside_since": utc(*when)}}}]))

events.sort(key=lambda e: e[0])
inputs = [e[1] for e in events]
expected = [x for e in events for x in e[2]]
inputs.append({"type": "control", "t": shanghai(22, 8, 15, 0), "request": {"op": "presence", "list": False}})
by_ent = {}
for i, p in enumerate(day):
    ent = "E01" if i % 3 else "E02"
    by_ent.setdefault(ent, {"person": 0, "vehicle": 0, "total": 0})
    by_ent[ent]["person"] += 1
    by_ent[ent]["total"] += 1
expected.append({"reply": {"ok": True, "total": len(day), "by_kind": {"person": len(day), "vehicle": 0},
                           "by_enterprise": by_ent, "untracked": [], "no_entry_record": []}})
with open(os.path.join(OUT, "input.jsonl"), "w", encoding="utf-8") as f:
    f.write("".join(line(o) + "\n" for o in inputs))
with open(os.path.join(OUT, "expected.jsonl"), "w", encoding="utf-8") as f:
    f.write("".join(line(o) + "\n" for o in expected))
print("wrote %s: %d input lines, %d expected" % (os.path.normpath(OUT), len(inputs), len(expected)))
