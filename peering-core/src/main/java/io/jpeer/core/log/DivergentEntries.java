package io.jpeer.core.log;

import io.jpeer.core.types.Eversion;
import io.jpeer.core.types.LogEntry;
import io.jpeer.core.types.ObjectNames;
import io.jpeer.core.types.PgLog;
import io.jpeer.core.types.PgMissing;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Resolves divergent entries (Ceph's _merge_divergent_entries / _merge_object_divergent_entries):
 * entries a shard logged that the authoritative history does not contain. Per object, in object
 * order, the object is either removed, marked missing at the version before the divergence, or
 * rolled back when every divergent entry can be undone locally.
 */
final class DivergentEntries {
  private DivergentEntries() {}

  /**
   * @param effects where store requests are recorded; null for a dry run (proc_replica_log)
   */
  static void merge(PgLog.Builder log, String lastBackfill, PgMissing.Builder missing, List<LogEntry> divergent,
      Eversion canRollbackTo, LogShard effects, String op) {
    Map<String, List<LogEntry>> byObject = new TreeMap<>();
    for (LogEntry e : divergent) {
      byObject.computeIfAbsent(e.oid(), k -> new ArrayList<>()).add(e);
    }
    for (Map.Entry<String, List<LogEntry>> o : byObject.entrySet()) {
      mergeObject(log, lastBackfill, missing, o.getKey(), o.getValue(), canRollbackTo, effects, op);
    }
  }

  private static void mergeObject(PgLog.Builder log, String lastBackfill, PgMissing.Builder missing, String oid,
      List<LogEntry> given, Eversion canRollbackTo, LogShard effects, String op) {
    if (!ObjectNames.withinBackfill(oid, lastBackfill)) {
      return;
    }
    // The entries of one object must chain: each newer than, and naming as prior, the last one.
    List<LogEntry> entries = new ArrayList<>(given.size());
    Eversion last = Eversion.ZERO;
    boolean seenNonError = false;
    for (int i = 0; i < given.size(); i++) {
      LogEntry e = given.get(i);
      boolean firstNonError = !seenNonError && !e.isError();
      if (i > 0 && !firstNonError && !e.priorVersion().isZero()) {
        if (!e.version().isAfter(last)) {
          throw new PgLogException(op + ": divergent entry " + e.version() + " of " + oid
              + " is not newer than the previous entry " + last);
        }
        if (!e.isError() && !e.priorVersion().equals(last)) {
          throw new PgLogException(op + ": divergent entry " + e.version() + " of " + oid + " has prior_version "
              + e.priorVersion() + ", expected " + last);
        }
      }
      if (!e.isError()) {
        seenNonError = true;
        last = e.version();
        entries.add(e);
      }
    }
    if (entries.isEmpty()) {
      return;
    }
    LogEntry first = entries.get(0);
    LogEntry newest = entries.get(entries.size() - 1);
    Eversion prior = first.priorVersion();
    PgMissing.Item item = missing.get(oid);
    boolean notInStore = item == null && newest.isDelete();

    LogEntry current = log.objectEntry(oid);
    if (current != null && current.version().atLeast(first.version())) {
      // The log already holds a newer version of this object: the divergent copy just goes.
      if (!current.version().isAfter(newest.version())) {
        throw new PgLogException(op + ": log entry " + current.version() + " of " + oid
            + " is not newer than its divergent entry " + newest.version());
      }
      boolean shouldBeMissing = current.isUpdate() || (missing.mayIncludeDeletes() && current.isDelete());
      if (shouldBeMissing && (item == null || !item.need().equals(current.version()))) {
        throw new PgLogException(op + ": " + oid + " should be missing at " + current.version());
      }
      if (!shouldBeMissing && item != null) {
        throw new PgLogException(op + ": " + oid + " should not be missing");
      }
      missing.reviseHave(oid, Eversion.ZERO);
      if (!notInStore) {
        remove(effects, oid);
      }
      return;
    }
    if (prior.isZero() || first.op() == io.jpeer.core.types.LogOp.CLONE) {
      // The divergent history created the object: nothing older to go back to.
      if (item != null) {
        missing.remove(oid);
      }
      if (!notInStore) {
        remove(effects, oid);
      }
      return;
    }
    if (item != null) {
      if (item.have().equals(prior)) {
        missing.remove(oid);
      } else {
        missing.reviseNeed(oid, prior, false);
      }
      return;
    }
    boolean undoable = true;
    for (LogEntry e : entries) {
      if (!e.rollbackable() || !e.version().isAfter(canRollbackTo)) {
        undoable = false;
        break;
      }
    }
    if (undoable) {
      if (effects != null) {
        for (int i = entries.size() - 1; i >= 0; i--) {
          effects.rolledBack.add(entries.get(i));
        }
      }
      return;
    }
    if (!notInStore) {
      remove(effects, oid);
    }
    missing.add(oid, prior, Eversion.ZERO, false);
  }

  private static void remove(LogShard effects, String oid) {
    if (effects != null) {
      effects.removed.add(oid);
    }
  }
}
