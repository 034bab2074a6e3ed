package io.jpeer.core.machine;

import static org.assertj.core.api.Assertions.assertThat;

import io.jpeer.core.sim.SimCluster;
import io.jpeer.core.types.Eversion;
import io.jpeer.core.types.LogEntry;
import io.jpeer.core.types.LogOp;
import io.jpeer.core.types.ObjectNames;
import io.jpeer.core.types.PgMissing;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.statistics.Statistics;

/**
 * Random histories on a size-3 pool peering at epoch 20 on up [0,1,2]: writes at epoch 10 that
 * each shard holds a prefix of; sometimes an old primary X that logged writes at epoch 12 no
 * replica saw, after which the others went active (les 16) without it and took more writes; a
 * last past interval [18,19] that may have had down, lost or only-down members; shards that may
 * be incomplete (last_backfill MIN). The expected outcome is worked out from the history alone:
 * Down when some possibly-written interval after the last activation has no live or lost member,
 * Incomplete when no complete shard has the newest activation, else Active with every acting
 * shard missing exactly the objects whose authoritative version it lacks.
 */
class PeeringPropertyTest {
  private static final String[] OBJECTS = {"a", "b", "c", "d"};

  /** What one random history is, and what Ceph's rules say it must end in. */
  record Case(SimBuilder builder, List<LogEntry> auth, Map<Integer, List<LogEntry>> logs, Map<Integer, Integer> x,
      boolean down, TreeSet<Integer> blockers, boolean incomplete, TreeSet<Integer> incompleteShards) {}

  static Case randomCase(long seed) {
    Random rnd = new Random(seed);
    Map<String, Eversion> v1 = new HashMap<>();
    List<LogEntry> w1 = writes(rnd, 10, 0, rnd.nextInt(8), v1);
    boolean diverge = rnd.nextInt(3) == 0 && !w1.isEmpty();
    int x = rnd.nextInt(3);
    List<LogEntry> d = List.of();
    List<LogEntry> w2 = List.of();
    if (diverge) {
      d = writes(rnd, 12, w1.size(), 1 + rnd.nextInt(3), new HashMap<>(v1));
      w2 = writes(rnd, 16, w1.size(), rnd.nextInt(4), new HashMap<>(v1));
    }
    SimBuilder b = new SimBuilder();
    Map<Integer, List<LogEntry>> logs = new HashMap<>();
    Map<Integer, Long> les = new HashMap<>();
    if (!diverge) {
      int[] len = new int[3];
      for (int s = 0; s < 3; s++) {
        len[s] = rnd.nextInt(w1.size() + 1);
      }
      len[rnd.nextInt(3)] = w1.size();
      for (int s = 0; s < 3; s++) {
        logs.put(s, new ArrayList<>(w1.subList(0, len[s])));
        les.put(s, 10L);
      }
      b.interval(11, 17, List.of(0, 1, 2), true);
    } else {
      List<Integer> others = new ArrayList<>(List.of(0, 1, 2));
      others.remove(Integer.valueOf(x));
      List<LogEntry> xl = new ArrayList<>(w1);
      xl.addAll(d);
      logs.put(x, xl);
      les.put(x, 10L);
      int full = others.get(rnd.nextInt(2));
      for (int s : others) {
        List<LogEntry> l = new ArrayList<>(w1);
        l.addAll(w2.subList(0, s == full ? w2.size() : rnd.nextInt(w2.size() + 1)));
        logs.put(s, l);
        les.put(s, 16L);
      }
      List<Integer> oldActing = new ArrayList<>(List.of(x));
      oldActing.addAll(others);
      b.interval(11, 15, oldActing, true);
      b.interval(16, 17, others, true);
    }
    // The last past interval, and what it says about Down.
    boolean down = false;
    TreeSet<Integer> blockers = new TreeSet<>();
    switch (rnd.nextInt(5)) {
      case 0 -> b.interval(18, 19, List.of(0, 1, 2), true);
      case 1 -> { // one member down, another alive
        b.osd(3, false, 18);
        b.interval(18, 19, List.of(1, 3), true);
      }
      case 2 -> { // every member down: nobody can say what was written
        b.osd(3, false, 18).osd(4, false, 18);
        b.interval(18, 19, List.of(3, 4), true);
        down = true;
        blockers.addAll(List.of(3, 4));
      }
      case 3 -> { // every member down but marked lost since: given up, not waited for
        b.osds.put(3, new SimCluster.Osd(3, true, false, 1, 18, 19));
        b.osds.put(4, new SimCluster.Osd(4, true, false, 1, 18, 19));
        b.interval(18, 19, List.of(3, 4), true);
      }
      default -> { // went read-only: cannot have been written, does not matter
        b.osd(3, false, 18).osd(4, false, 18);
        b.interval(18, 19, List.of(3, 4), false);
      }
    }
    // Shards being backfilled are incomplete: never the authority.
    TreeSet<Integer> incompleteShards = new TreeSet<>();
    if (rnd.nextInt(4) == 0) {
      for (int s = 0; s < 3; s++) {
        if (rnd.nextBoolean()) {
          incompleteShards.add(s);
        }
      }
    }
    long maxLes = les.values().stream().mapToLong(Long::longValue).max().getAsLong();
    boolean incomplete = !down && les.entrySet().stream()
        .noneMatch(e -> e.getValue() == maxLes && !incompleteShards.contains(e.getKey()));
    // The authority: the longest log among complete shards with the newest activation.
    List<LogEntry> auth = List.of();
    for (int s = 0; s < 3; s++) {
      if (les.get(s) == maxLes && !incompleteShards.contains(s) && logs.get(s).size() >= auth.size()) {
        auth = logs.get(s);
      }
    }
    for (int s = 0; s < 3; s++) {
      String lb = incompleteShards.contains(s) ? ObjectNames.MIN : ObjectNames.MAX;
      b.shard(s, les.get(s), 5, lb, Eversion.ZERO, logs.get(s).toArray(LogEntry[]::new));
    }
    return new Case(b, auth, logs, diverge ? Map.of(x, 0) : Map.of(), down, blockers, incomplete, incompleteShards);
  }

