package io.jpeer.core.interval;

import io.jpeer.core.types.PgId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Ceph's PastIntervals in its compact form: the epoch bounds covered, every OSD that was ever in an
 * acting set, and only the intervals that may have gone read-write, each with its acting set. A
 * newly added rw interval drops every older kept one whose acting set contains all of its members:
 * reaching a member of the newer, smaller set also reaches that history. Immutable.
 */
public final class PastIntervals {
  /** A kept (possibly read-write) interval. */
  public record RwInterval(long first, long last, Set<Integer> acting) {}

  public static final PastIntervals EMPTY = new PastIntervals(0, 0, new TreeSet<>(), List.of());

  private final long first;
  private final long last;
  private final TreeSet<Integer> allParticipants;
  private final List<RwInterval> intervals;

  public PastIntervals(long first, long last, Set<Integer> allParticipants, List<RwInterval> intervals) {
    this.first = first;
    this.last = last;
    this.allParticipants = new TreeSet<>(allParticipants);
    this.intervals = List.copyOf(intervals);
  }

  public long first() {
    return first;
  }

  public long last() {
    return last;
  }

  public boolean isEmpty() {
    return first == 0 && intervals.isEmpty() && allParticipants.isEmpty();
  }

  public Set<Integer> allParticipants() {
    return Collections.unmodifiableSet(allParticipants);
  }

  /** Kept intervals, oldest first. */
  public List<RwInterval> intervals() {
    return intervals;
  }

  /** Adds the next closed interval (its last must follow ours). */
  public PastIntervals add(PgInterval i) {
    if (!isEmpty() && i.last() <= last) {
      throw new IllegalArgumentException("interval [" + i.first() + "," + i.last() + "] does not follow " + last);
    }
    TreeSet<Integer> participants = new TreeSet<>(allParticipants);
    TreeSet<Integer> acting = new TreeSet<>();
    for (int o : i.acting()) {
      if (o >= 0) {
        acting.add(o);
      }
    }
    participants.addAll(acting);
    long f = first == 0 ? i.first() : first;
    if (!i.maybeWentRw()) {
      return new PastIntervals(f, i.last(), participants, intervals);
    }
    List<RwInterval> kept = new ArrayList<>();
    for (RwInterval old : intervals) {
      if (!old.acting().containsAll(acting)) {
        kept.add(old);
      }
    }
    kept.add(new RwInterval(i.first(), i.last(), acting));
    return new PastIntervals(f, i.last(), participants, kept);
  }

  /** Ceph's is_new_interval on the mapping alone: up, acting or either primary changed. */
  public static boolean isNewInterval(PgMapping old, PgMapping now) {
    return old.actingPrimary() != now.actingPrimary() || !old.acting().equals(now.acting())
        || old.upPrimary() != now.upPrimary() || !old.up().equals(now.up());
  }

  /**
   * Ceph's is_new_interval for a replicated pool: the mapping changed, or the pool's size or
   * min_size did (either changes who must be reached and whether the PG may go active).
   */
  public static boolean isNewInterval(PgMapping old, PgMapping now, int oldSize, int newSize, int oldMinSize,
      int newMinSize) {
    return isNewInterval(old, now) || oldSize != newSize || oldMinSize != newMinSize;
  }

  /**
   * Ceph's check_new_interval: when {@code now} starts a new interval at {@code epoch}, the closed
   * interval {@code [sameIntervalSince, epoch-1]} with its maybe_went_rw, judged on the map of
   * its last epoch; null when the interval goes on.
   */
  public static PgInterval closedInterval(PgId pg, PgMapping old, PgMapping now, long sameIntervalSince, long epoch,
      OsdMapView lastMap, long lastEpochClean) {
    return closedInterval(pg, old, now, sameIntervalSince, epoch, lastMap, null, lastEpochClean);
  }

  /** As above, also closing the interval when {@code newMap} changes the pool's size or min_size. */
  public static PgInterval closedInterval(PgId pg, PgMapping old, PgMapping now, long sameIntervalSince, long epoch,
      OsdMapView lastMap, OsdMapView newMap, long lastEpochClean) {
    boolean changed = newMap == null ? isNewInterval(old, now)
        : isNewInterval(old, now, lastMap.poolSize(pg), newMap.poolSize(pg), lastMap.poolMinSize(pg),
            newMap.poolMinSize(pg));
    if (!changed) {
      return null;
    }
    long first = sameIntervalSince;
    long last = epoch - 1;
    int primary = old.actingPrimary();
    int numActing = 0;
    for (int o : old.acting()) {
      if (o >= 0) {
        numActing++;
      }
    }
    boolean rw = false;
    if (numActing > 0 && primary >= 0 && numActing >= lastMap.poolMinSize(pg)) {
      if (lastMap.upThru(primary) >= first && lastMap.upFrom(primary) <= first) {
        rw = true;
      } else if (lastEpochClean >= first && lastEpochClean <= last) {
        rw = true; // it went clean inside, so it must have been writable
      }
    }
    return new PgInterval(first, last, old.up(), old.acting(), old.upPrimary(), primary, rw);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PastIntervals p && p.first == first && p.last == last
        && p.allParticipants.equals(allParticipants) && p.intervals.equals(intervals);
  }

  @Override
  public int hashCode() {
    return intervals.hashCode() * 31 + allParticipants.hashCode();
  }

  @Override
  public String toString() {
    return "past_intervals([" + first + "," + last + "] participants " + allParticipants + " rw " + intervals + ")";
  }
}
