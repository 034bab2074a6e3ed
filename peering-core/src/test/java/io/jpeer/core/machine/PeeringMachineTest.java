package io.jpeer.core.machine;

import static io.jpeer.core.machine.SimBuilder.mod;
import static io.jpeer.core.machine.SimBuilder.v;
import static org.assertj.core.api.Assertions.assertThat;

import io.jpeer.core.interval.OsdMapView;
import io.jpeer.core.interval.PastIntervals;
import io.jpeer.core.interval.PgMapping;
import io.jpeer.core.sim.SimCluster;
import io.jpeer.core.types.Eversion;
import io.jpeer.core.types.ObjectNames;
import io.jpeer.core.types.PgHistory;
import io.jpeer.core.types.PgId;
import io.jpeer.core.types.PgInfo;
import io.jpeer.core.types.PgLog;
import io.jpeer.core.types.PgMissing;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The peering machine's branches, driven through the simulator (and directly where simpler). */
class PeeringMachineTest {
  static PeeringRound lastRound(SimCluster sim) {
    List<PeeringRound> r = sim.finalPrimary().rounds();
    return r.get(r.size() - 1);
  }

  @Test
  void freshPgWithCurrentUpThruGoesStraightToClean() {
    SimCluster sim = new SimBuilder().run();
    assertThat(sim.lastState(0)).isEqualTo("Started/Primary/Active/Clean");
    assertThat(sim.finalPrimary().activatedAs()).isEqualTo("active");
    assertThat(sim.published()).isEmpty();
    assertThat(sim.totalUnhandledEvents()).isZero();
    assertThat(lastRound(sim).getMissing().values()).extracting(GetMissingDecision::decision)
        .containsOnly("skip_empty");
    assertThat(sim.lastState(1)).isEqualTo("Started/ReplicaActive/RepNotRecovering");
  }

  @Test
  void staleUpThruWaitsForTheMonitorThenActivates() {
    SimBuilder b = new SimBuilder();
    b.osd(0, true, 5);
    SimCluster sim = b.run();
    assertThat(sim.states().get(0)).contains("Started/Primary/Peering/WaitUpThru");
    assertThat(sim.published()).extracting(SimCluster.PublishedMap::reason).containsExactly("up_thru");
    assertThat(sim.lastState(0)).isEqualTo("Started/Primary/Active/Clean");
  }

  @Test
  void withoutAnUpThruGrantThePrimaryStaysInWaitUpThru() {
    SimBuilder b = new SimBuilder();
    b.osd(0, true, 5);
    b.grantUpThru = false;
    SimCluster sim = b.run();
    assertThat(sim.lastState(0)).isEqualTo("Started/Primary/Peering/WaitUpThru");
    assertThat(sim.finalPrimary().needUpThru()).isTrue();
    assertThat(sim.finalPrimary().activatedAs()).isNull();
  }

