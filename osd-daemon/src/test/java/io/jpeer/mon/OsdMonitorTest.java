package io.jpeer.mon;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Message;
import io.jpeer.config.Config;
import io.jpeer.map.OsdMap;
import io.jpeer.net.Connection;
import io.jpeer.net.EntityName;
import io.jpeer.net.InboundMessage;
import io.jpeer.proto.mon.MMonCommand;
import io.jpeer.proto.mon.MMonCommandReply;
import io.jpeer.proto.mon.MMonSubscribe;
import io.jpeer.proto.mon.MOSDAlive;
import io.jpeer.proto.mon.MOSDBeacon;
import io.jpeer.proto.mon.MOSDBoot;
import io.jpeer.proto.mon.MOSDFailure;
import io.jpeer.proto.mon.MOSDMap;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The monitor's logic without sockets: messages go straight into {@link OsdMonitor#handle} on its
 * thread, replies land in an in-memory connection, and time is a clock the test moves, so the
 * timers (grace, beacon timeout, down-out) are checked exactly.
 */
@Timeout(30)
class OsdMonitorTest {
  static final String FSID = "6214e3ef-4146-472b-8149-59085d3053ad";

  @TempDir Path dir;
  private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor();
  private Instant now = Instant.parse("2026-11-24T20:00:00Z");
  private final Clock clock = new Clock() {
    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  };
  private OsdMonitor mon;
  private MonStore store;

  /** A connection that keeps what the monitor sends. */
  static final class Captured implements Connection {
    final EntityName peer;
    final List<Message> sent = new ArrayList<>();

    Captured(EntityName peer) {
      this.peer = peer;
    }

    @Override
    public EntityName peer() {
      return peer;
    }

    @Override
    public InetSocketAddress remoteAddress() {
      return new InetSocketAddress("127.0.0.1", 1);
    }

    @Override
    public synchronized void send(int type, long epoch, Message body) {
      sent.add(body);
    }

    @Override
    public boolean isOpen() {
      return true;
    }

    @Override
    public void close() {}

    synchronized <T> List<T> of(Class<T> type) {
      return sent.stream().filter(type::isInstance).map(type::cast).toList();
    }
  }

  private final Map<Integer, Captured> osds = new HashMap<>();

  @AfterEach
  void stop() throws Exception {
    thread.shutdownNow();
    if (store != null) {
      store.close();
    }
  }

  private <T> T on(Callable<T> c) throws Exception {
    // Runs c, then lets any queued proposal run before returning.
    T r = thread.submit(c).get(10, TimeUnit.SECONDS);
    thread.submit(() -> {}).get(10, TimeUnit.SECONDS);
    return r;
  }

  private void start(Map<String, String> extra) throws Exception {
    Map<String, String> o = new HashMap<>(Map.of("fsid", FSID, "mon_data", dir.toString(),
        "osd_heartbeat_grace", "20", "mon_osd_report_timeout", "900", "mon_osd_down_out_interval", "600"));
    o.putAll(extra);
    Config cfg = Config.defaults("mon", "0", o);
    store = MonStore.open(dir);
    mon = on(() -> new OsdMonitor(cfg, store, clock, thread));
  }

  private void send(Connection c, int type, Message body) throws Exception {
    on(() -> {
      mon.handle(c, new InboundMessage(type, c.peer(), mon.map().epoch(), body));
      return null;
    });
  }

  private void boot(int id) throws Exception {
    Captured c = osds.computeIfAbsent(id, k -> new Captured(new EntityName("osd", k)));
    send(c, MonMessages.MOSD_BOOT, MOSDBoot.newBuilder().setOsd(id).setFsid(FSID)
        .setAddr("127.0.0.1:" + (6800 + id)).setNonce(id + 1).build());
  }

  private OsdMap map() throws Exception {
    return on(() -> mon.map());
  }

  private void tick() throws Exception {
    on(() -> {
      mon.tick();
      return null;
    });
  }

  @Test
  void bootsInOneBatchShareAnEpoch() throws Exception {
    start(Map.of());
    on(() -> {
      for (int i = 0; i < 3; i++) {
        Captured c = osds.computeIfAbsent(i, k -> new Captured(new EntityName("osd", k)));
        mon.handle(c, new InboundMessage(MonMessages.MOSD_BOOT, c.peer(), 0, MOSDBoot.newBuilder().setOsd(i)
            .setFsid(FSID).setAddr("127.0.0.1:" + (6800 + i)).setNonce(9).build()));
      }
      return null;
    });
    assertThat(map().epoch()).isEqualTo(2);
    assertThat(map().numUpOsds()).isEqualTo(3);
    assertThat(map().upFrom(1)).isEqualTo(2);
  }

