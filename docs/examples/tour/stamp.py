#!/usr/bin/env python3
"""Print a control request with its relative times made absolute, so the tour works on any day.

    cordon ctl permit.create "$(python3 stamp.py permit.json)"

Any string value of the form "+90m", "-5m", "+4h" or "+1d" becomes that long from now, as an
RFC 3339 time in UTC; everything else is printed as it is.
"""
import json
import re
import sys
from datetime import datetime, timedelta, timezone

UNITS = {"s": "seconds", "m": "minutes", "h": "hours", "d": "days"}
NOW = datetime.now(timezone.utc)


def stamp(v):
    if isinstance(v, dict):
        return {k: stamp(x) for k, x in v.items()}
    if isinstance(v, list):
        return [stamp(x) for x in v]
    if isinstance(v, str):
        m = re.fullmatch(r"([+-])(\d+)([smhd])", v)
        if m:
            n = int(m.group(2)) * (1 if m.group(1) == "+" else -1)
            t = NOW + timedelta(**{UNITS[m.group(3)]: n})
            return t.strftime("%Y-%m-%dT%H:%M:%S.") + f"{t.microsecond // 1000:03d}Z"
    return v


with open(sys.argv[1], encoding="utf-8") as f:
    print(json.dumps(stamp(json.load(f)), ensure_ascii=False))
