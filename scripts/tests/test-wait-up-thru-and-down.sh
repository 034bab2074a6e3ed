#!/usr/bin/env bash
# Issue "Peering over the wire":
# - WaitUpThru: with the monitor holding up_thru grants (mon_debug_up_thru_delay), a new PG's
#   primary, whose up_thru predates the interval, waits in WaitUpThru until the grant arrives.
# - Down: a pool of size 2, min_size 1 on two OSDs. osd.A alone takes a write while osd.B is down,
#   then A stops and B returns: B must not serve, the PG is down, blocked by A; when A returns the
#   PG peers again, degraded: recovery is held (osd_debug_norecover) so B still lacks the object.
source "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../lib/cluster-helpers.sh"

run() {
  run_with_free_ports "$@"
}

TEST_wait_up_thru() {
  local dir=$1
  "$CLUSTER" --dir "$dir" up -n 3 --pgs 2 --objectstore memory -o 'mon debug up thru delay = 0.5' \
    --mon-port "$MON_PORT" --osd-port-base "$OSD_PORT_BASE" || return 1
  wait_for_clean || return 1
  osdctl pg query 1.0 > "$dir/q.json" || return 1
  python3 - "$dir/q.json" <<'PY' || return 1
import json, sys
q = json.load(open(sys.argv[1]))
states = [h["state"] for h in q["peering_history"]]
print(states)
assert "Started/Primary/Peering/WaitUpThru" in states, states
assert q["peering_rounds"][-1]["need_up_thru"] is True
PY
}

TEST_down_until_the_only_writer_returns() {
  local dir=$1 pg a b
  "$CLUSTER" --dir "$dir" up -n 2 --pgs 1 --objectstore rocksdb -o 'osd debug norecover = true' \
    --mon-port "$MON_PORT" --osd-port-base "$OSD_PORT_BASE" || return 1
  osdctl pool create two 1 2 1 || return 1
  wait_for_clean || return 1
  echo "both" | osdctl put two obj - || return 1
  pg="$(get_pg two obj)" || return 1
  a="$(get_primary two "$pg")" || return 1
  b="$(get_not_primary two "$pg")" || return 1
  "$CLUSTER" --dir "$dir" kill "osd.$b" || return 1
  TIMEOUT=20 wait_for_osd down "$b" || return 1
  echo "only on $a" | osdctl put two obj - || return 1
  "$CLUSTER" --dir "$dir" stop "osd.$a" || return 1
  "$CLUSTER" --dir "$dir" start "osd.$b" || return 1
  wait_for_pg_state "$pg" "down" || return 1
  osdctl pg query "$pg" | json_get 'd["recovery_state"][0]["blocked_by"]' | grep -qx "$a" || return 1
  "$CLUSTER" --dir "$dir" start "osd.$a" || return 1
  # Active again; osd.B still lacks what A wrote alone (background recovery is off).
  wait_for_pg_state "$pg" "active+recovery_wait+degraded" || return 1
  osdctl get two obj | grep -q "only on $a" || return 1
}

main wait-up-thru-and-down "$@"
