package io.jpeer.mon;

import io.jpeer.core.types.PgId;
import java.util.List;

/**
 * What an acting primary reports about one of its PGs (a small part of Ceph's pg_stat_t), kept by
 * the monitor for {@code pg dump} and {@code status}. lastUpdate is printed as {@code e'v}. The
 * recovered counts are the reporting primary's running totals (the monitor turns them into a rate).
 */
public record PgStat(
    PgId pgid,
    String state,
    List<Integer> up,
    List<Integer> acting,
    int upPrimary,
    int actingPrimary,
    String lastUpdate,
    long logSize,
    long numObjects,
    long numObjectsMissing,
    long numObjectsDegraded,
    long reportedEpoch,
    long lastEpochClean,
    long numObjectsMisplaced,
    long numObjectsRecovered,
    long numBytesRecovered) {

  /** A stat with no misplaced copies and nothing recovered yet. */
  public PgStat(PgId pgid, String state, List<Integer> up, List<Integer> acting, int upPrimary, int actingPrimary,
      String lastUpdate, long logSize, long numObjects, long numObjectsMissing, long numObjectsDegraded,
      long reportedEpoch, long lastEpochClean) {
    this(pgid, state, up, acting, upPrimary, actingPrimary, lastUpdate, logSize, numObjects, numObjectsMissing,
        numObjectsDegraded, reportedEpoch, lastEpochClean, 0, 0, 0);
  }

  public PgStat {
    up = List.copyOf(up);
    acting = List.copyOf(acting);
    if (state == null || state.isEmpty()) {
      throw new IllegalArgumentException("pg " + pgid + " stat has no state");
    }
    lastUpdate = lastUpdate == null || lastUpdate.isEmpty() ? "0'0" : lastUpdate;
  }
}
