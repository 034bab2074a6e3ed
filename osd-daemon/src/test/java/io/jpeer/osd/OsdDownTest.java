package io.jpeer.osd;

import static org.assertj.core.api.Assertions.assertThat;

import io.jpeer.core.machine.PeeringMachine;
import io.jpeer.core.types.PgId;
import io.jpeer.testing.MiniCluster;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Down: osd.0 alone took writes while osd.1 was down; then osd.0 goes down and osd.1 comes back.
 * osd.1 catches up on the maps it missed, sees that interval may have been written, and waits in
 * Down, blocked by osd.0, rather than serve stale data; when osd.0 returns, the PG peers again.
 */
@Timeout(120)
class OsdDownTest {
  @TempDir Path dir;

  static PeeringMachine pgOn(MiniCluster c, int osd) {
    Map<PgId, PeeringMachine> m = c.osd(osd).machines();
    return m.isEmpty() ? null : m.values().iterator().next();
  }

  @Test
  void pgWaitsInDownWhileTheOnlyOsdOfAWrittenIntervalIsDown() throws Exception {
    try (MiniCluster c = MiniCluster.start(dir, 2)) {
      c.command("pool create", Map.of("pool", "rbd", "pg_num", "1", "size", "2", "min_size", "1"));
      c.client().put("rbd", "a", "one".getBytes(StandardCharsets.UTF_8));
      c.killOsd(1);
      c.waitFor("osd.1 down", () -> !c.map().isUp(1), c::describe);
      c.client().put("rbd", "b", "only on osd.0".getBytes(StandardCharsets.UTF_8));
      c.stopOsd(0);
      assertThat(c.map().isUp(0)).isFalse();
      c.startOsd(1);
      c.waitFor("osd.1 down in Down", () -> {
        PeeringMachine m = pgOn(c, 1);
        return m != null && m.stateName().equals("Started/Primary/Peering/Down");
      }, () -> pgOn(c, 1) == null ? "no pg" : pgOn(c, 1).stateName());
      assertThat(pgOn(c, 1).blockedBy()).containsExactly(0);
      assertThat(pgOn(c, 1).pgStateString()).isEqualTo("down");
      c.startOsd(0);
      c.waitFor("the PG active again", () -> {
        for (int osd = 0; osd < 2; osd++) {
          PeeringMachine m = pgOn(c, osd);
          if (m != null && m.isPrimary() && m.stateName().startsWith("Started/Primary/Active/")
              && !m.stateName().endsWith("Activating")) {
            return true;
          }
        }
        return false;
      }, c::describe);
    }
  }
}
