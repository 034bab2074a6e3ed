#!/usr/bin/env bash
# cluster-up.sh [-n OSDS] [--runs R] [--objectstore rocksdb|memory]: how long `scripts/cluster up`
# takes until every OSD is up (the jar already built; not counted), averaged over R runs (default
# 3), and each daemon's resident memory (VmRSS) right after. Each run: its own temp dir and free
# ports, torn down by pid file afterwards. Prints a table.
set -uo pipefail
SCRIPTS="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
source "$SCRIPTS/lib/cluster-helpers.sh"

n=3 runs=3 store=rocksdb
while [ $# -gt 0 ]; do
  case "$1" in
    -n) n=${2:?}; shift ;;
    --runs) runs=${2:?}; shift ;;
    --objectstore) store=${2:?}; shift ;;
    *) echo "cluster-up.sh: unknown option '$1'" >&2; exit 2 ;;
  esac
  shift
done
[[ $n =~ ^[0-9]+$ && $runs =~ ^[1-9][0-9]*$ ]] || { echo "cluster-up.sh: bad -n or --runs" >&2; exit 2; }

jpeer_ensure_built || exit 1
export JPEER_SKIP_BUILD=1
base="$(mktemp -d "${TMPDIR:-/tmp}/jpeer-bench.XXXXXX")"
trap 'kill_daemons "$base" KILL; rm -rf "$base"' EXIT

rss_mb() { awk '/^VmRSS:/ { printf "%.0f", $2 / 1024 }' "/proc/$1/status" 2>/dev/null || echo "?"; }

names=(mon.0)
for ((i = 0; i < n; i++)); do names+=("osd.$i"); done
header="run  up_s   "
for name in "${names[@]}"; do header+="$(printf '%-9s' "$name")"; done
rows=() total=0 load_before="$(cut -d' ' -f1-3 /proc/loadavg)"
declare -A rss_sum
for ((r = 1; r <= runs; r++)); do
  dir="$base/run$r"
  start=$(date +%s.%N)
  if ! "$SCRIPTS/cluster" --dir "$dir" up -n "$n" --objectstore "$store" \
      --mon-port "$(get_free_port)" --osd-port-base "$(get_free_port_block 100)" >"$base/up$r.out" 2>&1; then
    cat "$base/up$r.out" >&2
    echo "cluster-up.sh: run $r failed" >&2
    exit 1
  fi
  secs=$(awk -v s="$start" -v e="$(date +%s.%N)" 'BEGIN { printf "%.2f", e - s }')
  total=$(awk -v a="$total" -v b="$secs" 'BEGIN { print a + b }')
  row="$(printf '%-4s %-6s ' "$r" "$secs")"
  for name in "${names[@]}"; do
    mb="$(rss_mb "$(cat "$dir/$name.pid")")"
    rss_sum[$name]=$(( ${rss_sum[$name]:-0} + ${mb/\?/0} ))
    row+="$(printf '%-9s' "${mb}MB")"
  done
  rows+=("$row")
  "$SCRIPTS/cluster" --dir "$dir" down >/dev/null 2>&1
done

echo "scripts/cluster up -n $n --objectstore $store: wall time until all OSDs are up, and RSS after"
echo "($(nproc) cores, $(java -version 2>&1 | head -n1), load average before: $load_before)"
echo "$header"
printf '%s\n' "${rows[@]}"
row="$(printf '%-4s %-6s ' mean "$(awk -v t="$total" -v r="$runs" 'BEGIN { printf "%.2f", t / r }')")"
for name in "${names[@]}"; do row+="$(printf '%-9s' "$(( rss_sum[$name] / runs ))MB")"; done
echo "$row"
