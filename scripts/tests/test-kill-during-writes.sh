#!/usr/bin/env bash
# Issue "Peering over the wire": SIGKILL the primary of a PG during a stream of writes. The PG
# re-peers on the survivors and the client resends what was in flight; afterwards every
# acknowledged write reads back with its last acknowledged content (no acknowledged write lost),
# and the killed OSD restarts from its store and peers again.
source "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../lib/cluster-helpers.sh"

run() {
  run_with_free_ports "$@"
}

TEST_sigkill_primary_during_writes() {
  local dir=$1 pg primary writer i
  "$CLUSTER" --dir "$dir" up -n 3 --pgs 1 --objectstore rocksdb \
    --mon-port "$MON_PORT" --osd-port-base "$OSD_PORT_BASE" || return 1
  wait_for_clean || return 1
  pg="$(get_pg rbd obj1)" || return 1
  primary="$(get_primary rbd "$pg")" || return 1
  # A stream of writes in one client; each acknowledged write is recorded after its ack.
  (
    for i in $(seq 1 400); do
      echo "put rbd obj$((i % 10)) $dir/payload.$i"
    done > "$dir/batch"
    for i in $(seq 1 400); do echo "write $i" > "$dir/payload.$i"; done
    # batch mode runs the lines in order in one client; a line's success means it was acknowledged
    osdctl - < "$dir/batch" > "$dir/writes.out" 2> "$dir/writes.err"
    echo "exit $?" > "$dir/writes.done"
  ) &
  writer=$!
  # kill once the stream is under way (some writes acknowledged), while it is still running
  for i in $(seq 1 100); do [ -s "$dir/writes.out" ] || [ "$(osdctl --json pg dump | json_get 'd["pg_stats"][0]["last_update"]')" != "0'0" ] && break; sleep 0.1; done
  kill -0 "$writer" 2>/dev/null || { echo "the writes finished before the kill; make the stream longer" >&2; return 1; }
  "$CLUSTER" --dir "$dir" kill "osd.$primary" || return 1
  wait "$writer"
  cat "$dir/writes.err" >&2
  # Lines that failed are reported with their numbers; every other line was acknowledged.
  local failed
  failed="$(grep -o '^line [0-9]*' "$dir/writes.err" | awk '{print $2}' | paste -sd' ')"
  wait_for_peered || return 1
  # The last acknowledged write of each object is what it reads back.
  for o in $(seq 0 9); do
    local want="" n
    for i in $(seq 1 400); do
      [ $((i % 10)) = "$o" ] || continue
      [[ " $failed " == *" $i "* ]] && continue
      want="write $i"
    done
    [ -n "$want" ] || continue
    n="$(osdctl get rbd "obj$o")" || return 1
    [ "$n" = "$want" ] || { echo "obj$o reads '$n', last acknowledged was '$want'" >&2; return 1; }
  done
  # The killed OSD restarts from what its store held at the SIGKILL: it opens it, rejoins and the
  # PG peers again with it (what it missed is in a missing set, nothing it logged is lost).
  local up_from
  up_from="$(get_osd_up_from "$primary")" || return 1
  "$CLUSTER" --dir "$dir" start "osd.$primary" || return 1
  [ "$(get_osd_up_from "$primary")" -gt "$up_from" ] || { echo "osd.$primary did not come back" >&2; return 1; }
  wait_for_peered || return 1
  if grep -E "ERROR|cannot load|could not persist" "$dir/osd.$primary.log"; then
    echo "osd.$primary logged errors after its restart" >&2
    return 1
  fi
  osdctl pg query "$pg" > "$dir/query.json" || return 1
  python3 - "$dir/query.json" "$primary" <<'PY' || return 1
import json, sys
q, killed = json.load(open(sys.argv[1])), int(sys.argv[2])
assert killed in q["acting"], ("the restarted osd is not in acting", q["acting"])
assert q["state"].startswith("active"), q["state"]
ver = lambda s: tuple(int(x) for x in s.split("'"))
lu = ver(q["info"]["last_update"])
for osd, items in list(q["peer_missing"].items()) + [("primary", q["missing"])]:
    for i in items:
        assert i["object"].startswith("obj") and ver(i["need"]) <= lu, (osd, i)
PY
}

main kill-during-writes "$@"
