package io.jpeer.mon;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.jpeer.config.Config;
import io.jpeer.map.OsdMap;
import io.jpeer.core.types.PgId;
import io.jpeer.map.UpActing;
import io.jpeer.net.EntityName;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The monitor in-process on an ephemeral port, driven by real MonClients over a real Messenger. */
@Timeout(60)
class MonitorTest {
  static final String FSID = "6214e3ef-4146-472b-8149-59085d3053ad";

  @TempDir Path dir;
  private final List<AutoCloseable> open = new ArrayList<>();
  private Monitor mon;

  @AfterEach
  void stopAll() throws Exception {
    for (int i = open.size() - 1; i >= 0; i--) {
      open.get(i).close();
    }
  }

  private Monitor startMon(Map<String, String> extra) throws Exception {
    Map<String, String> o = new HashMap<>(Map.of(
        "fsid", FSID,
        "mon_host", "127.0.0.1:0",
        "mon_data", dir.resolve("mon.0").toString(),
        "osd_heartbeat_grace", "1",
        "mon_osd_min_down_reporters", "2"));
    o.putAll(extra);
    Monitor m = Monitor.start(Config.defaults("mon", "0", o));
    open.add(m);
    return m;
  }

  private MonClient client(String type, long id) throws Exception {
    MonClient c = new MonClient(new EntityName(type, id), FSID, mon.address(), MonClient.messengerConfig(Config.defaults("client", "x", Map.of())));
    open.add(c);
    return c;
  }

  private final Map<Integer, MonClient> osds = new HashMap<>();

  private MonClient bootOsd(int id) throws Exception {
    MonClient c = client("osd", id);
    osds.put(id, c);
    c.subscribe(0, m -> {});
    c.boot(id, new InetSocketAddress("127.0.0.1", 6800 + id), 1000 + id, 0, 0);
    return c;
  }

