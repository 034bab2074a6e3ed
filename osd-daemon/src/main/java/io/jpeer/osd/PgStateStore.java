package io.jpeer.osd;

import com.google.protobuf.InvalidProtocolBufferException;
import io.jpeer.core.types.Eversion;
import io.jpeer.core.types.LogEntry;
import io.jpeer.core.types.PgInfo;
import io.jpeer.core.types.PgLog;
import io.jpeer.core.types.PgMissing;
import io.jpeer.core.interval.PastIntervals;
import io.jpeer.osd.wire.CoreCodec;
import io.jpeer.osd.wire.PeeringWire;
import io.jpeer.proto.peering.PastIntervalsProto;
import io.jpeer.osd.wire.WireException;
import io.jpeer.proto.peering.LogEntryProto;
import io.jpeer.proto.peering.MissingItemProto;
import io.jpeer.proto.peering.PgInfoProto;
import io.jpeer.proto.peering.PgLogProto;
import io.jpeer.proto.peering.PgMissingProto;
import io.jpeer.store.ObjectStore;
import io.jpeer.store.StoreException;
import io.jpeer.store.Transaction;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where a PG's peering state lives in its collection's omap, so that each change is part of one
 * store transaction: {@code _info}, {@code _log} (tail, head, can_rollback_to),
 * {@code log.<version key>} per entry (keys sort in version order), {@code missing.<object>} per
 * missing item and {@code _missing} for the set's flags.
 */
public final class PgStateStore {
  static final String INFO = "_info";
  static final String LOG_BOUNDS = "_log";
  static final String MISSING_FLAGS = "_missing";
  static final String PAST_INTERVALS = "_past_intervals";
  static final String LOG_PREFIX = "log.";
  static final String LOG_END = "log/";
  static final String MISSING_PREFIX = "missing.";
  static final String MISSING_END = "missing/";

  /** A PG's state as loaded. */
  public record Loaded(PgInfo info, PgLog log, PgMissing missing, PastIntervals pastIntervals) {}

  private PgStateStore() {}

  public static void putInfo(Transaction t, String coll, PgInfo info) {
    t.omapSet(coll, INFO, CoreCodec.info(info).toByteArray());
  }

  /** Appends entries (newer than every stored one) and records the log's bounds. */
  public static void appendEntries(Transaction t, String coll, PgLog log, List<LogEntry> appended) {
    for (LogEntry e : appended) {
      t.omapSet(coll, LOG_PREFIX + e.version().key(), CoreCodec.entry(e).toByteArray());
    }
    putLogBounds(t, coll, log);
  }

  /** Drops stored entries (trimmed at the tail, or cut off the head). */
  public static void removeEntries(Transaction t, String coll, List<LogEntry> removed) {
    for (LogEntry e : removed) {
      t.omapRemove(coll, LOG_PREFIX + e.version().key());
    }
  }

  /**
   * How many of {@code old}'s oldest entries {@code now} dropped, when {@code now} is {@code old}
   * trimmed at the tail and perhaps extended at the head; -1 when it is not (or nothing was trimmed).
   */
  public static int trimmedPrefix(PgLog old, PgLog now) {
    if (old == null || !now.tail().isAfter(old.tail())) {
      return -1;
    }
    int k = 0;
    while (k < old.size() && old.entries().get(k).version().atMost(now.tail())) {
      k++;
    }
    int kept = old.size() - k;
    if (k == 0 || kept > now.size()) {
      return -1;
    }
    if (kept > 0 && (!now.entries().get(0).equals(old.entries().get(k))
        || !now.entries().get(kept - 1).equals(old.entries().get(old.size() - 1)))) {
      return -1;
    }
    return k;
  }

  /** Replaces the whole stored log (after a merge that rewrote it). */
  public static void putLog(Transaction t, String coll, PgLog log) {
    t.omapRemoveRange(coll, LOG_PREFIX, LOG_END);
    appendEntries(t, coll, log, log.entries());
  }

  public static void putLogBounds(Transaction t, String coll, PgLog log) {
    t.omapSet(coll, LOG_BOUNDS, PgLogProto.newBuilder().setTail(CoreCodec.eversion(log.tail()))
        .setHead(CoreCodec.eversion(log.head())).setCanRollbackTo(CoreCodec.eversion(log.canRollbackTo())).build()
        .toByteArray());
  }

