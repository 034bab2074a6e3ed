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
import java.util.TreeMap;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/**
 * Random histories: a shared prefix, then a divergent branch on the local shard and the
 * authoritative branch, with modify, delete, error and lost_* entries; logs trimmed to random
 * tails inside the prefix; a local shard that may already miss objects and may be only partly
 * backfilled. After merge_log the shard must hold the authority's head and miss exactly what it
 * lacks, with the need and have an independent reading of Ceph's rules gives; the primary's
 * proc_replica_log must predict the same.
 */
class MergeLogPropertyTest {
  private static final String[] OBJECTS = {"a", "b", "c", "d", "e", "f"};
  private static final String[] BACKFILL = {ObjectNames.MAX, ObjectNames.MAX, "c", "e"};

  /** Both logs untrimmed ({@code fullLocal}, {@code fullAuth}) and as stored, with the shard's state. */
  record History(List<LogEntry> prefix, List<LogEntry> divergent, List<LogEntry> authNew, PgLog local, PgLog auth,
      PgMissing startMissing, String lastBackfill) {}

  static History randomHistory(long seed) {
    Random rnd = new Random(seed);
    List<LogEntry> prefix = new ArrayList<>();
    Map<String, Eversion> versions = new HashMap<>();
    int n = rnd.nextInt(9);
    for (int i = 1; i <= n; i++) {
      prefix.add(next(rnd, 1, i, versions, true, false));
    }
    Map<String, Eversion> localVersions = new HashMap<>(versions);
    List<LogEntry> divergent = new ArrayList<>();
    int k = rnd.nextInt(5);
    for (int i = 1; i <= k; i++) {
      divergent.add(next(rnd, 2, n + i, localVersions, true, false));
    }
    Map<String, Eversion> authVersions = new HashMap<>(versions);
    List<LogEntry> authNew = new ArrayList<>();
    int m = rnd.nextInt(6);
    for (int i = 1; i <= m; i++) {
      authNew.add(next(rnd, 3, n + i, authVersions, true, true));
    }
    // Tails anywhere in the shared prefix (entries at or before the tail are trimmed).
    Eversion localTail = n == 0 ? Eversion.ZERO : tailAt(prefix, rnd.nextInt(n + 1));
    Eversion authTail = n == 0 ? Eversion.ZERO : tailAt(prefix, rnd.nextInt(n + 1));
    List<LogEntry> local = new ArrayList<>(prefix);
    local.addAll(divergent);
    List<LogEntry> auth = new ArrayList<>(prefix);
    auth.addAll(authNew);
    String lastBackfill = BACKFILL[rnd.nextInt(BACKFILL.length)];
    // The shard may already lack some live objects it has log entries for.
    TreeMap<String, PgMissing.Item> start = new TreeMap<>();
    Map<String, List<LogEntry>> byObject = new HashMap<>();
    for (LogEntry e : local) {
      if (!e.isError()) {
        byObject.computeIfAbsent(e.oid(), o -> new ArrayList<>()).add(e);
      }
    }
    byObject.forEach((oid, es) -> {
      LogEntry last = es.get(es.size() - 1);
      if (last.isUpdate() && ObjectNames.withinBackfill(oid, lastBackfill) && rnd.nextInt(3) == 0) {
        Eversion have = last.priorVersion();
        if (rnd.nextBoolean() || last.isCreation()) {
          have = Eversion.ZERO;
        }
        start.put(oid, new PgMissing.Item(last.version(), have, false));
      }
    });
    return new History(prefix, divergent, authNew, trimmed(localTail, local), trimmed(authTail, auth),
        PgMissing.of(true, start), lastBackfill);
  }

  private static Eversion tailAt(List<LogEntry> prefix, int i) {
    return i == 0 ? Eversion.ZERO : prefix.get(i - 1).version();
  }

  private static PgLog trimmed(Eversion tail, List<LogEntry> all) {
    return PgLog.of(tail, all.stream().filter(e -> e.version().isAfter(tail)).toList());
  }

