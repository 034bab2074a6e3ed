#!/usr/bin/env bash
# Issue "Peering over the wire": PGs of a 3-OSD cluster peer to active+clean; when a PG's primary
# is killed, the monitor marks it down, the PG re-peers with a new primary and stays active (but
# not clean: one replica short); when the OSD comes back every PG is active+clean again.
source "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../lib/cluster-helpers.sh"

run() {
  run_with_free_ports "$@"
}

TEST_primary_killed_and_back() {
  local dir=$1 primary new_primary
  "$CLUSTER" --dir "$dir" up -n 3 --pgs 8 --objectstore memory \
    --mon-port "$MON_PORT" --osd-port-base "$OSD_PORT_BASE" || return 1
  wait_for_clean || return 1
  [ "$(get_num_active_clean)" = 8 ] || return 1

  primary="$(get_primary rbd 0)" || return 1
  "$CLUSTER" --dir "$dir" kill "osd.$primary" || return 1
  TIMEOUT=20 wait_for_osd down "$primary" || return 1
  wait_for_peered || return 1
  new_primary="$(get_primary rbd 0)" || return 1
  [ "$new_primary" != "$primary" ] || return 1
  ! is_clean || return 1

  "$CLUSTER" --dir "$dir" start "osd.$primary" || return 1
  wait_for_clean || return 1
  [ "$(get_num_active_clean)" = 8 ] || return 1
}

main peering "$@"
