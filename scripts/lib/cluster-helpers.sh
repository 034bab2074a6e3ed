#!/usr/bin/env bash
# Helpers for multi-process script tests, with the names and argument order of Ceph's
# qa/standalone/ceph-helpers.sh. A test sources this file, defines run() and TEST_* functions and
# ends with `main NAME "$@"`. Daemons are started through scripts/cluster and killed by pid file.
#
#   scripts/lib/cluster-helpers.sh TESTS [test_name...]    runs this file's own self-tests
#
# Conventions: every helper returns 1 on error and callers chain `|| return 1`; loops are bounded
# and waits are deadlines (TIMEOUT, WAIT_FOR_CLEAN_TIMEOUT, MAX_TIMEOUT, KILL_DAEMONS_DELAYS),
# so a test can prove a negative with TIMEOUT=1. JPEER_DIR names the cluster the queries talk to;
# setup/run_mon set it, `JPEER_DIR=other wait_for_osd up 0` points one call elsewhere.

HELPERS_LIB="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)"
JPEER_SCRIPTS="$(dirname "$HELPERS_LIB")"
source "$HELPERS_LIB/jpeer-env.sh"
CLUSTER="$JPEER_SCRIPTS/cluster"

TIMEOUT=${TIMEOUT:-60}
WAIT_FOR_CLEAN_TIMEOUT=${WAIT_FOR_CLEAN_TIMEOUT:-90}
MAX_TIMEOUT=${MAX_TIMEOUT:-15}
KILL_DAEMONS_DELAYS=${KILL_DAEMONS_DELAYS:-0.1 0.2 0.4 0.8 1 1 2 3 5 5 10 10 20}
PG_NUM=${PG_NUM:-4}
OSDCTL_JAVA_OPTS="${JPEER_JAVA_OPTS:--XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xshare:auto}"
[ ! -f "$JPEER_ROOT/conf/logback.xml" ] ||
  OSDCTL_JAVA_OPTS+=" -Dlogback.configurationFile=$JPEER_ROOT/conf/logback.xml -Djpeer.log.level=warn"

# ---------------------------------------------------------------- ports

# A port nothing listens on now (the kernel's pick for 127.0.0.1:0).
get_free_port() {
  python3 -c '
import socket
s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

# get_free_port_block N: base of N consecutive free ports in 40000-59999 (random, checked).
get_free_port_block() {
  local n=${1:-100}
  python3 - "$n" <<'EOF'
import random, socket, sys
n = int(sys.argv[1])
def free(p):
    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        s.bind(("127.0.0.1", p)); return True
    except OSError:
        return False
    finally:
        s.close()
for _ in range(200):
    base = random.randrange(40000, 60000 - n)
    if all(free(p) for p in range(base, base + n)):
        print(base); sys.exit(0)
sys.exit("get_free_port_block: no %d free consecutive ports found" % n)
EOF
}

# ---------------------------------------------------------------- processes

# is_alive PID: the process exists and is not a zombie (an exited daemon waiting to be reaped by
# whoever inherited it counts as gone).
is_alive() {
  local state
  state="$(awk '{ print $3 }' "/proc/$1/stat" 2>/dev/null)" || return 1
  [ -n "$state" ] && [ "$state" != Z ] && [ "$state" != X ]
}

# The pid in a pid file if that process is alive, not a zombie, and its command line names DIR
# (so a recycled pid of some other program is never signalled).
pidfile_live_pid() {
  local f=$1 dir=$2 pid state
  [ -s "$f" ] || return 1
  pid="$(head -n1 "$f")"
  [[ $pid =~ ^[0-9]+$ ]] || return 1
  state="$(awk '{ print $3 }' "/proc/$pid/stat" 2>/dev/null)" || return 1
  [ -n "$state" ] && [ "$state" != Z ] || return 1
  tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF "$dir" || return 1
  echo "$pid"
}

# Pid files under DIR whose name matches PREFIX: "osd" (every osd.N), "osd.1" (only that one), "".
matching_pidfiles() {
  local dir=$1 prefix=$2 f name
  while IFS= read -r f; do
    name="$(basename "$f" .pid)"
    if [ -z "$prefix" ] || [ "$name" = "$prefix" ] || [[ $prefix != *.* && $name == "$prefix".* ]]; then
      echo "$f"
    fi
  done < <(find "$dir" -name '*.pid' -type f 2>/dev/null | sort)
}

# kill_daemons DIR [SIGNAL] [PREFIX]: sends SIGNAL (default TERM) to every matching daemon at once.
# For signals that end a process (TERM KILL INT QUIT ABRT) it then probes with signal 0 on the
# growing KILL_DAEMONS_DELAYS schedule and fails if any survives; other signals (STOP, CONT, HUP)
# are only sent. Pid files of daemons that are gone are removed.
kill_daemons() {
  local dir=$1 signal=${2:-TERM} prefix=${3:-} f pid delay
  local -a files=() pids=()
  dir="$(cd "$dir" 2>/dev/null && pwd)" || return 0
  while IFS= read -r f; do
    if pid="$(pidfile_live_pid "$f" "$dir")"; then
      kill -s "$signal" "$pid" 2>/dev/null || { echo "kill_daemons: kill -s $signal $pid failed" >&2; return 1; }
      files+=("$f") pids+=("$pid")
    else
      rm -f "$f"
    fi
  done < <(matching_pidfiles "$dir" "$prefix")
  case "$signal" in
    TERM | KILL | INT | QUIT | ABRT | 9 | 15) ;;
    *) return 0 ;;
  esac
  for delay in $KILL_DAEMONS_DELAYS 0; do
    local alive=0 i
    for i in "${!files[@]}"; do
      [ -n "${files[$i]}" ] || continue
      if pidfile_live_pid "${files[$i]}" "$dir" >/dev/null; then
        alive=1
      else
        rm -f "${files[$i]}"
        files[$i]=""
      fi
    done
    [ $alive = 1 ] || return 0
    sleep "$delay"
  done
  for i in "${!files[@]}"; do
    [ -n "${files[$i]}" ] && echo "kill_daemons: $(basename "${files[$i]}" .pid) (pid ${pids[$i]}) survived $signal" >&2
  done
  return 1
}

