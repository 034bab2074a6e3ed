package io.jpeer.core.stats;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Degraded and misplaced object copies of one PG, as its primary counts them (the part of Ceph's
 * _update_calc_stats a replicated pool needs). Of the {@code size} copies each of the
 * {@code objects} objects should have, a copy that exists nowhere is degraded; one that exists,
 * but on an OSD outside the up set (kept in acting by pg_temp while the up set is backfilled), is
 * misplaced. Backfill targets hold the objects of the chunks already backfilled.
 */
public record PgObjectCounts(long degraded, long misplaced) {
  /**
   * @param missingHere objects the primary lacks
   * @param peerMissing per acting replica, how many objects it lacks
   * @param backfilled objects each backfill target already holds (at most {@code objects})
   */
  public static PgObjectCounts of(int size, List<Integer> up, List<Integer> acting, int primary, long objects,
      long missingHere, Map<Integer, Long> peerMissing, Set<Integer> backfillTargets, long backfilled) {
    long held = 0; // copies that exist, anywhere
    long placed = 0; // of them, on an OSD of the up set
    for (int osd : union(acting, backfillTargets)) {
      long copies;
      if (backfillTargets.contains(osd) && !acting.contains(osd)) {
        copies = Math.min(objects, Math.max(0, backfilled));
      } else {
        long lacks = osd == primary ? missingHere : peerMissing.getOrDefault(osd, 0L);
        copies = Math.max(0, objects - lacks);
      }
      held += copies;
      if (up.contains(osd)) {
        placed += copies;
      }
    }
    long wanted = objects * size;
    long existing = Math.min(wanted, held);
    long misplaced = Math.max(0, existing - Math.min(placed, wanted));
    return new PgObjectCounts(wanted - existing, misplaced);
  }

  private static Collection<Integer> union(List<Integer> acting, Set<Integer> targets) {
    java.util.TreeSet<Integer> all = new java.util.TreeSet<>(acting);
    all.addAll(targets);
    all.remove(-1); // (an empty slot of a short acting set)
    return all;
  }
}
