#!/usr/bin/env bash
# vstart.sh: Ceph's habit on top of `scripts/cluster up`:  MON=1 OSD=3 scripts/vstart.sh -n -d
# OSD (default 3) and MON (only 1) from the environment; the cluster dir is --dir, $VSTART_DEST or
# out/. Flags: -n/--new (always: every start is a fresh cluster, a running one is stopped first),
# -d/--debug, -l/--localhost (always 127.0.0.1), -o 'key = value', --memstore, -b/--rocksdb,
# --pgs N (pool rbd), --mon-port P, --osd-port-base P.
set -euo pipefail
cluster="$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/cluster"
[ "${MON:-1}" = 1 ] || { echo "vstart.sh: jpeer runs exactly one monitor (MON=${MON})" >&2; exit 2; }
dir=(); [ -z "${VSTART_DEST:-}" ] || dir=(--dir "$VSTART_DEST")
args=(-n "${OSD:-3}")
while [ $# -gt 0 ]; do
  case "$1" in
    -n | --new | -l | --localhost | -X) ;;
    -d | --debug) args+=(-d) ;;
    --memstore) args+=(--objectstore memory) ;;
    -b | --bluestore | --rocksdb) args+=(--objectstore rocksdb) ;;
    -o | --pgs | --mon-port | --osd-port-base)
      [ $# -ge 2 ] || { echo "vstart.sh: $1 needs a value" >&2; exit 2; }
      args+=("$1" "$2"); shift ;;
    --dir) [ $# -ge 2 ] || { echo "vstart.sh: --dir needs a directory" >&2; exit 2; }; dir=(--dir "$2"); shift ;;
    *) echo "vstart.sh: unknown option '$1' (see the header of $0)" >&2; exit 2 ;;
  esac
  shift
done
"$cluster" "${dir[@]}" down
exec "$cluster" "${dir[@]}" up "${args[@]}"
