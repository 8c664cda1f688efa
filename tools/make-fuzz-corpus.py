#!/usr/bin/env python3
"""Writes the fuzzers' seed corpora and dictionaries (docs/fuzzing.md) from what the
repository already holds, so that they follow the fixtures and the docs instead of being
copied by hand:

  fuzz/corpus/ingest   lines of fixtures/*/input.jsonl (a few consecutive lines per seed, one
                       frame each), docs/examples/*.jsonl, PROTOCOL.md's section 3 examples,
                       and batches built from them
  fuzz/corpus/control  control requests of the fixtures, PROTOCOL.md, docs/protocol.md and the
                       `cordon ctl` lines of the docs, in FuzzControl's line format (see
                       fuzz/Sources/FuzzControl/FuzzControl.swift), alone and as sequences
                       with positions and clock steps between them
  fuzz/corpus/site     the site files of fixtures/ and geofences/, and variants of the
                       scenario park with one feature or setting changed
  fuzz/dict/*.dict     the member names and values of the protocol, for libFuzzer's -dict=

Run from the repository's root: python3 tools/make-fuzz-corpus.py. The output is the same
every time for the same input (names are content hashes), and the old corpus is replaced.
PROTOCOL.md is read from ../shared/PROTOCOL.md when it is there (the shared contract), else
from docs/protocol.md alone.
"""

import glob
import hashlib
import json
import os
import re
import shutil
import sys

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
OUT = os.path.join(ROOT, "fuzz", "corpus")
DICT = os.path.join(ROOT, "fuzz", "dict")

# The op table of FuzzControl, ControlOp's cases in their order (Sources/CordonService/Control/
# ControlOp.swift; FuzzCorpusTests checks the two agree): a line starting with byte b is
# ops[b % len(ops)].
OPS = [
    "ping", "site.get", "site.reload", "track",
    "registry.upsert", "registry.get", "registry.remove",
    "headcount", "whereis", "presence", "parking", "journey",
    "alarms.active", "alarms.ack",
    "permit.create", "permit.close", "permit.list",
    "muster.start", "muster.status", "muster.mark", "muster.end", "muster.list",
    "booking.create", "booking.cancel", "booking.list",
    "audit.list",
    "report.positioning", "forward.status", "history.violations", "history.passages",
]
# Line prefixes FuzzControl reads otherwise: raw JSON, ingest frame, clock step.
RESERVED = set(b"{[ !~@$") | set(range(0x20))
# A first line "$" gives the run a store (track, audit, stored changes).
STORE = b"$"
MAX_SEED_BYTES = 4096


def read(path):
    with open(path, encoding="utf-8") as f:
        return f.read()


def compact(value):
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def op_byte(op):
    """The first printable byte that FuzzControl maps to `op`."""
    i = OPS.index(op)
    for b in range(0x21, 0x7F):
        if b % len(OPS) == i and b not in RESERVED:
            return bytes([b])
    raise SystemExit(f"no prefix byte for {op}")


def control_line(request, raw=False):
    """One FuzzControl line for a request object: raw JSON, or the op byte and the members."""
    text = compact(request)
    op = request.get("op")
    if raw or op not in OPS:
        return text.encode()
    members = compact({k: v for k, v in request.items() if k != "op"})[1:-1]
    return op_byte(op) + members.encode()


class Corpus:
    def __init__(self, name):
        self.dir = os.path.join(OUT, name)
        self.seen = set()
        shutil.rmtree(self.dir, ignore_errors=True)
        os.makedirs(self.dir)

    def add(self, data):
        if isinstance(data, str):
            data = data.encode()
        if not data or len(data) > MAX_SEED_BYTES and not self.dir.endswith("site"):
            return
        h = hashlib.sha1(data).hexdigest()[:16]
        if h in self.seen:
            return
        self.seen.add(h)
        with open(os.path.join(self.dir, h), "wb") as f:
            f.write(data)

    def __len__(self):
        return len(self.seen)


def json_blocks(text):
    """The JSON values of a markdown text: fenced blocks, and lines that are one object each."""
    out = []
    for block in re.findall(r"```(?:json)?\n(.*?)```", text, re.S):
        try:
            out.append(json.loads(block))
            continue
        except ValueError:
            pass
        for line in block.splitlines():
            line = line.strip()
            # docs/protocol.md shows "request -> reply": the request is before the arrow.
            line = line.split(" -> ")[0].strip()
            if line.startswith("{"):
                try:
                    out.append(json.loads(line))
                except ValueError:
                    pass
    return out


