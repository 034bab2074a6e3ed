package io.jpeer.core.log;

import io.jpeer.core.types.Eversion;
import io.jpeer.core.types.LogEntry;
import io.jpeer.core.types.ObjectNames;
import io.jpeer.core.types.PgInfo;
import io.jpeer.core.types.PgLog;
import io.jpeer.core.types.PgMissing;
import io.jpeer.core.types.PgStats;
import java.util.List;

/**
 * The PG log algorithms (Ceph's PGLog): merge_log, rewind_divergent_log, the divergent entry
 * resolution, proc_replica_log and trim. Pure functions of their inputs; every result is a
 * {@link LogResult}. A state Ceph would stop on is refused with a {@link PgLogException}.
 */
public final class PgLogs {
  private PgLogs() {}

  /**
   * The local shard adopts the authoritative log (Ceph's PGLog::merge_log): extends its tail,
   * rewinds entries the authority lacks, appends what it lacks and works out what is missing.
   */
  public static LogResult mergeLog(PgLog localLog, PgInfo localInfo, PgMissing localMissing, PgLog authLog,
      PgInfo authInfo) {
    String op = "merge_log";
    if (localLog.head().isZero() && !authLog.tail().isZero()) {
      throw new PgLogException(op + ": the local log is empty and the authoritative log does not start at 0'0 (tail "
          + authLog.tail() + ")");
    }
    if (localLog.head().isBefore(authLog.tail()) || authLog.head().isBefore(localLog.tail())) {
      throw new PgLogException(op + ": the logs do not overlap (local " + range(localLog) + ", authoritative "
          + range(authLog) + ")");
    }
    LogShard s = new LogShard(localLog, localInfo, localMissing);
    Eversion origTail = localLog.tail();
    List<LogEntry> auth = authLog.entries();
    int firstCandidate = 0;
    boolean changed = false;

    // Tail: take the authority's older entries.
    if (authLog.tail().isBefore(origTail)) {
      int n = 0;
      while (n < auth.size() && auth.get(n).version().atMost(origTail)) {
        n++;
      }
      if (n > 0) {
        s.log.prepend(auth.subList(0, n));
        s.dirtyEntries = true;
      }
      firstCandidate = n;
      s.log.setTail(authLog.tail());
      s.info = s.info.withLogTail(authLog.tail());
      changed = true;
    }

    // Stats: never go back in reporting; a complete copy takes the authority's stats.
    PgStats authStats = authInfo.stats();
    PgStats localStats = s.info.stats();
    if (authStats.reportedSeq() < localStats.reportedSeq() || authStats.reportedEpoch() < localStats.reportedEpoch()) {
      authStats = authStats.withReported(localStats.reportedSeq(), localStats.reportedEpoch());
    }
    if (!s.info.isIncomplete()) {
      s.info = s.info.withStats(authStats);
    }

    if (authLog.head().isBefore(s.log.head())) {
      rewind(s, authLog.head(), op);
      changed = true;
    }

    if (authLog.head().isAfter(s.log.head())) {
      Eversion cutPoint = Eversion.max(authLog.tail(), origTail);
      int newFrom = firstCandidate;
      for (int i = auth.size() - 1; i >= firstCandidate; i--) {
        if (auth.get(i).version().atMost(s.log.head())) {
          cutPoint = Eversion.max(cutPoint, auth.get(i).version());
          newFrom = i + 1;
          break;
        }
      }
      Eversion crt = s.log.canRollbackTo();
      List<LogEntry> divergent = cut(s.log, cutPoint, op);
      if (!divergent.isEmpty()) {
        s.dirtyEntries = true;
      }
      if (s.log.canRollbackTo().isBefore(s.log.head())) {
        s.log.setCanRollbackTo(s.log.head());
      }
      String lastBackfill = s.info.lastBackfill();
      for (int i = newFrom; i < auth.size(); i++) {
        LogEntry e = auth.get(i);
        Eversion head = s.log.head();
        if (!e.version().isAfter(head) || (head.version() != 0 && e.version().compareCounter(head) <= 0)) {
          throw new PgLogException(op + ": new entry " + e.version() + " is not above the head " + head);
        }
        s.log.append(e);
        s.log.setHead(e.version());
        if (e.isError() || !ObjectNames.withinBackfill(e.oid(), lastBackfill)) {
          continue;
        }
        if (!s.missing.mayIncludeDeletes() && e.isDelete()) {
          s.missing.rm(e.oid(), e.version());
          s.removed.add(e.oid());
        } else {
          s.missing.addNextEvent(e);
        }
      }
      DivergentEntries.merge(s.log, lastBackfill, s.missing, divergent, crt, s, op);
      s.log.setHead(authLog.head());
      if (s.log.canRollbackTo().isBefore(authLog.head())) {
        s.log.setCanRollbackTo(authLog.head());
      }
      s.info = s.info.withLastUpdate(authLog.head())
          .withUserVersionAndSnaps(authInfo.lastUserVersion(), authInfo.purgedSnaps());
      s.dirtyEntries = true;
      changed = true;
    }
    if (changed) {
      s.dirtyInfo = true;
    }
    return s.result();
  }

