package io.jpeer.osd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;

class HeartbeatsTest {
  private static final long S = 1_000_000_000L;

  @Test
  void aSilentPeerIsReportedAfterTheGraceOnceAndCancelledWhenItAnswers() {
    Heartbeats h = new Heartbeats(Duration.ofSeconds(4), Duration.ofSeconds(1));
    h.setPeers(Set.of(1, 2), 0);
    for (long t = 1; t <= 4; t++) {
      assertTrue(h.tick(t * S).report().isEmpty(), "within the grace at " + t + " s");
      h.replied(2, t * S);
    }
    var late = h.tick(5 * S);
    assertEquals(Set.of(1), late.report().keySet());
    assertFalse(late.stalled());
    assertTrue(h.tick(6 * S).report().isEmpty(), "reported again only after another grace");
    assertTrue(h.replied(1, 6 * S), "the report must be cancelled");
  }

  @Test
  void silenceWhileThisOsdStoodStillIsNotTheirs() {
    Heartbeats h = new Heartbeats(Duration.ofSeconds(4), Duration.ofSeconds(1));
    h.setPeers(Set.of(1), 0);
    h.tick(1 * S);
    var resumed = h.tick(30 * S); // SIGSTOP for 29 s, then SIGCONT
    assertTrue(resumed.stalled());
    assertTrue(resumed.report().isEmpty(), "no report for a peer we could not hear");
    assertTrue(h.tick(31 * S).report().isEmpty());
    // A peer that stays silent after we resumed is reported one grace later.
    h.tick(33 * S);
    assertEquals(Set.of(1), h.tick(35 * S).report().keySet());
  }

  @Test
  void ticksAsSlowAsTheirIntervalAreNoStall() {
    Heartbeats h = new Heartbeats(Duration.ofSeconds(4), Duration.ofSeconds(3));
    h.setPeers(Set.of(1), 0);
    assertTrue(h.tick(3 * S).report().isEmpty());
    var t = h.tick(6 * S);
    assertFalse(t.stalled());
    assertEquals(Set.of(1), t.report().keySet());
  }
}