  /** n writes at {@code epoch}, counters after {@code base}, on random objects, with deletes and errors. */
  private static List<LogEntry> writes(Random rnd, long epoch, int base, int n, Map<String, Eversion> versions) {
    List<LogEntry> out = new ArrayList<>();
    for (int i = 1; i <= n; i++) {
      String oid = OBJECTS[rnd.nextInt(OBJECTS.length)];
      Eversion v = Eversion.of(epoch, base + i);
      Eversion prior = versions.getOrDefault(oid, Eversion.ZERO);
      boolean deleted = prior.equals(Eversion.MAX);
      if (deleted) {
        prior = Eversion.ZERO;
      }
      if (rnd.nextInt(12) == 0) {
        out.add(LogEntry.of(LogOp.ERROR, oid, v, Eversion.ZERO));
      } else if (!deleted && !prior.isZero() && rnd.nextInt(4) == 0) {
        versions.put(oid, Eversion.MAX);
        out.add(LogEntry.of(LogOp.DELETE, oid, v, prior));
      } else {
        versions.put(oid, v);
        out.add(LogEntry.of(LogOp.MODIFY, oid, v, prior));
      }
    }
    return out;
  }

  @Property(tries = 400)
  void peeringEndsWhereCephWouldWithExactMissingSets(@ForAll long seed) {
    Case c = randomCase(seed);
    SimCluster sim = c.builder().run();
    assertThat(sim.totalUnhandledEvents()).isZero();
    PeeringMachine primary = sim.finalPrimary();
    String end = sim.lastState(sim.mapping().actingPrimary());
    Statistics.label("outcome").collect(c.down() ? "down" : c.incomplete() ? "incomplete" : end);
    Statistics.label("divergent").collect(!c.x().isEmpty());
    if (c.down()) {
      assertThat(end).as("seed %d", seed).isEqualTo("Started/Primary/Peering/Down");
      assertThat(primary.blockedBy()).containsExactlyElementsOf(c.blockers());
      return;
    }
    if (c.incomplete()) {
      assertThat(end).as("seed %d", seed).isEqualTo("Started/Primary/Peering/Incomplete");
      return;
    }
    assertThat(end).as("seed %d", seed).startsWith("Started/Primary/Active");
    for (int s : sim.mapping().acting()) {
      if (c.incompleteShards().contains(s)) {
        continue; // being backfilled: its missing set only covers what it has scanned
      }
      PgMissing m = s == primary.whoami() ? primary.missing() : sim.shards().get(s).missing();
      List<LogEntry> had = c.logs().get(s);
      List<LogEntry> divergent = c.x().containsKey(s) ? had.subList(commonPrefix(had, c.auth()), had.size())
          : List.of();
      assertThat(m.items()).as("seed %d osd.%d", seed, s)
          .isEqualTo(expectedMissing(had.subList(0, had.size() - divergent.size()), divergent, c.auth()));
      if (s != primary.whoami()) {
        assertThat(primary.peerMissing().get(s)).as("seed %d peer_missing[%d]", seed, s).isEqualTo(m);
      }
      Eversion head = c.auth().isEmpty() ? Eversion.ZERO : c.auth().get(c.auth().size() - 1).version();
      assertThat(sim.shards().get(s).log().head()).as("seed %d osd.%d head", seed, s).isEqualTo(head);
    }
    for (int s : c.incompleteShards()) {
      if (sim.mapping().up().contains(s) && s != primary.whoami()) {
        assertThat(primary.rounds().get(primary.rounds().size() - 1).backfillTargets()).as("seed %d", seed)
            .contains(s);
      }
    }
  }

