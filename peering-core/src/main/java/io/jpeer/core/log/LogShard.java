package io.jpeer.core.log;

import io.jpeer.core.types.LogEntry;
import io.jpeer.core.types.PgInfo;
import io.jpeer.core.types.PgLog;
import io.jpeer.core.types.PgMissing;
import java.util.ArrayList;
import java.util.List;

/**
 * One shard's log, info and missing set while an algorithm changes them, with what the change
 * asks of the store (objects to remove, entries rolled back or trimmed) and what must be
 * rewritten (the dirty flags). Made from immutable values, turned back into a {@link LogResult}.
 */
public final class LogShard {
  final PgLog.Builder log;
  PgInfo info;
  final PgMissing.Builder missing;
  final List<String> removed = new ArrayList<>();
  final List<LogEntry> rolledBack = new ArrayList<>();
  final List<LogEntry> trimmed = new ArrayList<>();
  boolean dirtyEntries;
  boolean dirtyInfo;

  public LogShard(PgLog log, PgInfo info, PgMissing missing) {
    this.log = log.toBuilder();
    this.info = info;
    this.missing = missing.toBuilder();
  }

  public PgInfo info() {
    return info;
  }

  public PgMissing.Builder missing() {
    return missing;
  }

  public PgLog.Builder log() {
    return log;
  }

  public LogResult result() {
    return new LogResult(log.build(), info, missing.build(), List.copyOf(removed), List.copyOf(rolledBack),
        List.copyOf(trimmed), new LogResult.Dirty(dirtyEntries || missing.dirty(), dirtyEntries,
            missing.dirty(), dirtyInfo, dirtyInfo),
        null);
  }
}
