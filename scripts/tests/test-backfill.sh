#!/usr/bin/env bash
# Issue "Recovery and backfill", backfill: with PG logs trimmed to a few entries, an OSD that was
# down while many objects changed returns behind the primary's log tail. Its PG asks the monitor
# for pg_temp (acting without it), backfills it in object order (pushes what differs, deletes
# what is gone), clears pg_temp, and ends active+clean with every object reading back as last
# acknowledged; pg query shows Backfilling in the PG's history and last_backfill MAX on the OSD.
source "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../lib/cluster-helpers.sh"

run() {
  run_with_free_ports "$@"
}

TEST_backfill_an_osd_behind_the_log_tail() {
  local dir=$1 pg victim primary i o want
  "$CLUSTER" --dir "$dir" up -n 3 --pgs 1 --objectstore rocksdb \
    -o 'osd min pg log entries = 5' -o 'osd max pg log entries = 10' \
    --mon-port "$MON_PORT" --osd-port-base "$OSD_PORT_BASE" || return 1
  wait_for_clean || return 1
  for i in $(seq 1 30); do echo "first $i" > "$dir/in.$i"; echo "put rbd obj$i $dir/in.$i"; done | osdctl - || return 1
  pg="$(get_pg rbd obj1)" || return 1
  victim="$(get_not_primary rbd "$pg")" || return 1
  primary="$(get_primary rbd "$pg")" || return 1
  "$CLUSTER" --dir "$dir" kill "osd.$victim" || return 1
  TIMEOUT=20 wait_for_osd down "$victim" || return 1
  wait_for_peered || return 1
  {
    for i in $(seq 1 2 30); do echo "second $i" > "$dir/in.$i"; echo "put rbd obj$i $dir/in.$i"; done
    for i in $(seq 31 130); do echo "new $i" > "$dir/in.$i"; echo "put rbd obj$i $dir/in.$i"; done
    for i in $(seq 2 10 30); do echo "rm rbd obj$i"; done
  } | osdctl - || return 1
  "$CLUSTER" --dir "$dir" start "osd.$victim" || return 1
  wait_for_clean || return 1
  for i in $(seq 1 130); do [ $((i % 10)) = 2 ] && [ "$i" -le 30 ] || echo "get rbd obj$i $dir/out.$i"; done \
    | osdctl - || return 1
  for i in $(seq 1 130); do
    [ $((i % 10)) = 2 ] && [ "$i" -le 30 ] && continue
    want="first $i"
    [ $((i % 2)) = 1 ] && want="second $i"
    [ "$i" -gt 30 ] && want="new $i"
    o="$(cat "$dir/out.$i")"
    [ "$o" = "$want" ] || { echo "obj$i reads '$o', last acknowledged was '$want'" >&2; return 1; }
  done
  expect_failure "$dir" "no such object" osdctl get rbd obj2 || return 1
  [ "$(osdctl ls rbd | wc -l)" = 127 ] || { echo "expected 127 objects, got $(osdctl ls rbd | wc -l)" >&2; return 1; }
  # The log could not have served: the primary backfilled, under pg_temp, and cleared it after.
  grep -q "backfill done to osd.\[$victim\]" "$dir/osd.$primary.log" \
    || { echo "osd.$primary never finished a backfill to osd.$victim" >&2; return 1; }
  grep -q "pg $pg pg_temp cleared" "$dir/mon.0.log" \
    || { echo "the monitor never cleared pg_temp" >&2; return 1; }
  osdctl osd dump --json > "$dir/osd-dump.json" || return 1
  osdctl pg query "$pg" > "$dir/q.json" || return 1
  osdctl pg dump --json > "$dir/pg-dump.json" || return 1
  python3 - "$dir/osd-dump.json" "$dir/q.json" "$victim" "$dir/pg-dump.json" <<'PY' || return 1
import json, sys
dump, q, victim = json.load(open(sys.argv[1])), json.load(open(sys.argv[2])), int(sys.argv[3])
pgs = json.load(open(sys.argv[4]))["pg_stats"]
assert dump["pg_temp"] == [], ("pg_temp left", dump["pg_temp"])
states = [h["state"] for h in q["peering_history"]]
assert "Started/Primary/Active/Backfilling" in states, states
assert victim in q["acting"], q["acting"]
peer = [p for p in q["peer_info"] if p["peer"] == str(victim) or p["peer"] == victim][0]
assert peer["last_backfill"] == "MAX", peer["last_backfill"]
# (the stats report lags the last writes by a few entries at most)
assert all(p["log_size"] <= 20 for p in pgs), [(p["pgid"], p["log_size"]) for p in pgs]
# The primary counted every copy it backfilled (the monitor's recovery rate comes from these).
recovered = sum(p["stat_sum"]["num_objects_recovered"] for p in pgs)
assert recovered >= 100, ("objects recovered", recovered)
assert all(p["stat_sum"]["num_objects_degraded"] == 0 and p["stat_sum"]["num_objects_misplaced"] == 0 for p in pgs)
PY
  if grep -E "ERROR" "$dir/osd.$victim.log"; then
    echo "osd.$victim logged errors" >&2
    return 1
  fi
}

