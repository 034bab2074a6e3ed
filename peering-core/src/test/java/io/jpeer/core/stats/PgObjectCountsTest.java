package io.jpeer.core.stats;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PgObjectCountsTest {
  @Test
  void cleanPgHasNothingDegradedOrMisplaced() {
    assertThat(PgObjectCounts.of(3, List.of(0, 1, 2), List.of(0, 1, 2), 0, 100, 0, Map.of(), Set.of(), 0))
        .isEqualTo(new PgObjectCounts(0, 0));
  }

  @Test
  void missingCopiesOnTheActingSetAreDegraded() {
    assertThat(PgObjectCounts.of(3, List.of(0, 1, 2), List.of(0, 1, 2), 0, 100, 4, Map.of(1, 0L, 2, 7L), Set.of(),
        0)).isEqualTo(new PgObjectCounts(11, 0));
  }

  @Test
  void anUndersizedPgLacksOneCopyOfEveryObject() {
    assertThat(PgObjectCounts.of(3, List.of(0, 1), List.of(0, 1), 0, 100, 0, Map.of(), Set.of(), 0))
        .isEqualTo(new PgObjectCounts(100, 0));
  }

  @Test
  void backfillUnderPgTempOfTwoShrinksDegradedAsChunksComplete() {
    // up [1,0,2], pg_temp acting [1,0]: osd.2 holds the 40 objects backfilled so far.
    assertThat(PgObjectCounts.of(3, List.of(1, 0, 2), List.of(1, 0), 1, 100, 0, Map.of(), Set.of(2), 40))
        .isEqualTo(new PgObjectCounts(60, 0));
  }

  @Test
  void backfillToANewHomeWhileTheOldOneServesIsMisplaced() {
    // osd.1 marked out: up [0,2,3], pg_temp acting [0,2,1], backfilling osd.3 (30 of 100 there).
    assertThat(PgObjectCounts.of(3, List.of(0, 2, 3), List.of(0, 2, 1), 0, 100, 0, Map.of(), Set.of(3), 30))
        .isEqualTo(new PgObjectCounts(0, 70));
    assertThat(PgObjectCounts.of(3, List.of(0, 2, 3), List.of(0, 2, 1), 0, 100, 0, Map.of(), Set.of(3), 100))
        .isEqualTo(new PgObjectCounts(0, 0));
  }
}