# ---------------------------------------------------------------- test lifecycle

# setup DIR: a clean DIR for one test; TERM/HUP/INT tear it down (with logs) and exit.
setup() {
  local dir=$1
  teardown "$dir" >/dev/null 2>&1 || true
  mkdir -p "$dir" || return 1
  export JPEER_DIR
  JPEER_DIR="$(cd "$dir" && pwd)"
  trap "teardown '$JPEER_DIR' 1; exit 1" TERM HUP INT
}

# teardown DIR [DUMPLOGS]: kills every daemon with a pid file under DIR, prints the logs when
# DUMPLOGS=1 (the test failed), reports JVM crash files, removes DIR.
teardown() {
  local dir=$1 dumplogs=${2:-0} crashes rc=0
  [ -d "$dir" ] || return 0
  kill_daemons "$dir" KILL || rc=1
  [ "$dumplogs" = 1 ] && display_logs "$dir"
  crashes="$(find "$dir" \( -name 'hs_err_pid*.log' -o -name 'core' -o -name 'core.[0-9]*' \) 2>/dev/null)"
  if [ -n "$crashes" ]; then
    echo "teardown: crash files in $dir:" $crashes >&2
    [ "$dumplogs" = 1 ] || display_logs "$dir"
    rc=1
  fi
  rm -rf "$dir"
  return $rc
}

# display_logs DIR: every daemon log under DIR (at most DISPLAY_LOG_LINES lines each, the last).
display_logs() {
  local dir=$1 f
  while IFS= read -r f; do
    echo "================ $f ================"
    tail -n "${DISPLAY_LOG_LINES:-1000}" "$f"
  done < <(find "$dir" -maxdepth 2 -name '*.log' -type f 2>/dev/null | sort)
}

# main NAME [TEST_...]: Ceph's test-file entry point. Works in td/NAME (JPEER_TD overrides td),
# traces with file:line:function, keeps outside cluster settings out, runs run() then teardown.
main() {
  local name=$1 code
  shift
  local dir="${JPEER_TD:-$JPEER_ROOT/td}/$name"
  unset JPEER_CLUSTER_DIR JPEER_CONF
  jpeer_ensure_built || return 1
  export JPEER_SKIP_BUILD=1
  PS4='+ ${BASH_SOURCE[0]##*/}:${LINENO}: ${FUNCNAME[0]:-main}: '
  set -x
  if run "$dir" "$@"; then code=0; else code=1; fi
  teardown "$dir" "$code" || code=1
  set +x
  return $code
}

