package io.jpeer.osd;

import static io.jpeer.osd.OsdRecoveryTest.b;
import static io.jpeer.osd.OsdRecoveryTest.pgOf;
import static org.assertj.core.api.Assertions.assertThat;

import io.jpeer.client.RadosClient;
import io.jpeer.core.machine.PeeringMachine;
import io.jpeer.core.types.Eversion;
import io.jpeer.core.types.ObjectNames;
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
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Backfill on a real cluster in this JVM: with logs trimmed to a few entries, an OSD that was
 * down while many objects changed comes back behind the primary's log tail, so the log cannot
 * say what it lacks. The primary backfills it (under pg_temp, while writes go on), and every PG
 * ends active+clean with every acting store holding exactly the primary's objects and versions.
 */
@Timeout(180)
class OsdBackfillTest {
  @TempDir Path dir;

  @Test
  void anOsdBehindTheLogTailIsBackfilledWhileWritesGoOn() throws Exception {
    Map<String, String> conf = Map.of("osd_min_pg_log_entries", "5", "osd_max_pg_log_entries", "10");
    try (MiniCluster c = MiniCluster.start(dir, 3, conf)) {
      c.command("pool create", Map.of("pool", "rbd", "pg_num", "2", "size", "3", "min_size", "2"));
      RadosClient rados = c.client();
      Map<String, String> content = new ConcurrentHashMap<>();
      for (int i = 0; i < 60; i++) {
        put(rados, content, "old" + i, "v1 of " + i);
      }
      int victim = 2;
      PgId pg = pgOf(c.map(), "old0");
      Eversion victimHad = c.osd(victim).machines().get(pg).info().lastUpdate();
      c.killOsd(victim);
      c.command("osd down", Map.of("ids", Integer.toString(victim)));
      c.waitFor("osd down", () -> !c.map().isUp(victim), c::describe);
      // Overwrites, creations (more than a backfill chunk) and deletes the victim will not see in any log.
      for (int i = 0; i < 60; i += 2) {
        put(rados, content, "old" + i, "v2 of " + i);
      }
      for (int i = 0; i < 150; i++) {
        put(rados, content, "new" + i, "new " + i);
      }
      for (int i = 1; i < 60; i += 5) {
        rados.remove("rbd", "old" + i);
        content.remove("old" + i);
      }
      PeeringMachine before = c.osd(c.map().pgToUpActing(pg).actingPrimary()).machines().get(pg);
      assertThat(before.pgLog().size()).as("the primary's log is trimmed").isLessThanOrEqualTo(10);
      assertThat(before.pgLog().tail().isAfter(victimHad)).as("the victim is behind the log tail").isTrue();

      // Writes go on while the victim returns and is backfilled.
      AtomicBoolean stop = new AtomicBoolean();
      AtomicReference<Throwable> writerFailed = new AtomicReference<>();
      Thread writer = new Thread(() -> {
        try {
          for (int i = 0; !stop.get(); i++) {
            put(rados, content, "during" + (i % 40), "during " + i);
          }
        } catch (Throwable t) {
          writerFailed.set(t);
        }
      });
      c.startOsd(victim);
      writer.start();
      try {
        c.waitFor("osd up", () -> c.map().isUp(victim), c::describe);
        c.waitFor("the victim is backfilled (last_backfill MAX on it)", () -> c.map().isUp(victim)
            && ObjectNames.MAX.equals(c.osd(victim).machines().get(pg).info().lastBackfill())
            && c.map().pgToUpActing(pg).acting().contains(victim), c::describe);
      } finally {
        stop.set(true);
        writer.join(30_000);
      }
      assertThat(writerFailed.get()).as("writes during backfill").isNull();
      OsdRecoveryTest.waitForClean(c, 2);

      assertThat(rados.list("rbd")).containsExactlyInAnyOrderElementsOf(content.keySet());
      OsdMap map = c.map();
      for (var e : new TreeMap<>(content).entrySet()) {
        PgId p = pgOf(map, e.getKey());
        int primary = map.pgToUpActing(p).actingPrimary();
        Eversion want = ObjectVersion.of(c.osd(primary).readObject(p, e.getKey()).orElseThrow());
        for (int osd : map.pgToUpActing(p).acting()) {
          Optional<StoredObject> o = c.osd(osd).readObject(p, e.getKey());
          assertThat(o).as(e.getKey() + " on osd." + osd).isPresent();
          assertThat(ObjectVersion.of(o.get())).as(e.getKey() + " version on osd." + osd).isEqualTo(want);
          assertThat(new String(o.get().data(), StandardCharsets.UTF_8)).as(e.getKey()).isEqualTo(e.getValue());
        }
      }
      for (int i = 1; i < 60; i += 5) {
        PgId p = pgOf(map, "old" + i);
        assertThat(c.osd(victim).readObject(p, "old" + i)).as("deleted old" + i + " on the victim").isEmpty();
      }
    }
  }

  private static void put(RadosClient rados, Map<String, String> content, String oid, String data) throws Exception {
    rados.put("rbd", oid, b(data));
    content.put(oid, data);
  }
}
