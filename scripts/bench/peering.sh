#!/usr/bin/env bash
# Peering benchmark: a 3-OSD cluster (RocksDB store) with PGS PGs (default 256), OBJECTS objects
# written (default 200), then one OSD restarted. Prints a table: time from the restart to the OSD
# being up, from up to every PG active again, and per-PG time in each peering state (median and
# max over the PGs that re-peered, from `pg query`'s recorded history), and the OSDs' RSS.
set -euo pipefail
source "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../lib/jpeer-env.sh"
jpeer_ensure_built
PGS=${PGS:-256}
OBJECTS=${OBJECTS:-200}
DIR=$(mktemp -d /tmp/jpeer-peering-bench.XXXXXX)
CLUSTER="$JPEER_ROOT/scripts/cluster"
OSDCTL="$JPEER_ROOT/scripts/osdctl"
cleanup() { "$CLUSTER" --dir "$DIR" down >/dev/null 2>&1 || true; rm -rf "$DIR"; }
trap cleanup EXIT
now_ms() { date +%s%3N; }

"$CLUSTER" --dir "$DIR" up -n 3 --pgs "$PGS" --objectstore rocksdb >/dev/null
for i in $(seq 1 "$OBJECTS"); do echo "put rbd obj$i /etc/hostname"; done | "$OSDCTL" --dir "$DIR" - >/dev/null
all_active() {
  "$OSDCTL" --dir "$DIR" --json pg dump | python3 -c '
import json, sys
d = json.load(sys.stdin)
sys.exit(0 if d["pg_stats"] and all(p["state"].startswith("active") and "peering" not in p["state"]
         and "activating" not in p["state"] for p in d["pg_stats"]) else 1)'
}
osd_up() {
  "$OSDCTL" --dir "$DIR" --json osd dump | python3 -c '
import json, sys
d = json.load(sys.stdin)
sys.exit(0 if [o for o in d["osds"] if o["osd"] == 1 and o["up"] == 1 and o["up_from"] > int(sys.argv[1])] else 1)' "$1"
}
until all_active; do sleep 0.2; done
EPOCH=$("$OSDCTL" --dir "$DIR" --json osd dump | python3 -c 'import json,sys; print(json.load(sys.stdin)["epoch"])')
"$CLUSTER" --dir "$DIR" stop osd.1 >/dev/null
until all_active; do sleep 0.2; done
T0=$(now_ms)
"$CLUSTER" --dir "$DIR" start osd.1 >/dev/null
until osd_up "$EPOCH"; do sleep 0.05; done
T1=$(now_ms)
until all_active; do sleep 0.05; done
T2=$(now_ms)
PGIDS=$("$OSDCTL" --dir "$DIR" --json pg dump | python3 -c 'import json,sys; [print(p["pgid"]) for p in json.load(sys.stdin)["pg_stats"]]')
for p in $PGIDS; do echo "pg query $p"; done | "$OSDCTL" --dir "$DIR" - > "$DIR/queries.json" 2>/dev/null || true
RSS=$(for f in "$DIR"/osd.*.pid; do ps -o rss= -p "$(cat "$f")"; done | sort -n | tail -1)
python3 - "$DIR/queries.json" "$((T1 - T0))" "$((T2 - T1))" "$PGS" "$RSS" <<'PY'
import json, sys, statistics
text = open(sys.argv[1]).read()
dec = json.JSONDecoder(); pos = 0; docs = []
while pos < len(text):
    while pos < len(text) and text[pos].isspace(): pos += 1
    if pos >= len(text): break
    d, pos = dec.raw_decode(text, pos); docs.append(d)
per_state = {}
total = []
for d in docs:
    hist = d.get("peering_history", [])
    # the last peering round: from its last GetInfo entry to Active
    starts = [i for i, h in enumerate(hist) if h["state"].endswith("/Peering/GetInfo")]
    if not starts: continue
    seg = hist[starts[-1]:]
    for h in seg:
        if "duration_ms" in h and "/Peering/" in h["state"]:
            per_state.setdefault(h["state"].split("/")[-1], []).append(h["duration_ms"])
    active = [h for h in seg if h["state"] == "Started/Primary/Active"]
    if active:
        t0 = seg[0]["enter_time"]; t1 = active[0]["enter_time"]
        from datetime import datetime
        f = lambda s: datetime.strptime(s, "%Y-%m-%dT%H:%M:%S.%f%z")
        total.append((f(t1) - f(t0)).total_seconds() * 1000)
print(f"{'peering benchmark (3 OSDs, rocksdb)':<44} {'value':>12}")
print(f"{'PGs / OSD restarted':<44} {sys.argv[4]:>12}")
print(f"{'restart -> OSD up (ms)':<44} {sys.argv[2]:>12}")
print(f"{'OSD up -> every PG active (ms)':<44} {sys.argv[3]:>12}")
if total:
    print(f"{'per-PG GetInfo -> Active, median (ms)':<44} {statistics.median(total):>12.1f}")
    print(f"{'per-PG GetInfo -> Active, max (ms)':<44} {max(total):>12.1f}")
for s in ["GetInfo", "GetLog", "GetMissing", "WaitUpThru"]:
    v = per_state.get(s)
    if v:
        print(f"{'  ' + s + ' median / max (ms)':<44} {statistics.median(v):>6.1f} / {max(v):<5}")
print(f"{'largest OSD RSS (MiB)':<44} {int(sys.argv[5]) // 1024:>12}")
PY
