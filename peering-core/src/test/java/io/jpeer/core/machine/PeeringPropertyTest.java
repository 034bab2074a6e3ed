package io.jpeer.core.machine;

import static org.assertj.core.api.Assertions.assertThat;

import io.jpeer.core.sim.SimCluster;
import io.jpeer.core.types.Eversion;
import io.jpeer.core.types.LogEntry;
import io.jpeer.core.types.LogOp;
import io.jpeer.core.types.PgLog;
import io.jpeer.core.types.PgMissing;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/**
 * Random histories: one stream of writes, each shard holding a random prefix of it (a shard that
 * was down missed the rest). Peering must end active, with every shard's own missing set exactly
 * the objects it lacks and the primary's peer_missing agreeing with each replica.
 */
class PeeringPropertyTest {
  private static final String[] OBJECTS = {"a", "b", "c", "d"};

  @Property(tries = 300)
  void peeringEndsActiveWithExactMissingSets(@ForAll long seed) {
    Random rnd = new Random(seed);
    List<LogEntry> writes = new ArrayList<>();
    Map<String, Eversion> versions = new HashMap<>();
    int n = rnd.nextInt(10);
    for (int i = 1; i <= n; i++) {
      String oid = OBJECTS[rnd.nextInt(OBJECTS.length)];
      Eversion v = Eversion.of(10, i);
      writes.add(LogEntry.of(LogOp.MODIFY, oid, v, versions.getOrDefault(oid, Eversion.ZERO)));
      versions.put(oid, v);
    }
    SimBuilder b = new SimBuilder();
    int[] lengths = new int[3];
    for (int s = 0; s < 3; s++) {
      lengths[s] = rnd.nextInt(n + 1);
    }
    lengths[rnd.nextInt(3)] = n; // at least one shard saw every write
    for (int s = 0; s < 3; s++) {
      b.shard(s, 10, 5, writes.subList(0, lengths[s]).toArray(LogEntry[]::new));
    }
    SimCluster sim = b.run();
    assertThat(sim.totalUnhandledEvents()).isZero();
    assertThat(sim.lastState(0)).as("seed %d", seed).startsWith("Started/Primary/Active");
    PeeringMachine primary = sim.finalPrimary();
    for (int s = 0; s < 3; s++) {
      Map<String, Eversion> had = newest(writes.subList(0, lengths[s]));
      Map<String, Eversion> want = newest(writes);
      PgMissing m = sim.shards().get(s).missing();
      for (String oid : OBJECTS) {
        Eversion w = want.get(oid);
        if (w == null || w.equals(had.get(oid))) {
          assertThat(m.isMissing(oid)).as("seed %d osd.%d %s current", seed, s, oid).isFalse();
        } else {
          assertThat(m.get(oid)).as("seed %d osd.%d lacks %s", seed, s, oid).isNotNull();
          assertThat(m.get(oid).need()).isEqualTo(w);
          assertThat(m.get(oid).have()).isEqualTo(had.getOrDefault(oid, Eversion.ZERO));
        }
      }
      if (s != 0) {
        assertThat(primary.peerMissing().get(s)).as("seed %d peer_missing[%d]", seed, s).isEqualTo(m);
      }
      PgLog log = sim.shards().get(s).log();
      assertThat(log.head()).isEqualTo(writes.isEmpty() ? Eversion.ZERO : writes.get(writes.size() - 1).version());
    }
  }

  private static Map<String, Eversion> newest(List<LogEntry> entries) {
    Map<String, Eversion> m = new HashMap<>();
    entries.forEach(e -> m.put(e.oid(), e.version()));
    return m;
  }
}