  /** Drops the entries above {@code newHead} and resolves them (Ceph's rewind_divergent_log). */
  public static LogResult rewindDivergentLog(PgLog log, PgInfo info, PgMissing missing, Eversion newHead) {
    LogShard s = new LogShard(log, info, missing);
    rewind(s, newHead, "rewind_divergent_log");
    return s.result();
  }

  static void rewind(LogShard s, Eversion newHead, String op) {
    if (newHead.isBefore(s.log.tail())) {
      throw new PgLogException(op + ": new head " + newHead + " is below the log tail " + s.log.tail());
    }
    Eversion crt = s.log.canRollbackTo();
    if (s.info.lastComplete().isAfter(newHead)) {
      s.info = s.info.withLastComplete(newHead);
    }
    List<LogEntry> divergent = cut(s.log, newHead, op);
    if (!divergent.isEmpty()) {
      s.dirtyEntries = true;
    }
    s.info = s.info.withLastUpdate(newHead);
    DivergentEntries.merge(s.log, s.info.lastBackfill(), s.missing, divergent, crt, s, op);
    s.dirtyInfo = true;
  }

  /** Cuts the log at {@code newHead} (counters compared), lowering head and rollback bound. */
  private static List<LogEntry> cut(PgLog.Builder log, Eversion newHead, String op) {
    if (newHead.isBefore(log.tail())) {
      throw new PgLogException(op + ": new head " + newHead + " is below the log tail " + log.tail());
    }
    List<LogEntry> divergent = log.cutAbove(newHead);
    for (LogEntry e : divergent) {
      if (!e.version().isAfter(newHead)) {
        throw new PgLogException(op + ": entry " + e.version() + " has a counter above " + newHead
            + " but is not newer");
      }
    }
    log.setHead(newHead);
    if (log.canRollbackTo().isAfter(newHead)) {
      log.setCanRollbackTo(newHead);
    }
    return divergent;
  }

  /** Runs only the divergent entry resolution on the given entries. */
  public static LogResult mergeDivergentEntries(PgLog log, PgInfo info, PgMissing missing, List<LogEntry> divergent,
      Eversion canRollbackTo) {
    LogShard s = new LogShard(log, info, missing);
    DivergentEntries.merge(s.log, info.lastBackfill(), s.missing, divergent, canRollbackTo, s,
        "merge_divergent_entries");
    return s.result();
  }

  /**
   * The primary works out what a replica lacks from the replica's log, info and missing set
   * (Ceph's PGLog::proc_replica_log); it must predict the replica's own merge_log. With
   * {@code activate}, also the primary's record of the replica once caught up by log.
   */
  public static LogResult procReplicaLog(PgLog primaryLog, PgInfo primaryInfo, PgLog replicaLog, PgInfo replicaInfo,
      PgMissing replicaMissing, boolean activate) {
    String op = "proc_replica_log";
    PgInfo info = replicaInfo;
    PgMissing.Builder missing = replicaMissing.toBuilder();
    Eversion rHead = replicaLog.head();
    if (!(rHead.isBefore(primaryLog.tail()) || rHead.equals(primaryLog.head()))) {
      List<LogEntry> p = primaryLog.entries();
      LogEntry shared = null;
      for (int i = p.size() - 1; i >= 0; i--) {
        if (p.get(i).version().atMost(rHead)) {
          shared = p.get(i);
          break;
        }
      }
      Eversion limit = Eversion.max(primaryLog.tail(), replicaLog.tail());
      Eversion lu = shared == null || shared.version().isBefore(limit) ? limit : shared.version();
      PgLog.Builder copy = replicaLog.toBuilder();
      List<LogEntry> divergent = cut(copy, lu, op);
      DivergentEntries.merge(copy, info.lastBackfill(), missing, divergent, replicaLog.canRollbackTo(), null, op);
      if (info.lastUpdate().isAfter(lu)) {
        info = info.withLastUpdate(lu);
      }
      info = info.withLastComplete(lastCompleteFor(info, missing, replicaLog));
    }
    PgMissing computed = missing.build();
    LogResult r = new LogResult(replicaLog, info, computed, List.of(), List.of(), List.of(), LogResult.Dirty.NONE,
        null);
    return activate ? r.withActivated(activatePeer(primaryLog, primaryInfo, info, computed)) : r;
  }