  @Test
  void replicaThatMissedWritesIsAskedForItsLogAndGetsExactPeerMissing() {
    SimBuilder b = new SimBuilder();
    b.shard(0, 15, 10, mod("10'1", "a", "0'0"), mod("10'2", "b", "0'0"), mod("15'3", "a", "10'1"),
        mod("15'4", "c", "0'0"));
    b.shard(1, 15, 10, mod("10'1", "a", "0'0"), mod("10'2", "b", "0'0"), mod("15'3", "a", "10'1"),
        mod("15'4", "c", "0'0"));
    b.shard(2, 10, 10, mod("10'1", "a", "0'0"), mod("10'2", "b", "0'0"));
    b.interval(16, 19, List.of(0, 1), true);
    SimCluster sim = b.run();
    PeeringRound r = lastRound(sim);
    assertThat(r.getMissing().get(1).decision()).isEqualTo("skip_identical");
    assertThat(r.getMissing().get(2).decision()).isEqualTo("query_log");
    assertThat(r.getMissing().get(2).since()).isEqualTo(v("10'0"));
    PgMissing pm = sim.finalPrimary().peerMissing().get(2);
    assertThat(pm.items()).containsOnlyKeys("a", "c");
    assertThat(pm.get("a")).isEqualTo(new PgMissing.Item(v("15'3"), v("10'1"), false));
    assertThat(pm.get("c")).isEqualTo(new PgMissing.Item(v("15'4"), Eversion.ZERO, false));
    // Recovery is not simulated: the primary waits for its reservation.
    assertThat(sim.lastState(0)).isEqualTo("Started/Primary/Active/WaitLocalRecoveryReserved");
    assertThat(sim.shards().get(2).missing().items()).containsOnlyKeys("a", "c"); // the replica agrees
    // search_for_missing: both objects can come from osd.0 and osd.1, which hold the newest versions.
    assertThat(sim.finalPrimary().missingLocations()).containsEntry("a", java.util.Set.of(0, 1))
        .containsEntry("c", java.util.Set.of(0, 1));
    assertThat(sim.finalPrimary().numUnfound()).isZero();
    // The runtime grants the reservation and is told to start recovery.
    PeeringMachine p = sim.finalPrimary();
    assertThat(p.handle(new PeeringEvent.RecoveryReserved())).contains(new Effect.QueueRecovery());
    assertThat(p.stateName()).isEqualTo("Started/Primary/Active/Recovering");
    assertThat(p.pgStateString()).isEqualTo("active+recovering+degraded");
    // Not done while osd.2 still lacks objects: Ceph asserts last_complete == last_update first.
    p.handle(new PeeringEvent.AllReplicasRecovered());
    assertThat(p.stateName()).isEqualTo("Started/Primary/Active/Recovering");
    p.handle(new PeeringEvent.ObjectRecovered("a", v("15'3"), 2));
    assertThat(p.peerMissing().get(2).items()).containsOnlyKeys("c");
    assertThat(p.missingLocations()).containsOnlyKeys("c");
    assertThat(p.peerInfo().get(2).lastComplete()).isNotEqualTo(v("15'4"));
    p.handle(new PeeringEvent.ObjectRecovered("c", v("15'4"), 2));
    assertThat(p.peerMissing().get(2).isEmpty()).isTrue();
    assertThat(p.peerInfo().get(2).lastComplete()).isEqualTo(v("15'4"));
    assertThat(p.missingLocations()).isEmpty();
    List<Effect> done = p.handle(new PeeringEvent.AllReplicasRecovered());
    assertThat(p.stateName()).isEqualTo("Started/Primary/Active/Clean");
    assertThat(p.pgStateString()).isEqualTo("active+clean");
    assertThat(p.info().history().lastEpochClean()).isEqualTo(sim.map().epoch());
    assertThat(done).anyMatch(e -> e instanceof Effect.Persist);
    assertThat(p.unhandledEvents()).isZero();
  }

  @Test
  void peerBehindThePrimarysTailIsBackfilled() {
    SimBuilder b = new SimBuilder();
    b.shard(0, 15, 10, ObjectNames.MAX, v("10'5"), mod("15'6", "a", "10'1"), mod("15'7", "b", "10'2"));
    b.shard(1, 15, 10, ObjectNames.MAX, v("10'5"), mod("15'6", "a", "10'1"), mod("15'7", "b", "10'2"));
    b.shard(2, 10, 10, ObjectNames.MAX, Eversion.ZERO, mod("10'1", "a", "0'0"), mod("10'2", "b", "0'0"));
    b.interval(16, 19, List.of(0, 1), true);
    SimCluster sim = b.run();
    PeeringRound r = lastRound(sim);
    assertThat(r.backfillTargets()).containsExactly(2);
    assertThat(r.getMissing().get(2).decision()).isEqualTo("backfill_not_contiguous");
    assertThat(sim.finalPrimary().activationMessages().get(2).backfill()).isTrue();
    assertThat(sim.lastState(0)).isEqualTo("Started/Primary/Active/WaitLocalBackfillReserved");
  }

  @Test
  void writtenIntervalWithNoLiveMemberIsDown() {
    SimBuilder b = new SimBuilder();
    b.up = List.of(0);
    b.osd(3, false, 15).osd(4, false, 15);
    b.shard(0, 10, 10, mod("10'1", "a", "0'0"));
    b.interval(11, 19, List.of(3, 4), true);
    SimCluster sim = b.run();
    assertThat(sim.lastState(0)).isEqualTo("Started/Primary/Peering/Down");
    assertThat(sim.finalPrimary().blockedBy()).containsExactly(3, 4);
    assertThat(lastRound(sim).priorSet().pgDown()).isTrue();
  }

  @Test
  void lostOsdsDoNotBlock() {
    SimBuilder b = new SimBuilder();
    b.up = List.of(0);
    b.minSize = 1;
    b.osds.put(3, new SimCluster.Osd(3, true, false, 1, 15, 12));
    b.shard(0, 10, 10, mod("10'1", "a", "0'0"));
    b.interval(11, 19, List.of(3), true);
    SimCluster sim = b.run();
    assertThat(lastRound(sim).priorSet().pgDown()).isFalse();
  }

