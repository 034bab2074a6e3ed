package io.jpeer.osd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jpeer.core.interval.PastIntervals;
import io.jpeer.core.types.PgId;
import io.jpeer.map.OsdInfo;
import io.jpeer.map.OsdMap;
import io.jpeer.map.Pool;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class MapHistoryTest {
  private static final Instant T0 = Instant.parse("2026-11-24T19:11:46.582376Z");
  private static final PgId PG = new PgId(1, 0);

  /** Epoch e with OSDs 0..2, those in {@code down} down; the pool exists from epoch 2. */
  private static OsdMap map(long e, Set<Integer> down, long upThru) {
    Map<Integer, OsdInfo> osds = new TreeMap<>();
    for (int i = 0; i < 3; i++) {
      boolean up = !down.contains(i);
      osds.put(i, new OsdInfo(i, true, up, 1.0, "127.0.0.1:" + (6800 + i), 1, upThru, up ? 0 : e, 0, 0, 0));
    }
    Map<Integer, Pool> pools = e >= 2 ? Map.of(1, new Pool(1, "rbd", Pool.TYPE_REPLICATED, 3, 2, 1, 0, 2, T0))
        : Map.of();
    return new OsdMap(e, "6214e3ef-4146-472b-8149-59085d3053ad", T0, T0, osds, pools, Map.of(), 1);
  }

  @Test
  void aPgNewHereGetsTheIntervalsSinceItsPoolWasCreated() {
    MapHistory h = new MapHistory(100);
    h.add(map(1, Set.of(), 1));
    h.add(map(2, Set.of(), 2));
    h.add(map(3, Set.of(), 3));
    int victim = map(3, Set.of(), 3).pgToUpActing(PG).up().get(2); // a replica, not the primary
    h.add(map(4, Set.of(victim), 3)); // a replica goes down: a new interval
    h.add(map(5, Set.of(victim), 5));
    OsdMap now = map(6, Set.of(), 5); // back up
    io.jpeer.core.interval.InitialHistory ini = h.build(PG, now);
    assertEquals(2, ini.created());
    assertEquals(6, ini.sameIntervalSince());
    assertEquals(6, ini.sameUpSince());
    assertEquals(2, ini.samePrimarySince());
    PastIntervals past = ini.pastIntervals();
    assertEquals(2, past.first());
    assertEquals(5, past.last());
    // [2,3] with all three and [4,5] without the victim both went read-write (up_thru covers
    // them); the compact form keeps [4,5] alone, its acting being a subset of the earlier one's.
    assertEquals(1, past.intervals().size(), past.toString());
    assertEquals(4, past.intervals().get(0).first());
    assertFalse(past.intervals().get(0).acting().contains(victim));
    assertTrue(past.allParticipants().contains(victim));
  }

  @Test
  void withoutHistoryOrForANewPoolThePgStartsNow() {
    MapHistory h = new MapHistory(100);
    OsdMap now = map(7, Set.of(), 6);
    io.jpeer.core.interval.InitialHistory ini = h.build(PG, now);
    assertEquals(7, ini.created());
    assertEquals(7, ini.sameIntervalSince());
    assertTrue(ini.pastIntervals().isEmpty());
    h.add(map(1, Set.of(), 1)); // the pool does not exist yet at e1
    io.jpeer.core.interval.InitialHistory fresh = h.build(PG, map(2, Set.of(), 1));
    assertEquals(2, fresh.created());
    assertTrue(fresh.pastIntervals().isEmpty());
  }

  @Test
  void aGapInTheHistoryStartsThePgAfterIt() {
    MapHistory h = new MapHistory(100);
    h.add(map(2, Set.of(), 2));
    h.add(map(5, Set.of(), 5)); // 3 and 4 unknown
    io.jpeer.core.interval.InitialHistory ini = h.build(PG, map(6, Set.of(), 5));
    assertEquals(5, ini.created());
  }
}
