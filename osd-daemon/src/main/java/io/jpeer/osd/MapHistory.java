package io.jpeer.osd;

import io.jpeer.core.interval.InitialHistory;
import io.jpeer.core.types.PgId;
import io.jpeer.map.OsdMap;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * The OSD maps this OSD knows, by epoch (fetched from the monitor at start, then every map it
 * applies), so that a PG it has never held starts with the history and past intervals the
 * cluster gave it ({@link InitialHistory}), not as if it were created now.
 */
final class MapHistory {
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

  /** The history a PG new to this OSD starts with, from the known maps up to {@code now}. */
  InitialHistory build(PgId pg, OsdMap now) {
    List<MapView> walk = new ArrayList<>();
    maps.headMap(now.epoch(), false).values().forEach(m -> walk.add(new MapView(m)));
    walk.add(new MapView(now));
    return InitialHistory.build(pg, walk);
  }
}