  @Test
  void noCompleteCopyIsIncomplete() {
    SimBuilder b = new SimBuilder();
    b.shard(0, 15, 10, ObjectNames.MIN, Eversion.ZERO, mod("15'1", "a", "0'0"));
    b.shard(1, 15, 10, ObjectNames.MIN, Eversion.ZERO, mod("15'1", "a", "0'0"));
    b.shard(2, 15, 10, ObjectNames.MIN, Eversion.ZERO, mod("15'1", "a", "0'0"));
    SimCluster sim = b.run();
    assertThat(sim.lastState(0)).isEqualTo("Started/Primary/Peering/Incomplete");
    AuthChoice auth = lastRound(sim).auth();
    assertThat(auth.found()).isFalse();
    assertThat(auth.excluded()).containsEntry(0, "incomplete");
  }

  @Test
  void findBestInfoPrefersNewestThenLongestTailThenPrimary() {
    SimBuilder b = new SimBuilder();
    b.shard(0, 15, 10, ObjectNames.MAX, v("10'1"), mod("15'2", "a", "10'1"));
    b.shard(1, 15, 10, ObjectNames.MAX, Eversion.ZERO, mod("10'1", "a", "0'0"), mod("15'2", "a", "10'1"));
    b.shard(2, 15, 10, ObjectNames.MAX, Eversion.ZERO, mod("10'1", "a", "0'0"));
    SimCluster sim = b.run();
    AuthChoice auth = lastRound(sim).auth();
    assertThat(auth.osd()).isEqualTo(1);
    assertThat(auth.decidedBy()).containsExactly("newest_last_update", "longest_tail");
    assertThat(auth.candidates()).containsExactly(0, 1, 2);
    assertThat(lastRound(sim).getLog()).isEqualTo(new PeeringRound.GetLogRequest(1, v("15'2")));
  }

  @Test
  void historyLesExcludesShardsThatMissedTheNewestActivation() {
    SimBuilder b = new SimBuilder();
    b.shard(0, 10, 10, mod("10'1", "a", "0'0"), mod("10'2", "a", "10'1")); // older activation, longer log
    b.shard(1, 15, 10, mod("10'1", "a", "0'0"));
    b.shard(2, 15, 10, mod("10'1", "a", "0'0"));
    SimCluster sim = b.run();
    AuthChoice auth = lastRound(sim).auth();
    assertThat(auth.maxLastEpochStarted()).isEqualTo(15);
    assertThat(auth.excluded()).containsEntry(0, "last_epoch_started");
    assertThat(auth.osd()).isEqualTo(1);
    // The primary's newer entry was never acknowledged: it is rewound and the object recovered.
    assertThat(sim.finalPrimary().missing().get("a")).isEqualTo(new PgMissing.Item(v("10'1"), Eversion.ZERO, false));
  }

  @Test
  void staleMessagesAreDropped() {
    PgId pg = new PgId(1, 0);
    OsdMapView map = new SimMapStub(30);
    PeeringMachine m = new PeeringMachine(pg, 0, map, PgInfo.created(pg, 1).withHistory(
        new PgHistory(1, 1, 0, 0, 0, 0, 30, 30, 30)), PgLog.EMPTY, PgMissing.of(true, Map.of()), PastIntervals.EMPTY,
        MachineConfig.defaults());
    m.handle(new PeeringEvent.Initialize());
    m.handle(new PeeringEvent.ActMap());
    assertThat(m.stateName()).isEqualTo("Started/Primary/Peering/GetInfo");
    PgInfo peer = PgInfo.created(pg, 1);
    List<Effect> effects = m.handle(new PeeringEvent.MessageReceived(
        new PeeringMessage.Notify(pg, 29, 29, peer, PastIntervals.EMPTY, 1, 0)));
    assertThat(m.peerInfo()).isEmpty();
    assertThat(effects).noneMatch(e -> e instanceof Effect.StateEntered);
    m.handle(new PeeringEvent.MessageReceived(new PeeringMessage.Notify(pg, 30, 30, peer, PastIntervals.EMPTY, 1, 0)));
    assertThat(m.peerInfo()).containsKey(1);
    assertThat(m.unhandledEvents()).isZero();
  }

  /** A fixed map: OSDs 0-2 up since 1 with up_thru 30, PG on [0,1,2]. */
  record SimMapStub(long epoch) implements OsdMapView {
    @Override
    public boolean exists(int osd) {
      return osd <= 2;
    }

    @Override
    public boolean isUp(int osd) {
      return osd <= 2;
    }

    @Override
    public long upFrom(int osd) {
      return 1;
    }

    @Override
    public long upThru(int osd) {
      return 30;
    }

    @Override
    public long lostAt(int osd) {
      return 0;
    }

    @Override
    public int poolSize(PgId pg) {
      return 3;
    }

    @Override
    public int poolMinSize(PgId pg) {
      return 2;
    }

    @Override
    public PgMapping mapping(PgId pg) {
      return new PgMapping(List.of(0, 1, 2), 0, List.of(0, 1, 2), 0);
    }
  }
}
