package io.jpeer.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jpeer.core.types.PgId;
import io.jpeer.net.EntityName;
import io.jpeer.testing.MiniCluster;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The client follows the map: an op whose primary a new map changes is resent at once (not
 * after the 3 s silence), and an op it gave up on is not applied behind its back.
 */
@Timeout(120)
class RadosClientResendTest {
  @TempDir Path dir;

  static byte[] b(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void aWriteToAPrimaryThatDiedIsResentWhenTheMapSaysSo() throws Exception {
    try (MiniCluster c = MiniCluster.start(dir, 3)) {
      PgId pg = c.onePgPool();
      RadosClient rados = c.client();
      int primary = c.map().pgToUpActing(pg).actingPrimary();
      c.killOsd(primary);
      long t0 = System.nanoTime();
      CompletableFuture<io.jpeer.core.types.Eversion> put = CompletableFuture.supplyAsync(() -> {
        try {
          return rados.put("rbd", "obj", b("after the kill"));
        } catch (ClientException e) {
          throw new IllegalStateException(e.getMessage());
        }
      });
      c.waitFor("the put sent (to the dead primary)", () -> rados.inFlight() == 1 || put.isDone(), c::describe);
      assertThat(c.command("osd down", Map.of("ids", Integer.toString(primary))).ok()).isTrue();
      long down = System.nanoTime();
      put.get(20, TimeUnit.SECONDS);
      long sinceMap = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - down);
      long total = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
      // Without resending on the map, the first resend comes only after 3 s of silence.
      assertThat(total).as("put took %d ms (%d ms after the map marking osd.%d down)", total, sinceMap, primary)
          .isLessThan(2500);
      assertThat(new String(rados.get("rbd", "obj"), StandardCharsets.UTF_8)).isEqualTo("after the kill");
    }
  }

  @Test
  void aWriteTheClientGaveUpOnIsNotAppliedLater() throws Exception {
    try (MiniCluster c = MiniCluster.start(dir, 3);
        RadosClient impatient = new RadosClient(new EntityName("client", 5), MiniCluster.FSID, c.mon().address(),
            Duration.ofSeconds(1))) {
      PgId pg = c.onePgPool();
      int primary = c.map().pgToUpActing(pg).actingPrimary();
      List<Integer> others = c.map().pgToUpActing(pg).acting().stream().filter(o -> o != primary).toList();
      others.forEach(c::killOsd);
      c.command("osd down", Map.of("ids", others.get(0) + "," + others.get(1)));
      c.waitFor("the PG below min_size", () -> !c.map().isUp(others.get(0)) && !c.map().isUp(others.get(1))
          && c.osd(primary).pgStates().get(pg) != null
          && !c.osd(primary).machines().get(pg).acceptsWrites(), c::describe);
      assertThatThrownBy(() -> impatient.put("rbd", "late", b("should never appear")))
          .isInstanceOf(ClientException.class)
          .hasMessage("no answer for late within 1 s (pg " + pg + ", last sent to osd." + primary + ")");
      c.startOsd(others.get(0));
      c.waitFor("the PG active again", () -> c.osd(primary).machines().get(pg).acceptsWrites(), c::describe);
      c.client().put("rbd", "after", b("x")); // the primary has handled what it held by now
      assertThatThrownBy(() -> c.client().get("rbd", "late")).isInstanceOf(ClientException.class)
          .hasMessageContaining("no such object");
      assertThat(c.osd(primary).machines().get(pg).pgLog().entries()).noneMatch(e -> e.oid().equals("late"));
    }
  }
}
