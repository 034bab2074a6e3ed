#!/usr/bin/env bash
# Two clusters in different directories at once, both with automatically chosen ports: distinct
# fsids and ports, each sees only its own OSDs, killing an OSD in one leaves the other alone, and
# stopping one leaves the other running.
source "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../lib/cluster-helpers.sh"

run() {
  local dir=$1
  shift
  local funcs=${*:-$(declare -F | awk '$3 ~ /^TEST_/ { print $3 }')}
  for func in $funcs; do
    setup "$dir" || return 1
    "$func" "$dir" || return 1
    teardown "$dir" || return 1
  done
}

TEST_side_by_side() {
  local dir=$1 a=$1/a b=$1/b
  "$CLUSTER" --dir "$a" up -n 2 --pgs 4 --objectstore memory || return 1
  "$CLUSTER" --dir "$b" up -n 2 --pgs 4 --objectstore memory || return 1

  local conf_a=$a/cluster.conf conf_b=$b/cluster.conf
  [ "$(grep 'fsid' "$conf_a")" != "$(grep 'fsid' "$conf_b")" ] || return 1
  [ "$(grep 'mon host' "$conf_a")" != "$(grep 'mon host' "$conf_b")" ] || return 1
  [ "$(grep 'ms bind port min' "$conf_a")" != "$(grep 'ms bind port min' "$conf_b")" ] || return 1

  local fsid_a fsid_b
  fsid_a="$(JPEER_DIR=$a osdctl --json osd dump | json_get 'd["fsid"]')" || return 1
  fsid_b="$(JPEER_DIR=$b osdctl --json osd dump | json_get 'd["fsid"]')" || return 1
  [ -n "$fsid_a" ] && [ "$fsid_a" != "$fsid_b" ] || return 1
  grep -q "$fsid_a" "$conf_a" && grep -q "$fsid_b" "$conf_b" || return 1
  for d in "$a" "$b"; do
    [ "$(JPEER_DIR=$d osdctl --json status | json_get 'd["osdmap"]["num_up_osds"]')" = 2 ] || return 1
  done

  # Kill osd.0 of a: a marks it down, b's osd.0 stays up.
  "$CLUSTER" --dir "$a" kill osd.0 || return 1
  JPEER_DIR=$a TIMEOUT=20 wait_for_osd down 0 || return 1
  [ "$(JPEER_DIR=$b get_osd_state 0)" = up ] || return 1

  # Stop a entirely: b still answers with both OSDs up.
  "$CLUSTER" --dir "$a" down || return 1
  [ "$(JPEER_DIR=$b osdctl --json status | json_get 'd["osdmap"]["num_up_osds"]')" = 2 ] || return 1
  [ "$("$CLUSTER" --dir "$b" ps | grep -c alive)" = 3 ] || return 1
  "$CLUSTER" --dir "$b" down || return 1
}

main cluster-side-by-side "$@"
