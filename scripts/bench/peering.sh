#!/usr/bin/env bash
# Peering benchmark: a 3-OSD cluster (RocksDB store) with PGS PGs (default 256), OBJECTS objects
# written (default 200), then one OSD restarted. Prints a table: time from the restart to the OSD
# being up, from up to every PG active again, per-PG time in each peering state (median and max
# over the PGs that re-peered, from `pg query`'s recorded history), and the OSDs' RSS.
#
# Nothing polls the cluster while it peers (an osdctl JVM started every few ms would steal the
# CPU being measured on a small machine): the restart is timed from the daemons' own records, the
# monitor's boot line and each PG's state history, and the script only watches the log files.
set -euo pipefail
source "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../lib/jpeer-env.sh"
jpeer_ensure_built
PGS=${PGS:-256}
OBJECTS=${OBJECTS:-200}
TIMEOUT=${TIMEOUT:-60}
DIR=$(mktemp -d /tmp/jpeer-peering-bench.XXXXXX)
CLUSTER="$JPEER_ROOT/scripts/cluster"
OSDCTL="$JPEER_ROOT/scripts/osdctl"
cleanup() { "$CLUSTER" --dir "$DIR" down >/dev/null 2>&1 || true; [ -n "${KEEP:-}" ] || rm -rf "$DIR"; }
trap cleanup EXIT
now_ms() { date +%s%3N; }

all_active() {
  "$OSDCTL" --dir "$DIR" --json pg dump | python3 -c '
import json, sys
d = json.load(sys.stdin)
sys.exit(0 if d["pg_stats"] and all(p["state"].startswith("active") and "peering" not in p["state"]
         and "activating" not in p["state"] for p in d["pg_stats"]) else 1)'
}
wait_all_active() {
  local deadline=$((SECONDS + TIMEOUT))
  until all_active; do
    [ $SECONDS -lt $deadline ] || { echo "PGs not all active after ${TIMEOUT}s" >&2; exit 1; }
    sleep 0.5
  done
}

"$CLUSTER" --dir "$DIR" up -n 3 --pgs "$PGS" --objectstore rocksdb >/dev/null
for i in $(seq 1 "$OBJECTS"); do echo "put rbd obj$i /etc/hostname"; done | "$OSDCTL" --dir "$DIR" - >/dev/null
wait_all_active
"$CLUSTER" --dir "$DIR" stop osd.1 >/dev/null
wait_all_active
MON_LINES=$(wc -l <"$DIR/mon.0.log")
T0=$(now_ms)
JPEER_NO_WAIT=1 "$CLUSTER" --dir "$DIR" start osd.1 >/dev/null
# Up: the monitor's boot line for osd.1. Peered: each PG logs "all replicas activated" on its
# primary (or goes active alone); the log files are read, the cluster is not asked.
deadline=$((SECONDS + TIMEOUT))
until tail -n +"$((MON_LINES + 1))" "$DIR/mon.0.log" | grep -q " osd.1 boot at "; do
  [ $SECONDS -lt $deadline ] || { echo "osd.1 not up after ${TIMEOUT}s" >&2; tail -5 "$DIR/osd.1.log" >&2; exit 1; }
  sleep 0.1
done
UP_LINE=$(tail -n +"$((MON_LINES + 1))" "$DIR/mon.0.log" | grep -m1 " osd.1 boot at ")
UP_EPOCH=$(sed -E 's/.* e([0-9]+) osd\.1 boot at .*/\1/' <<<"$UP_LINE")
sleep 1 # let peering settle before the first osdctl JVM starts
wait_all_active
PGIDS=$("$OSDCTL" --dir "$DIR" --json pg dump | python3 -c 'import json,sys; [print(p["pgid"]) for p in json.load(sys.stdin)["pg_stats"]]')
for p in $PGIDS; do echo "pg query $p"; done | "$OSDCTL" --dir "$DIR" - > "$DIR/queries.json" 2>/dev/null || true
RSS=$(for f in "$DIR"/osd.*.pid; do ps -o rss= -p "$(cat "$f")"; done | sort -n | tail -1)
python3 - "$DIR/queries.json" "$T0" "$UP_LINE" "$UP_EPOCH" "$PGS" "$RSS" <<'PY'
import json, sys, statistics
from datetime import datetime
queries, t0_ms, up_line, up_epoch, pgs, rss = sys.argv[1], int(sys.argv[2]), sys.argv[3], int(sys.argv[4]), sys.argv[5], int(sys.argv[6])
def ts(s):
    for fmt in ("%Y-%m-%dT%H:%M:%S.%f%z",):
        return datetime.strptime(s.replace("Z", "+0000"), fmt).timestamp() * 1000
up_ms = ts(up_line.split()[0])
text = open(queries).read()
dec = json.JSONDecoder(); pos = 0; docs = []
while pos < len(text):
    while pos < len(text) and text[pos].isspace(): pos += 1
    if pos >= len(text): break
    d, pos = dec.raw_decode(text, pos); docs.append(d)
per_state, total, total_active, active_at = {}, [], [], []
for d in docs:
    hist = d.get("peering_history", [])
    # the peering round that followed the restart: its first GetInfo at or after the boot epoch
    starts = [i for i, h in enumerate(hist) if h["state"].endswith("/Peering/GetInfo") and h["epoch"] >= up_epoch]
    if not starts: continue
    seg = hist[starts[0]:]
    for h in seg:
        if "duration_ms" in h and "/Peering/" in h["state"]:
            per_state.setdefault(h["state"].split("/")[-1], []).append(h["duration_ms"])
    active = [h for h in seg if h["state"] == "Started/Primary/Active"]
    if active:
        t_info = ts(seg[0]["enter_time"]); t_act = ts(active[0]["enter_time"])
        total.append(t_act - t_info)
        # Active is entered at activation; the PG is active once every replica has committed
        # (Activating left), as pg dump reports it.
        acts = [h for h in seg if h["state"].endswith("/Active/Activating") and "exit_time" in h]
        active_at.append(ts(acts[0]["exit_time"]) if acts else t_act)
        total_active.append(active_at[-1] - t_info)
w = 44
print(f"{'peering benchmark (3 OSDs, rocksdb)':<{w}} {'value':>14}")
print(f"{'PGs / OSD restarted':<{w}} {pgs:>14}")
print(f"{'PGs that re-peered (primary history)':<{w}} {len(total):>14}")
print(f"{'restart -> OSD up (ms)':<{w}} {up_ms - t0_ms:>14.0f}")
if active_at:
    print(f"{'OSD up -> every PG active (ms)':<{w}} {max(active_at) - up_ms:>14.0f}")
if total:
    print(f"{'per-PG GetInfo -> Active, median (ms)':<{w}} {statistics.median(total):>14.2f}")
    print(f"{'per-PG GetInfo -> Active, max (ms)':<{w}} {max(total):>14.2f}")
    print(f"{'per-PG GetInfo -> replicas activated, median':<{w}} {statistics.median(total_active):>14.2f}")
    print(f"{'per-PG GetInfo -> replicas activated, max':<{w}} {max(total_active):>14.2f}")
for s in ["GetInfo", "GetLog", "GetMissing", "WaitUpThru"]:
    v = per_state.get(s)
    if v:
        print(f"{'  ' + s + ' median / max (ms)':<{w}} {statistics.median(v):>6.2f} / {max(v):<6.2f}")
print(f"{'largest OSD RSS (MiB)':<{w}} {rss // 1024:>14}")
PY