# ---------------------------------------------------------------- daemons

# run_mon DIR ID [cluster init options...]: writes DIR/cluster.conf for a new cluster (ports from
# MON_PORT / OSD_PORT_BASE when set, else free ones; pool defaults from PG_NUM and POOL_SIZE) and
# starts mon.ID. Options go to `scripts/cluster init`, e.g. -o 'osd heartbeat grace = 6'.
run_mon() {
  local dir=$1 id=$2
  shift 2
  [ "$id" = 0 ] || { echo "run_mon: only mon 0 exists in jpeer (got '$id')" >&2; return 1; }
  mkdir -p "$dir" || return 1
  export JPEER_DIR
  JPEER_DIR="$(cd "$dir" && pwd)"
  local mon_port=${MON_PORT:-$(get_free_port)} osd_base=${OSD_PORT_BASE:-$(get_free_port_block 100)}
  "$CLUSTER" --dir "$dir" init -n "${POOL_SIZE:-3}" --pgs "$PG_NUM" \
    --mon-port "$mon_port" --osd-port-base "$osd_base" "$@" || return 1
  "$CLUSTER" --dir "$dir" start "mon.$id" || return 1
}

# run_osd DIR ID [ARGS...]: starts osd.ID (a new OSD if it never existed) and waits until the map
# has it up. ARGS go to the daemon: config overrides such as --osd_heartbeat_grace=6.
run_osd() {
  local dir=$1 id=$2
  shift 2
  JPEER_DAEMON_ARGS="$*" "$CLUSTER" --dir "$dir" start "osd.$id" || return 1
}

# activate_osd DIR ID [ARGS...]: (re)starts an existing OSD from its data dir and waits until the
# map shows the new instance up (a newer up_from than before).
activate_osd() {
  local dir=$1 id=$2
  shift 2
  [ -d "$dir/dev/osd.$id" ] || { echo "activate_osd: no data for osd.$id in $dir/dev" >&2; return 1; }
  JPEER_DAEMON_ARGS="$*" "$CLUSTER" --dir "$dir" restart "osd.$id" || return 1
}

# create_pool NAME PG_NUM [SIZE [MIN_SIZE]]
create_pool() {
  osdctl pool create "$@" || return 1
}

# run_with_free_ports DIR [TEST_...]: the usual run() of a test file. Picks a free mon port and a
# free block of OSD ports, then runs each TEST_ function of the file (or the ones named), each in
# a fresh setup/teardown of DIR.
run_with_free_ports() {
  local dir=$1
  shift
  export MON_PORT OSD_PORT_BASE
  MON_PORT="$(get_free_port)" || return 1
  OSD_PORT_BASE="$(get_free_port_block 100)" || return 1
  local funcs=${*:-$(declare -F | awk '$3 ~ /^TEST_/ { print $3 }')}
  for func in $funcs; do
    setup "$dir" || return 1
    "$func" "$dir" || return 1
    teardown "$dir" || return 1
  done
}

# ---------------------------------------------------------------- queries

# osdctl ARGS...: the real osdctl against the cluster in JPEER_DIR.
osdctl() {
  [ -n "${JPEER_DIR:-}" ] || { echo "osdctl: JPEER_DIR is not set (call setup or run_mon first)" >&2; return 1; }
  # shellcheck disable=SC2086
  java $OSDCTL_JAVA_OPTS -jar "$JPEER_JAR" osdctl --dir "$JPEER_DIR" "$@"
}

# json_get EXPR: evaluates a python expression over the JSON on stdin (bound to d); lists print
# one item per line, booleans as true/false.
json_get() {
  python3 -c '
import json, re, sys
text = sys.stdin.read()
m = re.search(r"^[{\[]", text, re.M)   # skip any stray log line before the document
d = json.JSONDecoder().raw_decode(text[m.start() if m else 0:])[0]
v = eval(sys.argv[1], {"d": d, "len": len, "sum": sum, "sorted": sorted})
def show(x):
    return ("true" if x else "false") if isinstance(x, bool) else str(x)
if isinstance(v, (list, tuple)):
    for x in v: print(show(x))
else:
    print(show(v))
' "$1"
}

get_osd_epoch() {
  osdctl --json osd dump | json_get 'd["epoch"]'
}

# get_osd_state ID: up or down (nothing if the OSD is not in the map).
get_osd_state() {
  osdctl --json osd dump |
    json_get "[('up' if o.get('up') else 'down') for o in d['osds'] if o['osd'] == $1]"
}

