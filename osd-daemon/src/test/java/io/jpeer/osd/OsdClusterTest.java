package io.jpeer.osd;

import static org.assertj.core.api.Assertions.assertThat;

import io.jpeer.map.OsdMap;
import io.jpeer.core.types.PgId;
import io.jpeer.map.UpActing;
import io.jpeer.testing.MiniCluster;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A monitor and three OSDs in-process: PG placement, failure detection, restart, bad input. */
@Timeout(90)
class OsdClusterTest {
  @TempDir Path dir;

  /** What osd.id should hold according to the map. */
  static Map<PgId, UpActing> expectedPgs(OsdMap m, int id) {
    Map<PgId, UpActing> want = new TreeMap<>();
    for (PgId pg : m.allPgs()) {
      UpActing ua = m.pgToUpActing(pg);
      if (ua.up().contains(id) || ua.acting().contains(id)) {
        want.put(pg, ua);
      }
    }
    return want;
  }

  @Test
  void osdsHoldExactlyThePgsTheMapGivesThem() throws Exception {
    try (MiniCluster c = MiniCluster.start(dir, 3)) {
      assertThat(c.command("pool create", Map.of("pool", "rbd", "pg_num", "16", "size", "3")).ok()).isTrue();
      long epoch = c.map().epoch();
      for (int id = 0; id < 3; id++) {
        OsdDaemon d = c.osd(id);
        c.waitFor("osd." + d.id() + " at e" + epoch,
            () -> d.map() != null && d.map().epoch() >= epoch && d.pgs().equals(expectedPgs(d.map(), d.id())),
            c::describe);
        assertThat(d.pgs()).hasSize(16); // size 3 on 3 OSDs: every PG everywhere
      }
    }
  }

  @Test
  void killedOsdIsMarkedDownWithinGraceAndReturnsWithAHigherUpFrom() throws Exception {
    try (MiniCluster c = MiniCluster.start(dir, 3)) {
      c.command("pool create", Map.of("pool", "rbd", "pg_num", "8", "size", "3"));
      c.waitFor("pgs everywhere", () -> c.osd(0).pgs().size() == 8 && c.osd(2).pgs().size() == 8, c::describe);
      long upFrom = c.map().upFrom(1);
      long epoch = c.map().epoch();
      long t0 = System.nanoTime();
      c.killOsd(1);
      c.waitFor("osd.1 down", () -> !c.map().isUp(1), c::describe);
      long ms = (System.nanoTime() - t0) / 1_000_000;
      assertThat(c.map().epoch()).isGreaterThan(epoch);
      assertThat(ms).as("marked down after %d ms (grace 1 s + a heartbeat)", ms).isLessThan(10_000);
      c.startOsd(1);
      c.waitFor("osd.1 up again", () -> c.map().isUp(1), c::describe);
      assertThat(c.map().upFrom(1)).isGreaterThan(upFrom);
    }
  }

  @Test
  void cleanStopMarksTheOsdDownAtOnce() throws Exception {
    try (MiniCluster c = MiniCluster.start(dir, 3)) {
      c.stopOsd(2);
      assertThat(c.map().isUp(2)).isFalse(); // stop waits for the map that shows it down
    }
  }

  @Test
  void garbageOnAnOsdPortDoesNotStopIt() throws Exception {
    try (MiniCluster c = MiniCluster.start(dir, 3)) {
      OsdDaemon d = c.osd(0);
      try (Socket s = new Socket("127.0.0.1", d.addr().getPort())) {
        OutputStream out = s.getOutputStream();
        out.write(new byte[] {0, 0, 0, 5, (byte) 0xde, (byte) 0xad, (byte) 0xbe, (byte) 0xef, 0});
        out.write(new byte[] {0x7f, 0x7f, 0x7f, 0x7f});
        out.flush();
        c.waitFor("bad frame counted", () -> d.messengerStats().badFrames() >= 1, c::describe);
      }
      c.command("pool create", Map.of("pool", "after", "pg_num", "4", "size", "3"));
      long epoch = c.map().epoch();
      c.waitFor("osd.0 keeps applying maps", () -> d.map().epoch() >= epoch && d.pgs().size() == 4, c::describe);
      assertThat(c.map().isUp(0)).isTrue();
    }
  }

  @Test
  void dataDirectoryOfAnotherClusterIsRefused() throws Exception {
    Path osdDir = dir.resolve("osd.7");
    java.nio.file.Files.createDirectories(osdDir);
    java.nio.file.Files.writeString(osdDir.resolve("fsid"), "some-other-cluster\n");
    OsdStartException e = org.junit.jupiter.api.Assertions.assertThrows(OsdStartException.class,
        () -> OsdDataDir.prepare(osdDir, MiniCluster.FSID, 7));
    assertThat(e.getMessage()).contains("belongs to cluster some-other-cluster");
    assertThat(java.nio.file.Files.readString(osdDir.resolve("fsid"))).isEqualTo("some-other-cluster\n");
  }
}
