package io.jpeer.core.interval;

import io.jpeer.core.types.PgId;
import java.util.List;

/**
 * What a PG that an OSD has never held starts with (Ceph's build_initial_pg_history): its
 * creation epoch, the epochs its up set, interval and primary last changed, and the past
 * intervals, walked over the maps from the PG's creation to now.
 */
public record InitialHistory(long created, long sameUpSince, long sameIntervalSince, long samePrimarySince,
    PastIntervals pastIntervals) {

  /**
   * Walks {@code maps} (oldest first, the last one now) back to the first of the consecutive
   * epochs ending at now in which the PG's pool exists: its creation, when the maps reach back
   * that far. Every interval change closes a past interval, judged on the map of its last epoch.
   * With only the current map, the PG starts now.
   */
  public static InitialHistory build(PgId pg, List<? extends OsdMapView> maps) {
    if (maps.isEmpty()) {
      throw new IllegalArgumentException("no map to build the history of pg " + pg + " from");
    }
    int start = 0;
    for (int i = maps.size() - 1; i > 0; i--) {
      OsdMapView before = maps.get(i - 1);
      if (before.epoch() != maps.get(i).epoch() - 1 || !before.poolExists(pg)) {
        start = i;
        break;
      }
    }
    long created = maps.get(start).epoch();
    long sameUp = created;
    long sameInterval = created;
    long samePrimary = created;
    PastIntervals past = PastIntervals.EMPTY;
    PgMapping prev = maps.get(start).mapping(pg);
    for (int i = start + 1; i < maps.size(); i++) {
      OsdMapView m = maps.get(i);
      PgMapping cur = m.mapping(pg);
      PgInterval closed = PastIntervals.closedInterval(pg, prev, cur, sameInterval, m.epoch(), maps.get(i - 1), 0);
      if (closed != null) {
        past = past.add(closed);
        sameInterval = m.epoch();
      }
      if (!cur.up().equals(prev.up()) || cur.upPrimary() != prev.upPrimary()) {
        sameUp = m.epoch();
      }
      if (cur.actingPrimary() != prev.actingPrimary()) {
        samePrimary = m.epoch();
      }
      prev = cur;
    }
    return new InitialHistory(created, sameUp, sameInterval, samePrimary, past);
  }
}