get_osd_up_from() {
  osdctl --json osd dump | json_get "[o.get('up_from') for o in d['osds'] if o['osd'] == $1]"
}

# wait_for_osd up|down ID: polls each second, fails after TIMEOUT seconds.
wait_for_osd() {
  local state=$1 id=$2 i status=""
  [[ $state =~ ^(up|down)$ ]] || { echo "wait_for_osd: state must be up or down" >&2; return 1; }
  for ((i = 0; i < TIMEOUT; i++)); do
    status="$(get_osd_state "$id")"
    [ "$status" = "$state" ] && return 0
    sleep 1
  done
  echo "wait_for_osd: osd.$id is '${status:-absent}', not $state, after ${TIMEOUT}s" >&2
  osdctl osd dump >&2
  return 1
}

# get_timeout_delays TIMEOUT FIRST [MAX]: sleeps doubling from FIRST, capped at MAX (MAX_TIMEOUT),
# that add up to TIMEOUT.
get_timeout_delays() {
  python3 - "$1" "$2" "${3:-$MAX_TIMEOUT}" <<'EOF'
import sys
total, d, cap = float(sys.argv[1]), float(sys.argv[2]), float(sys.argv[3])
out, acc = [], 0.0
while acc + 1e-9 < total:
    step = min(d, cap, total - acc)
    out.append(("%.2f" % step).rstrip("0").rstrip("."))
    acc += step
    d *= 2
print(" ".join(out))
EOF
}

# One line "PGID STATE ACTING_PRIMARY ACTING..." per PG.
pg_table() {
  osdctl --json pg dump | python3 -c '
import json, re, sys
text = sys.stdin.read()
m = re.search(r"^[{\[]", text, re.M)
for p in json.JSONDecoder().raw_decode(text[m.start() if m else 0:])[0]["pg_stats"]:
    print(p["pgid"], p["state"], p.get("acting_primary", -1), ",".join(map(str, p.get("acting", []))) or "-")'
}

get_num_pgs() { pg_table | wc -l; }
get_num_active_clean() { pg_table | awk '$2 == "active+clean"' | wc -l; }
is_clean() { # every PG active+clean, and at least one PG
  local t
  t="$(pg_table)" || return 1
  [ -n "$t" ] && awk '$2 != "active+clean" { bad = 1 } END { exit bad }' <<<"$t"
}

