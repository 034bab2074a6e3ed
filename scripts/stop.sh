#!/usr/bin/env bash
# stop.sh [all|osd|mon|osd.N|mon.0]: Ceph's stop.sh on top of scripts/cluster, by pid file.
# The cluster dir is --dir DIR, $VSTART_DEST or out/.
set -euo pipefail
cluster="$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/cluster"
dir=(); [ -z "${VSTART_DEST:-}" ] || dir=(--dir "$VSTART_DEST")
if [ "${1:-}" = --dir ]; then
  [ $# -ge 2 ] || { echo "stop.sh: --dir needs a directory" >&2; exit 2; }
  dir=(--dir "$2"); shift 2
fi
case "${1:-all}" in
  all) exec "$cluster" "${dir[@]}" down ;;
  osd | mon | osd.[0-9]* | mon.0) exec "$cluster" "${dir[@]}" stop "$1" ;;
  *) echo "stop.sh: unknown argument '$1' (all, osd, mon, osd.N or mon.0)" >&2; exit 2 ;;
esac
