package io.jpeer.core.machine;

import static io.jpeer.core.machine.SimBuilder.mod;
import static io.jpeer.core.machine.SimBuilder.v;
import static org.assertj.core.api.Assertions.assertThat;

import io.jpeer.core.interval.OsdMapView;
import io.jpeer.core.interval.PastIntervals;
import io.jpeer.core.interval.PgMapping;
import io.jpeer.core.sim.SimCluster;
import io.jpeer.core.types.Eversion;
import io.jpeer.core.types.LogEntry;
import io.jpeer.core.types.ObjectNames;
import io.jpeer.core.types.PgId;
import io.jpeer.core.types.PgInfo;
import io.jpeer.core.types.PgMissing;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * search_for_missing, unfound objects, recovery bookkeeping, Clean and the branches the audit
 * found untested (GetMissing FULLLOG and last_backfill-empty, find_best_info's no_missing and
 * restrict_to_up_acting, PEERED, choose_acting(restrict) in Recovered, Incomplete's AdvMap).
 */
class PeeringRecoveryTest {
  static PeeringRound lastRound(SimCluster sim) {
    List<PeeringRound> r = sim.finalPrimary().rounds();
    return r.get(r.size() - 1);
  }

  /** Acting 0,1,2 hold x at 10'1 (les 10); strays 3 and 4 were acting in [11,19] and hold 15'2. */
  static SimBuilder strayHoldsNewest() {
    SimBuilder b = new SimBuilder();
    LogEntry x1 = mod("10'1", "x", "0'0");
    LogEntry x2 = mod("15'2", "x", "10'1");
    for (int o = 0; o < 3; o++) {
      b.shard(o, 10, 5, x1);
    }
    b.shard(3, 15, 5, x1, x2);
    b.shard(4, 15, 5, x1, x2);
    b.osd(3, true, 20).osd(4, true, 20);
    b.interval(11, 19, List.of(3, 4), true);
    return b;
  }

  /** The shard's stored copy, now lacking x's newest version (it knows the entry, not the data). */
  static void lacksNewestX(SimBuilder b, int osd) {
    SimCluster.Shard s = b.shards.get(osd);
    b.shards.put(osd, new SimCluster.Shard(s.info().withLastComplete(v("10'1")), s.log(),
        PgMissing.of(true, Map.of("x", new PgMissing.Item(v("15'2"), v("10'1"), false)))));
  }

  @Test
  void strayWithLogAndMissingIsASourceAndTheOtherIsAskedForItsFullLog() {
    SimCluster sim = strayHoldsNewest().run();
    PeeringMachine p = sim.finalPrimary();
    assertThat(lastRound(sim).auth().osd()).isEqualTo(3);
    assertThat(p.missing().items()).containsOnlyKeys("x");
    // osd.3 (the auth) is known by log and missing; osd.4 only by info until discover_all_missing
    // asks it for its full log; its answer makes it a source too.
    assertThat(sim.queries()).anyMatch(q -> q.to() == 4 && q.type().equals("FULLLOG"));
    assertThat(p.missingLocations()).containsEntry("x", Set.of(3, 4));
    assertThat(p.numUnfound()).isZero();
    assertThat(p.mightHaveUnfound()).contains(1, 2, 3, 4);
    // Strays found to hold something were sent their info and activated to serve pulls.
    assertThat(sim.lastState(3)).isEqualTo("Started/ReplicaActive/RepNotRecovering");
    assertThat(p.pgStateString()).isEqualTo("active+recovery_wait+degraded");
    assertThat(sim.totalUnhandledEvents()).isZero();
  }

  @Test
  void aStrayKnownOnlyByItsInfoIsNoSource() {
    SimBuilder b = strayHoldsNewest();
    b.drops.add(new SimCluster.Drop("query", 0, 4, "FULLLOG", 1));
    SimCluster sim = b.run();
    assertThat(sim.finalPrimary().peerInfo()).containsKey(4);
    assertThat(sim.finalPrimary().missingLocations()).containsEntry("x", Set.of(3));
  }

  @Test
  void noMissingBreaksTheTieAndAnObjectNobodyHoldsIsUnfound() {
    SimBuilder b = strayHoldsNewest();
    lacksNewestX(b, 3);
    SimCluster sim = b.run();
    AuthChoice auth = lastRound(sim).auth();
    assertThat(auth.osd()).isEqualTo(4);
    assertThat(auth.decidedBy()).containsExactly("no_missing");
    assertThat(sim.finalPrimary().missingLocations()).containsEntry("x", Set.of(4));

    SimBuilder both = strayHoldsNewest();
    lacksNewestX(both, 3);
    lacksNewestX(both, 4);
    SimCluster sim2 = both.run();
    PeeringMachine p = sim2.finalPrimary();
    assertThat(p.unfoundObjects()).containsExactly("x");
    assertThat(p.numUnfound()).isEqualTo(1);
    assertThat(p.missingLocations()).containsEntry("x", Set.of());
  }

  @Test
  void recoveryOnThePrimaryAdvancesLastCompleteAndCleanPurgesStrays() {
    SimCluster sim = strayHoldsNewest().run();
    PeeringMachine p = sim.finalPrimary();
    assertThat(p.info().lastComplete()).isEqualTo(v("10'1"));
    p.handle(new PeeringEvent.RecoveryReserved());
    p.handle(new PeeringEvent.ObjectRecovered("x", v("15'2"), 0));
    assertThat(p.missing().isEmpty()).isTrue();
    assertThat(p.info().lastComplete()).isEqualTo(p.info().lastUpdate());
    assertThat(p.missingLocations().get("x")).contains(0, 3, 4);
    p.handle(new PeeringEvent.AllReplicasRecovered());
    assertThat(p.stateName()).isEqualTo("Started/Primary/Active/Recovering"); // 1 and 2 still lack x
    p.handle(new PeeringEvent.ObjectRecovered("x", v("15'2"), 1));
    p.handle(new PeeringEvent.ObjectRecovered("x", v("15'2"), 2));
    List<Effect> fx = p.handle(new PeeringEvent.AllReplicasRecovered());
    assertThat(p.stateName()).isEqualTo("Started/Primary/Active/Clean");
    assertThat(fx).contains(new Effect.RemoveStray(3), new Effect.RemoveStray(4));
    assertThat(p.peerInfo()).doesNotContainKeys(3, 4);
    assertThat(p.info().history().lastEpochClean()).isEqualTo(sim.map().epoch());
    assertThat(p.pastIntervals().isEmpty()).isTrue();
  }

  @Test
  void aReplicaRecordsWhatWasPushedToIt() {
    SimCluster sim = strayHoldsNewest().run();
    PeeringMachine r = sim.running().get(1);
    assertThat(r.missing().items()).containsOnlyKeys("x");
    r.handle(new PeeringEvent.ObjectRecovered("x", v("10'1"), 1)); // too old: not what it needs
    assertThat(r.missing().items()).containsOnlyKeys("x");
    List<Effect> fx = r.handle(new PeeringEvent.ObjectRecovered("x", v("15'2"), 1));
    assertThat(r.missing().isEmpty()).isTrue();
    assertThat(r.info().lastComplete()).isEqualTo(v("15'2"));
    assertThat(fx).anyMatch(e -> e instanceof Effect.Persist);
  }

  @Test
  void getMissingAsksForTheFullLogWhenThePeersTailIsPastItsLastActivation() {
    SimBuilder b = new SimBuilder();
    LogEntry[] full = {mod("10'1", "a", "0'0"), mod("10'2", "b", "0'0"), mod("15'3", "a", "10'1")};
    b.shard(0, 15, 10, full);
    b.shard(1, 15, 10, full);
    b.shard(2, 10, 10, ObjectNames.MAX, v("10'1"), mod("10'2", "b", "0'0"));
    b.interval(16, 19, List.of(0, 1), true);
    SimCluster sim = b.run();
    GetMissingDecision d = lastRound(sim).getMissing().get(2);
    assertThat(d.decision()).isEqualTo("query_fulllog");
    assertThat(sim.queries()).anyMatch(q -> q.to() == 2 && q.type().equals("FULLLOG"));
    assertThat(sim.finalPrimary().peerMissing().get(2).get("a"))
        .isEqualTo(new PgMissing.Item(v("15'3"), v("10'1"), false));
  }

  @Test
  void aPeerWithEmptyLastBackfillIsBackfilledAndRecoveredAsksToDropPgTemp() {
    SimBuilder b = new SimBuilder();
    LogEntry[] full = {mod("10'1", "a", "0'0"), mod("15'2", "b", "0'0")};
    b.shard(0, 15, 10, full);
    b.shard(1, 15, 10, full);
    b.shard(2, 15, 10, ObjectNames.MIN, Eversion.ZERO, full);
    SimCluster sim = b.run();
    PeeringRound r = lastRound(sim);
    assertThat(r.getMissing().get(2).decision()).isEqualTo("backfill_last_backfill_empty");
    assertThat(r.backfillTargets()).containsExactly(2);
    PeeringMachine p = sim.finalPrimary();
    assertThat(p.stateName()).isEqualTo("Started/Primary/Active/WaitLocalBackfillReserved");
    // pg_temp keeps the complete copies acting while 2 (still in up) is backfilled
    assertThat(p.mapping().acting()).containsExactly(0, 1);
    assertThat(p.pgStateString()).isEqualTo("active+undersized+degraded+remapped+backfill_wait");
    assertThat(p.handle(new PeeringEvent.BackfillReserved())).contains(new Effect.QueueRecovery());
    assertThat(p.pgStateString()).isEqualTo("active+undersized+degraded+remapped+backfilling");
    assertThat(p.peerInfo().get(2).lastBackfill()).isEqualTo(ObjectNames.MIN);
    List<Effect> fx = p.handle(new PeeringEvent.Backfilled());
    assertThat(p.peerInfo().get(2).lastBackfill()).isEqualTo(ObjectNames.MAX);
    assertThat(fx).contains(new Effect.RequestPgTemp(List.of()));
    assertThat(p.stateName()).isEqualTo("Started/Primary/Active/Clean");
  }

  @Test
  void recoveredWithActingNotUpRunsChooseActingRestrictedAndClearsPgTemp() {
    SimBuilder b = new SimBuilder();
    b.shard(0, 15, 10, ObjectNames.MAX, v("10'5"), mod("15'6", "a", "10'1"), mod("15'7", "b", "10'2"));
    b.shard(1, 15, 10, ObjectNames.MAX, v("10'5"), mod("15'6", "a", "10'1"), mod("15'7", "b", "10'2"));
    b.shard(2, 10, 10, ObjectNames.MAX, Eversion.ZERO, mod("10'1", "a", "0'0"), mod("10'2", "b", "0'0"));
    b.interval(16, 19, List.of(0, 1), true);
    SimCluster sim = b.run();
    PeeringMachine p = sim.finalPrimary();
    assertThat(p.mapping().acting()).containsExactly(0, 1); // pg_temp while 2 is backfilled
    assertThat(p.pgStateString()).isEqualTo("active+undersized+degraded+remapped+backfill_wait");
    p.handle(new PeeringEvent.BackfillReserved());
    List<Effect> fx = p.handle(new PeeringEvent.Backfilled());
    // With 2 complete, the restricted choice wants up again: ask to clear pg_temp.
    assertThat(fx).contains(new Effect.RequestPgTemp(List.of()));
    assertThat(p.stateName()).isEqualTo("Started/Primary/Active/Clean");
    assertThat(p.info().history().lastEpochClean()).isNotEqualTo(sim.map().epoch()); // acting is short
  }

  @Test
  void findBestInfoRestrictedToUpAndActingExcludesStrays() {
    SimCluster sim = strayHoldsNewest().run();
    PeeringMachine p = sim.finalPrimary();
    TreeMap<Integer, PgInfo> infos = new TreeMap<>();
    PgInfo mine = p.info();
    infos.put(0, mine);
    infos.put(3, mine.withLastUpdate(v("20'9")).withLastComplete(v("20'9")));
    assertThat(p.findBestInfo(infos, false).osd()).isEqualTo(3);
    AuthChoice restricted = p.findBestInfo(infos, true);
    assertThat(restricted.osd()).isEqualTo(0);
    assertThat(restricted.excluded()).containsEntry(3, "not_up_or_acting");
  }

  @Test
  void belowMinSizeThePgIsPeeredNotActive() {
    SimBuilder b = new SimBuilder();
    b.up = List.of(0);
    b.shard(0, 10, 10, mod("10'1", "a", "0'0"));
    SimCluster sim = b.run();
    PeeringMachine p = sim.finalPrimary();
    assertThat(p.activatedAs()).isEqualTo("peered");
    assertThat(p.acceptsWrites()).isFalse();
    assertThat(p.info().lastEpochStarted()).isEqualTo(10); // not raised: it did not go active
    assertThat(p.pgStateString()).isEqualTo("undersized+degraded+peered");

    SimBuilder empty = new SimBuilder();
    empty.up = List.of(0);
    assertThat(empty.run().finalPrimary().pgStateString()).isEqualTo("undersized+peered");
  }

  @Test
  void getInfoWaitsForTheShardsARebuiltPriorSetProbes() {
    // osd.1 reports a newer activation: the prior set is rebuilt, and GetInfo stays until done.
    SimBuilder b = new SimBuilder();
    b.shard(0, 10, 5, mod("10'1", "a", "0'0"));
    b.shard(1, 15, 5, mod("10'1", "a", "0'0"));
    b.shard(2, 15, 5, mod("10'1", "a", "0'0"));
    SimCluster sim = b.run();
    assertThat(sim.states().get(0)).containsOnlyOnce("Started/Primary/Peering/GetInfo");
    assertThat(sim.states().get(0)).doesNotContain("Started/Primary/Peering/Down");
    assertThat(sim.lastState(0)).startsWith("Started/Primary/Active");
  }

  @Test
  void stateWordsFollowCephsOrder() {
    SimBuilder b = new SimBuilder();
    b.up = List.of(0, 1);
    b.shard(0, 15, 10, mod("10'1", "a", "0'0"), mod("15'2", "b", "0'0"));
    b.shard(1, 10, 10, mod("10'1", "a", "0'0"));
    b.interval(11, 19, List.of(0), true);
    SimCluster sim = b.run();
    PeeringMachine p = sim.finalPrimary();
    assertThat(p.pgStateString()).isEqualTo("active+recovery_wait+undersized+degraded");
    p.handle(new PeeringEvent.RecoveryReserved());
    assertThat(p.pgStateString()).isEqualTo("active+recovering+undersized+degraded");
  }

  @Test
  void incompleteResetsWhenThePoolIsGoneOrMinSizeDrops() {
    SimBuilder b = new SimBuilder();
    b.shard(0, 15, 10, ObjectNames.MIN, Eversion.ZERO, mod("15'1", "a", "0'0"));
    b.shard(1, 15, 10, ObjectNames.MIN, Eversion.ZERO, mod("15'1", "a", "0'0"));
    b.shard(2, 15, 10, ObjectNames.MIN, Eversion.ZERO, mod("15'1", "a", "0'0"));
    SimCluster sim = b.run();
    PeeringMachine p = sim.finalPrimary();
    assertThat(p.stateName()).isEqualTo("Started/Primary/Peering/Incomplete");
    OsdMapView m = sim.map();
    p.handle(new PeeringEvent.AdvMap(new Changed(m, m.epoch() + 1, m.poolMinSize(SimBuilder.PG), true)));
    assertThat(p.stateName()).isEqualTo("Started/Primary/Peering/Incomplete"); // nothing relevant changed
    p.handle(new PeeringEvent.AdvMap(new Changed(m, m.epoch() + 2, m.poolMinSize(SimBuilder.PG), false)));
    assertThat(p.stateName()).isEqualTo("Reset");

    SimCluster sim2 = b.run();
    PeeringMachine p2 = sim2.finalPrimary();
    p2.handle(new PeeringEvent.AdvMap(new Changed(sim2.map(), sim2.map().epoch() + 1, 1, true)));
    assertThat(p2.stateName()).isEqualTo("Reset");
    // min_size is part of the interval (Ceph's is_new_interval)
    assertThat(p2.info().history().sameIntervalSince()).isEqualTo(sim2.map().epoch() + 1);
    assertThat(p2.pastIntervals().last()).isEqualTo(sim2.map().epoch());
  }

  @Test
  void poolSizeAndMinSizeChangesStartANewInterval() {
    PgMapping m = new PgMapping(List.of(0, 1, 2), 0, List.of(0, 1, 2), 0);
    assertThat(PastIntervals.isNewInterval(m, m, 3, 3, 2, 2)).isFalse();
    assertThat(PastIntervals.isNewInterval(m, m, 3, 2, 2, 2)).isTrue();
    assertThat(PastIntervals.isNewInterval(m, m, 3, 3, 2, 1)).isTrue();
  }

  @Test
  void procMasterLogRaisesEachStartBoundOnItsOwn() {
    // The auth activated later (les 15) but in an older interval than ours (lis 12 < 14).
    SimBuilder b = new SimBuilder();
    b.shard(0, 10, 5, mod("10'1", "a", "0'0"));
    b.shard(1, 15, 5, mod("10'1", "a", "0'0"), mod("15'2", "a", "10'1"));
    b.shard(2, 10, 5, mod("10'1", "a", "0'0"));
    SimCluster.Shard s0 = b.shards.get(0);
    b.shards.put(0, new SimCluster.Shard(s0.info().withStarted(10, 14), s0.log(), s0.missing()));
    SimCluster.Shard s1 = b.shards.get(1);
    b.shards.put(1, new SimCluster.Shard(s1.info().withStarted(15, 12), s1.log(), s1.missing()));
    b.grantUpThru = false;
    b.osd(0, true, 5); // stays in WaitUpThru: the info is as proc_master_log left it
    SimCluster sim = b.run();
    PeeringMachine p = sim.finalPrimary();
    assertThat(p.stateName()).isEqualTo("Started/Primary/Peering/WaitUpThru");
    assertThat(p.info().lastEpochStarted()).isEqualTo(15);
    assertThat(p.info().lastIntervalStarted()).isEqualTo(14);
  }

  /** The simulator's map one epoch on, with another min_size or the pool deleted. */
  record Changed(OsdMapView base, long epoch, int minSize, boolean poolExists) implements OsdMapView {
    @Override
    public boolean exists(int osd) {
      return base.exists(osd);
    }

    @Override
    public boolean isUp(int osd) {
      return base.isUp(osd);
    }

    @Override
    public long upFrom(int osd) {
      return base.upFrom(osd);
    }

    @Override
    public long upThru(int osd) {
      return base.upThru(osd);
    }

    @Override
    public long lostAt(int osd) {
      return base.lostAt(osd);
    }

    @Override
    public int poolSize(PgId pg) {
      return base.poolSize(pg);
    }

    @Override
    public int poolMinSize(PgId pg) {
      return minSize;
    }

    @Override
    public boolean poolExists(PgId pg) {
      return poolExists;
    }

    @Override
    public PgMapping mapping(PgId pg) {
      return base.mapping(pg);
    }
  }
}