  @Test
  void badBootsAreDropped() throws Exception {
    start(Map.of());
    Captured c = new Captured(new EntityName("osd", 1));
    send(c, MonMessages.MOSD_BOOT, MOSDBoot.newBuilder().setOsd(2).setFsid(FSID).setAddr("127.0.0.1:1").build());
    send(c, MonMessages.MOSD_BOOT, MOSDBoot.newBuilder().setOsd(1).setFsid("other").setAddr("127.0.0.1:1").build());
    send(c, MonMessages.MOSD_BOOT, MOSDBoot.newBuilder().setOsd(1).setFsid(FSID).setAddr("nowhere").build());
    Captured client = new Captured(new EntityName("client", 1));
    send(client, MonMessages.MOSD_BOOT, MOSDBoot.newBuilder().setOsd(1).setFsid(FSID).setAddr("127.0.0.1:1").build());
    // A body of the wrong kind for its type number is dropped, not a crash.
    send(c, MonMessages.MOSD_BOOT, MOSDBeacon.newBuilder().setOsd(1).build());
    send(c, 199, MOSDBeacon.newBuilder().setOsd(1).build());
    assertThat(map().epoch()).isEqualTo(1);
    boot(1);
    assertThat(map().isUp(1)).isTrue();
  }

  @Test
  void graceAndReporterCountDecideFailure() throws Exception {
    start(Map.of("mon_osd_min_down_reporters", "2"));
    for (int i = 0; i < 4; i++) {
      boot(i);
    }
    long e = map().epoch();
    send(osds.get(0), MonMessages.MOSD_FAILURE, MOSDFailure.newBuilder().setTarget(3).setFailedForSeconds(0).setEpoch((int) e).build());
    send(osds.get(1), MonMessages.MOSD_FAILURE, MOSDFailure.newBuilder().setTarget(3).setFailedForSeconds(0).setEpoch((int) e).build());
    assertThat(map().isUp(3)).isTrue();
    now = now.plusSeconds(19);
    tick();
    assertThat(map().isUp(3)).isTrue();
    now = now.plusSeconds(1);
    tick();
    assertThat(map().isUp(3)).isFalse();
    assertThat(map().downAt(3)).isEqualTo(map().epoch());

    // Three up: still two reporters needed; an old report (25 s) from each is past grace at once.
    send(osds.get(0), MonMessages.MOSD_FAILURE, MOSDFailure.newBuilder().setTarget(2).setFailedForSeconds(25).build());
    assertThat(map().isUp(2)).isTrue();
    send(osds.get(1), MonMessages.MOSD_FAILURE, MOSDFailure.newBuilder().setTarget(2).setFailedForSeconds(25).build());
    assertThat(map().isUp(2)).isFalse();
    // Reports from a down reporter are ignored.
    send(osds.get(3), MonMessages.MOSD_FAILURE, MOSDFailure.newBuilder().setTarget(1).setFailedForSeconds(25).build());
    assertThat(map().isUp(1)).isTrue();
    // Two up: one reporter is enough (min(2, up - 1) = 1).
    send(osds.get(0), MonMessages.MOSD_FAILURE, MOSDFailure.newBuilder().setTarget(1).setFailedForSeconds(25).build());
    assertThat(map().isUp(1)).isFalse();
  }

  @Test
  void beaconTimeoutThenDownOut() throws Exception {
    start(Map.of("mon_osd_report_timeout", "30", "mon_osd_down_out_interval", "60"));
    boot(0);
    boot(1);
    now = now.plusSeconds(20);
    send(osds.get(0), MonMessages.MOSD_BEACON, MOSDBeacon.newBuilder().setOsd(0).build());
    now = now.plusSeconds(10);
    tick();
    assertThat(map().isUp(0)).isTrue();
    assertThat(map().isUp(1)).isFalse();
    now = now.plusSeconds(59);
    tick();
    assertThat(map().isIn(1)).isTrue();
    now = now.plusSeconds(1);
    tick();
    assertThat(map().isIn(1)).isFalse();
    assertThat(map().isUp(0)).isFalse(); // its one beacon was 50 s ago
  }

