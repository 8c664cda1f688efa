#!/usr/bin/env bash
# `make fuzz` (docs/fuzzing.md): builds the libFuzzer harnesses in .build-fuzz and runs each for
# FUZZ_SECONDS on a writable copy of its seed corpus, all at once, then prints executions and
# findings per harness. Exit status 1 when any harness found something (or did not run).
#
#   FUZZ_SECONDS   run time of each harness (default 60)
#   FUZZ_HARNESSES which of ingest control site (default all three)
#   FUZZ_WORK      where the growing corpora and logs go (default /tmp/cordon-fuzz); kept
#                  between runs, so a second run starts from what the first one found
#   FUZZ_KEEP_GOING=1  after a finding, start again until the time is up (for long runs)
#   FUZZ_SANITIZE  swiftc's -sanitize= (default fuzzer,address)
# Findings (crash-*, timeout-*, oom-*) go to fuzz/findings/<harness>/, which git ignores.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
SECONDS_EACH=${FUZZ_SECONDS:-60}
HARNESSES=${FUZZ_HARNESSES:-ingest control site}
WORK=${FUZZ_WORK:-/tmp/cordon-fuzz}
SANITIZE=${FUZZ_SANITIZE:-fuzzer,address}
SCRATCH=.build-fuzz

product() { case $1 in ingest) echo FuzzIngest ;; control) echo FuzzControl ;; site) echo FuzzSite ;; *) echo "unknown harness $1" >&2; exit 2 ;; esac; }
max_len() { case $1 in site) echo 20000 ;; *) echo 4096 ;; esac; }

# --sanitize=fuzzer makes SwiftPM link libFuzzer's main instead of the target's; the -Xswiftc
# flag comes after SwiftPM's own -sanitize= and wins, adding AddressSanitizer (two separate
# -sanitize= flags would leave only the last).
for h in $HARNESSES; do
  echo "building $(product "$h")" >&2
  CORDON_FUZZ=1 swift build --scratch-path "$SCRATCH" -c release --sanitize=fuzzer \
    -Xswiftc -sanitize="$SANITIZE" --product "$(product "$h")" 2>&1 | grep -Ev '^\[|Cannot export local symbol' >&2 || true
  [ -x "$SCRATCH/release/$(product "$h")" ] || { echo "fuzz: $(product "$h") did not build" >&2; exit 1; }
done

# Leak checks are off: the engine keeps caches on purpose and LeakSanitizer's scan after every
# input would cost most of the run; ASan still reports every out-of-bounds or freed access.
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=0:malloc_context_size=5:quarantine_size_mb=64}
pids=()
for h in $HARNESSES; do
  mkdir -p "$WORK/corpus/$h" "fuzz/findings/$h"
  touch "$WORK/$h.start"  # findings are what is newer than this
  opts=(-print_final_stats=1 -detect_leaks=0 -timeout=10 -rss_limit_mb=2048
        -max_len="$(max_len "$h")" -dict="fuzz/dict/$h.dict" -artifact_prefix="fuzz/findings/$h/")
  echo "fuzzing $h for ${SECONDS_EACH}s: log $WORK/$h.log" >&2
  # The first directory is written to (new inputs); the repository's seeds are only read.
  # Keep-going mode starts libFuzzer again after a finding, on the grown corpus, until the time
  # is up (libFuzzer's own fork mode restarts every few seconds and spends most of it reloading).
  (
    end=$(( $(date +%s) + SECONDS_EACH ))
    : >"$WORK/$h.log"
    while :; do
      left=$(( end - $(date +%s) ))
      [ "$left" -gt 0 ] || break
      rc=0
      "$SCRATCH/release/$(product "$h")" "${opts[@]}" -max_total_time="$left" "$WORK/corpus/$h" "fuzz/corpus/$h" >>"$WORK/$h.log" 2>&1 || rc=$?
      [ "${FUZZ_KEEP_GOING:-0}" = 1 ] && [ "$rc" != 0 ] || exit $rc
    done
  ) &
  pids+=($!)
done
trap 'kill "${pids[@]}" 2>/dev/null || true' INT TERM

status=0
i=0
for h in $HARNESSES; do
  rc=0
  wait "${pids[$i]}" || rc=$?
  i=$((i + 1))
  log="$WORK/$h.log"
  # One stat:: block per libFuzzer run (several in keep-going mode): executions add up.
  execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | awk '{ n += $2 } END { if (NR) print n }')
  elapsed=$(( $(date +%s) - $(stat -c %Y "$WORK/$h.start") ))
  rate=$([ -n "$execs" ] && [ "$elapsed" -gt 0 ] && echo $(( execs / elapsed )) || true)
  runs=$(grep -c 'stat::number_of_executed_units' "$log" || true)
  cov=$(grep -Eo 'cov: [0-9]+' "$log" | tail -1 | grep -o '[0-9]*' || true)
  findings=$(find "fuzz/findings/$h" -type f -newer "$WORK/$h.start" | wc -l)
  corpus=$(find "$WORK/corpus/$h" -type f | wc -l)
  printf '%-8s executions %-10s exec/s %-6s coverage %-6s corpus %-6s findings %s (%ss, %s libFuzzer runs, exit %s)\n' \
    "$h" "${execs:-?}" "${rate:-?}" "${cov:-?}" "$corpus" "$findings" "$elapsed" "$runs" "$rc"
  find "fuzz/findings/$h" -type f -newer "$WORK/$h.start" -printf '         %p\n' | sort | tail -5
  grep -m3 -E 'ERROR: |Fatal error|SUMMARY' "$log" | sed 's/^/         /' || true
  if [ "$rc" != 0 ] || [ "$findings" != 0 ]; then status=1; fi
done
exit $status
