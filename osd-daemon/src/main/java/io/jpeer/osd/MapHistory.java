package io.jpeer.osd;

import io.jpeer.core.interval.PastIntervals;
import io.jpeer.core.interval.PgInterval;
import io.jpeer.core.interval.PgMapping;
import io.jpeer.core.types.PgId;
import io.jpeer.map.OsdMap;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * The OSD maps this OSD knows, by epoch (fetched from the monitor at start, then every map it
 * applies), so that a PG it has never held starts with the history and past intervals the
 * cluster gave it (Ceph's build_initial_pg_history), not as if it were created now.
 */
final class MapHistory {
  /** What a PG new to this OSD starts with. */
  record Initial(long created, long sameUpSince, long sameIntervalSince, long samePrimarySince,
      PastIntervals pastIntervals) {}

  private final int capacity;
  private final TreeMap<Long, OsdMap> maps = new TreeMap<>();

  MapHistory(int capacity) {
    this.capacity = capacity;
  }

  void add(OsdMap m) {
    maps.put(m.epoch(), m);
    while (maps.size() > capacity) {
      maps.pollFirstEntry();
    }
  }

  int size() {
    return maps.size();
  }

  long oldest() {
    return maps.isEmpty() ? 0 : maps.firstKey();
  }

  /**
   * Walks the known maps from the first in which the PG's pool exists (its creation, when the
   * history reaches back that far) to {@code now}: every interval change closes a past interval,
   * judged on the map of its last epoch, as Ceph does. With no history, the PG starts at now.
   */
  Initial build(PgId pg, OsdMap now) {
    List<OsdMap> walk = new ArrayList<>(maps.headMap(now.epoch(), false).values());
    walk.add(now);
    int start = 0;
    for (int i = walk.size() - 1; i > 0; i--) {
      // only consecutive epochs ending at now, and only since the PG last came to exist
      if (walk.get(i - 1).epoch() != walk.get(i).epoch() - 1 || !walk.get(i - 1).pgExists(pg)) {
        start = i;
        break;
      }
    }
    OsdMap first = walk.get(start);
    long created = first.epoch();
    long sameUp = created;
    long sameInterval = created;
    long samePrimary = created;
    PastIntervals past = PastIntervals.EMPTY;
    PgMapping prev = new MapView(first).mapping(pg);
    for (int i = start + 1; i < walk.size(); i++) {
      OsdMap m = walk.get(i);
      PgMapping cur = new MapView(m).mapping(pg);
      PgInterval closed = PastIntervals.closedInterval(pg, prev, cur, sameInterval, m.epoch(),
          new MapView(walk.get(i - 1)), 0);
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
    return new Initial(created, sameUp, sameInterval, samePrimary, past);
  }
}