def protocol_texts():
    texts = [read(os.path.join(ROOT, "docs", "protocol.md"))]
    shared = os.path.join(ROOT, "..", "shared", "PROTOCOL.md")
    if os.path.exists(shared):
        texts.append(read(shared))
    return texts


def fixture_lines():
    """(fixture name, [lines]) for every fixture, in name order."""
    for path in sorted(glob.glob(os.path.join(ROOT, "fixtures", "*", "input.jsonl"))):
        lines = [l.strip() for l in read(path).splitlines() if l.strip()]
        yield os.path.basename(os.path.dirname(path)), lines


def ingest_corpus():
    c = Corpus("ingest")
    for name, lines in fixture_lines():
        messages = [l for l in lines if '"type":"control"' not in l.replace(" ", "")]
        # Up to 6 seeds a fixture, spread over it: 4 consecutive lines each (one frame a line).
        step = max(1, len(messages) // 6)
        for start in range(0, len(messages), step)[:6]:
            c.add("\n".join(messages[start:start + 4]))
        # One batch frame of the first few, and one replay control line as it stands.
        if len(messages) >= 3:
            c.add("[" + ",".join(messages[:3]) + "]")
        controls = [l for l in lines if '"type":"control"' in l.replace(" ", "")]
        if controls:
            c.add(controls[0])
    for path in sorted(glob.glob(os.path.join(ROOT, "docs", "examples", "*.jsonl"))):
        lines = [l.strip() for l in read(path).splitlines() if l.strip()]
        for start in range(0, min(len(lines), 40), 8):
            c.add("\n".join(lines[start:start + 4]))
    for text in protocol_texts():
        for v in json_blocks(text):
            if isinstance(v, dict) and v.get("type") in ("position", "alert", "gate"):
                c.add(compact(v))
    # Shapes the decoder must refuse, one of each, and the edges it must take.
    for s in [
        "{}", "[]", "[{}]", "null", "\ufeff{\"type\":\"alert\",\"tag\":\"T1\",\"t\":0,\"alert\":\"sos\"}",
        '{"type":"position","tag":"T1001","t":"2026-11-22T08:00:00Z","x":"1","y":2}',
        '{"type":"position","tag":"T1001","t":"2026-11-22T08:00:00Z","x":1e999,"y":2}',
        '{"type":"position","tag":"T1001","t":1795334400250,"x":1,"y":2,"frame":"uwb-cr","level":-3}',
        '{"type":"position","tag":"T1001","t":"2026-11-22T08:00:00Z","lon":118.731,"lat":37.451}',
        '{"type":"gate","gate":"G1","t":"2026-11-22T07:30:00Z","direction":"in","card":"C67544651","count":3}',
        '[{"type":"alert","tag":"T1","t":0,"alert":"fall"},1,"x",[],{"type":"nope"}]',
        '{"type":"position","tag":"\\u0000\\ud83d\\ude00","t":"2026-11-22T08:00:00.999999Z","x":1,"y":2}',
        '{"type":"position","tag":"T1","t":"2026-02-30T25:61:61+25:00","x":1,"y":2}',
        '{"type":"position","plate":"鲁B１２３４５","t":0,"x":1,"y":2,"speed_kmh":-1,"heading_deg":720}',
    ]:
        c.add(s)
    return c


def control_requests():
    """Every control request the repository shows, in a stable order."""
    seen, out = set(), []

    def add(r):
        if isinstance(r, dict) and isinstance(r.get("op"), str):
            k = compact(r)
            if k not in seen:
                seen.add(k)
                out.append(r)

    for _, lines in fixture_lines():
        for l in lines:
            try:
                v = json.loads(l)
            except ValueError:
                continue
            if v.get("type") == "control":
                add(v.get("request"))
    for text in protocol_texts():
        for v in json_blocks(text):
            add(v)
    for path in sorted(glob.glob(os.path.join(ROOT, "docs", "*.md"))) + [os.path.join(ROOT, "README.md")]:
        for op, arg in re.findall(r"cordon ctl ([a-z][a-z.]*)(?: '([^']*)')?", read(path)):
            try:
                members = json.loads(arg) if arg else {}
            except ValueError:
                continue
            if isinstance(members, dict):
                add({"op": op, **members})
    return out


def control_corpus():
    c = Corpus("control")
    requests = control_requests()
    for r in requests:
        c.add(control_line(r))
        c.add(control_line(r, raw=True))
        c.add(STORE + b"\n" + control_line(r))
    for op in OPS:  # every op with no members, so that each has a seed
        c.add(op_byte(op))
    # Sequences: a fixture's requests with its positions and the clock between them.
    for name, lines in fixture_lines():
        seq = []
        for l in lines:
            try:
                v = json.loads(l)
            except ValueError:
                continue
            if v.get("type") == "control" and isinstance(v.get("request"), dict):
                seq.append(control_line(v["request"]))
            elif len(seq) < 12 and v.get("type") in ("position", "alert", "gate"):
                seq.append(b"!" + l.encode())
            if len(seq) >= 16:
                break
        if any(not s.startswith(b"!") for s in seq):
            c.add(b"\n".join([STORE] + seq + [b"~90"]))
    # A roll-call, a permit's life and a booking's, start to end.
    c.add(b"\n".join([STORE] + [control_line(r) for r in [
        {"op": "muster.start", "mode": "drill", "by": "drill coordinator Zhou"},
        {"op": "muster.mark", "person": "P0042", "by": "gate guard Zhang", "note": "left by G1"},
        {"op": "muster.status"},
        {"op": "muster.end", "by": "drill coordinator Zhou"},
        {"op": "muster.list"},
    ]]))
    c.add(b"\n".join([
        STORE,
        control_line({"op": "permit.create", "id": "WP7", "kind": "hot-work", "zone": "Z-TANK-1", "workers": ["P0042"],
                      "guardians": ["P0043"], "window": {"from": "2026-11-22T08:00:00+08:00", "until": "2026-11-22T12:00:00+08:00"}}),
        b'!{"type":"position","tag":"T1043","t":"2026-11-22T08:00:20+08:00","x":70.0,"y":245.0}',
        b"~600",
        control_line({"op": "permit.list"}),
        control_line({"op": "permit.close", "id": "WP7"}),
    ]))
    c.add(b"\n".join([
        STORE,
        control_line({"op": "booking.create", "id": "B0001", "plate": "鲁E6H021", "gate": "G2", "route": "R1", "destination": "E02",
                      "window": {"from": "2026-11-22T08:00:00+08:00", "until": "2026-11-22T12:00:00+08:00"}, "max_stay_min": 240,
                      "cargo": {"un": "1203", "class": "3"}}),
        '!{"type":"gate","gate":"G2","t":"2026-11-22T08:01:00+08:00","direction":"in","plate":"鲁E6H021"}'.encode(),
        control_line({"op": "journey", "booking": "B0001"}),
        control_line({"op": "track", "plate": "鲁E6H021", "from": 1795305600000, "until": "2026-11-22T09:00:00+08:00", "limit": 5}),
        control_line({"op": "booking.cancel", "id": "B0001"}),
        control_line({"op": "booking.list", "status": "active"}),
    ]))
    # The same requests from each role: refused below it, audited above it.
    for role in range(4):
        c.add(b"\n".join([STORE, b"@" + bytes([0x30 + role]) + b"console " + str(role).encode(),
                          control_line({"op": "alarms.ack", "id": "V-0000000000000000"}),
                          control_line({"op": "site.reload"}), control_line({"op": "audit.list", "since": "24h"})]))
    c.add(b"@\n" + control_line({"op": "muster.start", "mode": "drill"}))
    # Raw shapes: not JSON, not an object, an op of the wrong type.
    for s in [b'{"op":"ping"', b"[]", b'{"op":7}', b'{"op":"tracks"}', b'{"op":"alarms.ack","id":null}']:
        c.add(s)
    return c


def site_corpus():
    c = Corpus("site")
    paths = sorted(glob.glob(os.path.join(ROOT, "fixtures", "*.geojson")) +
                   glob.glob(os.path.join(ROOT, "fixtures", "*", "site.geojson")) +
                   glob.glob(os.path.join(ROOT, "geofences", "*.geojson")))
    for p in paths:
        c.add(read(p).encode())
    base = json.loads(read(os.path.join(ROOT, "fixtures", "scenario-park.geojson")))
    c.add(compact(base))
    # The scenario park with one feature at a time (a small site of each kind).
    site = next(f for f in base["features"] if f["properties"].get("kind") == "site")
    for f in base["features"]:
        if f is not site:
            c.add(compact({**base, "features": [site, f]}))
    # Settings the loader checks: every default at an edge, severities, frames, an address.
    cordon = base["cordon"]
    for k, v in [("offline_after_s", 0), ("man_down_after_s", 86400), ("exit_tolerance_m", 1000),
                 ("max_position_age_s", 300), ("low_battery_pct", 100), ("stop_speed_kmh", 0.5)]:
        c.add(compact({**base, "cordon": {**cordon, "defaults": {**cordon.get("defaults", {}), k: v}}}))
    c.add(compact({**base, "cordon": {**cordon, "severity": {"sos": "minor", "overstay": "critical"}}}))
    c.add(compact({**base, "cordon": {**cordon, "frames": {"f": {"offset_m": [-5, 5], "rotation_deg": -370}}}}))
    c.add(compact({**base, "cordon": {**cordon, "speed_limit_kmh": 30, "timezone": "UTC"}}))
    for text in [read(os.path.join(ROOT, "docs", "site-file.md"))] + protocol_texts():
        for v in json_blocks(text):
            if isinstance(v, dict) and ("features" in v or v.get("type") == "Feature"):
                c.add(compact(v))
    return c


def write_dict(name, words):
    os.makedirs(DICT, exist_ok=True)
    with open(os.path.join(DICT, name + ".dict"), "w", encoding="utf-8") as f:
        f.write(f"# {name}: member names and values of the protocol, for libFuzzer's -dict= "
                "(written by tools/make-fuzz-corpus.py)\n")
        for w in sorted(set(words)):
            # libFuzzer's dictionary syntax: a quoted string, \\ and \" escaped, \xNN for bytes.
            esc = "".join(ch if 0x20 <= ord(ch) < 0x7F and ch not in '\\"' else
                          "".join(f"\\x{b:02x}" for b in ch.encode()) for ch in w)
            f.write(f'"{esc}"\n')


def source_strings(pattern, *globs_):
    out = set()
    for g in globs_:
        for path in glob.glob(os.path.join(ROOT, g), recursive=True):
            out.update(re.findall(pattern, read(path)))
    return out


def dictionaries():
    keys = source_strings(r'return "([a-z_]+)"', "Sources/CordonWire/FieldKey.swift")
    values = ["position", "alert", "gate", "control", "sos", "fall", "tamper", "cancel", "in", "out",
              "yellow", "blue", "T1001", "T1042", "P0042", "G1", "G2", "G3", "uwb-cr", "鲁E6H021",
              "2026-11-22T08:00:00Z", "2026-11-22T08:00:00.250+08:00", "1795334400250", "1e308", "-0", "true", "null"]
    write_dict("ingest", [f'"{k}":' for k in keys] + [f'"{v}"' for v in values] + ["{", "}", "[", "]", ",", ":", "\\u"])
    # Every member a control op reads: r["name"], request["name"], w["name"]… in the engine and the pipeline.
    members = source_strings(r'\b[a-z]+\["([a-z_]+)"\]', "Sources/CordonCore/**/*.swift", "Sources/CordonService/Pipeline.swift")
    words = [f'"{m}":' for m in members] + [f'"{op}"' for op in OPS] + [op_byte(op).decode() for op in OPS]
    words += ['"drill"', '"emergency"', '"hot-work"', '"Z-TANK-1"', '"P0001"', '"P0042"', '"P0043"', '"鲁E6H021"',
              '"hazmat"', '"general"', '"staff"', '"active"', '"used"', '"2026-11-22T08:00:00+08:00"', "1e19", "9e15", "-1",
              "!", "~", "@", "$\n", "\n"]
    write_dict("control", words)
    props = source_strings(r'\b[a-z]+\["([a-z_]+)"\]', "Sources/CordonCore/Site/*.swift", "Sources/Geometry/*.swift")
    words = [f'"{p}":' for p in props] + [f'"{v}"' for v in [
        "FeatureCollection", "Feature", "Polygon", "MultiPolygon", "LineString", "Point", "site", "zone", "route", "gate",
        "parking", "muster", "enterprise", "red", "orange", "yellow", "blue", "permit", "forbidden", "open",
        "hazmat-forbidden", "allowed", "off", "soft", "hard", "staff", "general", "hazmat", "emergency", "Asia/Shanghai"]]
    words += ["[118.73,37.45]", "1e19", "-1", "0"]
    write_dict("site", words)


def main():
    os.chdir(ROOT)
    counts = {c.dir.rsplit("/", 1)[1]: len(c) for c in (ingest_corpus(), control_corpus(), site_corpus())}
    dictionaries()
    print("seeds:", ", ".join(f"{k} {v}" for k, v in counts.items()), "; dictionaries in fuzz/dict/", file=sys.stderr)


if __name__ == "__main__":
    main()
