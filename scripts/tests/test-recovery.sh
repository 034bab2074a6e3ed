#!/usr/bin/env bash
# Issue "Recovery and backfill", log-based recovery: an OSD misses overwrites, new objects and a
# delete while down; once it is back every PG goes active+clean by itself and every object reads
# back with its last acknowledged content (the deleted one is gone). Once as a replica of the
# written PG, once as its primary (which then pulls what it missed before pushing).
source "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../lib/cluster-helpers.sh"

run() {
  run_with_free_ports "$@"
}

# miss_writes_then_recover DIR primary|replica
miss_writes_then_recover() {
  local dir=$1 role=$2 pg victim i o want
  "$CLUSTER" --dir "$dir" up -n 3 --pgs 4 --objectstore rocksdb -o 'osd recovery max active = 2' \
    --mon-port "$MON_PORT" --osd-port-base "$OSD_PORT_BASE" || return 1
  wait_for_clean || return 1
  # (writes and reads in batch mode: one JVM for many ops)
  for i in $(seq 1 20); do echo "first $i" > "$dir/in.$i"; echo "put rbd obj$i $dir/in.$i"; done | osdctl - || return 1
  pg="$(get_pg rbd obj1)" || return 1
  if [ "$role" = primary ]; then
    victim="$(get_primary rbd "$pg")" || return 1
  else
    victim="$(get_not_primary rbd "$pg")" || return 1
  fi
  "$CLUSTER" --dir "$dir" kill "osd.$victim" || return 1
  TIMEOUT=20 wait_for_osd down "$victim" || return 1
  wait_for_peered || return 1
  {
    for i in $(seq 1 3 20); do echo "second $i" > "$dir/in.$i"; echo "put rbd obj$i $dir/in.$i"; done
    for i in $(seq 21 25); do echo "new $i" > "$dir/in.$i"; echo "put rbd obj$i $dir/in.$i"; done
    echo "rm rbd obj2"
  } | osdctl - || return 1
  "$CLUSTER" --dir "$dir" start "osd.$victim" || return 1
  wait_for_clean || return 1
  for i in $(seq 1 25); do [ "$i" = 2 ] || echo "get rbd obj$i $dir/out.$i"; done | osdctl - || return 1
  for i in $(seq 1 25); do
    [ "$i" = 2 ] && continue
    want="first $i"
    [ $(((i - 1) % 3)) = 0 ] && want="second $i"
    [ "$i" -gt 20 ] && want="new $i"
    o="$(cat "$dir/out.$i")"
    [ "$o" = "$want" ] || { echo "obj$i reads '$o', last acknowledged was '$want'" >&2; return 1; }
  done
  expect_failure "$dir" "no such object" osdctl get rbd obj2 || return 1
  [ "$(osdctl ls rbd | wc -l)" = 24 ] || { echo "expected 24 objects:" $(osdctl ls rbd) >&2; return 1; }
  # Nothing left missing anywhere, and the returning OSD logged no error.
  local p
  for p in $(pg_table | awk '{print $1}'); do echo "pg query $p"; done | osdctl - > "$dir/queries.json" || return 1
  python3 - "$dir/queries.json" <<'PY' || return 1
import json, sys
text, dec, pos = open(sys.argv[1]).read(), json.JSONDecoder(), 0
while pos < len(text):
    while pos < len(text) and text[pos].isspace(): pos += 1
    if pos >= len(text): break
    q, pos = dec.raw_decode(text, pos)
    left = sum(len(m) for m in q["peer_missing"].values()) + len(q["missing"])
    assert left == 0, ("pg " + q["info"]["pgid"] + " still lists missing objects", q["peer_missing"], q["missing"])
PY
  if grep -E "ERROR" "$dir/osd.$victim.log"; then
    echo "osd.$victim logged errors" >&2
    return 1
  fi
}

TEST_replica_missed_writes() {
  miss_writes_then_recover "$1" replica
}

TEST_primary_missed_writes() {
  miss_writes_then_recover "$1" primary
}

main recovery "$@"
