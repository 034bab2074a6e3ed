package io.jpeer.osd;

import static org.assertj.core.api.Assertions.assertThat;

import io.jpeer.client.RadosClient;
import io.jpeer.core.machine.PeeringMachine;
import io.jpeer.core.types.Eversion;
import io.jpeer.core.types.PgId;
import io.jpeer.map.OsdMap;
import io.jpeer.osd.recovery.ObjectVersion;
import io.jpeer.store.StoredObject;
import io.jpeer.testing.MiniCluster;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Log-based recovery on a real cluster in this JVM: an OSD misses overwrites, creations and a
 * delete while down; once back, every PG ends active+clean, the primary serves the last content,
 * and every acting OSD's store holds each object at its last version (the deleted one nowhere).
 */
@Timeout(180)
class OsdRecoveryTest {
  @TempDir Path dir;

  static byte[] b(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void aReturningReplicaGetsWhatItMissedPushed() throws Exception {
    missWritesThenRecover(false);
  }

  @Test
  void aReturningPrimaryPullsWhatItMissed() throws Exception {
    missWritesThenRecover(true);
  }

  private void missWritesThenRecover(boolean primaryMisses) throws Exception {
    // One recovery op at a time: the throttle must not stop recovery from finishing.
    try (MiniCluster c = MiniCluster.start(dir, 3, Map.of("osd_recovery_max_active", "1"))) {
      c.command("pool create", Map.of("pool", "rbd", "pg_num", "4", "size", "3", "min_size", "2"));
      RadosClient rados = c.client();
      Map<String, String> content = new TreeMap<>();
      Map<String, Eversion> versions = new TreeMap<>();
      for (int i = 0; i < 16; i++) {
        put(rados, content, versions, "obj" + i, "v1 of " + i);
      }
      PgId pg0 = pgOf(c.map(), "obj0");
      int victim = primaryMisses ? c.map().pgToUpActing(pg0).actingPrimary()
          : c.map().pgToUpActing(pg0).acting().get(1);
      c.killOsd(victim);
      c.command("osd down", Map.of("ids", Integer.toString(victim)));
      c.waitFor("osd down", () -> !c.map().isUp(victim), c::describe);
      for (int i = 0; i < 16; i += 3) {
        put(rados, content, versions, "obj" + i, "v2 of " + i);
      }
      for (int i = 16; i < 20; i++) {
        put(rados, content, versions, "obj" + i, "new " + i);
      }
      rados.remove("rbd", "obj1");
      content.remove("obj1");
      versions.remove("obj1");
      c.startOsd(victim);
      c.waitFor("osd up", () -> c.map().isUp(victim), c::describe);
      waitForClean(c, 4);
      for (var e : content.entrySet()) {
        assertThat(new String(rados.get("rbd", e.getKey()), StandardCharsets.UTF_8)).as(e.getKey())
            .isEqualTo(e.getValue());
      }
      assertThat(rados.list("rbd")).containsExactlyInAnyOrderElementsOf(content.keySet());
      OsdMap map = c.map();
      for (var e : versions.entrySet()) {
        PgId pg = pgOf(map, e.getKey());
        for (int osd : map.pgToUpActing(pg).acting()) {
          Optional<StoredObject> o = c.osd(osd).readObject(pg, e.getKey());
          assertThat(o).as(e.getKey() + " on osd." + osd).isPresent();
          assertThat(ObjectVersion.of(o.get())).as(e.getKey() + " version on osd." + osd).isEqualTo(e.getValue());
          assertThat(new String(o.get().data(), StandardCharsets.UTF_8)).isEqualTo(content.get(e.getKey()));
        }
      }
      PgId pg1 = pgOf(map, "obj1");
      for (int osd = 0; osd < 3; osd++) {
        assertThat(c.osd(osd).readObject(pg1, "obj1")).as("deleted obj1 on osd." + osd).isEmpty();
      }
    }
  }

  @Test
  void aWriteToAnObjectAReplicaLacksWaitsForItsPushAndIsNotUndone() throws Exception {
    // Background recovery off: only the write's wait gets the object pushed.
    try (MiniCluster c = MiniCluster.start(dir, 3, Map.of("osd_debug_norecover", "true"))) {
      c.command("pool create", Map.of("pool", "rbd", "pg_num", "1", "size", "3", "min_size", "2"));
      RadosClient rados = c.client();
      rados.put("rbd", "m", b("v1"));
      PgId pg = pgOf(c.map(), "m");
      var ua = c.map().pgToUpActing(pg);
      int replica = ua.acting().stream().filter(o -> o != ua.actingPrimary()).findFirst().orElseThrow();
      c.killOsd(replica);
      c.command("osd down", Map.of("ids", Integer.toString(replica)));
      c.waitFor("osd down", () -> !c.map().isUp(replica), c::describe);
      rados.put("rbd", "m", b("v2"));
      c.startOsd(replica);
      int primary = c.map().pgToUpActing(pg).actingPrimary();
      c.waitFor("the primary knows the replica lacks m", () -> {
        PeeringMachine m = c.osd(primary).machines().get(pg);
        return c.map().isUp(replica) && m.acceptsWrites() && m.peerMissing().containsKey(replica)
            && m.peerMissing().get(replica).isMissing("m");
      }, c::describe);
      Eversion v3 = rados.put("rbd", "m", b("v3"));
      assertThat(c.osd(primary).machines().get(pg).peerMissing().get(replica).isMissing("m")).isFalse();
      c.waitFor("the replica holds v3", () -> c.osd(replica).readObject(pg, "m")
          .map(o -> v3.equals(ObjectVersion.of(o))).orElse(false), c::describe);
      assertThat(new String(c.osd(replica).readObject(pg, "m").orElseThrow().data(), StandardCharsets.UTF_8))
          .isEqualTo("v3");
    }
  }

  @Test
  void recoveryCutByAnIntervalChangeStartsAgainAndFinishes() throws Exception {
    try (MiniCluster c = MiniCluster.start(dir, 3, Map.of("osd_recovery_max_active", "1"))) {
      c.command("pool create", Map.of("pool", "rbd", "pg_num", "1", "size", "3", "min_size", "2"));
      RadosClient rados = c.client();
      rados.put("rbd", "warm", b("up"));
      PgId pg = pgOf(c.map(), "warm");
      var ua = c.map().pgToUpActing(pg);
      int primary = ua.actingPrimary();
      int victim = ua.acting().get(1);
      int third = ua.acting().get(2);
      c.killOsd(victim);
      c.command("osd down", Map.of("ids", Integer.toString(victim)));
      c.waitFor("osd down", () -> !c.map().isUp(victim), c::describe);
      Map<String, String> content = new TreeMap<>();
      for (int i = 0; i < 300; i++) {
        rados.put("rbd", "o" + i, b("d" + i));
        content.put("o" + i, "d" + i);
      }
      c.startOsd(victim);
      c.waitFor("recovery under way", () -> {
        PeeringMachine m = c.osd(primary).machines().get(pg);
        var pm = m.peerMissing().get(victim);
        return m.stateName().endsWith("/Recovering") && pm != null && pm.size() < 300 && pm.size() > 0;
      }, c::describe);
      // The third OSD goes: a new interval; recovery starts again from the new peer_missing.
      c.killOsd(third);
      c.command("osd down", Map.of("ids", Integer.toString(third)));
      c.waitFor("osd down", () -> !c.map().isUp(third), c::describe);
      c.startOsd(third);
      c.waitFor("osd up", () -> c.map().isUp(third), c::describe);
      waitForClean(c, 1);
      for (int osd : c.map().pgToUpActing(pg).acting()) {
        for (var e : content.entrySet()) {
          assertThat(c.osd(osd).readObject(pg, e.getKey()).map(o -> new String(o.data(), StandardCharsets.UTF_8)))
              .as(e.getKey() + " on osd." + osd).contains(e.getValue());
        }
      }
    }
  }

  @Test
  void malformedOrForgedRecoveryMessagesAreDroppedAndTheOsdGoesOn() throws Exception {
    try (MiniCluster c = MiniCluster.start(dir, 3)) {
      c.command("pool create", Map.of("pool", "rbd", "pg_num", "1", "size", "3", "min_size", "2"));
      RadosClient rados = c.client();
      Eversion v = rados.put("rbd", "x", b("real"));
      OsdMap map = c.map();
      PgId pg = pgOf(map, "x");
      var ua = map.pgToUpActing(pg);
      int primary = ua.actingPrimary();
      int target = ua.acting().stream().filter(o -> o != primary).findFirst().orElseThrow();
      int other = ua.acting().stream().filter(o -> o != primary && o != target).findFirst().orElseThrow();
      try (RawPeer forger = new RawPeer(new io.jpeer.net.EntityName("osd", other))) {
        var push = io.jpeer.proto.recovery.MOSDPGPush.newBuilder().setPgid(pg.toString()).setOid("x")
            .setMapEpoch((int) map.epoch()).setVersion(io.jpeer.osd.wire.CoreCodec.eversion(
                io.jpeer.core.types.Eversion.of(map.epoch(), 99))).setData(com.google.protobuf.ByteString.copyFromUtf8("forged"));
        forger.send(map, target, OsdMessages.MOSD_PG_PUSH, push.clone().setPgid("not a pg").build());
        forger.send(map, target, OsdMessages.MOSD_PG_PUSH, push.clone().setOid("").build());
        forger.send(map, target, OsdMessages.MOSD_PG_PULL, io.jpeer.proto.recovery.MOSDPGPull.newBuilder()
            .setPgid("1.zz").build());
        // Well formed, but not from the acting primary.
        forger.send(map, target, OsdMessages.MOSD_PG_PUSH, push.clone().setIsDelete(true).build());
        forger.send(map, target, OsdMessages.MOSD_PG_PUSH, push.build());
        forger.send(map, target, io.jpeer.client.ClientMessages.MOSD_OP, io.jpeer.proto.client.MOSDOp.newBuilder()
            .setClient("osd." + other).setIncarnation(1).setTid(5).setPgid(pg.toString())
            .setOp(io.jpeer.proto.client.MOSDOp.Op.PG_QUERY).setMapEpoch((int) map.epoch()).setAttempt(1).build());
        c.waitFor("the message behind them answered", () -> !forger.repliesTo(5).isEmpty(), c::describe);
      }
      Optional<StoredObject> o = c.osd(target).readObject(pg, "x");
      assertThat(o).isPresent();
      assertThat(new String(o.get().data(), StandardCharsets.UTF_8)).isEqualTo("real");
      assertThat(ObjectVersion.of(o.get())).isEqualTo(v);
      assertThat(new String(rados.get("rbd", "x"), StandardCharsets.UTF_8)).isEqualTo("real");
    }
  }

  private static void put(RadosClient rados, Map<String, String> content, Map<String, Eversion> versions, String oid,
      String data) throws Exception {
    versions.put(oid, rados.put("rbd", oid, b(data)));
    content.put(oid, data);
  }

  static PgId pgOf(OsdMap m, String oid) {
    return m.objectToPg(m.poolByName("rbd").orElseThrow().id(), oid);
  }

  /** Every PG's primary active+clean with nothing missing anywhere (60 s at most). */
  static void waitForClean(MiniCluster c, int pgs) throws InterruptedException {
    long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(60);
    String seen = "";
    while (System.nanoTime() < deadline) {
      StringBuilder sb = new StringBuilder();
      boolean clean = true;
      int primaries = 0;
      for (int id = 0; id < 3; id++) {
        for (var e : c.osd(id).machines().entrySet()) {
          PeeringMachine m = e.getValue();
          if (!m.isPrimary()) {
            continue;
          }
          primaries++;
          sb.append(e.getKey()).append(' ').append(m.pgStateString()).append("; ");
          clean &= m.pgStateString().equals("active+clean") && m.missing().isEmpty()
              && m.peerMissing().values().stream().allMatch(pm -> pm.isEmpty());
        }
      }
      if (clean && primaries == pgs) {
        return;
      }
      seen = sb.toString();
      Thread.sleep(20);
    }
    throw new AssertionError("timed out waiting for every PG active+clean: " + seen + "\n" + c.describe());
  }
}
