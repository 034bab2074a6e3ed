#!/usr/bin/env bash
# Issue "Peering over the wire": write objects, kill a replica, write more, restart it. Every PG
# re-peers; for the PG of an object written while the replica was down, its primary's
# peer_missing (osdctl pg query) lists exactly the objects written meanwhile, with need and have,
# and the PG is active+recovery_wait+degraded (recovery is a later issue; until then an op on an
# object its primary lacks waits, so the test reads only before the restart).
source "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../lib/cluster-helpers.sh"

run() {
  run_with_free_ports "$@"
}

TEST_replica_missed_writes() {
  local dir=$1 pg primary victim i
  "$CLUSTER" --dir "$dir" up -n 3 --pgs 4 --objectstore rocksdb \
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
  # The objects of this PG written while the replica was down, as pg query shows them.
  local expected
  expected="$(for o in obj1 obj7; do [ "$(get_pg rbd "$o")" = "$pg" ] && echo "$o"; done | sort | paste -sd,)"
  osdctl pg query "$pg" > "$dir/query.json" || return 1
  python3 - "$dir/query.json" "$victim" "$expected" <<'PY' || return 1
import json, sys
q = json.load(open(sys.argv[1]))
victim, expected = sys.argv[2], [o for o in sys.argv[3].split(",") if o]
items = q["peer_missing"].get(victim, q["missing"]) if victim in q["peer_missing"] else q["missing"]
names = sorted(i["object"] for i in items)
print("peer_missing of osd." + victim + ":", items)
assert names == expected, (names, expected)
ver = lambda s: tuple(int(x) for x in s.split("'"))
for i in items:
    assert ver(i["need"]) > ver(i["have"]) > (0, 0), i  # it has the first write, needs the second
PY
}

main peer-missing "$@"
