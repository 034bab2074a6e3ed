package io.jpeer.core.types;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class TypesTest {
  static Eversion v(String s) {
    return Eversion.parse(s);
  }

  @Test
  void eversionOrdersByEpochThenCounterAndPrintsCanonically() {
    assertThat(v("5'12")).isGreaterThan(v("4'99")).isLessThan(v("5'13"));
  }

  @Test
  void eversionCounterIsUnsigned() {
    Eversion big = v("1'18446744073709551615");
    assertThat(big.toString()).isEqualTo("1'18446744073709551615");
    assertThat(big).isGreaterThan(v("1'1"));
    assertThat(Eversion.MAX).isGreaterThan(big);
  }

  @Test
  void eversionParseRejectsNonCanonicalForms() {
    for (String bad : List.of("5", "5'", "'5", "05'1", "5'01", "-1'2", "5'x", "4294967296'1", "1''2", "+1'2")) {
      assertThatThrownBy(() -> Eversion.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
    }
    assertThat(v("0'0")).isEqualTo(Eversion.ZERO);
  }

  @Test
  void eversionKeysSortLikeVersions() {
    List<Eversion> vs = List.of(v("1'9"), v("1'10"), v("2'3"), v("10'1"));
    for (int i = 1; i < vs.size(); i++) {
      assertThat(vs.get(i - 1).key().compareTo(vs.get(i).key())).isNegative();
    }
  }

  @Test
  void pgIdPrintsHexSeed() {
    assertThat(new PgId(1, 31).toString()).isEqualTo("1.1f");
    assertThat(PgId.parse("3.a")).isEqualTo(new PgId(3, 10));
    assertThatThrownBy(() -> PgId.parse("3")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void historyMergeRaisesMonotoneFieldsButNeverSameSince() {
    PgHistory mine = new PgHistory(1, 1, 5, 4, 3, 3, 10, 10, 10);
    PgHistory theirs = new PgHistory(1, 1, 8, 7, 2, 2, 20, 20, 20);
    PgHistory.Merged m = mine.merge(theirs);
    assertThat(m.changed()).isTrue();
    assertThat(m.history().lastEpochStarted()).isEqualTo(8);
    assertThat(m.history().lastEpochClean()).isEqualTo(3);
    assertThat(m.history().sameIntervalSince()).isEqualTo(10);
    assertThat(mine.merge(mine).changed()).isFalse();
  }

  @Test
  void infoPredicates() {
    PgInfo created = PgInfo.created(new PgId(1, 0), 4);
    assertThat(created.isEmpty()).isTrue();
    assertThat(created.dne()).isFalse();
    assertThat(PgInfo.empty(new PgId(1, 0)).dne()).isTrue();
    assertThat(created.withLastUpdate(v("4'1")).hasMissing()).isTrue();
    assertThat(created.withLastBackfill(ObjectNames.MIN).isIncomplete()).isTrue();
  }

  @Test
  void addNextEventCoversCreationKnownAndNewItems() {
    PgMissing.Builder m = new PgMissing.Builder(true);
    m.addNextEvent(LogEntry.of(LogOp.MODIFY, "a", v("2'5"), v("2'1")));
    assertThat(m.get("a")).isEqualTo(new PgMissing.Item(v("2'5"), v("2'1"), false));
    m.addNextEvent(LogEntry.of(LogOp.MODIFY, "a", v("2'6"), v("2'5")));
    assertThat(m.get("a")).isEqualTo(new PgMissing.Item(v("2'6"), v("2'1"), false)); // have kept
    m.addNextEvent(LogEntry.of(LogOp.DELETE, "a", v("2'7"), v("2'6")));
    assertThat(m.get("a").isDelete()).isTrue();
    m.addNextEvent(LogEntry.of(LogOp.CLONE, "a", v("2'8"), v("2'7")));
    assertThat(m.get("a")).isEqualTo(new PgMissing.Item(v("2'8"), Eversion.ZERO, false)); // clone = creation
  }

  @Test
  void rmAndGotFollowCephRules() {
    PgMissing.Builder m = new PgMissing.Builder(false);
    m.add("a", v("3'4"), Eversion.ZERO, false);
    assertThat(m.rm("a", v("3'3"))).isFalse();
    assertThat(m.rm("a", v("3'4"))).isTrue();
    m.add("b", v("3'4"), Eversion.ZERO, false);
    assertThatThrownBy(() -> m.got("b", v("3'2"))).isInstanceOf(IllegalStateException.class);
    m.got("b", v("3'4"));
    assertThat(m.isEmpty()).isTrue();
  }

  @Test
  void logCopiesAfterAVersionAndUpToACount() {
    PgLog log = PgLog.of(v("1'0"), List.of(
        LogEntry.of(LogOp.MODIFY, "a", v("1'1"), Eversion.ZERO),
        LogEntry.of(LogOp.MODIFY, "b", v("1'2"), Eversion.ZERO),
        LogEntry.of(LogOp.ERROR, "c", v("1'3"), Eversion.ZERO)));
    assertThat(log.copyAfter(v("1'1")).entries()).hasSize(2);
    assertThat(log.copyAfter(v("1'1")).tail()).isEqualTo(v("1'1"));
    assertThat(log.copyUpTo(1).tail()).isEqualTo(v("1'2"));
    assertThat(log.objects()).containsOnlyKeys("a", "b"); // errors are not indexed
  }
}