cluster_report() {
  echo "================ cluster report ($JPEER_DIR) ================" >&2
  osdctl status >&2
  osdctl osd dump >&2
  osdctl pg dump >&2
  local f
  for f in "$JPEER_DIR"/*.log; do
    [ -f "$f" ] || continue
    echo "----- last 20 lines of $f -----" >&2
    tail -n 20 "$f" >&2
  done
}

# wait_until_pgs PREDICATE_DESC AWK_DONE: shared progress-based loop. Done when AWK_DONE (an awk
# program over pg_table that exits 0) says so; fails when the PG states have not changed for
# WAIT_FOR_CLEAN_TIMEOUT seconds (delays doubling from 0.1 s, capped at MAX_TIMEOUT).
wait_until_pgs() {
  local what=$1 done_prog=$2 table last="" since=$SECONDS delays delay i
  read -r -a delays <<<"$(get_timeout_delays "$WAIT_FOR_CLEAN_TIMEOUT" 0.1)"
  for ((i = 0; i < 10000; i++)); do
    if table="$(pg_table)"; then
      if awk "$done_prog" <<<"$table"; then return 0; fi
      local sig
      sig="$(awk '{ print $1, $2, $4 }' <<<"$table" | sort | md5sum)"
      if [ "$sig" != "$last" ]; then
        last=$sig since=$SECONDS
        read -r -a delays <<<"$(get_timeout_delays "$WAIT_FOR_CLEAN_TIMEOUT" 0.1)"
      fi
    fi
    if [ $((SECONDS - since)) -ge "$WAIT_FOR_CLEAN_TIMEOUT" ] || [ ${#delays[@]} -eq 0 ]; then
      echo "$what: no progress for ${WAIT_FOR_CLEAN_TIMEOUT}s" >&2
      cluster_report
      return 1
    fi
    delay=${delays[0]}
    delays=("${delays[@]:1}")
    sleep "$delay"
  done
  return 1
}

# wait_for_clean: every PG active+clean (and at least one PG), progress-based.
wait_for_clean() {
  wait_until_pgs wait_for_clean 'NF && $2 != "active+clean" { bad = 1 } END { exit (bad || NR == 0) }'
}

# wait_for_peered: every PG active or peered (possibly degraded, undersized...), progress-based.
wait_for_peered() {
  wait_until_pgs wait_for_peered \
    'NF && $2 !~ /(^|\+)(active|peered)(\+|$)/ { bad = 1 } END { exit (bad || NR == 0) }'
}

# wait_for_pg_state PGID STATE: the PG's state string equals STATE (e.g. active+clean).
wait_for_pg_state() {
  local pgid=$1 state=$2
  wait_until_pgs "wait_for_pg_state $pgid $state" \
    "\$1 == \"$pgid\" && \$2 == \"$state\" { ok = 1 } END { exit !ok }"
}

# Pool id of a pool name (or the id itself).
get_pool_id() {
  [[ $1 =~ ^[0-9]+$ ]] && { echo "$1"; return 0; }
  local id
  id="$(osdctl --json osd dump | json_get "[p['pool'] for p in d['pools'] if p['pool_name'] == '$1']")"
  [ -n "$id" ] || { echo "get_pool_id: no pool '$1'" >&2; return 1; }
  echo "$id"
}

full_pgid() { # POOL PGID -> POOLID.SEED (PGID may already be full)
  if [[ $2 == *.* ]]; then echo "$2"; else echo "$(get_pool_id "$1").$2"; fi
}

# get_pg POOL OBJ: the PG an object maps to (osdctl osd map), e.g. 1.3.
get_pg() {
  osdctl --json osd map "$1" "$2" | json_get 'd["pgid"]'
}

# get_osds POOL OBJ: the object's acting OSDs, space separated, primary first.
get_osds() {
  osdctl --json osd map "$1" "$2" | json_get 'd["acting"]' | paste -sd' '
}

# get_primary POOL PGID: the PG's acting primary (PGID as 1.a, or just a within POOL).
get_primary() {
  local pgid p
  pgid="$(full_pgid "$1" "$2")" || return 1
  p="$(pg_table | awk -v pg="$pgid" '$1 == pg { print $3 }')"
  [ -n "$p" ] && [ "$p" != -1 ] || { echo "get_primary: no primary for pg $pgid" >&2; return 1; }
  echo "$p"
}

# get_not_primary POOL PGID: the first acting OSD that is not the primary.
get_not_primary() {
  local pgid o
  pgid="$(full_pgid "$1" "$2")" || return 1
  o="$(pg_table | awk -v pg="$pgid" '$1 == pg { n = split($4, a, ","); for (i = 1; i <= n; i++) if (a[i] != $3 && a[i] != "-") { print a[i]; exit } }')"
  [ -n "$o" ] || { echo "get_not_primary: pg $pgid has no non-primary acting OSD" >&2; return 1; }
  echo "$o"
}

# expect_failure DIR TEXT CMD...: CMD must fail and its output must contain TEXT.
expect_failure() {
  local dir=$1 text=$2 out rc
  shift 2
  out="$("$@" 2>&1)" && rc=0 || rc=$?
  if [ $rc = 0 ]; then
    echo "expect_failure: '$*' succeeded; output: $out" >&2
    return 1
  fi
  if ! grep -qF -- "$text" <<<"$out"; then
    echo "expect_failure: '$*' failed (rc $rc) without '$text'; output: $out" >&2
    return 1
  fi
  return 0
}

# ---------------------------------------------------------------- self-tests

# A stand-in daemon for the process helpers: a bash whose command line names DIR.
start_sleeper() {
  setsid bash -c 'echo $$ >"$0/$1.pid"; exec -a "$0/sleeper" sleep 300' "$1" "$2" </dev/null >/dev/null 2>&1 &
  disown $! 2>/dev/null
  local i
  for i in $(seq 1 50); do [ -s "$1/$2.pid" ] && return 0; sleep 0.05; done
  return 1
}

test_get_free_port() {
  local port
  port="$(get_free_port)" || return 1
  [[ $port =~ ^[0-9]+$ ]] && [ "$port" -gt 0 ] || return 1
  python3 -c "import socket; s = socket.socket(); s.bind(('127.0.0.1', $port))" || return 1
  local base
  base="$(get_free_port_block 10)" || return 1
  [ "$base" -ge 40000 ] && [ "$base" -lt 60000 ] || return 1
}

test_kill_daemons() {
  local dir=$1
  setup "$dir" || return 1
  start_sleeper "$dir" osd.1 || return 1
  start_sleeper "$dir" osd.10 || return 1
  start_sleeper "$dir" mon.0 || return 1
  local p1 p10 pm
  p1="$(cat "$dir/osd.1.pid")" p10="$(cat "$dir/osd.10.pid")" pm="$(cat "$dir/mon.0.pid")"
  # osd.1 must not match osd.10; STOP only signals.
  kill_daemons "$dir" STOP osd.1 || return 1
  [ "$(awk '{ print $3 }' "/proc/$p1/stat")" = T ] || return 1
  kill_daemons "$dir" KILL osd.1 || return 1
  ! is_alive "$p1" || return 1
  [ ! -e "$dir/osd.1.pid" ] || return 1
  is_alive "$p10" || return 1
  kill_daemons "$dir" TERM osd || return 1
  is_alive "$pm" || return 1
  # A pid file naming a process outside DIR (this shell) is never signalled.
  echo $$ >"$dir/osd.7.pid"
  kill_daemons "$dir" || return 1
  kill -0 $$ || return 1
  [ -z "$(find "$dir" -name '*.pid')" ] || return 1
  # A process that ignores TERM makes kill_daemons fail within the schedule.
  setsid bash -c 'trap "" TERM; echo $$ >"$0/osd.2.pid"; while :; do sleep 0.1; done' "$dir" </dev/null >/dev/null 2>&1 &
  local i
  for i in $(seq 1 50); do [ -s "$dir/osd.2.pid" ] && break; sleep 0.05; done
  ! KILL_DAEMONS_DELAYS="0.1 0.2" kill_daemons "$dir" TERM osd.2 || return 1
  kill_daemons "$dir" KILL || return 1
  teardown "$dir" || return 1
}

test_setup_teardown() {
  local dir=$1
  setup "$dir" || return 1
  [ -d "$dir" ] && [ "$JPEER_DIR" = "$(cd "$dir" && pwd)" ] || return 1
  start_sleeper "$dir" osd.0 || return 1
  local pid
  pid="$(cat "$dir/osd.0.pid")"
  echo "a line of osd.0 log" >"$dir/osd.0.log"
  teardown "$dir" 1 | grep -q "a line of osd.0 log" || return 1
  [ ! -d "$dir" ] || return 1
  ! is_alive "$pid" || return 1
}

test_display_logs() {
  local dir=$1
  setup "$dir" || return 1
  echo "hello from mon" >"$dir/mon.0.log"
  echo "hello from osd" >"$dir/osd.3.log"
  local out
  out="$(display_logs "$dir")"
  grep -q "hello from mon" <<<"$out" && grep -q "hello from osd" <<<"$out" || return 1
  teardown "$dir" || return 1
}

test_expect_failure() {
  local dir=$1
  setup "$dir" || return 1
  expect_failure "$dir" "boom" bash -c 'echo boom >&2; exit 3' || return 1
  ! expect_failure "$dir" "boom" bash -c 'echo boom' || return 1
  ! expect_failure "$dir" "boom" bash -c 'echo other; exit 1' || return 1
  teardown "$dir" || return 1
}

test_get_timeout_delays() {
  [ "$(get_timeout_delays 1 0.1)" = "0.1 0.2 0.4 0.3" ] || return 1
  [ "$(get_timeout_delays 40 0.1 15)" = "0.1 0.2 0.4 0.8 1.6 3.2 6.4 12.8 14.5" ] || return 1
}

test_json_get() {
  [ "$(echo '{"a": [1, 2], "b": true}' | json_get 'd["a"]' | paste -sd,)" = "1,2" ] || return 1
  [ "$(echo '{"a": [1, 2], "b": true}' | json_get 'd["b"]')" = true ] || return 1
}

# With real daemons from here on.
test_run_mon() {
  local dir=$1
  setup "$dir" || return 1
  run_mon "$dir" 0 --objectstore memory || return 1
  osdctl status >/dev/null || return 1
  [ "$(get_osd_epoch)" -ge 1 ] || return 1
  expect_failure "$dir" "only mon 0" run_mon "$dir" 1 || return 1
  teardown "$dir" || return 1
}

test_run_osd() {
  local dir=$1
  setup "$dir" || return 1
  run_mon "$dir" 0 --objectstore memory || return 1
  run_osd "$dir" 0 || return 1
  [ "$(get_osd_state 0)" = up ] || return 1
  TIMEOUT=1 wait_for_osd up 0 || return 1
  ! TIMEOUT=2 wait_for_osd down 0 || return 1
  teardown "$dir" || return 1
}

test_wait_for_osd_and_activate() {
  local dir=$1 epoch up_from
  setup "$dir" || return 1
  run_mon "$dir" 0 || return 1
  run_osd "$dir" 0 || return 1
  run_osd "$dir" 1 || return 1
  epoch="$(get_osd_epoch)" up_from="$(get_osd_up_from 1)"
  kill_daemons "$dir" KILL osd.1 || return 1
  wait_for_osd down 1 || return 1
  [ "$(get_osd_epoch)" -gt "$epoch" ] || return 1
  activate_osd "$dir" 1 || return 1
  wait_for_osd up 1 || return 1
  [ "$(get_osd_up_from 1)" -gt "$up_from" ] || return 1
  teardown "$dir" || return 1
}

test_get_primary() {
  local dir=$1 primary other
  setup "$dir" || return 1
  POOL_SIZE=2 run_mon "$dir" 0 --objectstore memory || return 1
  run_osd "$dir" 0 || return 1
  run_osd "$dir" 1 || return 1
  create_pool rbd 4 2 1 || return 1
  wait_for_clean || return 1
  primary="$(get_primary rbd 0)" || return 1
  other="$(get_not_primary rbd 0)" || return 1
  [[ $primary =~ ^[01]$ && $other =~ ^[01]$ && $primary != "$other" ]] || return 1
  [ "$(get_primary rbd "$(get_pool_id rbd).0")" = "$primary" ] || return 1
  ! get_primary rbd 99 || return 1
  is_clean || return 1
  [ "$(get_num_active_clean)" = 4 ] || return 1
  teardown "$dir" || return 1
}

test_wait_for_clean() {
  local dir=$1
  setup "$dir" || return 1
  POOL_SIZE=1 run_mon "$dir" 0 --objectstore memory || return 1
  run_osd "$dir" 0 || return 1
  create_pool one 2 1 1 || return 1
  wait_for_clean || return 1
  wait_for_pg_state "$(get_pool_id one).0" active+clean || return 1
  # A pool that needs two replicas cannot become clean with one OSD.
  create_pool two 2 2 2 || return 1
  ! WAIT_FOR_CLEAN_TIMEOUT=3 wait_for_clean || return 1
  teardown "$dir" || return 1
}

test_get_pg() {
  local dir=$1 pg
  setup "$dir" || return 1
  POOL_SIZE=1 run_mon "$dir" 0 --objectstore memory || return 1
  run_osd "$dir" 0 || return 1
  create_pool rbd 8 1 1 || return 1
  pg="$(get_pg rbd someobject)" || return 1
  [[ $pg =~ ^$(get_pool_id rbd)\.[0-7]$ ]] || return 1
  [ "$(get_osds rbd someobject)" = 0 ] || return 1
  ! get_pg nopool someobject 2>/dev/null || return 1
  teardown "$dir" || return 1
}

# run_tests [test_name...]: every test_* here (or the named ones), each in td/cluster-helpers/NAME.
run_tests() {
  local funcs=${*:-$(declare -F | awk '$3 ~ /^test_/ { print $3 }')} func rc=0
  local base="${JPEER_TD:-$JPEER_ROOT/td}/cluster-helpers"
  PS4='+ ${BASH_SOURCE[0]##*/}:${LINENO}: ${FUNCNAME[0]:-main}: '
  export JPEER_SKIP_BUILD=1
  jpeer_ensure_built || return 1
  for func in $funcs; do
    echo "--- $func ---"
    set -x
    if "$func" "$base/$func"; then
      set +x
      echo "PASS $func"
    else
      set +x
      echo "FAIL $func"
      teardown "$base/$func" 1
      rc=1
    fi
  done
  rm -rf "$base"
  return $rc
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  if [ "${1:-}" = TESTS ]; then
    shift
    run_tests "$@"
    exit $?
  fi
  echo "usage: $0 TESTS [test_name...]   (otherwise source this file from a test script)" >&2
  exit 2
fi