  private static int commonPrefix(List<LogEntry> a, List<LogEntry> b) {
    int i = 0;
    while (i < a.size() && i < b.size() && a.get(i).equals(b.get(i))) {
      i++;
    }
    return i;
  }

  /**
   * Per object: its authoritative state is its newest non-error entry in {@code auth}. A shard
   * whose own history (its shared part, then {@code divergent}) ends elsewhere lacks it: it needs
   * that version, holding what it had unless it must start from scratch (a re-creation among the
   * entries it lacks, or a divergent copy, which is removed). A divergent-only object with no
   * authoritative version is simply removed.
   */
  static Map<String, PgMissing.Item> expectedMissing(List<LogEntry> shared, List<LogEntry> divergent,
      List<LogEntry> auth) {
    Map<String, PgMissing.Item> out = new java.util.TreeMap<>();
    for (String oid : OBJECTS) {
      LogEntry want = newest(auth, oid);
      LogEntry mine = newest(shared, oid);
      boolean wasDivergent = newest(divergent, oid) != null;
      if (want == null) {
        continue; // never written on the authoritative branch: nothing to have
      }
      if (!wasDivergent && mine != null && mine.version().equals(want.version())) {
        continue;
      }
      if (wasDivergent && mine != null && mine.version().equals(want.version()) && want.isDelete()) {
        continue; // it was deleted, recreated divergently: removing the copy restores the truth
      }
      List<LogEntry> lacking = auth.stream()
          .filter(e -> !e.isError() && e.oid().equals(oid) && (mine == null || e.version().isAfter(mine.version())))
          .toList();
      boolean fromScratch = wasDivergent || lacking.stream().anyMatch(LogEntry::isCreation)
          || mine == null || mine.isDelete();
      out.put(oid, new PgMissing.Item(want.version(), fromScratch ? Eversion.ZERO : mine.version(),
          want.isDelete()));
    }
    return out;
  }

  private static LogEntry newest(List<LogEntry> entries, String oid) {
    LogEntry n = null;
    for (LogEntry e : entries) {
      if (!e.isError() && e.oid().equals(oid)) {
        n = e;
      }
    }
    return n;
  }
}