  private static void waitFor(String what, BooleanSupplier cond, Supplier<Object> seen) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (!cond.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what + "; saw " + seen.get());
      }
      Thread.sleep(5);
    }
  }

  private CommandReply cmd(MonClient c, String prefix, Map<String, String> args) throws Exception {
    return c.command(prefix, args).get(20, TimeUnit.SECONDS);
  }

  private static JsonNode json(CommandReply r) throws Exception {
    assertThat(r.code()).as(r.status()).isZero();
    return MonReports.JSON.readTree(r.output());
  }

  @Test
  void threeOsdsBootAndEverySubscriberSeesEveryEpochInOrder() throws Exception {
    mon = startMon(Map.of());
    assertThat(mon.map().epoch()).isEqualTo(1);
    MonClient watcher = client("client", 1);
    List<Long> seen = new CopyOnWriteArrayList<>();
    watcher.subscribe(0, m -> seen.add(m.epoch()));
    waitFor("first map", () -> !seen.isEmpty(), () -> seen);
    for (int i = 0; i < 3; i++) {
      bootOsd(i);
    }
    waitFor("3 osds up", () -> mon.map().numUpOsds() == 3, () -> mon.map());
    OsdMap m = mon.map();
    assertThat(m.epoch()).isGreaterThan(1);
    for (int i = 0; i < 3; i++) {
      assertThat(m.isUp(i)).isTrue();
      assertThat(m.isIn(i)).isTrue();
      assertThat(m.upFrom(i)).isBetween(2L, m.epoch());
      assertThat(m.addr(i)).isEqualTo("127.0.0.1:" + (6800 + i));
    }
    waitFor("watcher at e" + m.epoch(), () -> seen.get(seen.size() - 1) >= m.epoch(), () -> seen);
    for (int i = 1; i < seen.size(); i++) {
      assertThat(seen.get(i)).isEqualTo(seen.get(i - 1) + 1);
    }
    assertThat(watcher.latestMap()).isEqualTo(mon.map());

    // A late subscriber asking from epoch 1 gets every epoch from 1, in order.
    MonClient late = client("client", 2);
    List<OsdMap> all = new CopyOnWriteArrayList<>();
    late.subscribe(1, all::add);
    waitFor("late subscriber caught up", () -> !all.isEmpty() && all.get(all.size() - 1).epoch() == m.epoch(), () -> all);
    for (int i = 0; i < all.size(); i++) {
      assertThat(all.get(i).epoch()).isEqualTo(i + 1);
    }
    assertThat(all.get(all.size() - 1)).isEqualTo(m);
  }

  @Test
  void failureReportsMarkDownOnlyWithEnoughReportersAfterGrace() throws Exception {
    mon = startMon(Map.of());
    MonClient[] osd = {bootOsd(0), bootOsd(1), bootOsd(2)};
    waitFor("3 up", () -> mon.map().numUpOsds() == 3, () -> mon.map());
    for (MonClient c : osd) {
      c.waitForEpoch(mon.map().epoch()).get(20, TimeUnit.SECONDS);
    }
    // One reporter is not enough (min reporters 2, 3 OSDs up). A command on the same
    // connection afterwards proves the report was handled.
    osd[0].sendFailure(2, "127.0.0.1:6802", Duration.ofSeconds(5));
    cmd(osd[0], "status", Map.of());
    assertThat(mon.map().isUp(2)).isTrue();
    // A report cancelled by the alive flag no longer counts: osd.1's report is alone.
    osd[0].sendFailureCancel(2);
    cmd(osd[0], "status", Map.of());
    osd[1].sendFailure(2, "127.0.0.1:6802", Duration.ofSeconds(5));
    cmd(osd[1], "status", Map.of());
    assertThat(mon.map().isUp(2)).isTrue();

    // A second reporter again, whose report is fresh (failed for 0 s); grace (1 s) is counted
    // from the earliest report (osd.1's, 5 s ago), so the target goes down at once.
    long before = System.nanoTime();
    osd[0].sendFailure(2, "127.0.0.1:6802", Duration.ZERO);
    waitFor("osd.2 down", () -> !mon.map().isUp(2), () -> mon.map().osd(2));
    OsdMap m = mon.map();
    assertThat(m.downAt(2)).isEqualTo(m.epoch());
    assertThat(m.isIn(2)).isTrue();
    assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - before)).isLessThan(5000);
  }

  @Test
  void freshReportsWaitForGrace() throws Exception {
    mon = startMon(Map.of("osd_heartbeat_grace", "800ms"));
    MonClient[] osd = {bootOsd(0), bootOsd(1), bootOsd(2)};
    waitFor("3 up", () -> mon.map().numUpOsds() == 3, () -> mon.map());
    for (MonClient c : osd) {
      c.waitForEpoch(mon.map().epoch()).get(20, TimeUnit.SECONDS);
    }
    long start = System.nanoTime();
    osd[0].sendFailure(2, "", Duration.ZERO);
    osd[1].sendFailure(2, "", Duration.ZERO);
    cmd(osd[1], "status", Map.of());
    cmd(osd[0], "status", Map.of());
    assertThat(mon.map().isUp(2)).as("down before grace").isTrue();
    waitFor("osd.2 down after grace", () -> !mon.map().isUp(2), () -> mon.map().osd(2));
    assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isGreaterThanOrEqualTo(780);

  }

  @Test
  void upThruIsGrantedFastAndConcurrentRequestsShareOneEpoch() throws Exception {
    mon = startMon(Map.of());
    MonClient[] osd = {bootOsd(0), bootOsd(1), bootOsd(2)};
    waitFor("3 up", () -> mon.map().numUpOsds() == 3, () -> mon.map());
    long e0 = mon.map().epoch();
    for (MonClient c : osd) {
      c.waitForEpoch(e0).get(20, TimeUnit.SECONDS);
    }

    // One request: granted in the next epoch, within milliseconds.
    long t0 = System.nanoTime();
    osd[0].sendAlive(e0);
    OsdMap granted = osd[0].waitForEpoch(e0 + 1).get(20, TimeUnit.SECONDS);
    long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
    assertThat(granted.upThru(0)).isGreaterThanOrEqualTo(e0);
    assertThat(ms).as("up_thru round trip ms").isLessThan(1000);
    System.out.println("up_thru granted in " + ms + " ms");

    // Three requests that arrive while the monitor is busy all land in one epoch.
    long e1 = mon.map().epoch();
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch paused = new CountDownLatch(1);
    mon.submit(() -> {
      paused.countDown();
      try {
        release.await(20, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    paused.await(20, TimeUnit.SECONDS);
    long received = mon.messagesReceived();
    for (MonClient c : osd) {
      c.waitForEpoch(e1).get(20, TimeUnit.SECONDS);
      c.sendAlive(e1);
    }
    waitFor("3 alive messages queued", () -> mon.messagesReceived() >= received + 3, mon::messagesReceived);
    release.countDown();
    waitFor("all granted", () -> {
      OsdMap m = mon.map();
      return m.upThru(0) >= e1 && m.upThru(1) >= e1 && m.upThru(2) >= e1;
    }, () -> mon.map().osds());
    assertThat(mon.map().epoch()).isEqualTo(e1 + 1);
  }

  @Test
  void historySurvivesARestart() throws Exception {
    mon = startMon(Map.of());
    bootOsd(0);
    bootOsd(1);
    MonClient admin = client("client", 9);
    waitFor("2 up", () -> mon.map().numUpOsds() == 2, () -> mon.map());
    assertThat(cmd(admin, "pool create", Map.of("pool", "rbd", "pg_num", "8")).status()).isEqualTo("pool 'rbd' created");
    OsdMap before = mon.map();
    List<OsdMap> history = new CopyOnWriteArrayList<>();
    admin.subscribe(1, history::add);
    waitFor("history", () -> history.size() == before.epoch(), () -> history);
    for (AutoCloseable c : open) {
      c.close();
    }
    open.clear();

    mon = startMon(Map.of());
    assertThat(mon.fsid()).isEqualTo(FSID);
    assertThat(mon.map()).isEqualTo(before);
    MonClient again = client("client", 10);
    List<OsdMap> replay = new CopyOnWriteArrayList<>();
    again.subscribe(1, replay::add);
    waitFor("replay", () -> replay.size() == before.epoch(), () -> replay);
    assertThat(replay).isEqualTo(history);
    // New epochs continue from the old ones.
    cmd(again, "osd out", Map.of("ids", "1"));
    assertThat(mon.map().epoch()).isEqualTo(before.epoch() + 1);
  }

  @Test
  void commandsAnswerInCephShapes() throws Exception {
    mon = startMon(Map.of());
    for (int i = 0; i < 3; i++) {
      bootOsd(i);
    }
    waitFor("3 up", () -> mon.map().numUpOsds() == 3, () -> mon.map());
    MonClient admin = client("client", 7);

    CommandReply created = cmd(admin, "osd pool create", Map.of("pool", "samples", "pg_num", "32"));
    assertThat(created.status()).isEqualTo("pool 'samples' created");
    assertThat(mon.map().poolByName("samples")).isPresent();
    assertThat(cmd(admin, "pool create", Map.of("pool", "samples")).status()).isEqualTo("pool 'samples' already exists");

    JsonNode dump = json(cmd(admin, "osd dump", Map.of()));
    assertThat(dump.get("epoch").asLong()).isEqualTo(mon.map().epoch());
    assertThat(dump.get("fsid").asText()).isEqualTo(FSID);
    JsonNode pool = dump.get("pools").get(0);
    assertThat(pool.get("pool_name").asText()).isEqualTo("samples");
    assertThat(pool.get("size").asInt()).isEqualTo(3);
    assertThat(pool.get("min_size").asInt()).isEqualTo(2);
    assertThat(pool.get("pg_num").asInt()).isEqualTo(32);
    JsonNode osd0 = dump.get("osds").get(0);
    for (String f : List.of("osd", "up", "in", "weight", "up_from", "up_thru", "down_at", "lost_at", "public_addr", "state")) {
      assertThat(osd0.has(f)).as(f).isTrue();
    }
    assertThat(osd0.get("state").toString()).isEqualTo("[\"exists\",\"up\"]");
    assertThat(osd0.get("public_addr").asText()).isEqualTo("127.0.0.1:6800/0");

    JsonNode pgs = json(cmd(admin, "pg dump", Map.of()));
    assertThat(pgs.get("pg_stats")).hasSize(32);
    assertThat(pgs.get("pg_stats").get(0).get("state").asText()).isEqualTo("unknown");

    JsonNode st = json(cmd(admin, "status", Map.of()));
    assertThat(st.get("health").get("status").asText()).isEqualTo("HEALTH_WARN");
    assertThat(st.get("health").get("checks").has("PG_AVAILABILITY")).isTrue();
    assertThat(st.get("osdmap").get("num_osds").asInt()).isEqualTo(3);
    assertThat(st.get("osdmap").get("num_up_osds").asInt()).isEqualTo(3);
    assertThat(st.get("pgmap").get("num_pgs").asInt()).isEqualTo(32);
    assertThat(st.get("pgmap").get("pgs_by_state").get(0).get("state_name").asText()).isEqualTo("unknown");

    // Primaries report: every PG active+clean -> HEALTH_OK.
    OsdMap m = mon.map();
    Map<Integer, List<PgStat>> byPrimary = new HashMap<>();
    for (PgId pg : m.pgsOf(m.poolByName("samples").orElseThrow().id())) {
      UpActing ua = m.pgToUpActing(pg);
      byPrimary.computeIfAbsent(ua.actingPrimary(), k -> new ArrayList<>()).add(new PgStat(pg, "active+clean",
          ua.up(), ua.acting(), ua.upPrimary(), ua.actingPrimary(), m.epoch() + "'3", 3, 3, 0, 0, m.epoch(), m.epoch()));
    }
    for (var e : byPrimary.entrySet()) {
      MonClient reporter = osds.get(e.getKey());
      reporter.sendPgStats(e.getValue());
      cmd(reporter, "status", Map.of()); // barrier: stats handled
    }
    st = json(cmd(admin, "status", Map.of()));
    assertThat(st.get("health").get("status").asText()).as(st.toString()).isEqualTo("HEALTH_OK");
    assertThat(st.get("pgmap").get("pgs_by_state").get(0).get("state_name").asText()).isEqualTo("active+clean");
    assertThat(st.get("pgmap").get("pgs_by_state").get(0).get("count").asInt()).isEqualTo(32);
    assertThat(st.get("pgmap").get("num_objects").asInt()).isEqualTo(96);

    // osd down: the reply comes after the epoch that shows it.
    CommandReply down = cmd(admin, "osd down", Map.of("ids", "1"));
    assertThat(down.status()).isEqualTo("marked down osd.1.");
    assertThat(mon.map().isUp(1)).isFalse();
    st = json(cmd(admin, "status", Map.of()));
    assertThat(st.get("health").get("checks").get("OSD_DOWN").get("summary").get("message").asText()).isEqualTo("1 osds down");
    assertThat(cmd(admin, "osd down", Map.of("ids", "1")).status()).isEqualTo("osd.1 is already down.");
    assertThat(cmd(admin, "osd out", Map.of("ids", "1")).status()).isEqualTo("marked out osd.1.");
    assertThat(mon.map().isIn(1)).isFalse();
    assertThat(cmd(admin, "osd in", Map.of("ids", "1")).status()).isEqualTo("marked in osd.1.");
    assertThat(cmd(admin, "osd lost", Map.of("id", "1", "yes_i_really_mean_it", "true")).status())
        .startsWith("marked osd lost in epoch ");
    assertThat(mon.map().lostAt(1)).isEqualTo(mon.map().epoch());

    JsonNode tree = json(cmd(admin, "osd tree", Map.of()));
    assertThat(tree.get("nodes")).hasSize(5);
    assertThat(tree.get("nodes").get(3).get("status").asText()).isEqualTo("down");
    String plain = admin.command("pg dump", Map.of(), "plain").get(20, TimeUnit.SECONDS).output();
    assertThat(plain).startsWith("PG_STAT").contains("active+clean");

    // Bad commands get error replies and the monitor carries on.
    assertThat(cmd(admin, "osd frobnicate", Map.of()).code()).isEqualTo(CommandReply.EINVAL);
    assertThat(cmd(admin, "osd down", Map.of("ids", "x")).status()).isEqualTo("invalid osd id 'x'");
    assertThat(cmd(admin, "osd down", Map.of("ids", "42")).code()).isEqualTo(CommandReply.ENOENT);
    assertThat(cmd(admin, "pool create", Map.of("pool", "p", "size", "0")).code()).isEqualTo(CommandReply.EINVAL);
    assertThat(cmd(admin, "pool create", Map.of()).code()).isEqualTo(CommandReply.EINVAL);
    assertThat(cmd(admin, "osd lost", Map.of("id", "1")).code()).isEqualTo(CommandReply.EPERM);
    assertThat(cmd(admin, "status", Map.of()).code()).isZero();
  }

  @Test
  void beaconTimeoutMarksDownThenDownOutIntervalMarksOut() throws Exception {
    mon = startMon(Map.of("mon_osd_report_timeout", "500ms", "mon_osd_down_out_interval", "500ms"));
    MonClient osd0 = bootOsd(0);
    waitFor("up", () -> mon.map().isUp(0), () -> mon.map());
    waitFor("down without beacons", () -> !mon.map().isUp(0), () -> mon.map().osd(0));
    assertThat(mon.map().isIn(0)).isTrue();
    waitFor("out after down-out interval", () -> !mon.map().isIn(0), () -> mon.map().osd(0));
    // Booting again brings an auto-out OSD back in.
    osd0.boot(0, new InetSocketAddress("127.0.0.1", 6900), 77, 0, 0);
    waitFor("up and in again", () -> mon.map().isUp(0) && mon.map().isIn(0), () -> mon.map().osd(0));
  }

  @Test
  void beaconsKeepAnOsdUp() throws Exception {
    mon = startMon(Map.of("mon_osd_report_timeout", "600ms"));
    MonClient osd0 = bootOsd(0);
    waitFor("up", () -> mon.map().isUp(0), () -> mon.map());
    long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(1500);
    while (System.nanoTime() < until) {
      osd0.sendBeacon(0);
      Thread.sleep(100);
    }
    cmd(osd0, "status", Map.of());
    assertThat(mon.map().isUp(0)).isTrue();
  }

  @Test
  void markMeDownIsAckedAndARestartIsANewInterval() throws Exception {
    mon = startMon(Map.of());
    MonClient osd0 = bootOsd(0);
    waitFor("up", () -> mon.map().isUp(0), () -> mon.map());
    long upFrom = mon.map().upFrom(0);

    // A new instance boots while the map still shows the old one up: down, then up again.
    osd0.boot(0, new InetSocketAddress("127.0.0.1", 6810), 5555, 0, 0);
    waitFor("new up_from", () -> mon.map().isUp(0) && mon.map().upFrom(0) > upFrom, () -> mon.map().osd(0));
    OsdMap m = mon.map();
    assertThat(m.downAt(0)).isEqualTo(m.upFrom(0) - 1);
    assertThat(m.addr(0)).isEqualTo("127.0.0.1:6810");

    long acked = osd0.markMeDown(0).get(20, TimeUnit.SECONDS);
    assertThat(acked).isEqualTo(mon.map().epoch());
    assertThat(mon.map().isUp(0)).isFalse();
  }

  @Test
  void pgTempSetsActingAndIsClearedWhenEqualToUp() throws Exception {
    mon = startMon(Map.of());
    for (int i = 0; i < 4; i++) {
      bootOsd(i);
    }
    waitFor("4 up", () -> mon.map().numUpOsds() == 4, () -> mon.map());
    MonClient admin = client("client", 3);
    cmd(admin, "pool create", Map.of("pool", "rbd", "pg_num", "8"));
    PgId pg = new PgId(1, 0);
    UpActing ua = mon.map().pgToUpActing(pg);
    List<Integer> temp = new ArrayList<>(ua.up());
    java.util.Collections.reverse(temp);
    MonClient primary = osds.get(ua.upPrimary());
    primary.sendPgTemp(Map.of(pg, temp));
    waitFor("pg_temp set", () -> mon.map().pgToUpActing(pg).acting().equals(temp), () -> mon.map().pgTemp());
    assertThat(mon.map().pgToUpActing(pg).up()).isEqualTo(ua.up());
    primary.sendPgTemp(Map.of(pg, ua.up()));
    waitFor("pg_temp equal to up is dropped", () -> mon.map().pgTemp().isEmpty(), () -> mon.map().pgTemp());
  }
}
