package io.jpeer.core.log;

import static org.assertj.core.api.Assertions.assertThat;

import io.jpeer.core.types.Eversion;
import io.jpeer.core.types.LogEntry;
import io.jpeer.core.types.LogOp;
import io.jpeer.core.types.PgLog;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LogTrimTest {
  /** Entries 1'1 .. 1'n on objects o1 .. on, tail 0'0. */
  static PgLog log(int n) {
    List<LogEntry> es = new ArrayList<>();
    for (int i = 1; i <= n; i++) {
      es.add(LogEntry.of(LogOp.MODIFY, "o" + i, Eversion.of(1, i), Eversion.ZERO));
    }
    return PgLog.of(Eversion.ZERO, es);
  }

  @Test
  void keepsTheTargetNumberOfEntries() {
    assertThat(LogTrim.trimTo(log(30), 20, 50, 1, Eversion.of(1, 30))).isEqualTo(Eversion.of(1, 10));
    PgLog trimmed = log(30).trimmedTo(Eversion.of(1, 10));
    assertThat(trimmed.size()).isEqualTo(20);
    assertThat(trimmed.tail()).isEqualTo(Eversion.of(1, 10));
  }

  @Test
  void nothingToTrimAtOrBelowTheTarget() {
    assertThat(LogTrim.trimTo(log(20), 20, 50, 1, Eversion.of(1, 20))).isNull();
  }

  @Test
  void neverPastWhatEveryShardCompleted() {
    assertThat(LogTrim.trimTo(log(30), 20, 50, 1, Eversion.of(1, 4))).isEqualTo(Eversion.of(1, 4));
    // The limit at or below the tail: nothing can go.
    assertThat(LogTrim.trimTo(log(30).trimmedTo(Eversion.of(1, 4)), 20, 50, 1, Eversion.of(1, 4))).isNull();
    assertThat(LogTrim.trimTo(log(30), 20, 50, 1, Eversion.ZERO)).isNull();
  }

  @Test
  void smallTrimsWaitForABatchUnlessTheLogExceedsItsMaximum() {
    assertThat(LogTrim.trimTo(log(24), 20, 30, 5, Eversion.of(1, 24))).isNull();
    assertThat(LogTrim.trimTo(log(25), 20, 30, 5, Eversion.of(1, 25))).isEqualTo(Eversion.of(1, 5));
    assertThat(LogTrim.trimTo(log(31), 29, 30, 5, Eversion.of(1, 31))).isEqualTo(Eversion.of(1, 2));
  }

  @Test
  void cleanPgsKeepTheMinimumOthersTheMaximum() {
    assertThat(LogTrim.target(true, 10, 20)).isEqualTo(10);
    assertThat(LogTrim.target(false, 10, 20)).isEqualTo(20);
    assertThat(LogTrim.minBatch(true, 250)).isEqualTo(25);
    assertThat(LogTrim.minBatch(true, 5000)).isEqualTo(100);
    assertThat(LogTrim.minBatch(true, 5)).isEqualTo(1);
    assertThat(LogTrim.minBatch(false, 250)).isEqualTo(1);
  }
}