  /** Replaces the stored missing set. */
  public static void putMissing(Transaction t, String coll, PgMissing missing) {
    t.omapRemoveRange(coll, MISSING_PREFIX, MISSING_END);
    putMissingFlags(t, coll, missing);
    missing.items().forEach((oid, it) -> putMissingItem(t, coll, oid, it));
  }

  /**
   * Stores only how {@code now} differs from the stored {@code was}: recovery shrinks the set one
   * object at a time, and rewriting all of it each time would make recovering n objects O(n^2).
   */
  public static void updateMissing(Transaction t, String coll, PgMissing was, PgMissing now) {
    if (was == null || was.mayIncludeDeletes() != now.mayIncludeDeletes()) {
      putMissing(t, coll, now);
      return;
    }
    for (String oid : was.items().keySet()) {
      if (!now.isMissing(oid)) {
        t.omapRemove(coll, MISSING_PREFIX + oid);
      }
    }
    now.items().forEach((oid, it) -> {
      if (!it.equals(was.get(oid))) {
        putMissingItem(t, coll, oid, it);
      }
    });
  }

  private static void putMissingFlags(Transaction t, String coll, PgMissing missing) {
    t.omapSet(coll, MISSING_FLAGS, PgMissingProto.newBuilder().setMayIncludeDeletes(missing.mayIncludeDeletes())
        .build().toByteArray());
  }

  private static void putMissingItem(Transaction t, String coll, String oid, PgMissing.Item it) {
    t.omapSet(coll, MISSING_PREFIX + oid, MissingItemProto.newBuilder().setOid(oid)
        .setNeed(CoreCodec.eversion(it.need())).setHave(CoreCodec.eversion(it.have())).setIsDelete(it.isDelete())
        .build().toByteArray());
  }

  public static void putPastIntervals(Transaction t, String coll, PastIntervals pi) {
    t.omapSet(coll, PAST_INTERVALS, PeeringWire.pastIntervals(pi).toByteArray());
  }

  /** Everything of a PG in one transaction (creation, or after a full rewrite). */
  public static void putAll(Transaction t, String coll, PgInfo info, PgLog log, PgMissing missing) {
    putInfo(t, coll, info);
    putLog(t, coll, log);
    putMissing(t, coll, missing);
  }

  /** Loads a PG's state; empty when the collection holds none. */
  public static Optional<Loaded> load(ObjectStore store, String coll) throws StoreException {
    if (!store.collectionExists(coll)) {
      return Optional.empty();
    }
    Optional<byte[]> infoBytes = store.omapGet(coll, INFO);
    if (infoBytes.isEmpty()) {
      return Optional.empty();
    }
    try {
      PgInfo info = CoreCodec.info(PgInfoProto.parseFrom(infoBytes.get()), coll + "/" + INFO);
      PgLogProto bounds = PgLogProto.parseFrom(store.omapGet(coll, LOG_BOUNDS).orElse(new byte[0]));
      PgLogProto.Builder log = bounds.toBuilder();
      for (Map.Entry<String, byte[]> e : store.omapScan(coll, LOG_PREFIX, LOG_END).entrySet()) {
        log.addEntries(LogEntryProto.parseFrom(e.getValue()));
      }
      PgMissingProto.Builder missing = PgMissingProto.parseFrom(store.omapGet(coll, MISSING_FLAGS)
          .orElse(new byte[0])).toBuilder();
      List<MissingItemProto> items = new ArrayList<>();
      for (byte[] v : store.omapScan(coll, MISSING_PREFIX, MISSING_END).values()) {
        items.add(MissingItemProto.parseFrom(v));
      }
      missing.addAllItems(items);
      PastIntervals pi = PeeringWire.pastIntervals(PastIntervalsProto.parseFrom(
          store.omapGet(coll, PAST_INTERVALS).orElse(new byte[0])));
      return Optional.of(new Loaded(info, CoreCodec.log(log.build(), coll + "/log"),
          CoreCodec.missing(missing.build(), coll + "/missing"), pi));
    } catch (InvalidProtocolBufferException | WireException e) {
      throw new StoreException("pg " + coll + ": stored state is corrupt: " + e.getMessage());
    }
  }

  /** The order-preserving key of a log entry (exposed for tools). */
  public static String logKey(Eversion v) {
    return LOG_PREFIX + v.key();
  }
}
