"""Everyone on a closed park's site came in through a gate: the fixtures' inputs say so.

Shared by the fixture generators: a `gate` entry at the staff gate G3, with the person's tag,
a minute before their tag's first position (else the engine rightly raises no-entry-record).
"""
import json
import os


def with_gate_entries(lines, registry_path, gate="G3", lead_ms=60000):
    with open(registry_path, encoding="utf-8") as f:
        reg = json.load(f)
    owner = {p["tag"]: p["id"] for p in reg.get("people", []) if p.get("tag")}
    first = {}
    for d in lines:
        if d.get("type") == "position" and d.get("tag") in owner:
            t = d["t"]
            first[d["tag"]] = min(first.get(d["tag"], t), t)
    entries = [{"type": "gate", "gate": gate, "t": t - lead_ms, "direction": "in", "person": owner[tag], "tag": tag}
               for tag, t in sorted(first.items(), key=lambda kv: (kv[1], kv[0]))]
    return entries + lines
