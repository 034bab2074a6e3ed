#!/usr/bin/env bash
# Issue "A running cluster": scripts/cluster up with 3 OSDs; the map shows them up and in with the
# pool's PGs; an OSD killed with SIGKILL is marked down by the monitor within the heartbeat grace
# and the epoch advances; restarted, it comes back with a higher up_from; garbage frames sent to
# daemon ports stop nothing; `cluster down` leaves no process.
source "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../lib/cluster-helpers.sh"

run() {
  run_with_free_ports "$@"
}

# send_garbage PORT: three bad connections: an absurd length prefix, a frame whose payload is not
# an envelope, and half a frame then a close. The daemon may close them; it must not die.
send_garbage() {
  python3 - "$1" <<'PY'
import os, socket, struct, sys
port = int(sys.argv[1])
for payload in (b"\xff\xff\xff\xff" + os.urandom(64),
                struct.pack(">I", 16) + os.urandom(16),
                struct.pack(">I", 1000) + b"half a frame"):
    s = socket.create_connection(("127.0.0.1", port), timeout=3)
    try:
        s.sendall(payload)
        s.recv(4096)          # whatever comes back (error frame, close) is fine
    except (socket.timeout, ConnectionError):
        pass
    finally:
        s.close()
print("sent garbage to port", port)
PY
}

osd_port() { # ID: port of the OSD's public address in the map ("127.0.0.1:6801/123" or without nonce)
  osdctl --json osd dump |
    json_get "[o['public_addr'].split('/')[0].rsplit(':', 1)[1] for o in d['osds'] if o['osd'] == $1]"
}

TEST_up_kill_restart_down() {
  local dir=$1 json epoch up_from pid0 up_from0 port t0 took
  "$CLUSTER" --dir "$dir" up -n 3 --pgs 8 --mon-port "$MON_PORT" --osd-port-base "$OSD_PORT_BASE" || return 1
  [ -f "$dir/jpeer_environment.sh" ] || return 1

  json="$(osdctl --json status)" || return 1
  [ "$(json_get 'd["osdmap"]["num_osds"]' <<<"$json")" = 3 ] || return 1
  [ "$(json_get 'd["osdmap"]["num_up_osds"]' <<<"$json")" = 3 ] || return 1
  [ "$(json_get 'd["osdmap"]["num_in_osds"]' <<<"$json")" = 3 ] || return 1
  [ "$(json_get 'd["pgmap"]["num_pgs"]' <<<"$json")" = 8 ] || return 1
  [ "$(json_get 'sum(s["count"] for s in d["pgmap"]["pgs_by_state"])' <<<"$json")" = 8 ] || return 1
  [ "$(osdctl --json osd dump | json_get '[p["pool_name"] for p in d["pools"]]')" = rbd ] || return 1

  # Garbage on the wire: an OSD port and the monitor port.
  pid0="$(cat "$dir/osd.0.pid")" up_from0="$(get_osd_up_from 0)"
  port="$(osd_port 0)" || return 1
  [ -n "$port" ] || return 1
  send_garbage "$port" || return 1
  send_garbage "$MON_PORT" || return 1

  # SIGKILL osd.1: marked down within the heartbeat grace (4 s) plus reporting slack.
  epoch="$(get_osd_epoch)" up_from="$(get_osd_up_from 1)"
  t0=$SECONDS
  "$CLUSTER" --dir "$dir" kill osd.1 || return 1
  TIMEOUT=20 wait_for_osd down 1 || return 1
  took=$((SECONDS - t0))
  echo "osd.1 marked down ${took}s after SIGKILL"
  [ "$(get_osd_epoch)" -gt "$epoch" ] || return 1

  # Restart: up again, as a new instance.
  "$CLUSTER" --dir "$dir" start osd.1 || return 1
  wait_for_osd up 1 || return 1
  [ "$(get_osd_up_from 1)" -gt "$up_from" ] || return 1

  # osd.0 took the garbage and lived through all of this without being restarted or marked down.
  is_alive "$pid0" || return 1
  [ "$(cat "$dir/osd.0.pid")" = "$pid0" ] || return 1
  [ "$(get_osd_state 0)" = up ] && [ "$(get_osd_up_from 0)" = "$up_from0" ] || return 1
  "$CLUSTER" --dir "$dir" ps | grep -q '^mon\.0 .* alive' || return 1

  # down: every daemon gone, no pid file left.
  local pids
  pids="$(cat "$dir"/*.pid)"
  "$CLUSTER" --dir "$dir" down || return 1
  local p
  for p in $pids; do
    ! is_alive "$p" || return 1
  done
  [ -z "$(find "$dir" -name '*.pid')" ] || return 1
  [ "$("$CLUSTER" --dir "$dir" ps | grep -c alive)" = 0 ] || return 1
}

TEST_refuses_second_up_and_bad_arguments() {
  local dir=$1 rc
  "$CLUSTER" --dir "$dir" up -n 1 --pgs 4 --objectstore memory \
    --mon-port "$MON_PORT" --osd-port-base "$OSD_PORT_BASE" || return 1
  expect_failure "$dir" "is running" "$CLUSTER" --dir "$dir" up -n 1 || return 1
  "$CLUSTER" --dir "$dir" up -n zero >/dev/null 2>&1 && return 1
  rc=$?; [ $rc = 2 ] || return 1
  "$CLUSTER" --dir "$dir" stop osd.x >/dev/null 2>&1
  rc=$?; [ $rc = 2 ] || return 1
  [ "$("$CLUSTER" --dir "$dir" bogus 2>&1 | wc -l)" = 1 ] || return 1
  "$CLUSTER" --dir "$dir" down || return 1
}

# The Ceph-habit aliases: vstart.sh (counts from the environment) and stop.sh by kind.
TEST_vstart_and_stop() {
  local dir=$1 mon_pid
  VSTART_DEST=$dir OSD=1 "$JPEER_SCRIPTS/vstart.sh" -n -l --memstore --pgs 4 \
    --mon-port "$MON_PORT" --osd-port-base "$OSD_PORT_BASE" || return 1
  [ "$(get_osd_state 0)" = up ] || return 1
  mon_pid="$(cat "$dir/mon.0.pid")"
  VSTART_DEST=$dir "$JPEER_SCRIPTS/stop.sh" osd || return 1
  [ ! -e "$dir/osd.0.pid" ] && is_alive "$mon_pid" || return 1
  VSTART_DEST=$dir "$JPEER_SCRIPTS/stop.sh" || return 1
  ! is_alive "$mon_pid" || return 1
  MON=3 expect_failure "$dir" "exactly one monitor" "$JPEER_SCRIPTS/vstart.sh" || return 1
}

main cluster-basic "$@"
