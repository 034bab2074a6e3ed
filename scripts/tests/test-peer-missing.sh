#!/usr/bin/env bash
# Issue "Peering over the wire": write objects, kill a replica, write more, restart it. Every PG
# re-peers; for the PG of an object written while the replica was down, its primary's
# peer_missing (osdctl pg query) lists exactly the objects written meanwhile, with need and have
# (every other PG: nothing), GetMissing asked it for its log, and the PG is
# active+recovery_wait+degraded: osd_debug_norecover (Ceph's norecover flag) keeps recovery from
# repairing what the test looks at; it reads only before the restart, as an op on an object its
# primary lacks would have that object recovered.
source "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../lib/cluster-helpers.sh"

run() {
  run_with_free_ports "$@"
}

TEST_replica_missed_writes() {
  local dir=$1 pg primary victim i
  "$CLUSTER" --dir "$dir" up -n 3 --pgs 4 --objectstore rocksdb -o 'osd debug norecover = true' \
    --mon-port "$MON_PORT" --osd-port-base "$OSD_PORT_BASE" || return 1
  wait_for_clean || return 1
  for i in 1 2 3 4 5 6; do echo "first $i" | osdctl put rbd "obj$i" - || return 1; done
  pg="$(get_pg rbd obj1)" || return 1
  primary="$(get_primary rbd "$pg")" || return 1
  victim="$(get_not_primary rbd "$pg")" || return 1
  "$CLUSTER" --dir "$dir" kill "osd.$victim" || return 1
  TIMEOUT=20 wait_for_osd down "$victim" || return 1
  wait_for_peered || return 1
  # Writes go on with two of three copies (min_size 2).
  for i in 1 7; do echo "second $i" | osdctl put rbd "obj$i" - || return 1; done
  osdctl get rbd obj1 | grep -q "second 1" || return 1
  osdctl get rbd obj7 | grep -q "second 7" || return 1
  "$CLUSTER" --dir "$dir" start "osd.$victim" || return 1
  wait_for_pg_state "$pg" "active+recovery_wait+degraded" || return 1
  # Every PG: its primary's peer_missing for the returning replica lists exactly the objects of
  # that PG written while it was down (none for the others), with need > have.
  local p
  for p in $(pg_table | awk '{print $1}'); do
    local expected
    expected="$(for o in obj1 obj7; do [ "$(get_pg rbd "$o")" = "$p" ] && echo "$o"; done | sort | paste -sd,)"
    [ -n "$expected" ] || wait_for_pg_state "$p" "active+clean" || return 1
    osdctl pg query "$p" > "$dir/query.$p.json" || return 1
    python3 - "$dir/query.$p.json" "$victim" "$expected" <<'PY' || return 1
import json, sys
q = json.load(open(sys.argv[1]))
victim, expected = sys.argv[2], [o for o in sys.argv[3].split(",") if o]
pg = q["info"]["pgid"]
assert int(victim) in q["acting"], (pg, "returning osd not in acting", q["acting"])
# Where the returning OSD is the primary again, what it missed is its own missing set.
primary = q["acting"][0]
items = q["missing"] if primary == int(victim) else q["peer_missing"].get(victim, [])
names = sorted(i["object"] for i in items)
print(f"pg {pg}: primary osd.{primary}, missing on osd.{victim}: {items}")
assert names == expected, (pg, names, expected)
ver = lambda s: tuple(int(x) for x in s.split("'"))
for i in items:
    # obj1 it had (first write), needs the second; obj7 was created while it was down
    floor = (0, 0) if i["object"] == "obj7" else (0, 1)
    assert ver(i["need"]) > ver(i["have"]) >= floor, i
    assert i["object"] != "obj7" or i["have"] == "0'0", i
others = [(o, m) for o, m in q["peer_missing"].items() if o != victim and m] + \
    ([("primary", q["missing"])] if primary != int(victim) and q["missing"] else [])
assert not others, (pg, "only the returning OSD misses objects", others)
# The round after the restart went GetInfo -> GetLog -> GetMissing -> (WaitUpThru) -> Active, and
# GetMissing asked the returning replica for its log since its last_epoch_started.
hist = q["peering_history"]
starts = [k for k, h in enumerate(hist) if h["state"].endswith("/Peering/GetInfo")]
assert starts, (pg, "no GetInfo in the history")
seq = [h["state"].split("/")[-1] for h in hist[starts[-1]:]]
order = [s for s in seq if s in ("GetInfo", "GetLog", "GetMissing", "WaitUpThru", "Active")]
assert order[:3] == ["GetInfo", "GetLog", "GetMissing"] and "Active" in order, (pg, seq)
gm = [h for h in hist[starts[-1]:] if h["state"].endswith("/GetMissing")][0]
if expected and primary != int(victim):
    decision = gm.get("get_missing", {}).get(victim, {}).get("decision")
    assert decision == "query_log", (pg, gm)
PY
  done
}

main peer-missing "$@"
