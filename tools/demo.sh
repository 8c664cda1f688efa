#!/usr/bin/env bash
# The Cordon demo: the service on the demo park, simulated traffic into it, and every event it
# publishes printed as one readable line. `make demo` builds the release binary and calls
#
#     tools/demo.sh SITE DATA
#
# Ctrl-C stops everything: the simulator, then the service (which saves its state), then this.
#
# Environment (all optional): CORDON_DEMO_PORT (first of three ports, default 7001),
# CORDON_DEMO_SPEED (time acceleration, default 1), CORDON_DEMO_PEOPLE (default 150),
# CORDON_DEMO_SEED (default: a new one each run), CORDON_BIN (default .build/release/cordon),
# CORDON_DEMO_HTTP (the console's address, default 127.0.0.1:7080).
set -euo pipefail

SITE=${1:-geofences/demo-park.geojson}
DATA=${2:-demo-data}
LAYOUT=${CORDON_DEMO_LAYOUT:-tools/demo-park-layout.json}
BIN=${CORDON_BIN:-.build/release/cordon}
PORT=${CORDON_DEMO_PORT:-7001}
SPEED=${CORDON_DEMO_SPEED:-1}
PEOPLE=${CORDON_DEMO_PEOPLE:-150}
SEED=${CORDON_DEMO_SEED:-$(( $(date +%s) % 100000 ))}
# Bookings and permits of this run get numbers of their own (B<run>-01, WP<run>-1): the
# service's store remembers those of earlier runs.
RUN_ID=$(date -u +%d%H%M%S)

say() { printf '%s\n' "$*"; }
fail() { printf 'demo: %s\n' "$*" >&2; exit 1; }

[[ -x $BIN ]] || fail "$BIN is missing: 'make demo' builds it (or: swift build -c release)"
[[ -f $SITE ]] || fail "no site file $SITE"
[[ -f $LAYOUT ]] || fail "no layout $LAYOUT (python3 tools/make-demo-park.py writes it)"
mkdir -p "$DATA"
PIDFILE="$DATA/demo.pids"
SERVE_PID=""
SIM_PID=""
NOTES_PID=""

# --- helpers ------------------------------------------------------------------------------

# True while `pid` is a live process (a zombie, exited but not yet reaped, is not).
alive() {
    local state
    state=$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null) || return 1
    [[ -n $state && $state != Z ]]
}

# The command line of a process, spaces between arguments.
cmdline() { tr '\0' ' ' <"/proc/$1/cmdline" 2>/dev/null || true; }

# Asks a process to stop (SIGTERM: cordon saves its state and exits), waits up to 15 s.
stop_process() {
    local pid=$1 what=$2
    alive "$pid" || return 0
    kill -TERM "$pid" 2>/dev/null || return 0
    for _ in $(seq 1 150); do
        alive "$pid" || return 0
        sleep 0.1
    done
    say "demo: $what (pid $pid) did not stop within 15 s; killing it"
    kill -KILL "$pid" 2>/dev/null || true
}

