#!/usr/bin/env bash
# Runs a test command with a time limit: `tools/test-watchdog.sh SECONDS command…`.
#
# A test run that hangs must fail with word of what it waited for, not run until CI gives up
# with nothing said. Past the limit this prints the tests that started and never finished and
# every thread's stack in the test process (gdb), kills the run and exits 124. Otherwise it
# exits with the command's own status. The limit is many times a normal run, so only a hang
# reaches it (README, "Two commands").
set -uo pipefail
limit=$1; shift
log=$(mktemp)
trap 'rm -f "$log"' EXIT
setsid "$@" > >(tee "$log") 2>&1 &
pid=$!
start=$(date +%s)
while kill -0 "$pid" 2>/dev/null; do
  if (( $(date +%s) - start > limit )); then
    echo
    echo "test-watchdog: '$*' still running after ${limit} s: stopped as hung."
    echo "test-watchdog: tests started and not finished:"
    # Parameterised cases print only their start: the test they belong to is what is reported.
    grep -a '◇ Test .* started' "$log" | grep -av '◇ Test case ' | sed -e 's/.*◇ Test \(.*\) started\./\1/' | sort > "$log.started"
    grep -aE '[✔✘] Test .* (passed|failed)' "$log" | sed -E 's/.*[✔✘] Test (.*) (passed|failed).*/\1/' \
      | sed -E 's/ with [0-9]+ test cases?$//' | sort -u > "$log.ended"
    comm -23 "$log.started" "$log.ended" | sed 's/^/  /'
    for p in $(pgrep -s "$pid" 2>/dev/null); do
      grep -qa '\.xctest' "/proc/$p/cmdline" 2>/dev/null || continue
      echo "test-watchdog: the stacks of $p ($(tr '\0' ' ' < /proc/$p/cmdline | cut -c1-200)):"
      if command -v gdb >/dev/null; then
        timeout 120 gdb -p "$p" -batch -ex "thread apply all bt 30" 2>/dev/null | grep -E '^(Thread|#)' | head -600
      else
        echo "  (gdb is not installed)"
      fi
    done
    kill -KILL -- "-$pid" 2>/dev/null
    rm -f "$log.started" "$log.ended"
    exit 124
  fi
  sleep 2
done
wait "$pid"
