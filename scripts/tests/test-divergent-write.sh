#!/usr/bin/env bash
# Issue "Peering over the wire": a divergent write. The primary logs and applies a write that no
# replica ever sees (osd_debug_drop_repop), then dies before acknowledging it. The replicas peer
# without it and take another write. When the old primary returns it finds that entry divergent:
# it rewinds its log and marks the object missing at the version before it (Ceph's divergent
# case 5: it cannot roll back, so the object must be recovered). Held in recovery_wait
# (osd_debug_norecover) for the check, then restarted without it: it pulls the object back and
# the PG ends active+clean with the acknowledged content.
source "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../lib/cluster-helpers.sh"

run() {
  run_with_free_ports "$@"
}

TEST_divergent_entry_is_rewound() {
  local dir=$1 pg primary writer v1 lu
  "$CLUSTER" --dir "$dir" up -n 3 --pgs 1 --objectstore rocksdb \
    --mon-port "$MON_PORT" --osd-port-base "$OSD_PORT_BASE" || return 1
  wait_for_clean || return 1
  echo "first" | osdctl put rbd obj - || return 1
  pg="$(get_pg rbd obj)" || return 1
  primary="$(get_primary rbd "$pg")" || return 1
  v1="$(osdctl pg query "$pg" | json_get 'd["info"]["last_update"]')" || return 1
  # The primary comes back with the fault on: its writes stay local.
  JPEER_DAEMON_ARGS="--osd_debug_drop_repop=true" "$CLUSTER" --dir "$dir" restart "osd.$primary" || return 1
  wait_for_clean || return 1
  # The client gives up after 1 s without an ack (so it never resends to the next primary).
  ( osdctl --timeout 1 put rbd obj - <<< "never acknowledged" ) &
  writer=$!
  for i in $(seq 1 100); do
    lu="$(osdctl pg query "$pg" | json_get 'd["info"]["last_update"]')"
    [ "$lu" != "$v1" ] && break
    sleep 0.1
  done
  [ "$lu" != "$v1" ] || { echo "the primary never logged the write" >&2; return 1; }
  wait "$writer" && { echo "the write was acknowledged but no replica has it" >&2; return 1; }
  "$CLUSTER" --dir "$dir" kill "osd.$primary" || return 1
  TIMEOUT=20 wait_for_osd down "$primary" || return 1
  wait_for_peered || return 1
  echo "second" | osdctl put rbd other - || return 1
  # Back without the fault: the entry it alone logged is divergent.
  JPEER_DAEMON_ARGS="--osd_debug_norecover=true" "$CLUSTER" --dir "$dir" start "osd.$primary" || return 1
  wait_for_pg_state "$pg" "active+recovery_wait+degraded" || return 1
  osdctl pg query "$pg" > "$dir/query.json" || return 1
  python3 - "$dir/query.json" "$v1" "$lu" <<'PY' || return 1
import json, sys
q, v1, divergent = json.load(open(sys.argv[1])), sys.argv[2], sys.argv[3]
missing = {m["object"]: m for m in q["missing"]}
print("primary's missing:", missing, "divergent version:", divergent)
assert "obj" in missing, missing
assert missing["obj"]["need"] == v1 and missing["obj"]["have"] == "0'0", missing["obj"]
assert q["info"]["last_update"] != divergent
PY
  # With recovery: the object comes back at the last acknowledged version, everywhere.
  "$CLUSTER" --dir "$dir" restart "osd.$primary" || return 1
  wait_for_clean || return 1
  [ "$(osdctl get rbd obj)" = "first" ] || { echo "obj does not read back as 'first'" >&2; return 1; }
  [ "$(osdctl get rbd other)" = "second" ] || return 1
}

main divergent-write "$@"
