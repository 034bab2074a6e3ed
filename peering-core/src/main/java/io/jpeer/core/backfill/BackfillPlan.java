package io.jpeer.core.backfill;

import io.jpeer.core.types.Eversion;
import io.jpeer.core.types.ObjectNames;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * One backfill chunk, decided from the primary's and a target's objects in {@code (begin, end]}
 * (Ceph's recover_backfill comparing its BackfillInterval with the peer's): the target is given
 * every object it lacks or holds in another version, and loses those the primary does not have.
 * Pure: the runtime lists the objects and carries the plan out.
 */
public record BackfillPlan(SortedMap<String, Eversion> push, List<String> remove) {
  /** Objects the primary scans per chunk (Ceph's osd_backfill_scan_max). */
  public static final int CHUNK = 64;

  public boolean isEmpty() {
    return push.isEmpty() && remove.isEmpty();
  }

  /**
   * Where a chunk that starts after the cursor ends, given the first names the primary listed
   * after it (at most {@code limit}): at the last of them when the listing was cut short, else
   * everything (MAX).
   */
  public static String chunkEnd(List<String> listed, int limit) {
    return listed.size() >= limit ? listed.get(listed.size() - 1) : ObjectNames.MAX;
  }

  /** A target that listed fewer than asked ends the chunk early: the lowest end of all answers. */
  public static String narrowedEnd(String end, Collection<String> answered) {
    String e = end;
    for (String a : answered) {
      if (ObjectNames.compare(a, e) < 0) {
        e = a;
      }
    }
    return e;
  }

  /** The plan for one target over {@code (begin, end]}; objects outside it are left alone. */
  public static BackfillPlan of(String begin, String end, Map<String, Eversion> primary,
      Map<String, Eversion> target) {
    TreeMap<String, Eversion> push = new TreeMap<>();
    List<String> remove = new ArrayList<>();
    for (Map.Entry<String, Eversion> e : new TreeMap<>(primary).entrySet()) {
      if (within(e.getKey(), begin, end) && !e.getValue().equals(target.get(e.getKey()))) {
        push.put(e.getKey(), e.getValue());
      }
    }
    for (String oid : new TreeMap<>(target).keySet()) {
      if (within(oid, begin, end) && !primary.containsKey(oid)) {
        remove.add(oid);
      }
    }
    return new BackfillPlan(push, remove);
  }

  /** Whether {@code oid} is in {@code (begin, end]}. */
  public static boolean within(String oid, String begin, String end) {
    return ObjectNames.compare(oid, begin) > 0 && ObjectNames.compare(oid, end) <= 0;
  }
}
