#!/usr/bin/python3
"""`make soak` (docs/fuzzing.md): runs `cordon serve` for a while under steady load and says
whether it stayed up, stayed small and stayed quick.

The load, over tcp loopback: positions from many tags at a steady rate (people walking the
scenario park's southern strip, away from the zones), and, between them,
- every 2 s a piece of bad input: malformed JSON, huge or non-finite numbers, unknown types,
  wrong types, deep nesting, a frame over the size limit, invalid UTF-8, and bad control requests;
- every 60 s a `site.reload` (every third one of a broken file, which must keep the old site);
- a drill muster started at a third of the run and ended at two thirds;
- every 5 s a probe: one tag steps into the forbidden chlorine store and out again, and the time
  from that position to its `violation.restricted-zone` (and `cleared.`) on the SUB socket is
  the event latency; every second a `ping` round trip is the control latency.

At the start (the first minute after warm-up) and at the end (the last minute) it reports the
service's RSS and open files (/proc/PID/status, /proc/PID/fd) and both latencies, then stops the
service with SIGTERM and prints one JSON object. Exit status 1 when the service died, stopped
answering, or did not exit cleanly.

    /usr/bin/python3 tools/soak.py --cordon .build/release/cordon --minutes 10 [--rate 500]

Needs python3-zmq (Debian). Everything it starts is stopped, and its temporary directory removed,
however it ends.
"""

import argparse
import json
import os
import random
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time

import zmq

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
SITE = os.path.join(ROOT, "fixtures", "scenario-park.geojson")
PROBE_IN = (60.0, 150.0)  # inside Z-CL2, closed to everyone (tools/make-fixture-site.py)
PROBE_OUT = (60.0, 200.0)  # between Z-CL2 and Z-TANK-1, in no zone

BAD_INGEST = [
    b'{"type":"position","tag":"T5000","t":',
    b'{"type":"position","tag":"T5001","t":%d,"x":-1640.22,"y":1e+19}',
    b'{"type":"position","tag":"T5002","t":%d,"x":9223372036854775808,"y":1}',
    b'{"type":"position","tag":"T5003","t":%d,"x":1.8e308,"y":1}',
    b'{"type":"position","tag":"T5004","t":%d,"x":1e999,"y":1}',
    b'{"type":"position","tag":"T5005","t":1e19,"x":1,"y":1}',
    b'{"type":"position","tag":"T5006","t":-1,"x":1,"y":1}',
    b'{"type":"teleport","tag":"T5007","t":%d}',
    b'{"type":"position","tag":5008,"t":%d,"x":"1","y":[]}',
    b'{"type":"alert","tag":"T5009","t":%d,"alert":"explode"}',
    b'{"type":"gate","gate":"G99","t":%d,"direction":"sideways","person":"P0"}',
    b'[' * 200 + b']' * 200,
    b'\xff\xfe{"type":"position"}',
    b'{"type":"position","tag":"T5010","t":"2026-13-45T99:99:99Z","x":1,"y":1}',
    b'[{"type":"position","tag":"T5011","t":%d,"x":1,"y":1,"level":1e300},1,null,"x"]',
    b'',
    b'null',
]
BAD_CONTROL = [
    b'{"op":"ping"',
    b'not json at all',
    b'{"op":"track","person":"P5000","from":1e19}',
    b'{"op":"track","person":"P5000","until":-1e300}',
    b'{"op":"permit.create","id":"WPX","kind":"hot-work","zone":"Z-TANK-1","workers":["P5000"],"window":{"from":1e19,"until":2e19}}',
    b'{"op":"registry.upsert","people":[{"id":"","tag":7}]}',
    b'{"op":"no.such.op"}',
    b'{"op":["ping"]}',
    b'[]',
    b'{"op":"booking.create","plate":"\xe9","window":{"from":"x","until":1e308}}',
]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def proc_figures(pid):
    rss = None
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                rss = int(line.split()[1])
    return {"rss_kb": rss, "open_files": len(os.listdir(f"/proc/{pid}/fd"))}


def summary(values):
    if not values:
        return None
    v = sorted(values)
    return {"n": len(v), "p50_ms": round(statistics.median(v), 2), "p99_ms": round(v[min(len(v) - 1, int(len(v) * 0.99))], 2),
            "max_ms": round(v[-1], 2)}


