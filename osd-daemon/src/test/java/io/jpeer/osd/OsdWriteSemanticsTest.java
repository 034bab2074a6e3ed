package io.jpeer.osd;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.jpeer.client.ClientMessages;
import io.jpeer.client.RadosClient;
import io.jpeer.core.machine.PeeringMachine;
import io.jpeer.core.types.Eversion;
import io.jpeer.core.types.LogEntry;
import io.jpeer.core.types.LogOp;
import io.jpeer.core.types.PgId;
import io.jpeer.core.types.ReqId;
import io.jpeer.map.OsdMap;
import io.jpeer.map.UpActing;
import io.jpeer.net.EntityName;
import io.jpeer.osd.wire.CoreCodec;
import io.jpeer.proto.client.MOSDOp;
import io.jpeer.proto.client.MOSDOpReply;
import io.jpeer.proto.client.MOSDRepOp;
import io.jpeer.testing.MiniCluster;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The write path's promises, on a real cluster in this JVM: a resent write is applied once and
 * answered only when every replica has it; replicated writes come only from the current primary
 * of the current interval; writes held below min_size complete once the PG is active again; an
 * op on an object the primary is missing waits for that object's recovery.
 */
@Timeout(120)
class OsdWriteSemanticsTest {
  @TempDir Path dir;