  @Test
  void aliveRequestsInOneBatchShareAnEpochAndRepeatsAreFree() throws Exception {
    start(Map.of());
    for (int i = 0; i < 3; i++) {
      boot(i);
    }
    long e = map().epoch();
    on(() -> {
      for (int i = 0; i < 3; i++) {
        Captured c = osds.get(i);
        mon.handle(c, new InboundMessage(MonMessages.MOSD_ALIVE, c.peer(), e,
            MOSDAlive.newBuilder().setVersion((int) e).setWant((int) e).build()));
      }
      return null;
    });
    assertThat(map().epoch()).isEqualTo(e + 1);
    for (int i = 0; i < 3; i++) {
      assertThat(map().upThru(i)).isEqualTo(e);
    }
    send(osds.get(0), MonMessages.MOSD_ALIVE, MOSDAlive.newBuilder().setVersion((int) e).setWant((int) e).build());
    assertThat(map().epoch()).isEqualTo(e + 1);
  }

  @Test
  void subscribersGetEveryEpochAndCommandsReply() throws Exception {
    start(Map.of());
    Captured sub = new Captured(new EntityName("client", 5));
    send(sub, MonMessages.MMON_SUBSCRIBE, MMonSubscribe.newBuilder().setStart(1).setFullFirst(true).build());
    boot(0);
    boot(1);
    send(sub, MonMessages.MMON_COMMAND, MMonCommand.newBuilder().setTid(7).setPrefix("pool create")
        .putArgs("pool", "rbd").putArgs("pg_num", "4").build());
    List<Long> epochs = new ArrayList<>();
    for (MOSDMap m : sub.of(MOSDMap.class)) {
      m.getFullList().forEach(f -> epochs.add(Integer.toUnsignedLong(f.getEpoch())));
      m.getIncrementalList().forEach(i -> epochs.add(Integer.toUnsignedLong(i.getEpoch())));
    }
    assertThat(epochs).containsExactly(1L, 2L, 3L, 4L);
    MMonCommandReply r = sub.of(MMonCommandReply.class).get(0);
    assertThat(r.getTid()).isEqualTo(7);
    assertThat(r.getStatus()).isEqualTo("pool 'rbd' created");
    assertThat(map().pools()).hasSize(1);
  }

  /** Makes n more epochs by marking osd.0 out and in again, one command per epoch. */
  private void churn(int n) throws Exception {
    Captured admin = new Captured(new EntityName("client", 9));
    for (int i = 0; i < n; i++) {
      long before = map().epoch();
      send(admin, MonMessages.MMON_COMMAND, MMonCommand.newBuilder().setTid(i).setPrefix(i % 2 == 0 ? "osd out" : "osd in")
          .putArgs("ids", "0").build());
      assertThat(map().epoch()).isEqualTo(before + 1);
    }
  }

  /** What a subscriber got: the epochs of full maps and of incrementals, in message order. */
  record Received(List<Long> fulls, List<Long> incs, OsdMap rebuilt) {}

  private static Received received(Captured c) {
    List<Long> fulls = new ArrayList<>();
    List<Long> incs = new ArrayList<>();
    OsdMap m = null;
    for (MOSDMap msg : c.of(MOSDMap.class)) {
      for (var f : msg.getFullList()) {
        fulls.add(Integer.toUnsignedLong(f.getEpoch()));
        m = io.jpeer.map.MapCodec.fromProto(f);
      }
      for (var i : msg.getIncrementalList()) {
        incs.add(Integer.toUnsignedLong(i.getEpoch()));
        if (m != null) { // a near subscriber has its own earlier map; nothing to rebuild here
          m = io.jpeer.map.MapCodec.fromProto(i).apply(m);
        }
      }
    }
    return new Received(fulls, incs, m);
  }

  private static List<Long> range(long first, long last) {
    List<Long> out = new ArrayList<>();
    for (long e = first; e <= last; e++) {
      out.add(e);
    }
    return out;
  }

