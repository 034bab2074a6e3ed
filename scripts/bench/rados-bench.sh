#!/usr/bin/env bash
# Object I/O benchmark, as Ceph's rados bench: a 3-OSD cluster (RocksDB store, pool rbd of size 3,
# PGS PGs, default 32) in a temporary directory; SECONDS (default 10) of 4 KiB writes with THREADS
# (default 16) in flight, kept (--no-cleanup) for SECONDS of sequential and then random reads of
# them. Prints each run's rados bench output, then one table: ops/s, MB/s, average and p99 latency.
set -euo pipefail
source "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../lib/jpeer-env.sh"
jpeer_ensure_built
PGS=${PGS:-32}
SECONDS_RUN=${SECONDS_RUN:-10}
THREADS=${THREADS:-16}
BYTES=${BYTES:-4096}
DIR=$(mktemp -d /tmp/jpeer-rados-bench.XXXXXX)
CLUSTER="$JPEER_ROOT/scripts/cluster"
OSDCTL="$JPEER_ROOT/scripts/osdctl"
# The client keeps osdctl's C1-only JIT: on 2 cores, C2 compiling the client competes with the
# OSDs for CPU (measured: 1,200 vs 1,650 write ops/s over 8 s runs).
cleanup() { "$CLUSTER" --dir "$DIR" down >/dev/null 2>&1 || true; [ -n "${KEEP:-}" ] || rm -rf "$DIR"; }
trap cleanup EXIT

LOAD0=$(cut -d' ' -f1-3 /proc/loadavg)
"$CLUSTER" --dir "$DIR" up -n 3 --pgs "$PGS" --objectstore rocksdb >/dev/null
run() { # MODE ARGS...: runs one bench, its output to the terminal and to DIR/MODE.out
  local mode=$1; shift
  echo "== bench rbd $SECONDS_RUN $mode $*"
  "$OSDCTL" --dir "$DIR" bench rbd "$SECONDS_RUN" "$mode" "$@" | tee "$DIR/$mode.out"
}
run write -b "$BYTES" -t "$THREADS" --no-cleanup
run seq -t "$THREADS"
run rand -t "$THREADS"

echo
python3 - "$DIR" "$THREADS" "$LOAD0 / $(cut -d' ' -f1-3 /proc/loadavg)" <<'PY'
import re, sys
d, threads, load = sys.argv[1], sys.argv[2], sys.argv[3]
def field(text, label):
    m = re.search(r"^" + re.escape(label) + r"\s+(\S+)$", text, re.M)
    return float(m.group(1)) if m else float("nan")
print(f"rados bench, 3 OSDs (rocksdb), size 3, {threads} in flight; load average before / after: {load}")
print(f"{'mode':<6} {'ops':>8} {'ops/s':>9} {'MB/s':>8} {'avg lat ms':>11} {'p99 lat ms':>11} {'max lat ms':>11}")
for mode in ("write", "seq", "rand"):
    t = open(f"{d}/{mode}.out").read()
    ops = field(t, "Total writes made:" if mode == "write" else "Total reads made:")
    secs = field(t, "Total time run:")
    print(f"{mode:<6} {ops:>8.0f} {ops / secs:>9.0f} {field(t, 'Bandwidth (MB/sec):'):>8.2f} "
          f"{field(t, 'Average Latency(s):') * 1000:>11.3f} {field(t, 'p99 latency(s):') * 1000:>11.3f} "
          f"{field(t, 'Max latency(s):') * 1000:>11.3f}")
PY