# True when something listens on 127.0.0.1:port (or on every address).
listening() {
    if command -v ss >/dev/null 2>&1; then
        [[ -n $(ss -ltnH "sport = :$1" 2>/dev/null) ]]
    else
        (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
    fi
}

# "pid 1234: cordon serve --site …" for whoever listens on a port, when it can be seen.
holder() {
    local pid
    pid=$(ss -ltnpH "sport = :$1" 2>/dev/null | grep -o 'pid=[0-9]*' | head -1 | cut -d= -f2)
    if [[ -n $pid ]]; then say "pid $pid: $(cmdline "$pid")"; else say "a process this user cannot see"; fi
}

# --- a demo from an earlier run that never stopped ------------------------------------------

# The simulator first (it feeds the service), then the service.
if [[ -f $PIDFILE ]]; then
    while read -r what pid; do
        [[ -n ${pid:-} ]] || continue
        if alive "$pid" && [[ $(cmdline "$pid") == *cordon*" $what "* ]]; then
            say "demo: the $what of an earlier demo (pid $pid) is still running; stopping it first"
            stop_process "$pid" "$what"
        fi
    done < <(tac "$PIDFILE")
    rm -f "$PIDFILE"
fi

# --- ports ------------------------------------------------------------------------------------

ports_free() { ! listening "$1" && ! listening $(($1 + 1)) && ! listening $(($1 + 2)); }

if ! ports_free "$PORT"; then
    say "demo: ports $PORT-$((PORT + 2)) are taken:"
    for p in "$PORT" $((PORT + 1)) $((PORT + 2)); do
        if listening "$p"; then
            h=$(holder "$p")
            say "  port $p: $h"
            # Another service on this very store: two engines must never share one.
            if [[ $h == *"cordon serve"* && $h == *"--data $DATA"* ]]; then
                pid=${h#pid }
                fail "a cordon service is already running on $DATA (${h%%:*}), not started by this script.
      Stop it first (it saves its state on SIGTERM):   kill ${pid%%:*}
      or run the demo on another data directory:        make demo DATA=demo-data-2"
            fi
        fi
    done
    original=$PORT
    for candidate in $(seq $((PORT + 10)) 10 $((PORT + 200))); do
        if ports_free "$candidate"; then PORT=$candidate; break; fi
    done
    [[ $PORT != "$original" ]] || fail "no three free ports found near $original; set CORDON_DEMO_PORT"
    say "demo: using ports $PORT-$((PORT + 2)) instead (the commands below say so)"
    say ""
fi

INGEST=tcp://127.0.0.1:$PORT
EVENTS=tcp://127.0.0.1:$((PORT + 1))
CONTROL=tcp://127.0.0.1:$((PORT + 2))
HTTP=${CORDON_DEMO_HTTP:-127.0.0.1:7080}
CTL="$BIN ctl"
[[ $PORT == 7001 ]] || CTL="$BIN ctl --control $CONTROL"

# --- stopping ---------------------------------------------------------------------------------

cleanup() {
    local status=$?
    trap - EXIT INT TERM HUP
    say ""
    say "demo: stopping…"
    if [[ -n $NOTES_PID ]]; then
        kill -TERM "$NOTES_PID" 2>/dev/null || true
        wait "$NOTES_PID" 2>/dev/null || true
    fi
    if [[ -n $SIM_PID ]]; then
        stop_process "$SIM_PID" simulate
        wait "$SIM_PID" 2>/dev/null || true
        [[ -f $DATA/simulate.log ]] && grep '^cordon simulate:' "$DATA/simulate.log" | tail -1 | sed 's/^/  /'
    fi
    if [[ -n $SERVE_PID ]]; then
        stop_process "$SERVE_PID" serve
        local rc=0
        wait "$SERVE_PID" 2>/dev/null || rc=$?
        if [[ $rc == 0 ]]; then
            say "  cordon serve stopped cleanly; its store and state are in $DATA/ (the next demo carries on from them)"
        else
            say "  cordon serve exited with status $rc; see $DATA/serve.log"
        fi
    fi
    rm -f "$PIDFILE"
    exit "$status"
}
trap cleanup EXIT
trap 'exit 0' INT
trap 'exit 143' TERM
trap 'exit 129' HUP

# --- the service --------------------------------------------------------------------------------

"$BIN" serve --site "$SITE" --data "$DATA" --ingest "$INGEST" --events "$EVENTS" --control "$CONTROL" \
    --http "$HTTP" >>"$DATA/serve.log" 2>&1 &
SERVE_PID=$!
echo "serve $SERVE_PID" >>"$PIDFILE"

ready=""
for _ in $(seq 1 60); do
    if ! alive "$SERVE_PID"; then
        say "demo: cordon serve did not start; the end of $DATA/serve.log:"
        tail -n 15 "$DATA/serve.log" | sed 's/^/  /'
        exit 1
    fi
    if "$BIN" ctl --control "$CONTROL" --timeout 500 --compact ping >/dev/null 2>&1; then
        ready=yes
        break
    fi
    sleep 0.25
done
[[ -n $ready ]] || fail "cordon serve does not answer ping on $CONTROL (see $DATA/serve.log)"

# --- the traffic ----------------------------------------------------------------------------------

"$BIN" simulate --site "$SITE" --layout "$LAYOUT" --ingest "$INGEST" --control "$CONTROL" --events "$EVENTS" \
    --people "$PEOPLE" --speed "$SPEED" --seed "$SEED" --run-id "$RUN_ID" >"$DATA/simulate.log" 2>&1 &
SIM_PID=$!
echo "simulate $SIM_PID" >>"$PIDFILE"

# --- the banner, then the events ------------------------------------------------------------------

cat <<EOF
Cordon demo: the Binhai demo chemical park ($SITE)
  service  cordon serve (pid $SERVE_PID), store in $DATA/, log $DATA/serve.log
           ingest $INGEST   events $EVENTS   control $CONTROL
  console  http://$HTTP/   the control room in a browser (map, alarms, headcount, muster, trucks, replay)
  traffic  cordon simulate (pid $SIM_PID): $PEOPLE people, hazmat trucks on bookings, seed $SEED, speed ×$SPEED;
           an incident every half minute or so (log: $DATA/simulate.log)
  below    cordon watch: each published event as it happens (times UTC, Z), with the simulator's
           notes (▸) on what it stages: a red-zone stray, an SOS, a collapse, a welder whose
           guardian walks off, a tag gone silent, a speeding truck, a truck on the shoulder…

Try in another terminal:
  $CTL alarms.active
  $CTL headcount '{"zone":"Z-E01-CCR"}'
  $CTL whereis '{"person":"P0001"}'
  $CTL presence '{"list":false}'
  $CTL journey '{"booking":"B$RUN_ID-01"}'      # the first hazmat truck, gate to gate
  tail -f $DATA/simulate.log        # what the simulator stages, and when

A drill (everyone on site walks to their assembly point M1/M2/M3; watch muster.* below):
  $CTL muster.start '{"mode":"drill","by":"demo"}'
  $CTL muster.status                # who is still missing, and where they were last seen
  $CTL muster.end '{"by":"demo"}'   # the report; people walk back to work
  (90 % arrive in about 9 minutes, everyone in about 12: the refinery's far corner is 1.2 km away)

Ctrl-C stops everything.

EOF

# The people already on site badge in first, all at once: wait for that to pass (the
# simulator's log says so), and watch from there.
for _ in $(seq 1 40); do
    grep -q '  on site: ' "$DATA/simulate.log" 2>/dev/null && break
    sleep 0.25
done
sleep 0.5

# The simulator's notes, as they come, between the events (ends with the simulator).
if [[ -t 1 ]]; then NOTE_ON=$'\e[2m'; NOTE_OFF=$'\e[0m'; else NOTE_ON=""; NOTE_OFF=""; fi
tail -n +1 -F --pid="$SIM_PID" "$DATA/simulate.log" 2>/dev/null \
    | sed -u -nE "s/^([0-9]{2}:[0-9]{2}:[0-9]{2})  (.*)$/${NOTE_ON}\1.000Z  ▸ \2${NOTE_OFF}/p" &
NOTES_PID=$!

"$BIN" watch --events "$EVENTS" || true
