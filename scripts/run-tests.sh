#!/usr/bin/env bash
# run-tests.sh [-v] [PATTERN...]: runs the multi-process script tests scripts/tests/test-*.sh (or
# those whose name contains a PATTERN), one after the other, each in its own td/NAME directory with
# its own ports. Prints `--- name ---` before each, one PASS/FAIL line with the time taken after,
# and ends with `N passed, N failed` (exit 1 if any failed). A test's full output (xtrace, and the
# daemon logs when it failed) goes to td/run-tests/NAME.out; -v streams it instead.
# TEST_TIMEOUT (default 300 s) bounds each script; on expiry it gets TERM, which tears it down.
set -uo pipefail

SCRIPTS="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)"
source "$SCRIPTS/lib/jpeer-env.sh"
source "$SCRIPTS/lib/cluster-helpers.sh"

verbose=0
if [ "${1:-}" = -v ]; then verbose=1; shift; fi
for a in "$@"; do
  [[ $a != -* ]] || { echo "run-tests.sh: unknown option '$a' (usage: run-tests.sh [-v] [PATTERN...])" >&2; exit 2; }
done

tests=()
for t in "$SCRIPTS"/tests/test-*.sh; do
  [ -f "$t" ] || continue
  name="$(basename "$t" .sh)"
  if [ $# -gt 0 ]; then
    keep=0
    for p in "$@"; do [[ $name == *"$p"* ]] && keep=1; done
    [ $keep = 1 ] || continue
  fi
  tests+=("$t")
done
[ ${#tests[@]} -gt 0 ] || { echo "run-tests.sh: no test matches '$*'" >&2; exit 2; }

jpeer_ensure_built || exit 1
export JPEER_SKIP_BUILD=1
export JPEER_TD="${JPEER_TD:-$JPEER_ROOT/td}"
outdir="$JPEER_TD/run-tests"
mkdir -p "$outdir"

passed=0 failed=0
results=()
for t in "${tests[@]}"; do
  name="$(basename "$t" .sh)"
  echo "--- $name ---"
  start=$(date +%s.%N)
  # timeout runs the test in its own process group, so Ctrl-C reaches only this script: pass it
  # on as TERM, which makes the test tear its cluster down.
  if [ $verbose = 1 ]; then
    timeout -k 30 "${TEST_TIMEOUT:-300}" bash "$t" > >(tee "$outdir/$name.out") 2>&1 &
  else
    timeout -k 30 "${TEST_TIMEOUT:-300}" bash "$t" >"$outdir/$name.out" 2>&1 &
  fi
  child=$!
  trap 'echo "run-tests.sh: interrupted, stopping $name"; kill -TERM $child 2>/dev/null; wait $child;
        kill_daemons "$JPEER_TD/$name" KILL >/dev/null 2>&1; exit 130' INT TERM
  wait $child
  rc=$?
  trap - INT TERM
  secs=$(awk -v s="$start" -v e="$(date +%s.%N)" 'BEGIN { printf "%.1f", e - s }')
  # Safety net: nothing the test started may outlive it.
  kill_daemons "$JPEER_TD/$name" KILL >/dev/null 2>&1
  if [ $rc -eq 0 ]; then
    passed=$((passed + 1))
    line="PASS  $name  (${secs}s)"
  else
    failed=$((failed + 1))
    line="FAIL  $name  (${secs}s, exit $rc$([ $rc -eq 124 ] && echo ', timed out'))"
    if [ $verbose = 0 ]; then
      # The first `return 1` of a TEST_ function in the trace is the failed check; show what led
      # to it.
      first="$(grep -n -m1 ': TEST_[A-Za-z0-9_]*: return 1$' "$outdir/$name.out" | cut -d: -f1)"
      if [ -n "$first" ]; then
        echo "----- $outdir/$name.out lines $((first > 40 ? first - 40 : 1))-$first (first failed check) -----"
        sed -n "$((first > 40 ? first - 40 : 1)),${first}p" "$outdir/$name.out" | grep -v '^+++'
      else
        echo "----- last 60 lines of $outdir/$name.out -----"
        tail -n 60 "$outdir/$name.out"
      fi
      echo "----- (daemon logs are at the end of $outdir/$name.out)"
    fi
  fi
  echo "$line"
  results+=("$line")
done

echo
printf '%s\n' "${results[@]}"
echo "$passed passed, $failed failed"
[ $failed -eq 0 ]
