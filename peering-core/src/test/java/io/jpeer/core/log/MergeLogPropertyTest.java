package io.jpeer.core.log;

import static org.assertj.core.api.Assertions.assertThat;

import io.jpeer.core.types.Eversion;
import io.jpeer.core.types.LogEntry;
import io.jpeer.core.types.LogOp;
import io.jpeer.core.types.ObjectNames;
import io.jpeer.core.types.PgHistory;
import io.jpeer.core.types.PgId;
import io.jpeer.core.types.PgInfo;
import io.jpeer.core.types.PgLog;
import io.jpeer.core.types.PgMissing;
import io.jpeer.core.types.PgStats;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/**
 * Random histories: a shared prefix, then a divergent branch on the local shard and the
 * authoritative branch. After merge_log the shard must hold the authority's log and miss exactly
 * the objects whose authoritative version it lacks; the primary's proc_replica_log must predict it.
 */
class MergeLogPropertyTest {
  private static final String[] OBJECTS = {"a", "b", "c", "d", "e", "f"};

  record History(PgLog local, PgLog auth) {}

  static History randomHistory(long seed) {
    Random rnd = new Random(seed);
    List<LogEntry> prefix = new ArrayList<>();
    Map<String, Eversion> versions = new HashMap<>();
    long counter = 0;
    int n = rnd.nextInt(8);
    for (int i = 0; i < n; i++) {
      prefix.add(next(rnd, 1, ++counter, versions, false));
    }
    long base = counter;
    List<LogEntry> local = new ArrayList<>(prefix);
    Map<String, Eversion> localVersions = new HashMap<>(versions);
    int k = rnd.nextInt(5);
    for (int i = 0; i < k; i++) {
      local.add(next(rnd, 2, base + 1 + i, localVersions, true));
    }
    List<LogEntry> auth = new ArrayList<>(prefix);
    Map<String, Eversion> authVersions = new HashMap<>(versions);
    int m = rnd.nextInt(6);
    for (int i = 0; i < m; i++) {
      auth.add(next(rnd, 3, base + 1 + i, authVersions, true));
    }
    return new History(PgLog.of(Eversion.ZERO, local), PgLog.of(Eversion.ZERO, auth));
  }

  /** One entry on a random live object, chained to that object's previous version. */
  private static LogEntry next(Random rnd, long epoch, long counter, Map<String, Eversion> versions,
      boolean allowDelete) {
    String oid = OBJECTS[rnd.nextInt(OBJECTS.length)];
    Eversion v = Eversion.of(epoch, counter);
    Eversion prior = versions.getOrDefault(oid, Eversion.ZERO);
    boolean deleted = prior.equals(Eversion.MAX);
    if (deleted) {
      prior = Eversion.ZERO;
    }
    if (rnd.nextInt(10) == 0) {
      return LogEntry.of(LogOp.ERROR, oid, v, Eversion.ZERO);
    }
    if (allowDelete && !deleted && !prior.isZero() && rnd.nextInt(4) == 0) {
      versions.put(oid, Eversion.MAX); // a marker: the next write recreates it
      return LogEntry.of(LogOp.DELETE, oid, v, prior);
    }
    versions.put(oid, v);
    return LogEntry.of(LogOp.MODIFY, oid, v, prior);
  }

  static PgInfo info(PgLog log) {
    return new PgInfo(new PgId(1, 0), log.head(), log.head(), log.tail(), ObjectNames.MAX, 0, List.of(), PgStats.EMPTY,
        0, 0, PgHistory.EMPTY);
  }

  @Property(tries = 500)
  void mergedShardMissesExactlyWhatItLacks(@ForAll long seed) {
    History h = randomHistory(seed);
    PgMissing none = PgMissing.of(true, Map.of());
    LogResult r = PgLogs.mergeLog(h.local(), info(h.local()), none, h.auth(), info(h.auth()));
    assertThat(r.log().head()).isEqualTo(h.auth().head());
    assertThat(r.info().lastUpdate()).isEqualTo(h.auth().head());
    for (String oid : OBJECTS) {
      LogEntry want = h.auth().objects().get(oid);
      LogEntry had = h.local().objects().get(oid);
      boolean same = want != null && had != null && had.version().equals(want.version());
      if (want == null) {
        assertThat(r.missing().isMissing(oid)).as("%s has no authoritative version", oid).isFalse();
      } else if (same) {
        assertThat(r.missing().isMissing(oid)).as("%s is current", oid).isFalse();
      } else {
        assertThat(r.missing().get(oid)).as("%s lacks %s (seed %d)", oid, want.version(), seed).isNotNull();
        assertThat(r.missing().get(oid).need()).isEqualTo(want.version());
      }
    }
    // The primary predicts the same result from the replica's log.
    LogResult p = PgLogs.procReplicaLog(h.auth(), info(h.auth()), h.local(), info(h.local()), none, true);
    assertThat(p.activated().missing()).as("seed %d", seed).isEqualTo(r.missing());
    assertThat(p.activated().info().lastUpdate()).isEqualTo(r.info().lastUpdate());
  }
}