# Logs trimmed to a few entries: an OSD new to a PG cannot be recovered from the log.
SHORT_LOGS=(-o 'osd min pg log entries = 5' -o 'osd max pg log entries = 10')

# write_objects DIR N: obj1..objN, "content i"; read_back DIR N: they read back so, and nothing else is there.
write_objects() {
  local dir=$1 n=$2 i
  for i in $(seq 1 "$n"); do echo "content $i" > "$dir/in.$i"; echo "put rbd obj$i $dir/in.$i"; done | osdctl -
}

read_back() {
  local dir=$1 n=$2 i o
  for i in $(seq 1 "$n"); do echo "get rbd obj$i $dir/out.$i"; done | osdctl - || return 1
  for i in $(seq 1 "$n"); do
    o="$(cat "$dir/out.$i")"
    [ "$o" = "content $i" ] || { echo "obj$i reads '$o', last acknowledged was 'content $i'" >&2; return 1; }
  done
  [ "$(osdctl ls rbd | wc -l)" = "$n" ] || { echo "expected $n objects, got $(osdctl ls rbd | wc -l)" >&2; return 1; }
}

TEST_a_new_osd_takes_its_pgs_by_backfill() {
  local dir=$1 pg n
  "$CLUSTER" --dir "$dir" up -n 3 --pgs 16 --objectstore rocksdb "${SHORT_LOGS[@]}" \
    --mon-port "$MON_PORT" --osd-port-base "$OSD_PORT_BASE" || return 1
  wait_for_clean || return 1
  write_objects "$dir" 200 || return 1
  "$CLUSTER" --dir "$dir" start osd.3 || return 1
  TIMEOUT=30 wait_for_osd up 3 || return 1
  wait_for_clean || return 1
  # Some PGs moved to osd.3, which got their objects by backfill (its log was empty).
  n=$(pg_table | awk '$4 ~ /(^|,)3(,|$)/' | wc -l)
  [ "$n" -gt 0 ] || { echo "no PG maps to the new osd.3:"; pg_table; return 1; } >&2
  grep -q "backfill done to osd.\[.*3.*\]" "$dir"/osd.[0-2].log \
    || { echo "no primary backfilled osd.3" >&2; return 1; }
  read_back "$dir" 200 || return 1
  osdctl osd dump --json > "$dir/osd-dump.json" || return 1
  python3 -c 'import json,sys; t=json.load(open(sys.argv[1]))["pg_temp"]; assert t == [], t' "$dir/osd-dump.json" \
    || return 1
}

TEST_marking_an_osd_out_moves_its_pgs() {
  local dir=$1 n
  "$CLUSTER" --dir "$dir" up -n 4 --pgs 16 --objectstore rocksdb "${SHORT_LOGS[@]}" \
    --mon-port "$MON_PORT" --osd-port-base "$OSD_PORT_BASE" || return 1
  wait_for_clean || return 1
  write_objects "$dir" 200 || return 1
  osdctl osd out 1 || return 1
  wait_for_clean || return 1
  # No PG keeps osd.1 (out, though still up), and every object is where its PG now is.
  n=$(pg_table | awk '$4 ~ /(^|,)1(,|$)/' | wc -l)
  [ "$n" = 0 ] || { echo "PGs still on osd.1 after it was marked out:"; pg_table; return 1; } >&2
  grep -q "backfill done" "$dir"/osd.[023].log || { echo "no PG was backfilled" >&2; return 1; }
  read_back "$dir" 200 || return 1
  # And back in: the PGs return to osd.1 (which still has a log and objects), clean again.
  osdctl osd in 1 || return 1
  wait_for_clean || return 1
  n=$(pg_table | awk '$4 ~ /(^|,)1(,|$)/' | wc -l)
  [ "$n" -gt 0 ] || { echo "no PG returned to osd.1:"; pg_table; return 1; } >&2
  read_back "$dir" 200 || return 1
}

main backfill "$@"
