package io.jpeer.core.log;

import io.jpeer.core.types.Eversion;
import io.jpeer.core.types.LogEntry;
import io.jpeer.core.types.PgLog;
import java.util.List;

/**
 * Where a primary trims its PG log to (Ceph's calc_trim_to): keep {@code target} entries, but
 * never trim past {@code limit}, the newest version every acting shard has completed (Ceph's
 * min_last_complete_ondisk), so that no shard still recovering loses the entries it needs. Trims
 * come in batches of at least {@code minBatch} entries (Ceph's osd_pg_log_trim_min), except that a
 * log longer than {@code maxEntries} is always cut back.
 */
public final class LogTrim {
  private LogTrim() {}

  /** The version to trim to (entries at or below it go), or null when nothing should be trimmed. */
  public static Eversion trimTo(PgLog log, int target, int maxEntries, int minBatch, Eversion limit) {
    int size = log.size();
    if (limit == null || limit.isZero() || !limit.isAfter(log.tail()) || size <= target) {
      return null;
    }
    int n = size - target;
    if (n < minBatch && size <= maxEntries) {
      return null;
    }
    List<LogEntry> entries = log.entries();
    Eversion to = entries.get(n - 1).version();
    return to.isAfter(limit) ? limit : to;
  }

  /** Entries kept when clean (osd_min_pg_log_entries) or not (osd_max_pg_log_entries). */
  public static int target(boolean clean, int minEntries, int maxEntries) {
    return clean ? minEntries : maxEntries;
  }

  /** A clean PG trims a tenth of its minimum at a time (at most 100), not one entry per write. */
  public static int minBatch(boolean clean, int minEntries) {
    return clean ? Math.max(1, Math.min(100, minEntries / 10)) : 1;
  }
}
