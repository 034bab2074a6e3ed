package io.jpeer.core.interval;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Ceph's PriorSet: which OSDs to probe for this peering, which interesting OSDs are down, and
 * whether the PG must wait (Down) because some interval that may have accepted writes after the
 * newest known activation has no reachable member. {@code blockedBy} maps each blocking OSD to its
 * lost_at (marking it lost would unblock).
 */
public record PriorSet(Set<Integer> probe, Set<Integer> down, Map<Integer, Long> blockedBy, boolean pgDown) {
  public PriorSet {
    probe = Collections.unmodifiableSet(new TreeSet<>(probe));
    down = Collections.unmodifiableSet(new TreeSet<>(down));
    blockedBy = Collections.unmodifiableMap(new TreeMap<>(blockedBy));
  }

  /** Ceph's build_prior. */
  public static PriorSet build(OsdMapView map, List<Integer> up, List<Integer> acting, PastIntervals past,
      long lastEpochStarted) {
    TreeSet<Integer> probe = new TreeSet<>();
    TreeSet<Integer> down = new TreeSet<>();
    TreeMap<Integer, Long> blockedBy = new TreeMap<>();
    for (int o : acting) {
      if (o >= 0) {
        probe.add(o);
      }
    }
    for (int o : up) {
      if (o >= 0) {
        probe.add(o);
      }
    }
    for (int o : past.allParticipants()) {
      if (map.exists(o) && map.isUp(o)) {
        probe.add(o);
      } else {
        down.add(o);
      }
    }
    boolean pgDown = false;
    List<PastIntervals.RwInterval> kept = past.intervals();
    for (int i = kept.size() - 1; i >= 0; i--) {
      PastIntervals.RwInterval iv = kept.get(i);
      if (iv.last() < lastEpochStarted) {
        break;
      }
      boolean anyUpNow = false;
      boolean anyDown = false;
      TreeMap<Integer, Long> candidates = new TreeMap<>();
      for (int o : iv.acting()) {
        if (!map.exists(o)) {
          continue; // gone from the map: cannot hold anything
        }
        if (map.isUp(o)) {
          anyUpNow = true;
        } else if (map.lostAt(o) > iv.first()) {
          anyUpNow = true; // lost since: its data is given up, don't wait for it
        } else {
          candidates.put(o, map.lostAt(o));
          anyDown = true;
        }
      }
      if (!anyUpNow && anyDown) {
        pgDown = true;
        blockedBy.putAll(candidates);
      }
    }
    return new PriorSet(probe, down, blockedBy, pgDown);
  }

  /** Ceph's affected_by_map: would this map change what the prior set is? */
  public boolean affectedByMap(OsdMapView map) {
    for (int o : probe) {
      if (!map.exists(o) || !map.isUp(o)) {
        return true; // a probed OSD went down
      }
    }
    for (int o : down) {
      if (map.exists(o) && map.isUp(o)) {
        return true; // a down OSD came back
      }
    }
    for (Map.Entry<Integer, Long> b : blockedBy.entrySet()) {
      if (!map.exists(b.getKey()) || map.lostAt(b.getKey()) != b.getValue()) {
        return true; // a blocking OSD was marked lost or removed
      }
    }
    return false;
  }
}
