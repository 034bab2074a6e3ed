#!/usr/bin/env bash
# Recovery benchmark: a 3-OSD cluster (RocksDB store, pool rbd of size 3 with PGS PGs, default
# 32), one OSD stopped, OBJECTS objects of BYTES (defaults 10,000 of 4 KiB) written while it is
# down, then the OSD restarted. Prints a table: objects to recover (the primaries' peer_missing
# sums as logged when recovery was queued), time from the restart to the OSD being up, from up
# to the last PG recovered, and the recovery rate in objects/s. MAX_ACTIVE sets
# osd_recovery_max_active.
#
# Like peering.sh, nothing polls the cluster while it recovers: the times come from the daemons'
# logs (the monitor's boot line, each primary's "recovery done"), read once everything is clean.
set -euo pipefail
source "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../lib/jpeer-env.sh"
jpeer_ensure_built
PGS=${PGS:-32}
OBJECTS=${OBJECTS:-10000}
BYTES=${BYTES:-4096}
TIMEOUT=${TIMEOUT:-300}
DIR=$(mktemp -d /tmp/jpeer-recovery-bench.XXXXXX)
CLUSTER="$JPEER_ROOT/scripts/cluster"
OSDCTL="$JPEER_ROOT/scripts/osdctl"
cleanup() { "$CLUSTER" --dir "$DIR" down >/dev/null 2>&1 || true; [ -n "${KEEP:-}" ] || rm -rf "$DIR"; }
trap cleanup EXIT
now_ms() { date +%s%3N; }

all_clean() {
  "$OSDCTL" --dir "$DIR" --json pg dump | python3 -c '
import json, sys
d = json.load(sys.stdin)
sys.exit(0 if d["pg_stats"] and all(p["state"] == "active+clean" for p in d["pg_stats"]) else 1)'
}
wait_all_clean() {
  local deadline=$((SECONDS + TIMEOUT))
  until all_clean; do
    [ $SECONDS -lt $deadline ] || { echo "PGs not all active+clean after ${TIMEOUT}s" >&2; exit 1; }
    sleep 1
  done
}

CLUSTER_OPTS=()
[ -z "${MAX_ACTIVE:-}" ] || CLUSTER_OPTS+=(-o "osd_recovery_max_active = $MAX_ACTIVE")
"$CLUSTER" --dir "$DIR" up -n 3 --pgs "$PGS" --objectstore rocksdb "${CLUSTER_OPTS[@]}" >/dev/null
wait_all_clean
"$CLUSTER" --dir "$DIR" stop osd.1 >/dev/null
T_WRITE=$(now_ms)
"$OSDCTL" --dir "$DIR" bench rbd 600 write -b "$BYTES" -t 16 --max-objects "$OBJECTS" --no-cleanup >"$DIR/write.out"
T_WRITTEN=$(now_ms)
MON_LINES=$(wc -l <"$DIR/mon.0.log")
declare -A OSD_LINES
for f in "$DIR"/osd.*.log; do OSD_LINES[$f]=$(wc -l <"$f"); done
T0=$(now_ms)
JPEER_NO_WAIT=1 "$CLUSTER" --dir "$DIR" start osd.1 >/dev/null
deadline=$((SECONDS + TIMEOUT))
until tail -n +"$((MON_LINES + 1))" "$DIR/mon.0.log" | grep -q " osd.1 boot at "; do
  [ $SECONDS -lt $deadline ] || { echo "osd.1 not up after ${TIMEOUT}s" >&2; tail -5 "$DIR/osd.1.log" >&2; exit 1; }
  sleep 0.2
done
UP_LINE=$(tail -n +"$((MON_LINES + 1))" "$DIR/mon.0.log" | grep -m1 " osd.1 boot at ")
# Wait on the logs (cheap) until every PG has logged its recovery, then confirm with pg dump.
until [ "$(for f in "${!OSD_LINES[@]}"; do tail -n +"$((OSD_LINES[$f] + 1))" "$f"; done \
          | grep -c ' recovery done' || true)" -ge "$PGS" ]; do
  [ $SECONDS -lt $deadline ] || { echo "recovery not done after ${TIMEOUT}s" >&2; exit 1; }
  sleep 0.5
done
wait_all_clean
for f in "${!OSD_LINES[@]}"; do tail -n +"$((OSD_LINES[$f] + 1))" "$f"; done >"$DIR/recovery.log"
RSS=$(for f in "$DIR"/osd.*.pid; do ps -o rss= -p "$(cat "$f")"; done | sort -n | tail -1)
python3 - "$DIR/recovery.log" "$T0" "$UP_LINE" "$OBJECTS" "$BYTES" "$PGS" "$((T_WRITTEN - T_WRITE))" "$RSS" <<'PY'
import re, sys
from datetime import datetime
log, t0, up_line, objects, nbytes, pgs, write_ms, rss = sys.argv[1:9]
def ts(s):
    return datetime.strptime(s.replace("Z", "+0000"), "%Y-%m-%dT%H:%M:%S.%f%z").timestamp() * 1000
up = ts(up_line.split()[0])
queued, first_q, done = 0, None, []
for line in open(log):
    m = re.search(r" recovery queued: (\d+) missing here, (\d+) on replicas", line)
    if m:
        queued += int(m.group(1)) + int(m.group(2))
        first_q = ts(line.split()[0]) if first_q is None else min(first_q, ts(line.split()[0]))
    if " recovery done" in line:
        done.append(ts(line.split()[0]))
last = max(done)
w = 44
print(f"{'recovery benchmark (3 OSDs, rocksdb, size 3)':<{w}} {'value':>12}")
print(f"{'PGs':<{w}} {pgs:>12}")
print(f"{'objects written while the OSD was down':<{w}} {objects:>12} ({int(nbytes)} bytes each, in {int(write_ms) / 1000:.1f} s)")
print(f"{'objects to recover (peer_missing + missing)':<{w}} {queued:>12}")
print(f"{'restart -> OSD up (ms)':<{w}} {up - int(t0):>12.0f}")
print(f"{'OSD up -> first PG recovering (ms)':<{w}} {first_q - up:>12.0f}")
print(f"{'OSD up -> last PG recovered (ms)':<{w}} {last - up:>12.0f}")
print(f"{'recovery rate, first queued -> last done (obj/s)':<{w}} {queued / max(1e-3, (last - first_q) / 1000):>12.0f}")
print(f"{'restart -> all recovered (ms)':<{w}} {last - int(t0):>12.0f}")
print(f"{'largest OSD RSS (MiB)':<{w}} {int(rss) // 1024:>12}")
PY
