package io.jpeer.osd;

import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Heartbeat bookkeeping for the OSDs this one shares PGs with (Ceph's heartbeat_peers): when each
 * last answered, and which ones have been reported failed. Pure state; the daemon sends the pings
 * and reports, passing the time in. Not thread-safe: used on the daemon's thread.
 */
final class Heartbeats {
  /** What to do on a tick. */
  record Tick(Set<Integer> ping, Map<Integer, Duration> report, boolean stalled) {}

  private final Duration grace;
  private final Map<Integer, Long> lastReplyNanos = new HashMap<>();
  private final Map<Integer, Long> reportedAtNanos = new HashMap<>();
  private long lastTickNanos;

  private final long stallNanos;

  /** {@code interval}: how often tick is called; a gap well beyond it and half a grace is a stall. */
  Heartbeats(Duration grace, Duration interval) {
    this.grace = grace;
    this.stallNanos = Math.max(grace.toNanos() / 2, 2 * interval.toNanos());
  }

  /** Sets the peers; new ones start their grace now, gone ones are forgotten. */
  void setPeers(Set<Integer> peers, long nowNanos) {
    lastReplyNanos.keySet().retainAll(peers);
    reportedAtNanos.keySet().retainAll(peers);
    for (int p : peers) {
      lastReplyNanos.putIfAbsent(p, nowNanos);
    }
  }

  /** A peer restarted (new up_from): its silence so far no longer counts. */
  void reset(int peer, long nowNanos) {
    if (lastReplyNanos.containsKey(peer)) {
      lastReplyNanos.put(peer, nowNanos);
      reportedAtNanos.remove(peer);
    }
  }

  Set<Integer> peers() {
    return new HashSet<>(lastReplyNanos.keySet());
  }

  /**
   * Peers to ping, and peers silent beyond the grace to report (again each grace period). A tick
   * that comes more than half a grace (and two intervals) after the previous one means this OSD
   * itself stood still (a stopped process, a long pause): the peers' silence meanwhile is its
   * own, so their grace starts again now instead of being reported.
   */
  Tick tick(long nowNanos) {
    boolean stalled = lastTickNanos != 0 && nowNanos - lastTickNanos > stallNanos;
    lastTickNanos = nowNanos;
    if (stalled) {
      lastReplyNanos.replaceAll((p, t) -> Math.max(t, nowNanos));
    }
    Map<Integer, Duration> report = new HashMap<>();
    for (Map.Entry<Integer, Long> e : lastReplyNanos.entrySet()) {
      long silent = nowNanos - e.getValue();
      if (silent > grace.toNanos()) {
        Long reported = reportedAtNanos.get(e.getKey());
        if (reported == null || nowNanos - reported > grace.toNanos()) {
          reportedAtNanos.put(e.getKey(), nowNanos);
          report.put(e.getKey(), Duration.ofNanos(silent));
        }
      }
    }
    return new Tick(peers(), report, stalled);
  }

  /** A reply arrived; returns true when the peer had been reported (the report must be cancelled). */
  boolean replied(int peer, long nowNanos) {
    if (!lastReplyNanos.containsKey(peer)) {
      return false;
    }
    lastReplyNanos.put(peer, nowNanos);
    return reportedAtNanos.remove(peer) != null;
  }
}
