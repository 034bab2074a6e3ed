package io.jpeer.osd;

import static org.assertj.core.api.Assertions.assertThat;

import io.jpeer.core.types.PgId;
import io.jpeer.testing.MiniCluster;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** PGs peer between in-process OSDs over the real messenger, and re-peer when an OSD dies and returns. */
@Timeout(120)
class OsdPeeringTest {
  @TempDir Path dir;

  static boolean allPrimariesIn(MiniCluster c, int[] ids, String state) {
    for (int id : ids) {
      OsdDaemon d = c.osd(id);
      Map<PgId, String> states = d.pgStates();
      var pgs = d.pgs();
      for (var e : states.entrySet()) {
        if (pgs.get(e.getKey()).actingPrimary() == id && !e.getValue().equals(state)) {
          return false;
        }
      }
    }
    return true;
  }

  /** The PG states the monitor's pg dump shows (what osdctl prints). */
  static List<String> reportedStates(MiniCluster c) {
    try {
      var dump = new com.fasterxml.jackson.databind.ObjectMapper().readTree(c.command("pg dump", Map.of()).output());
      List<String> states = new ArrayList<>();
      dump.get("pg_stats").forEach(p -> states.add(p.get("state").asText()));
      return states;
    } catch (Exception e) {
      return List.of("unreadable: " + e);
    }
  }

  static String describe(MiniCluster c, int[] ids) {
    StringBuilder sb = new StringBuilder();
    for (int id : ids) {
      sb.append("\n osd.").append(id).append(' ').append(c.osd(id).pgStates());
    }
    return sb.toString();
  }

  @Test
  void pgsGoCleanThenUndersizedWithoutAnOsdThenCleanAgain() throws Exception {
    try (MiniCluster c = MiniCluster.start(dir, 3)) {
      c.command("pool create", Map.of("pool", "rbd", "pg_num", "16", "size", "3"));
      int[] all = {0, 1, 2};
      String clean = "Started/Primary/Active/Clean";
      c.waitFor("every PG clean", () -> allPrimariesIn(c, all, clean), () -> describe(c, all));
      c.killOsd(2);
      int[] left = {0, 1};
      c.waitFor("osd.2 down", () -> !c.map().isUp(2), c::describe);
      // Two of three: active again (Clean state but not "clean": the acting set is short).
      c.waitFor("PGs re-peered on two OSDs", () -> allPrimariesIn(c, left, clean), () -> describe(c, left));
      c.waitFor("undersized reported", () -> reportedStates(c).stream().allMatch("active+undersized"::equals),
          () -> reportedStates(c));
      c.startOsd(2);
      c.waitFor("every PG clean again", () -> allPrimariesIn(c, all, clean), () -> describe(c, all));
      c.waitFor("active+clean reported", () -> reportedStates(c).stream().allMatch("active+clean"::equals),
          () -> reportedStates(c));
      // The peering path went through GetInfo, GetLog and GetMissing, as Ceph's does.
      List<String> seen = new ArrayList<>();
      c.osd(0).pgHistories().values().forEach(h -> h.forEach(v -> seen.add(v.state())));
      assertThat(seen).contains("Started/Primary/Peering/GetInfo", "Started/Primary/Peering/GetLog",
          "Started/Primary/Peering/GetMissing", "Started/Primary/Active/Activating");
    }
  }

  @Test
  void aPrimaryWhoseUpThruIsStaleWaitsInWaitUpThruUntilTheMonitorGrantsIt() throws Exception {
    try (MiniCluster c = MiniCluster.start(dir, 3, Map.of("mon_debug_up_thru_delay", "0.5"))) {
      c.command("pool create", Map.of("pool", "rbd", "pg_num", "4", "size", "3"));
      int[] all = {0, 1, 2};
      c.waitFor("every PG clean", () -> allPrimariesIn(c, all, "Started/Primary/Active/Clean"),
          () -> describe(c, all));
      List<String> seen = new ArrayList<>();
      for (int id : all) {
        c.osd(id).pgHistories().values().forEach(h -> h.forEach(v -> seen.add(v.state())));
      }
      assertThat(seen).contains("Started/Primary/Peering/WaitUpThru");
      for (int id : all) {
        c.osd(id).machines().values().stream().filter(m -> m.isPrimary()).forEach(m -> {
          assertThat(m.rounds().get(m.rounds().size() - 1).needUpThru()).isTrue();
          assertThat(c.map().upThru(id)).isGreaterThanOrEqualTo(m.info().history().sameIntervalSince());
        });
      }
    }
  }
}