  /** One entry on a random object, chained to that object's previous version. */
  private static LogEntry next(Random rnd, long epoch, long counter, Map<String, Eversion> versions,
      boolean allowDelete, boolean allowLost) {
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
      return LogEntry.of(allowLost && rnd.nextBoolean() ? LogOp.LOST_DELETE : LogOp.DELETE, oid, v, prior);
    }
    versions.put(oid, v);
    LogOp op = LogOp.MODIFY;
    if (allowLost && !prior.isZero() && rnd.nextInt(5) == 0) {
      op = rnd.nextBoolean() ? LogOp.LOST_REVERT : LogOp.LOST_MARK;
    }
    return LogEntry.of(op, oid, v, prior);
  }

  static PgInfo info(PgLog log, PgMissing missing, String lastBackfill) {
    Eversion lc = log.head();
    if (!missing.isEmpty()) {
      lc = log.tail();
      for (LogEntry e : log.entries()) {
        if (!e.version().isBefore(missing.oldestNeed())) {
          break;
        }
        lc = e.version();
      }
    }
    return new PgInfo(new PgId(1, 0), log.head(), lc, log.tail(), lastBackfill, 0, List.of(), PgStats.EMPTY, 0, 0,
        PgHistory.EMPTY);
  }

  /**
   * What the shard must miss after adopting the authority's log, object by object, read directly
   * from the history: objects beyond last_backfill are not tracked; an object both branches
   * touched needs the authority's version from scratch; one only the divergent branch touched
   * needs its version from before the divergence (none if it did not exist, or if the copy it
   * already lacked is that version); one only the authority touched needs the new version and
   * keeps what it held (nothing after a re-creation); an untouched one keeps its old item.
   */
  static Map<String, PgMissing.Item> expectedMissing(History h) {
    TreeMap<String, PgMissing.Item> out = new TreeMap<>();
    for (String oid : OBJECTS) {
      if (!ObjectNames.withinBackfill(oid, h.lastBackfill())) {
        continue;
      }
      List<LogEntry> div = touching(h.divergent(), oid);
      List<LogEntry> auth = touching(h.authNew(), oid);
      PgMissing.Item start = h.startMissing().get(oid);
      Eversion atCut = Eversion.ZERO; // the version held at the cut: the prefix's newest live one
      for (LogEntry e : touching(h.prefix(), oid)) {
        atCut = e.isDelete() ? Eversion.ZERO : e.version();
      }
      if (!div.isEmpty() && !auth.isEmpty()) {
        LogEntry want = auth.get(auth.size() - 1);
        out.put(oid, new PgMissing.Item(want.version(), Eversion.ZERO, want.isDelete()));
      } else if (!div.isEmpty()) {
        Eversion pv = div.get(0).priorVersion();
        if (pv.isZero()) {
          continue;
        }
        if (start != null && start.have().equals(pv)) {
          continue;
        }
        out.put(oid, new PgMissing.Item(pv, start != null ? start.have() : Eversion.ZERO, false));
      } else if (!auth.isEmpty()) {
        LogEntry want = auth.get(auth.size() - 1);
        boolean recreated = auth.stream().anyMatch(LogEntry::isCreation);
        Eversion have = recreated ? Eversion.ZERO : start != null ? start.have() : atCut;
        out.put(oid, new PgMissing.Item(want.version(), have, want.isDelete()));
      } else if (start != null) {
        out.put(oid, start);
      }
    }
    return out;
  }

  private static List<LogEntry> touching(List<LogEntry> entries, String oid) {
    return entries.stream().filter(e -> !e.isError() && e.oid().equals(oid)).toList();
  }

  @Property(tries = 1000)
  void mergedShardMissesExactlyWhatItLacks(@ForAll long seed) {
    History h = randomHistory(seed);
    PgInfo localInfo = info(h.local(), h.startMissing(), h.lastBackfill());
    PgInfo authInfo = info(h.auth(), PgMissing.of(true, Map.of()), ObjectNames.MAX);
    LogResult r = PgLogs.mergeLog(h.local(), localInfo, h.startMissing(), h.auth(), authInfo);
    assertThat(r.log().head()).isEqualTo(h.auth().head());
    assertThat(r.info().lastUpdate()).isEqualTo(h.auth().head());
    assertThat(r.log().tail()).isEqualTo(Eversion.min(h.local().tail(), h.auth().tail()));
    assertThat(r.missing().items()).as("seed %d: %s", seed, h).isEqualTo(expectedMissing(h));
    // The primary predicts the same result from the replica's log, info and missing set. One
    // difference is Ceph's too: an object the replica already lacked, rewritten by both branches,
    // is predicted to keep what it had, while the replica's own merge drops its copy (have 0'0).
    LogResult p = PgLogs.procReplicaLog(h.auth(), authInfo, h.local(), localInfo, h.startMissing(), true);
    PgMissing predicted = p.activated().missing();
    assertThat(predicted.items().keySet()).as("seed %d", seed).isEqualTo(r.missing().items().keySet());
    for (Map.Entry<String, PgMissing.Item> e : r.missing().items().entrySet()) {
      String oid = e.getKey();
      PgMissing.Item got = predicted.get(oid);
      assertThat(got.need()).as("seed %d %s", seed, oid).isEqualTo(e.getValue().need());
      assertThat(got.isDelete()).isEqualTo(e.getValue().isDelete());
      boolean bothRewrote = !touching(h.divergent(), oid).isEmpty() && !touching(h.authNew(), oid).isEmpty()
          && h.startMissing().isMissing(oid);
      if (!bothRewrote) {
        assertThat(got.have()).as("seed %d %s have", seed, oid).isEqualTo(e.getValue().have());
      }
    }
    assertThat(p.activated().info().lastUpdate()).isEqualTo(r.info().lastUpdate());
  }
}
