package io.jpeer.core.backfill;

import static org.assertj.core.api.Assertions.assertThat;

import io.jpeer.core.types.Eversion;
import io.jpeer.core.types.ObjectNames;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BackfillPlanTest {
  static Eversion v(String s) {
    return Eversion.parse(s);
  }

  @Test
  void pushesWhatDiffersOrIsAbsentAndRemovesWhatThePrimaryLacks() {
    BackfillPlan p = BackfillPlan.of(ObjectNames.MIN, ObjectNames.MAX,
        Map.of("a", v("3'1"), "b", v("3'2"), "c", v("4'7")),
        Map.of("a", v("3'1"), "b", v("2'9"), "d", v("2'1")));
    assertThat(p.push()).containsExactly(Map.entry("b", v("3'2")), Map.entry("c", v("4'7")));
    assertThat(p.remove()).containsExactly("d");
  }

  @Test
  void onlyTheChunkIsTouched() {
    BackfillPlan p = BackfillPlan.of("b", "d", Map.of("a", v("1'1"), "c", v("1'2"), "e", v("1'3")),
        Map.of("b", v("1'1"), "d", v("1'1"), "f", v("1'1")));
    assertThat(p.push()).containsOnlyKeys("c");
    assertThat(p.remove()).containsExactly("d");
    assertThat(BackfillPlan.of("b", "d", Map.of("a", v("1'1")), Map.of("e", v("1'1"))).isEmpty()).isTrue();
  }

  @Test
  void aFullListingEndsTheChunkAtItsLastNameAShortOneAtMax() {
    assertThat(BackfillPlan.chunkEnd(List.of("a", "b", "c"), 3)).isEqualTo("c");
    assertThat(BackfillPlan.chunkEnd(List.of("a", "b"), 3)).isEqualTo(ObjectNames.MAX);
    assertThat(BackfillPlan.chunkEnd(List.of(), 3)).isEqualTo(ObjectNames.MAX);
  }

  @Test
  void theLowestAnswerEndsTheChunk() {
    assertThat(BackfillPlan.narrowedEnd(ObjectNames.MAX, List.of("m", ObjectNames.MAX, "k"))).isEqualTo("k");
    assertThat(BackfillPlan.narrowedEnd("c", List.of("m"))).isEqualTo("c");
  }

  @Test
  void boundsAreExclusiveBelowInclusiveAbove() {
    assertThat(BackfillPlan.within("a", ObjectNames.MIN, "a")).isTrue();
    assertThat(BackfillPlan.within("a", "a", ObjectNames.MAX)).isFalse();
    assertThat(BackfillPlan.within("zz", "a", ObjectNames.MAX)).isTrue();
  }
}
