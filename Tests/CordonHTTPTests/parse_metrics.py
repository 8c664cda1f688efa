#!/usr/bin/env python3
"""Parses Prometheus text exposition (stdin) with the prometheus-client package's parser and
prints the samples as JSON: {"name{label=value,...}": value}. Exit 3 when the package is absent."""
import json
import sys

try:
    from prometheus_client.parser import text_string_to_metric_families
except ImportError:
    sys.stderr.write("prometheus-client is not installed: python3 -m pip install prometheus-client (make test does)\n")
    sys.exit(3)

out = {"samples": {}, "types": {}}
for family in text_string_to_metric_families(sys.stdin.read()):
    out["types"][family.name] = family.type
    for s in family.samples:
        labels = ",".join(f"{k}={v}" for k, v in sorted(s.labels.items()))
        out["samples"][f"{s.name}{{{labels}}}"] = s.value
json.dump(out, sys.stdout)