  @Test
  void aFarBehindSubscriberGetsTheFullMapOfItsStartThenEveryEpoch() throws Exception {
    start(Map.of());
    boot(0);
    churn(OsdMonitor.FAR_BEHIND + 20);
    long newest = map().epoch();

    Captured far = new Captured(new EntityName("osd", 7));
    send(far, MonMessages.MMON_SUBSCRIBE, MMonSubscribe.newBuilder().setStart(3).build());
    Received r = received(far);
    assertThat(r.fulls()).containsExactly(3L);
    assertThat(r.incs()).isEqualTo(range(4, newest));
    assertThat(r.rebuilt()).isEqualTo(map());
    assertThat(far.of(MOSDMap.class)).hasSizeGreaterThan(1); // split to stay under the frame limit

    // Near: incrementals only, nothing repeated.
    Captured near = new Captured(new EntityName("osd", 8));
    send(near, MonMessages.MMON_SUBSCRIBE, MMonSubscribe.newBuilder().setStart((int) newest - 4).build());
    assertThat(received(near).fulls()).isEmpty();
    assertThat(received(near).incs()).isEqualTo(range(newest - 4, newest));

    // From 0: the newest full map alone.
    Captured fresh = new Captured(new EntityName("client", 3));
    send(fresh, MonMessages.MMON_SUBSCRIBE, MMonSubscribe.newBuilder().setStart(0).build());
    assertThat(received(fresh).fulls()).containsExactly(newest);
    assertThat(received(fresh).incs()).isEmpty();

    // Later epochs reach every subscriber as incrementals.
    churn(1);
    assertThat(received(far).incs()).endsWith(newest + 1);
    assertThat(received(fresh).incs()).containsExactly(newest + 1);
    assertThat(received(far).rebuilt()).isEqualTo(map());

    // A far gap fetch is answered the same way.
    Captured gap = new Captured(new EntityName("osd", 9));
    send(gap, MonMessages.MMON_GET_MAP, io.jpeer.proto.mon.MMonGetMap.newBuilder().setFirst(2).setLast((int) newest)
        .build());
    assertThat(received(gap).fulls()).containsExactly(2L);
    assertThat(received(gap).incs()).isEqualTo(range(3, newest));
  }

  @Test
  void aRestartedMonitorServesOldEpochsFromItsStore() throws Exception {
    start(Map.of());
    boot(0);
    churn(OsdMonitor.CACHED_INCREMENTALS + 5);
    long newest = map().epoch();
    thread.shutdown();
    assertThat(thread.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    store.close();
    // A new monitor on the same history: only the newest incrementals are loaded into memory.
    store = MonStore.open(dir);
    java.util.concurrent.ScheduledExecutorService t2 = Executors.newSingleThreadScheduledExecutor();
    try {
      Config cfg = Config.defaults("mon", "0", Map.of("fsid", FSID, "mon_data", dir.toString()));
      OsdMonitor m2 = t2.submit(() -> new OsdMonitor(cfg, store, clock, t2)).get(10, TimeUnit.SECONDS);
      Captured old = new Captured(new EntityName("osd", 4));
      t2.submit(() -> m2.handle(old, new InboundMessage(MonMessages.MMON_GET_MAP, old.peer(), 0,
          io.jpeer.proto.mon.MMonGetMap.newBuilder().setFirst(2).setLast(12).build()))).get(10, TimeUnit.SECONDS);
      assertThat(received(old).fulls()).isEmpty();
      assertThat(received(old).incs()).isEqualTo(range(2, 12));
      assertThat(t2.submit(() -> m2.map().epoch()).get()).isEqualTo(newest);
    } finally {
      t2.shutdownNow();
    }
  }

  @Test
  void aRebootedOsdGetsItsPreviousUpIntervalAsLastClean() throws Exception {
    start(Map.of());
    boot(0);
    boot(1);
    long upFrom = map().upFrom(1);
    churn(4);
    Captured admin = new Captured(new EntityName("client", 9));
    send(admin, MonMessages.MMON_COMMAND, MMonCommand.newBuilder().setTid(99).setPrefix("osd down")
        .putArgs("ids", "1").build());
    long downAt = map().downAt(1);
    assertThat(downAt).isEqualTo(map().epoch());
    assertThat(map().osds().get(1).lastCleanEnd()).isZero();
    send(osds.get(1), MonMessages.MOSD_BOOT, MOSDBoot.newBuilder().setOsd(1).setFsid(FSID)
        .setAddr("127.0.0.1:6901").setNonce(77).build());
    var o = map().osds().get(1);
    assertThat(o.up()).isTrue();
    // As Ceph's sample: up_from 9, down_at 18 -> last_clean_interval [9,17).
    assertThat(o.lastCleanBegin()).isEqualTo(upFrom);
    assertThat(o.lastCleanEnd()).isEqualTo(downAt - 1);
    assertThat(o.upFrom()).isGreaterThan(downAt);

    // What the OSD itself recorded wins over the monitor's guess.
    send(admin, MonMessages.MMON_COMMAND, MMonCommand.newBuilder().setTid(100).setPrefix("osd down")
        .putArgs("ids", "1").build());
    send(osds.get(1), MonMessages.MOSD_BOOT, MOSDBoot.newBuilder().setOsd(1).setFsid(FSID)
        .setAddr("127.0.0.1:6901").setNonce(78).setCleanBegin(3).setCleanEnd(5).build());
    assertThat(map().osds().get(1).lastCleanBegin()).isEqualTo(3);
    assertThat(map().osds().get(1).lastCleanEnd()).isEqualTo(5);
  }
}
