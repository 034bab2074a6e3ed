package io.jpeer.osd;

import static org.assertj.core.api.Assertions.assertThat;

import io.jpeer.client.RadosClient;
import io.jpeer.core.machine.PeeringMachine;
import io.jpeer.core.types.Eversion;
import io.jpeer.core.types.LogEntry;
import io.jpeer.core.types.PgId;
import io.jpeer.map.OsdMap;
import io.jpeer.osd.recovery.ObjectVersion;
import io.jpeer.store.StoredObject;
import io.jpeer.testing.MiniCluster;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Group commit under load: many clients writing at once, several to the same objects, so that a
 * drain holds several writes of one object. Every write is acknowledged; each object reads back
 * its last acknowledged content; every acting OSD holds it at that version, and the PG logs agree
 * (each write's prior_version is the version before it, never a stale one).
 */
@Timeout(180)
class OsdGroupCommitTest {
  @TempDir Path dir;

  private record Acked(Eversion version, String data) {}

  @Test
  void concurrentWritesAreAllAckedOrderedAndReplicated() throws Exception {
    int threads = 16;
    int writesEach = 50;
    try (MiniCluster c = MiniCluster.start(dir, 3,
        // (logs kept whole: the check below reads every write back from them)
        Map.of("osd_debug_norecover", "true", "osd_min_pg_log_entries", "2000"))) {
      c.command("pool create", Map.of("pool", "rbd", "pg_num", "4", "size", "3", "min_size", "2"));
      RadosClient rados = c.client();
      // Highest acknowledged version per object: versions in one PG are totally ordered.
      Map<String, Acked> last = new ConcurrentHashMap<>();
      ExecutorService pool = Executors.newFixedThreadPool(threads);
      try {
        List<Future<Integer>> done = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
          int id = t;
          done.add(pool.submit(() -> {
            int acked = 0;
            for (int i = 0; i < writesEach; i++) {
              // Shared objects (8, hit by every thread) and objects of this thread alone.
              String oid = i % 2 == 0 ? "shared" + (i / 2 % 8) : "own" + id + "_" + (i % 5);
              String data = "t" + id + " w" + i;
              Eversion v = rados.put("rbd", oid, data.getBytes(StandardCharsets.UTF_8));
              last.merge(oid, new Acked(v, data), (a, b) -> a.version().compareTo(b.version()) >= 0 ? a : b);
              acked++;
            }
            return acked;
          }));
        }
        int total = 0;
        for (Future<Integer> f : done) {
          total += f.get(120, TimeUnit.SECONDS);
        }
        assertThat(total).isEqualTo(threads * writesEach);
      } finally {
        pool.shutdownNow();
      }
      assertThat(last).hasSize(8 + threads * 5);
      for (var e : last.entrySet()) {
        assertThat(new String(rados.get("rbd", e.getKey()), StandardCharsets.UTF_8)).as(e.getKey())
            .isEqualTo(e.getValue().data());
      }
      OsdMap map = c.map();
      for (var e : last.entrySet()) {
        PgId pg = OsdRecoveryTest.pgOf(map, e.getKey());
        for (int osd : map.pgToUpActing(pg).acting()) {
          Optional<StoredObject> o = c.osd(osd).readObject(pg, e.getKey());
          assertThat(o).as(e.getKey() + " on osd." + osd).isPresent();
          assertThat(ObjectVersion.of(o.get())).as(e.getKey() + " version on osd." + osd)
              .isEqualTo(e.getValue().version());
          assertThat(new String(o.get().data(), StandardCharsets.UTF_8)).isEqualTo(e.getValue().data());
        }
      }
      // The logs: the same on every acting OSD, and each entry's prior_version is the previous
      // entry's version for that object (the second of two writes in one drain saw the first).
      Map<PgId, List<LogEntry>> primaryLogs = new java.util.TreeMap<>();
      for (int osd = 0; osd < 3; osd++) {
        for (var e : c.osd(osd).machines().entrySet()) {
          if (e.getValue().isPrimary()) {
            primaryLogs.put(e.getKey(), e.getValue().pgLog().entries());
          }
        }
      }
      assertThat(primaryLogs).hasSize(4);
      int entries = 0;
      for (var e : primaryLogs.entrySet()) {
        Map<String, Eversion> seen = new java.util.HashMap<>();
        for (LogEntry le : e.getValue()) {
          Eversion before = seen.get(le.oid());
          if (before != null) {
            assertThat(le.priorVersion()).as(le.toString()).isEqualTo(before);
          }
          seen.put(le.oid(), le.version());
          entries++;
        }
        for (int osd : map.pgToUpActing(e.getKey()).acting()) {
          PeeringMachine m = c.osd(osd).machines().get(e.getKey());
          assertThat(m.pgLog().entries()).as(e.getKey() + " log on osd." + osd).isEqualTo(e.getValue());
        }
      }
      assertThat(entries).isEqualTo(threads * writesEach);
    }
  }
}
