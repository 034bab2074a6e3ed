package io.jpeer.map;

import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

/** Small maps for tests. */
final class MapFixtures {
  static final Instant T0 = Instant.parse("2026-11-24T19:11:46.582376Z");
  static final String FSID = "6214e3ef-4146-472b-8149-59085d3053ad";

  private MapFixtures() {}

  /** n OSDs all up and in, one pool (id 1, "rbd") of the given pg_num and size 3. */
  static OsdMap cluster(int n, int pgNum) {
    Map<Integer, OsdInfo> osds = new TreeMap<>();
    for (int i = 0; i < n; i++) {
      osds.put(i, new OsdInfo(i, true, true, 1.0, "127.0.0.1:" + (6800 + i), 2, 2, 0, 0, 0, 0));
    }
    Pool pool = new Pool(1, "rbd", Pool.TYPE_REPLICATED, 3, 2, pgNum, 0, 2, T0);
    return new OsdMap(2, FSID, T0, T0, osds, Map.of(1, pool), Map.of(), 1);
  }
}
