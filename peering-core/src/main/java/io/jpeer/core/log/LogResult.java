package io.jpeer.core.log;

import io.jpeer.core.types.LogEntry;
import io.jpeer.core.types.PgInfo;
import io.jpeer.core.types.PgLog;
import io.jpeer.core.types.PgMissing;
import java.util.List;

/**
 * What a log operation produced: the shard's new log, info and missing set, the store effects in
 * the order made (objects to remove, entries rolled back, entries trimmed), what must be
 * rewritten, and for {@code proc_replica_log} with activation the primary's record of the replica.
 */
public record LogResult(
    PgLog log,
    PgInfo info,
    PgMissing missing,
    List<String> removed,
    List<LogEntry> rolledBack,
    List<LogEntry> trimmed,
    Dirty dirty,
    Activated activated) {

  /** Which parts of the stored state changed (Ceph's PGLog dirty tracking, coarsened). */
  public record Dirty(boolean log, boolean entries, boolean missing, boolean info, boolean bigInfo) {
    public static final Dirty NONE = new Dirty(false, false, false, false, false);
  }

  /** The replica as the primary records it after activating it by log. */
  public record Activated(PgInfo info, PgMissing missing) {}

  LogResult withActivated(Activated a) {
    return new LogResult(log, info, missing, removed, rolledBack, trimmed, dirty, a);
  }
}