  /** Ceph's last_complete rule: lu when nothing is missing, else the last entry before the oldest need. */
  static Eversion lastCompleteFor(PgInfo info, PgMissing.Builder missing, PgLog log) {
    if (missing.isEmpty()) {
      return info.lastUpdate();
    }
    Eversion oldestNeed = missing.oldestNeed();
    Eversion lc = Eversion.ZERO;
    for (LogEntry e : log.entries()) {
      if (!e.version().isBefore(oldestNeed)) {
        break;
      }
      lc = e.version();
    }
    return lc;
  }

  /**
   * The peer branch of Ceph's activate: the primary catches a replica up by log and records what
   * it will then be missing.
   */
  public static LogResult.Activated activatePeer(PgLog primaryLog, PgInfo primaryInfo, PgInfo peerInfo,
      PgMissing peerMissing) {
    String op = "proc_replica_log";
    PgInfo info = peerInfo;
    PgMissing.Builder missing = peerMissing.toBuilder();
    if (!info.lastUpdate().equals(primaryInfo.lastUpdate())) {
      if (primaryLog.tail().isAfter(info.lastUpdate()) || ObjectNames.MIN.equals(info.lastBackfill())) {
        throw new PgLogException(op + ": the replica needs backfill (last_update " + info.lastUpdate()
            + ", primary log tail " + primaryLog.tail() + ", last_backfill " + info.lastBackfill() + ")");
      }
      List<LogEntry> p = primaryLog.entries();
      int from = p.size();
      while (from > 0 && p.get(from - 1).version().isAfter(info.lastUpdate())) {
        from--;
        if (p.get(from).version().atMost(primaryLog.tail())) {
          throw new PgLogException(op + ": primary entry " + p.get(from).version() + " is at or below the primary tail "
              + primaryLog.tail());
        }
      }
      if (from > 0 && p.get(from - 1).version().atMost(primaryLog.tail())) {
        throw new PgLogException(op + ": primary entry " + p.get(from - 1).version()
            + " is at or below the primary tail " + primaryLog.tail());
      }
      for (int i = from; i < p.size(); i++) {
        LogEntry e = p.get(i);
        if (e.isError() || !ObjectNames.withinBackfill(e.oid(), info.lastBackfill())) {
          continue;
        }
        if (e.isDelete() && !missing.mayIncludeDeletes()) {
          missing.rm(e.oid(), e.version());
        } else {
          missing.addNextEvent(e);
        }
      }
      info = info.withLastUpdate(primaryInfo.lastUpdate());
    }
    if (missing.isEmpty()) {
      info = info.withLastComplete(info.lastUpdate()); // as Ceph's activate(), whether or not entries were sent
    }
    return new LogResult.Activated(info, missing.build());
  }

  /** Drops entries at or below {@code trimTo} (Ceph's PGLog::trim, without dups). */
  public static LogResult trim(PgLog log, PgInfo info, PgMissing missing, Eversion trimTo) {
    LogShard s = new LogShard(log, info, missing);
    if (trimTo.atMost(log.tail())) {
      return s.result();
    }
    if (trimTo.isAfter(log.canRollbackTo())) {
      throw new PgLogException("trim: trim_to " + trimTo + " is above can_rollback_to " + log.canRollbackTo());
    }
    List<LogEntry> dropped = s.log.trimTo(trimTo);
    s.trimmed.addAll(dropped);
    s.dirtyEntries = !dropped.isEmpty();
    s.log.setTail(trimTo);
    s.info = s.info.withLogTail(trimTo);
    LogResult r = s.result();
    return r;
  }

  private static String range(PgLog l) {
    return "(" + l.tail() + "," + l.head() + "]";
  }
}