class Soak:
    def __init__(self, args):
        self.args = args
        self.tmp = tempfile.mkdtemp(prefix="cordon-soak-")
        self.site = os.path.join(self.tmp, "site.geojson")
        shutil.copy(SITE, self.site)
        self.good_site = open(SITE, "rb").read()
        ports = [free_port() for _ in range(3)]
        self.ingest_addr, self.events_addr, self.control_addr = (f"tcp://127.0.0.1:{p}" for p in ports)
        self.proc = None
        self.ctx = zmq.Context()
        self.samples = []  # (monotonic, kind, value ms)
        self.figures = []  # (monotonic, {rss, fds})
        self.counts = {"positions": 0, "bad_ingest": 0, "bad_control": 0, "bad_control_answered": 0,
                       "reloads_ok": 0, "reloads_refused": 0, "reload_errors": 0, "probes": 0, "probe_events": 0,
                       "ping_failures": 0}
        self.muster = {}

    # -- the service

    def start(self):
        self.log = open(os.path.join(self.tmp, "serve.log"), "wb")
        self.proc = subprocess.Popen(
            [self.args.cordon, "serve", "--site", self.site, "--data", os.path.join(self.tmp, "data"),
             "--ingest", self.ingest_addr, "--events", self.events_addr, "--control", self.control_addr,
             "--log-level", "warning"],
            stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True)
        self.push = self.ctx.socket(zmq.PUSH)
        self.push.setsockopt(zmq.LINGER, 0)
        self.push.setsockopt(zmq.SNDHWM, 100000)
        self.push.connect(self.ingest_addr)
        self.sub = self.ctx.socket(zmq.SUB)
        self.sub.setsockopt(zmq.LINGER, 0)
        self.sub.setsockopt(zmq.SUBSCRIBE, b"violation.restricted-zone")
        self.sub.setsockopt(zmq.SUBSCRIBE, b"cleared.restricted-zone")
        self.sub.setsockopt(zmq.SUBSCRIBE, b"muster.")
        self.sub.connect(self.events_addr)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"cordon serve exited at start with {self.proc.returncode}")
            if self.request({"op": "ping"}, timeout_ms=500) is not None:
                return
        raise RuntimeError("cordon serve did not answer ping within 30 s")

    def request(self, r, timeout_ms=2000, raw=None):
        """One control request on a fresh REQ socket; the parsed reply, or None on no answer."""
        s = self.ctx.socket(zmq.REQ)
        s.setsockopt(zmq.LINGER, 0)
        s.setsockopt(zmq.RCVTIMEO, timeout_ms)
        s.connect(self.control_addr)
        try:
            s.send(raw if raw is not None else json.dumps(r, ensure_ascii=False).encode())
            return json.loads(s.recv())
        except zmq.Again:
            return None
        finally:
            s.close()

    def stop(self):
        """SIGTERM, then the exit status (None if it had to be killed)."""
        if self.proc is None or self.proc.poll() is not None:
            return self.proc.returncode if self.proc else None
        self.proc.send_signal(signal.SIGTERM)
        try:
            return self.proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait()
            return None

    def cleanup(self, keep):
        for s in ("push", "sub"):
            if hasattr(self, s):
                getattr(self, s).close()
        self.ctx.term()
        if self.proc is not None and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait()
        if hasattr(self, "log"):
            self.log.close()
        if keep:
            print(f"soak: the service's log and data are kept in {self.tmp}", file=sys.stderr)
        else:
            shutil.rmtree(self.tmp, ignore_errors=True)

    # -- the load

    def setup_people(self):
        n = self.args.tags
        people = [{"id": f"P{5000 + i}", "name": f"walker {i}", "role": "operator", "enterprise": "E01",
                   "tag": f"T{5000 + i}"} for i in range(n)]
        people.append({"id": "P4999", "name": "probe", "role": "fitter", "enterprise": "E01", "tag": "T4999"})
        r = self.request({"op": "registry.upsert", "people": people}, timeout_ms=10000)
        if not r or not r.get("ok"):
            raise RuntimeError(f"registry.upsert failed: {r}")
        now = self.now_ms()
        for p in people:
            self.push.send(json.dumps({"type": "gate", "gate": "G3", "t": now, "direction": "in",
                                       "person": p["id"], "tag": p["tag"]}).encode())
        self.walkers = [[random.uniform(20, 580), random.uniform(15, 95)] for _ in range(n)]

    @staticmethod
    def now_ms():
        return int(time.time() * 1000)

    def send_positions(self, count):
        now = self.now_ms()
        for _ in range(count):
            i = self.next_walker = (getattr(self, "next_walker", -1) + 1) % len(self.walkers)
            w = self.walkers[i]
            w[0] = min(580, max(20, w[0] + random.uniform(-1.5, 1.5)))
            w[1] = min(95, max(15, w[1] + random.uniform(-1.5, 1.5)))
            self.push.send(b'{"type":"position","tag":"T%d","t":%d,"x":%.2f,"y":%.2f,"moving":true,"battery_pct":80}'
                           % (5000 + i, now, w[0], w[1]))
            self.counts["positions"] += 1

    def send_bad(self, k):
        frame = BAD_INGEST[k % len(BAD_INGEST)]
        if b"%d" in frame:
            frame = frame % self.now_ms()
        if k % 7 == 3:
            frame = b'{"type":"position","tag":"T1","pad":"' + b"x" * (2 << 20) + b'"}'  # over 1 MiB: too-large
        self.push.send(frame)
        self.counts["bad_ingest"] += 1
        if k % 2 == 0:
            raw = BAD_CONTROL[(k // 2) % len(BAD_CONTROL)]
            reply = self.request(None, raw=raw)
            self.counts["bad_control"] += 1
            if reply is not None and reply.get("ok") is False:
                self.counts["bad_control_answered"] += 1

    def reload(self, k):
        broken = k % 3 == 2
        if broken:
            with open(self.site, "wb") as f:
                f.write(b'{"type":"FeatureCollection","cordon":{"site":"x"},"features":[{"type":"Feature","geometry":'
                        b'{"type":"Polygon","coordinates":[[[0,0],[1,1],[1,0],[0,1],[0,0]]]}}]}')
        r = self.request({"op": "site.reload"}, timeout_ms=10000)
        if broken:
            with open(self.site, "wb") as f:
                f.write(self.good_site)
        if r is None:
            self.counts["reload_errors"] += 1
        elif r.get("ok") and not broken:
            self.counts["reloads_ok"] += 1
        elif not r.get("ok") and broken:
            self.counts["reloads_refused"] += 1
        else:
            self.counts["reload_errors"] += 1

    def probe(self, inside):
        x, y = PROBE_IN if inside else PROBE_OUT
        self.push.send(b'{"type":"position","tag":"T4999","t":%d,"x":%.1f,"y":%.1f,"moving":true}' % (self.now_ms(), x, y))
        self.probe_sent = (time.monotonic(), b"violation." if inside else b"cleared.")
        self.counts["probes"] += 1

    def read_events(self):
        while True:
            try:
                topic, body = self.sub.recv_multipart(zmq.NOBLOCK)
            except zmq.Again:
                return
            sent = getattr(self, "probe_sent", None)
            if topic.startswith(b"muster."):
                self.muster.setdefault("events", 0)
                self.muster["events"] += 1
                continue
            if sent and topic.startswith(sent[1]) and b'"P4999"' in body:
                self.samples.append((time.monotonic(), "event", (time.monotonic() - sent[0]) * 1000))
                self.counts["probe_events"] += 1
                self.probe_sent = None

    def ping(self):
        t0 = time.monotonic()
        r = self.request({"op": "ping"})
        if r is None or not r.get("ok"):
            self.counts["ping_failures"] += 1
            return None
        self.samples.append((t0, "ping", (time.monotonic() - t0) * 1000))
        return r

    # -- the run

    def run(self):
        a = self.args
        self.start()
        self.setup_people()
        t_start = time.monotonic()
        t_end = t_start + a.minutes * 60
        warm = min(30.0, a.minutes * 60 / 10)
        window = min(60.0, a.minutes * 60 / 3)
        next_tick = t_start
        tick = 0.01
        per_tick = a.rate * tick
        owed = 0.0
        last = {"bad": t_start, "reload": t_start, "probe": t_start, "ping": t_start, "figures": t_start - 10}
        k_bad = k_reload = 0
        probe_inside = False
        muster_started = muster_ended = False
        while True:
            now = time.monotonic()
            if now >= t_end:
                break
            if self.proc.poll() is not None:
                break
            owed += per_tick
            n = int(owed)
            owed -= n
            self.send_positions(n)
            self.read_events()
            if now - last["ping"] >= 1:
                last["ping"] = now
                self.ping()
            if now - last["figures"] >= 10:
                last["figures"] = now
                self.figures.append((now, proc_figures(self.proc.pid)))
            if now - last["bad"] >= 2:
                last["bad"] = now
                self.send_bad(k_bad)
                k_bad += 1
            if now - last["probe"] >= 5:
                last["probe"] = now
                probe_inside = not probe_inside
                self.probe(probe_inside)
            if now - last["reload"] >= 60:
                last["reload"] = now
                self.reload(k_reload)
                k_reload += 1
            if not muster_started and now - t_start >= a.minutes * 60 / 3:
                muster_started = True
                r = self.request({"op": "muster.start", "mode": "drill", "by": "soak"}, timeout_ms=10000)
                self.muster["started"] = bool(r and r.get("ok"))
            if muster_started and not muster_ended and now - t_start >= a.minutes * 60 * 2 / 3:
                muster_ended = True
                r = self.request({"op": "muster.end", "by": "soak"}, timeout_ms=10000)
                self.muster["ended"] = bool(r and r.get("ok"))
                if r and r.get("ok"):
                    self.muster["roster"] = r.get("report", {}).get("total", r.get("total"))
            next_tick += tick
            # Wait for the next tick on the SUB socket, so that an event is timed when it comes,
            # not at the next tick.
            while (delay := next_tick - time.monotonic()) > 0:
                if self.sub.poll(timeout=max(1, int(delay * 1000))):
                    self.read_events()
            if delay < -1:
                next_tick = time.monotonic()  # far behind: do not try to catch up in a burst
        alive = self.proc.poll() is None
        final_ping = self.ping() if alive else None
        end_figures = proc_figures(self.proc.pid) if alive else None
        actual = time.monotonic() - t_start

        def phase(lo, hi, figures):
            return {
                **(figures or {}),
                "ping": summary([v for t, k, v in self.samples if k == "ping" and lo <= t < hi]),
                "violation": summary([v for t, k, v in self.samples if k == "event" and lo <= t < hi]),
            }

        first_figures = next((f for t, f in self.figures if t >= t_start + warm), self.figures[0][1] if self.figures else None)
        exit_code = self.stop()
        result = {
            "minutes": round(actual / 60, 2), "rate_per_s": a.rate, "tags": a.tags,
            "start": phase(t_start + warm, t_start + warm + window, first_figures),
            "end": phase(t_start + actual - window, t_start + actual + 1, end_figures),
            "rss_max_kb": max((f["rss_kb"] for _, f in self.figures), default=None),
            "open_files_max": max((f["open_files"] for _, f in self.figures), default=None),
            "sent": self.counts, "muster": self.muster,
            "service": {"alive_at_end": alive, "exit_code": exit_code,
                        "counters": (final_ping or {}).get("counters"), "tracked": (final_ping or {}).get("tracked"),
                        "alarms": (final_ping or {}).get("alarms")},
            "load_average": [round(x, 2) for x in os.getloadavg()],
        }
        ok = alive and final_ping is not None and exit_code == 0
        return result, ok


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--cordon", default=os.path.join(ROOT, ".build", "release", "cordon"))
    p.add_argument("--minutes", type=float, default=float(os.environ.get("SOAK_MINUTES", 10)))
    p.add_argument("--rate", type=int, default=int(os.environ.get("SOAK_RATE", 500)), help="positions a second")
    p.add_argument("--tags", type=int, default=int(os.environ.get("SOAK_TAGS", 250)))
    args = p.parse_args()
    soak = Soak(args)
    ok = False

    def interrupted(signum, frame):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, interrupted)
    try:
        result, ok = soak.run()
        print(json.dumps(result, indent=2, ensure_ascii=False))
    except KeyboardInterrupt:
        print("soak: interrupted", file=sys.stderr)
    except Exception as e:  # the service died at start, or a setup request failed
        print(f"soak: {e}", file=sys.stderr)
    finally:
        soak.stop()
        soak.cleanup(keep=not ok)
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
