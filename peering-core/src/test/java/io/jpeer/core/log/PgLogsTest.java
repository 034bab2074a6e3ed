package io.jpeer.core.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jpeer.core.types.Eversion;
import io.jpeer.core.types.LogEntry;
import io.jpeer.core.types.LogOp;
import io.jpeer.core.types.ObjectNames;
import io.jpeer.core.types.PgHistory;
import io.jpeer.core.types.PgId;
import io.jpeer.core.types.PgInfo;
import io.jpeer.core.types.PgLog;
import io.jpeer.core.types.PgMissing;
import io.jpeer.core.types.PgStats;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Each case of the log algorithms (after Ceph's TestPGLog, in our own words). */
class PgLogsTest {
  static Eversion v(String s) {
    return Eversion.parse(s);
  }

  static LogEntry mod(String v, String oid, String prior) {
    return LogEntry.of(LogOp.MODIFY, oid, v(v), v(prior));
  }

  static LogEntry del(String v, String oid, String prior) {
    return LogEntry.of(LogOp.DELETE, oid, v(v), v(prior));
  }

  static PgLog log(String tail, LogEntry... entries) {
    return PgLog.of(v(tail), List.of(entries));
  }

  static PgInfo info(PgLog log) {
    return new PgInfo(new PgId(1, 0), log.head(), log.head(), log.tail(), ObjectNames.MAX, 0, List.of(), PgStats.EMPTY,
        0, 0, PgHistory.EMPTY);
  }

  static PgMissing missing(boolean deletes, Map<String, PgMissing.Item> items) {
    return PgMissing.of(deletes, items);
  }

  static LogResult merge(PgLog local, PgMissing m, PgLog auth) {
    return PgLogs.mergeLog(local, info(local), m, auth, info(auth));
  }

  @Test
  void appendsNewerEntriesAndMarksThemMissing() {
    PgLog local = log("1'0", mod("1'1", "a", "0'0"));
    PgLog auth = log("1'0", mod("1'1", "a", "0'0"), mod("1'2", "a", "1'1"), mod("1'3", "b", "0'0"));
    LogResult r = merge(local, PgMissing.EMPTY, auth);
    assertThat(r.log().head()).isEqualTo(v("1'3"));
    assertThat(r.missing().get("a")).isEqualTo(new PgMissing.Item(v("1'2"), v("1'1"), false));
    assertThat(r.missing().get("b")).isEqualTo(new PgMissing.Item(v("1'3"), Eversion.ZERO, false));
    assertThat(r.info().lastComplete()).isEqualTo(v("1'1")); // merge leaves lc alone
    assertThat(r.dirty().entries()).isTrue();
    assertThat(r.dirty().info()).isTrue();
  }

  @Test
  void deleteWithoutRecoveryDeletesIsAppliedDirectly() {
    PgLog local = log("1'0", mod("1'1", "a", "0'0"));
    PgLog auth = log("1'0", mod("1'1", "a", "0'0"), del("1'2", "a", "1'1"));
    LogResult r = merge(local, PgMissing.EMPTY, auth);
    assertThat(r.removed()).containsExactly("a");
    assertThat(r.missing().isEmpty()).isTrue();
    LogResult withDeletes = merge(local, missing(true, Map.of()), auth);
    assertThat(withDeletes.removed()).isEmpty();
    assertThat(withDeletes.missing().get("a").isDelete()).isTrue();
  }

  @Test
  void errorEntriesAreLoggedButTouchNothing() {
    PgLog local = log("1'0", mod("1'1", "a", "0'0"));
    PgLog auth = log("1'0", mod("1'1", "a", "0'0"), LogEntry.of(LogOp.ERROR, "a", v("1'2"), v("0'0")));
    LogResult r = merge(local, PgMissing.EMPTY, auth);
    assertThat(r.log().entries()).hasSize(2);
    assertThat(r.missing().isEmpty()).isTrue();
    assertThat(r.log().objects().get("a").version()).isEqualTo(v("1'1"));
  }

  @Test
  void olderAuthoritativeEntriesExtendTheTail() {
    PgLog local = log("1'2", mod("1'3", "c", "0'0"));
    PgLog auth = log("1'0", mod("1'1", "a", "0'0"), mod("1'2", "b", "0'0"), mod("1'3", "c", "0'0"));
    LogResult r = merge(local, PgMissing.EMPTY, auth);
    assertThat(r.log().tail()).isEqualTo(v("1'0"));
    assertThat(r.info().logTail()).isEqualTo(v("1'0"));
    assertThat(r.log().entries()).hasSize(3);
    assertThat(r.missing().isEmpty()).isTrue(); // moved entries are not new: nothing to recover
    assertThat(r.dirty().entries()).isTrue();
  }

  @Test
  void localHeadAheadIsRewoundAndTheDivergentModifyRecoveredAtItsPrior() {
    PgLog local = log("1'0", mod("1'1", "a", "0'0"), mod("2'2", "a", "1'1"));
    PgLog auth = log("1'0", mod("1'1", "a", "0'0"));
    LogResult r = merge(local, PgMissing.EMPTY, auth);
    assertThat(r.log().head()).isEqualTo(v("1'1"));
    assertThat(r.info().lastUpdate()).isEqualTo(v("1'1"));
    assertThat(r.info().lastComplete()).isEqualTo(v("1'1")); // clamped by the rewind
    assertThat(r.removed()).containsExactly("a");
    assertThat(r.missing().get("a")).isEqualTo(new PgMissing.Item(v("1'1"), Eversion.ZERO, false));
  }

  @Test
  void divergentCreationIsRemovedAndNotMissing() {
    PgLog local = log("1'0", mod("1'1", "a", "0'0"), mod("2'2", "new", "0'0"));
    LogResult r = PgLogs.rewindDivergentLog(local, info(local), PgMissing.EMPTY, v("1'1"));
    assertThat(r.removed()).containsExactly("new");
    assertThat(r.missing().isEmpty()).isTrue();
  }

  @Test
  void divergentDeleteOfAnAbsentObjectIsOnlyMarkedMissing() {
    PgLog local = log("1'0", mod("1'1", "a", "0'0"), del("2'2", "a", "1'1"));
    LogResult r = PgLogs.rewindDivergentLog(local, info(local), missing(true, Map.of()), v("1'1"));
    assertThat(r.removed()).isEmpty();
    assertThat(r.missing().get("a")).isEqualTo(new PgMissing.Item(v("1'1"), Eversion.ZERO, false));
  }

  @Test
  void divergentObjectAlreadyMissingKeepsOrDropsItsItem() {
    PgLog local = log("1'0", mod("1'1", "a", "0'0"), mod("2'2", "a", "1'1"));
    PgMissing haveThePrior = missing(false, Map.of("a", new PgMissing.Item(v("2'2"), v("1'1"), false)));
    LogResult dropped = PgLogs.rewindDivergentLog(local, info(local), haveThePrior, v("1'1"));
    assertThat(dropped.missing().isMissing("a")).isFalse();
    PgMissing haveNothing = missing(false, Map.of("a", new PgMissing.Item(v("2'2"), Eversion.ZERO, false)));
    LogResult revised = PgLogs.rewindDivergentLog(local, info(local), haveNothing, v("1'1"));
    assertThat(revised.missing().get("a")).isEqualTo(new PgMissing.Item(v("1'1"), Eversion.ZERO, false));
    assertThat(revised.removed()).isEmpty();
  }

  @Test
  void rollbackableDivergentEntriesAreUndoneNewestFirst() {
    LogEntry e2 = new LogEntry(LogOp.MODIFY, "a", v("2'2"), v("1'1"), null, 0, true, 0);
    LogEntry e3 = new LogEntry(LogOp.MODIFY, "a", v("2'3"), v("2'2"), null, 0, true, 0);
    PgLog local = new PgLog(v("1'0"), v("2'3"), v("1'1"), List.of(mod("1'1", "a", "0'0"), e2, e3));
    LogResult r = PgLogs.rewindDivergentLog(local, info(local), PgMissing.EMPTY, v("1'1"));
    assertThat(r.rolledBack()).containsExactly(e3, e2);
    assertThat(r.removed()).isEmpty();
    assertThat(r.missing().isEmpty()).isTrue();
  }

  @Test
  void newerEntryInTheLogJustRemovesTheDivergentCopy() {
    PgLog local = log("1'0", mod("1'1", "a", "0'0"), mod("3'3", "a", "1'1"));
    PgMissing m = missing(false, Map.of("a", new PgMissing.Item(v("3'3"), v("1'1"), false)));
    LogResult r = PgLogs.mergeDivergentEntries(local, info(local), m, List.of(mod("2'2", "a", "1'1")), Eversion.ZERO);
    assertThat(r.missing().get("a")).isEqualTo(new PgMissing.Item(v("3'3"), Eversion.ZERO, false));
    assertThat(r.removed()).containsExactly("a");
  }

  @Test
  void refusals() {
    PgLog local = log("1'5", mod("1'6", "a", "0'0"));
    assertThatThrownBy(() -> PgLogs.rewindDivergentLog(local, info(local), PgMissing.EMPTY, v("1'4")))
        .isInstanceOf(PgLogException.class).hasMessageContaining("below the log tail");
    PgLog far = log("1'9", mod("1'10", "a", "0'0"));
    assertThatThrownBy(() -> merge(local, PgMissing.EMPTY, far)).hasMessageContaining("do not overlap");
    PgLog empty = log("0'0");
    assertThatThrownBy(() -> merge(empty, PgMissing.EMPTY, local)).hasMessageContaining("empty");
    PgLog badChain = log("1'0", mod("1'1", "a", "0'0"));
    assertThatThrownBy(() -> PgLogs.mergeDivergentEntries(badChain, info(badChain), PgMissing.EMPTY,
        List.of(mod("2'2", "b", "1'1"), mod("2'3", "b", "1'9")), Eversion.ZERO))
        .hasMessageContaining("prior_version");
  }

  @Test
  void procReplicaLogFindsWhatTheReplicaLacksWithoutTouchingIt() {
    PgLog primary = log("1'0", mod("1'1", "a", "0'0"), mod("3'2", "b", "0'0"));
    PgLog replica = log("1'0", mod("1'1", "a", "0'0"), mod("2'2", "a", "1'1"));
    LogResult r = PgLogs.procReplicaLog(primary, info(primary), replica, info(replica), PgMissing.EMPTY, true);
    assertThat(r.log()).isEqualTo(replica);
    assertThat(r.info().lastUpdate()).isEqualTo(v("1'1"));
    assertThat(r.missing().get("a")).isEqualTo(new PgMissing.Item(v("1'1"), Eversion.ZERO, false));
    assertThat(r.info().lastComplete()).isEqualTo(Eversion.ZERO); // no entry is older than the oldest need
    assertThat(r.dirty()).isEqualTo(LogResult.Dirty.NONE);
    assertThat(r.activated().info().lastUpdate()).isEqualTo(v("3'2"));
    assertThat(r.activated().missing().items()).containsOnlyKeys("a", "b");
  }

  @Test
  void procReplicaLogWithTheSameHeadChangesNothing() {
    PgLog primary = log("1'0", mod("1'1", "a", "0'0"));
    LogResult r = PgLogs.procReplicaLog(primary, info(primary), primary, info(primary), PgMissing.EMPTY, false);
    assertThat(r.info()).isEqualTo(info(primary));
    assertThat(r.missing().isEmpty()).isTrue();
    assertThat(r.activated()).isNull();
  }

  @Test
  void trimDropsOldEntriesUpToTheRollbackBound() {
    PgLog l = new PgLog(v("1'0"), v("1'3"), v("1'3"), List.of(mod("1'1", "a", "0'0"), mod("1'2", "b", "0'0"),
        mod("1'3", "c", "0'0")));
    LogResult r = PgLogs.trim(l, info(l), PgMissing.EMPTY, v("1'2"));
    assertThat(r.trimmed()).extracting(LogEntry::oid).containsExactly("a", "b");
    assertThat(r.log().tail()).isEqualTo(v("1'2"));
    assertThat(r.info().logTail()).isEqualTo(v("1'2"));
    assertThat(PgLogs.trim(l, info(l), PgMissing.EMPTY, v("1'0")).trimmed()).isEmpty();
    PgLog lowCrt = new PgLog(v("1'0"), v("1'3"), v("1'1"), l.entries());
    assertThatThrownBy(() -> PgLogs.trim(lowCrt, info(lowCrt), PgMissing.EMPTY, v("1'2")))
        .hasMessageContaining("can_rollback_to");
  }

  @Test
  void statsNeverGoBackwardsAndOnlyACompleteCopyTakesThem() {
    PgLog l = log("1'0", mod("1'1", "a", "0'0"));
    PgInfo local = info(l).withStats(new PgStats(v("1'1"), 9, 7, 0, 0));
    PgInfo auth = info(l).withStats(new PgStats(v("1'1"), 3, 8, 0, 0));
    LogResult r = PgLogs.mergeLog(l, local, PgMissing.EMPTY, l, auth);
    assertThat(r.info().stats().reportedSeq()).isEqualTo(9);
    assertThat(r.info().stats().reportedEpoch()).isEqualTo(7);
    LogResult backfilling = PgLogs.mergeLog(l, local.withLastBackfill("m"), PgMissing.EMPTY, l, auth);
    assertThat(backfilling.info().stats()).isEqualTo(local.stats());
  }
}