  static byte[] b(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  static PeeringMachine machine(MiniCluster c, int osd, PgId pg) {
    return c.osd(osd).machines().get(pg);
  }

  static long logged(MiniCluster c, int osd, PgId pg, ReqId reqid) {
    PeeringMachine m = machine(c, osd, pg);
    return m == null ? 0 : m.pgLog().entries().stream().filter(e -> reqid.equals(e.reqid())).count();
  }

  static MOSDOp op(String client, long tid, PgId pg, MOSDOp.Op kind, String oid, String data, long epoch) {
    return MOSDOp.newBuilder().setClient(client).setIncarnation(1).setTid(tid).setPgid(pg.toString()).setOid(oid)
        .setOp(kind).setData(ByteString.copyFromUtf8(data)).setMapEpoch((int) epoch).setAttempt(1).build();
  }

  @Test
  void aResentWriteIsAnsweredOnlyOnceEveryReplicaHasItAndAppliedOnce() throws Exception {
    try (MiniCluster c = MiniCluster.start(dir, 3); RawPeer client = new RawPeer(new EntityName("client", 77))) {
      PgId pg = c.onePgPool();
      OsdMap map = c.map();
      UpActing ua = map.pgToUpActing(pg);
      int primary = ua.actingPrimary();
      int slow = ua.acting().stream().filter(o -> o != primary).findFirst().orElseThrow();
      ReqId reqid = new ReqId("client.77", 1, 1);
      MOSDOp write = op("client.77", 1, pg, MOSDOp.Op.WRITE_FULL, "obj", "v1", map.epoch());
      try (AutoCloseable frozen = RawPeer.freeze(c.osd(slow))) {
        client.send(map, primary, ClientMessages.MOSD_OP, write);
        c.waitFor("the primary logged the write", () -> logged(c, primary, pg, reqid) == 1, c::describe);
        client.send(map, primary, ClientMessages.MOSD_OP, write.toBuilder().setAttempt(2).build());
        // A read behind the resend on the same connection: once it is answered, so could the resend have been.
        client.send(map, primary, ClientMessages.MOSD_OP, op("client.77", 2, pg, MOSDOp.Op.READ, "warm", "", map.epoch()));
        c.waitFor("the read behind the resend answered", () -> !client.repliesTo(2).isEmpty(), c::describe);
        assertThat(client.repliesTo(1)).as("acked while osd.%d lacks the write", slow).isEmpty();
      }
      c.waitFor("original and resend answered", () -> client.repliesTo(1).size() == 2, c::describe);
      List<MOSDOpReply> answers = client.repliesTo(1);
      assertThat(answers).allSatisfy(r -> assertThat(r.getResult()).isZero());
      assertThat(answers).extracting(MOSDOpReply::getAttempt).containsExactlyInAnyOrder(1, 2);
      Eversion v = CoreCodec.eversion(answers.get(0).getVersion());
      assertThat(CoreCodec.eversion(answers.get(1).getVersion())).isEqualTo(v);

      // Resent once more after the commit: answered from the log, still applied once.
      client.send(map, primary, ClientMessages.MOSD_OP, write.toBuilder().setAttempt(3).build());
      c.waitFor("the late resend answered", () -> client.repliesTo(1).size() == 3, c::describe);
      assertThat(CoreCodec.eversion(client.repliesTo(1).get(2).getVersion())).isEqualTo(v);
      for (int osd : ua.acting()) {
        c.waitFor("osd." + osd + " has the write once", () -> logged(c, osd, pg, reqid) == 1, c::describe);
      }
      assertThat(machine(c, primary, pg).pgLog().head()).isEqualTo(v);
      client.send(map, primary, ClientMessages.MOSD_OP, op("client.77", 3, pg, MOSDOp.Op.READ, "obj", "", map.epoch()));
      c.waitFor("read answered", () -> !client.repliesTo(3).isEmpty(), c::describe);
      assertThat(client.repliesTo(3).get(0).getData().toStringUtf8()).isEqualTo("v1");
      assertThat(CoreCodec.eversion(client.repliesTo(3).get(0).getVersion())).isEqualTo(v);
    }
  }

  @Test
  void aReplicaTakesWritesOnlyFromTheCurrentPrimaryOfTheCurrentInterval() throws Exception {
    try (MiniCluster c = MiniCluster.start(dir, 3)) {
      PgId pg = c.onePgPool();
      OsdMap map = c.map();
      UpActing ua = map.pgToUpActing(pg);
      int primary = ua.actingPrimary();
      List<Integer> replicas = ua.acting().stream().filter(o -> o != primary).toList();
      int target = replicas.get(0);
      int other = replicas.get(1);
      PeeringMachine m = machine(c, target, pg);
      Eversion head = m.pgLog().head();
      long reset = m.lastPeeringReset();
      try (RawPeer notPrimary = new RawPeer(new EntityName("osd", other));
          RawPeer oldPrimary = new RawPeer(new EntityName("osd", primary))) {
        // From a replica, in the current interval.
        notPrimary.send(map, target, OsdMessages.MOSD_REPOP, repop(pg, "forged1", head, 1, map.epoch()));
        notPrimary.send(map, target, ClientMessages.MOSD_OP, op("osd." + other, 9, pg, MOSDOp.Op.PG_QUERY, "", "",
            map.epoch()));
        c.waitFor("the message behind it handled", () -> !notPrimary.repliesTo(9).isEmpty(), c::describe);
        // From the primary's id, but sent in an interval that has ended; then a current one.
        oldPrimary.send(map, target, OsdMessages.MOSD_REPOP, repop(pg, "stale", head, 2, reset - 1));
        oldPrimary.send(map, target, OsdMessages.MOSD_REPOP, repop(pg, "current", head, 3, map.epoch()));
        c.waitFor("the current one applied", () -> logged(c, target, pg, reqid("current")) == 1, c::describe);
      }
      assertThat(logged(c, target, pg, reqid("forged1"))).isZero();
      assertThat(logged(c, target, pg, reqid("stale"))).isZero();
      assertThat(machine(c, target, pg).pgLog().head()).isEqualTo(Eversion.of(head.epoch(), head.version() + 3));
    }
  }

  static ReqId reqid(String oid) {
    return new ReqId("client.99", 1, oid.hashCode() & 0xffff);
  }

  static MOSDRepOp repop(PgId pg, String oid, Eversion head, int ahead, long epoch) {
    LogEntry e = new LogEntry(LogOp.MODIFY, oid, Eversion.of(head.epoch(), head.version() + ahead), Eversion.ZERO,
        reqid(oid), head.version() + ahead, false, 0);
    return MOSDRepOp.newBuilder().setPgid(pg.toString()).setRepTid(1000 + ahead).setEntry(CoreCodec.entry(e))
        .setData(ByteString.copyFromUtf8(oid)).setMapEpoch((int) epoch).build();
  }

  @Test
  void writesHeldBelowMinSizeCompleteOnceThePgIsActiveAgainAndNoneIsLost() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(4, r -> {
      Thread t = new Thread(r, "writer");
      t.setDaemon(true);
      return t;
    });
    try (MiniCluster c = MiniCluster.start(dir, 3)) {
      PgId pg = c.onePgPool();
      UpActing ua = c.map().pgToUpActing(pg);
      int primary = ua.actingPrimary();
      List<Integer> others = ua.acting().stream().filter(o -> o != primary).toList();
      others.forEach(c::killOsd);
      c.command("osd down", Map.of("ids", others.get(0) + "," + others.get(1)));
      c.waitFor("the PG below min_size", () -> !c.map().isUp(others.get(0)) && !c.map().isUp(others.get(1))
          && machine(c, primary, pg).mapping().acting().size() == 1 && !machine(c, primary, pg).acceptsWrites(),
          c::describe);
      RadosClient rados = c.client();
      Map<String, Future<Eversion>> puts = new TreeMap<>();
      for (int i = 0; i < 6; i++) {
        String oid = "held" + i;
        puts.put(oid, pool.submit(() -> rados.put("rbd", oid, b("data of " + oid))));
      }
      assertThat(puts.values()).noneMatch(Future::isDone);
      c.startOsd(others.get(0));
      Set<Eversion> versions = new java.util.TreeSet<>();
      for (var e : puts.entrySet()) {
        versions.add(e.getValue().get(30, TimeUnit.SECONDS));
      }
      assertThat(versions).hasSize(6);
      for (String oid : puts.keySet()) {
        assertThat(new String(rados.get("rbd", oid), StandardCharsets.UTF_8)).isEqualTo("data of " + oid);
      }
      List<LogEntry> entries = new ArrayList<>();
      for (LogEntry e : machine(c, primary, pg).pgLog().entries()) {
        if (e.oid().startsWith("held")) {
          entries.add(e);
        }
      }
      assertThat(entries).as("each held write applied exactly once").hasSize(6);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void anOpOnAnObjectThePrimaryIsMissingWaitsForItsRecoveryWhileOthersGoOn() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(2, r -> {
      Thread t = new Thread(r, "waiter");
      t.setDaemon(true);
      return t;
    });
    // No background recovery: only the ops waiting for m get it recovered (ahead of any queue).
    try (MiniCluster c = MiniCluster.start(dir, 3, Map.of("osd_debug_norecover", "true"))) {
      PgId pg = c.onePgPool();
      RadosClient rados = c.client();
      rados.put("rbd", "m", b("v1"));
      int primary = c.map().pgToUpActing(pg).actingPrimary();
      c.killOsd(primary);
      c.command("osd down", Map.of("ids", Integer.toString(primary)));
      Eversion v2 = rados.put("rbd", "m", b("v2 (the old primary misses it)"));
      c.startOsd(primary);
      c.waitFor("the returning primary active and missing m", () -> {
        PeeringMachine pm = machine(c, primary, pg);
        return c.map().isUp(primary) && pm != null && pm.isPrimary() && pm.acceptsWrites()
            && pm.missing().isMissing("m");
      }, c::describe);
      // Others are served meanwhile, by the same primary, and m is still missing there.
      assertThat(new String(rados.get("rbd", "warm"), StandardCharsets.UTF_8)).isEqualTo("up");
      rados.put("rbd", "other", b("fine"));
      assertThat(machine(c, primary, pg).missing().isMissing("m")).isTrue();
      Future<byte[]> read = pool.submit(() -> rados.get("rbd", "m"));
      Future<Eversion> write = pool.submit(() -> rados.put("rbd", "m", b("v3")));
      // Both are served once m is pulled: the read sees v2 (or v3 if the write went first).
      assertThat(new String(read.get(20, TimeUnit.SECONDS), StandardCharsets.UTF_8))
          .isIn("v2 (the old primary misses it)", "v3");
      assertThat(write.get(20, TimeUnit.SECONDS)).isGreaterThan(v2);
      assertThat(machine(c, primary, pg).missing().isMissing("m")).isFalse();
      assertThat(new String(rados.get("rbd", "m"), StandardCharsets.UTF_8)).isEqualTo("v3");
    } finally {
      pool.shutdownNow();
    }
  }
}
