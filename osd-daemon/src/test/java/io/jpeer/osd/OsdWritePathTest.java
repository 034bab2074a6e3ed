package io.jpeer.osd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jpeer.client.ClientException;
import io.jpeer.client.RadosClient;
import io.jpeer.core.machine.PeeringMachine;
import io.jpeer.core.types.Eversion;
import io.jpeer.core.types.PgMissing;
import io.jpeer.testing.MiniCluster;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Writes through the real client and OSDs: replicated and acknowledged, then an OSD misses writes
 * and returns, and its primary's peer_missing lists exactly those objects with need and have.
 */
@Timeout(120)
class OsdWritePathTest {
  @TempDir Path dir;

  static byte[] b(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void writesReplicateAndAReturningOsdIsMissingExactlyWhatItMissed() throws Exception {
    // Recovery off (osd_debug_norecover): what the returning OSD lacks stays in peer_missing.
    try (MiniCluster c = MiniCluster.start(dir, 3, Map.of("osd_debug_norecover", "true"))) {
      c.command("pool create", Map.of("pool", "rbd", "pg_num", "4", "size", "3"));
      RadosClient rados = c.client();
      Map<String, Eversion> before = new TreeMap<>();
      for (int i = 0; i < 12; i++) {
        before.put("obj" + i, rados.put("rbd", "obj" + i, b("v1 of " + i)));
      }
      assertThat(new String(rados.get("rbd", "obj3"), StandardCharsets.UTF_8)).isEqualTo("v1 of 3");
      assertThat(rados.list("rbd")).hasSize(12);
      assertThatThrownBy(() -> rados.get("rbd", "nope")).isInstanceOf(ClientException.class)
          .hasMessageContaining("no such object");

      int victim = 2;
      c.killOsd(victim);
      c.waitFor("osd down", () -> !c.map().isUp(victim), c::describe);
      Map<String, Eversion> during = new TreeMap<>();
      for (int i = 0; i < 12; i += 3) {
        during.put("obj" + i, rados.put("rbd", "obj" + i, b("v2 of " + i)));
      }
      c.startOsd(victim);
      c.waitFor("osd up", () -> c.map().isUp(victim), c::describe);
      // Every PG re-peers with the returning OSD; its primary knows exactly what it lacks.
      // (Their acting sets include it: the primaries have the map where it is up, not only the monitor.)
      // (Active and acting checked on the same machine: checked apart, an active PG of the interval
      // before the return and an acting set of the one after could both pass.)
      c.waitFor("all 4 PGs active again with it", () -> primariesActiveWith(c, victim) == 4, c::describe);
      Map<String, PgMissing.Item> lacking = new HashMap<>();
      for (int id = 0; id < 3; id++) {
        OsdDaemon d = c.osd(id);
        for (var e : d.machines().entrySet()) {
          PeeringMachine m = e.getValue();
          if (!m.isPrimary()) {
            continue;
          }
          PgMissing pm = m.isPrimary() && id != victim ? m.peerMissing().get(victim) : m.missing();
          if (pm != null) {
            lacking.putAll(pm.items());
          }
        }
      }
      assertThat(lacking.keySet()).isEqualTo(during.keySet());
      for (var e : during.entrySet()) {
        assertThat(lacking.get(e.getKey()).need()).isEqualTo(e.getValue());
        assertThat(lacking.get(e.getKey()).have()).isEqualTo(before.get(e.getKey()));
      }
      // Reads of objects the primary has are served; a resent write is not applied twice.
      assertThat(new String(rados.get("rbd", "obj1"), StandardCharsets.UTF_8)).isEqualTo("v1 of 1");
    }
  }

  /** How many primaries are active with {@code osd} in their acting set; -1 if one is not. */
  static int primariesActiveWith(MiniCluster c, int osd) {
    int n = 0;
    for (int id = 0; id < 3; id++) {
      for (PeeringMachine m : c.osd(id).machines().values()) {
        if (!m.isPrimary()) {
          continue;
        }
        String s = m.stateName();
        if (!s.startsWith("Started/Primary/Active/") || s.endsWith("Activating") || !m.mapping().acting().contains(osd)) {
          return -1;
        }
        n++;
      }
    }
    return n;
  }
}
