package io.jpeer.osd.wire;

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
import io.jpeer.core.types.ReqId;
import io.jpeer.proto.peering.EversionProto;
import io.jpeer.proto.peering.LogEntryProto;
import io.jpeer.proto.peering.MissingItemProto;
import io.jpeer.proto.peering.PgHistoryProto;
import io.jpeer.proto.peering.PgInfoProto;
import io.jpeer.proto.peering.PgLogProto;
import io.jpeer.proto.peering.PgMissingProto;
import io.jpeer.proto.peering.ReqIdProto;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The core's values to protobuf and back. Decoding validates what the core takes for granted
 * (known ops, valid object names, ordered logs), so a bad peer's message is refused at the edge
 * with a {@link WireException} naming the field instead of reaching the peering core.
 */
public final class CoreCodec {
  private CoreCodec() {}

  public static EversionProto eversion(Eversion v) {
    return EversionProto.newBuilder().setEpoch((int) v.epoch()).setVersion(v.version()).build();
  }

  public static Eversion eversion(EversionProto p) {
    return Eversion.of(Integer.toUnsignedLong(p.getEpoch()), p.getVersion());
  }

  public static LogEntryProto entry(LogEntry e) {
    LogEntryProto.Builder b = LogEntryProto.newBuilder().setOp(e.op().code()).setOid(e.oid())
        .setVersion(eversion(e.version())).setPriorVersion(eversion(e.priorVersion()))
        .setUserVersion(e.userVersion()).setRollbackable(e.rollbackable()).setReturnCode(e.returnCode());
    if (e.reqid() != null) {
      b.setReqid(ReqIdProto.newBuilder().setEntity(e.reqid().entity()).setIncarnation(e.reqid().incarnation())
          .setTid(e.reqid().tid()));
    }
    return b.build();
  }

  public static LogEntry entry(LogEntryProto p, String where) throws WireException {
    LogOp op = LogOp.fromCode(p.getOp());
    if (op == null) {
      throw new WireException(where + ".op: unknown log op " + p.getOp());
    }
    ReqId reqid = p.hasReqid()
        ? new ReqId(p.getReqid().getEntity(), p.getReqid().getIncarnation(), p.getReqid().getTid()) : null;
    return new LogEntry(op, objectName(p.getOid(), where + ".oid"), eversion(p.getVersion()),
        eversion(p.getPriorVersion()), reqid, p.getUserVersion(), p.getRollbackable(), p.getReturnCode());
  }

  public static PgLogProto log(PgLog log) {
    PgLogProto.Builder b = PgLogProto.newBuilder().setTail(eversion(log.tail())).setHead(eversion(log.head()))
        .setCanRollbackTo(eversion(log.canRollbackTo()));
    log.entries().forEach(e -> b.addEntries(entry(e)));
    return b.build();
  }

  public static PgLog log(PgLogProto p, String where) throws WireException {
    List<LogEntry> entries = new ArrayList<>(p.getEntriesCount());
    LogEntry prev = null;
    for (int i = 0; i < p.getEntriesCount(); i++) {
      LogEntry e = entry(p.getEntries(i), where + ".entries[" + i + "]");
      if (prev != null && (!e.version().isAfter(prev.version()) || e.version().compareCounter(prev.version()) <= 0)) {
        throw new WireException(where + ".entries[" + i + "]: " + e.version() + " does not follow " + prev.version());
      }
      entries.add(e);
      prev = e;
    }
    Eversion tail = eversion(p.getTail());
    Eversion head = eversion(p.getHead());
    if (head.isBefore(tail) || (prev != null && head.isBefore(prev.version()))) {
      throw new WireException(where + ".head: " + head + " is below the tail or the newest entry");
    }
    return new PgLog(tail, head, eversion(p.getCanRollbackTo()), entries);
  }

  public static PgHistoryProto history(PgHistory h) {
    return PgHistoryProto.newBuilder().setEpochCreated((int) h.epochCreated())
        .setEpochPoolCreated((int) h.epochPoolCreated()).setLastEpochStarted((int) h.lastEpochStarted())
        .setLastIntervalStarted((int) h.lastIntervalStarted()).setLastEpochClean((int) h.lastEpochClean())
        .setLastIntervalClean((int) h.lastIntervalClean()).setSameUpSince((int) h.sameUpSince())
        .setSameIntervalSince((int) h.sameIntervalSince()).setSamePrimarySince((int) h.samePrimarySince()).build();
  }

  public static PgHistory history(PgHistoryProto p) {
    return new PgHistory(u(p.getEpochCreated()), u(p.getEpochPoolCreated()), u(p.getLastEpochStarted()),
        u(p.getLastIntervalStarted()), u(p.getLastEpochClean()), u(p.getLastIntervalClean()), u(p.getSameUpSince()),
        u(p.getSameIntervalSince()), u(p.getSamePrimarySince()));
  }

  private static long u(int epoch) {
    return Integer.toUnsignedLong(epoch);
  }

  public static PgInfoProto info(PgInfo i) {
    PgInfoProto.Builder b = PgInfoProto.newBuilder().setPgid(i.pgid().toString())
        .setLastUpdate(eversion(i.lastUpdate())).setLastComplete(eversion(i.lastComplete()))
        .setLogTail(eversion(i.logTail())).setLastBackfill(i.lastBackfill())
        .setLastUserVersion(i.lastUserVersion()).setStatsVersion(eversion(i.stats().version()))
        .setStatsReportedSeq(i.stats().reportedSeq()).setStatsReportedEpoch((int) i.stats().reportedEpoch())
        .setNumObjects(i.stats().numObjects()).setNumBytes(i.stats().numBytes())
        .setLastEpochStarted((int) i.lastEpochStarted()).setLastIntervalStarted((int) i.lastIntervalStarted())
        .setHistory(history(i.history()));
    i.purgedSnaps().forEach(b::addPurgedSnaps);
    return b.build();
  }

  /** A pgid from a frame; {@code where} names the message for the error. */
  public static PgId pgid(String s, String where) throws WireException {
    try {
      return PgId.parse(s);
    } catch (IllegalArgumentException e) {
      throw new WireException(where + ".pgid: " + e.getMessage());
    }
  }

  public static PgInfo info(PgInfoProto p, String where) throws WireException {
    PgId pgid = pgid(p.getPgid(), where);
    String lb = p.getLastBackfill();
    if (!lb.equals(ObjectNames.MIN) && !lb.equals(ObjectNames.MAX)) {
      objectName(lb, where + ".last_backfill");
    }
    Eversion lu = eversion(p.getLastUpdate());
    Eversion lc = eversion(p.getLastComplete());
    if (lc.isAfter(lu)) {
      throw new WireException(where + ".last_complete: " + lc + " is above last_update " + lu);
    }
    return new PgInfo(pgid, lu, lc, eversion(p.getLogTail()), lb, p.getLastUserVersion(), p.getPurgedSnapsList(),
        new PgStats(eversion(p.getStatsVersion()), p.getStatsReportedSeq(), u(p.getStatsReportedEpoch()),
            p.getNumObjects(), p.getNumBytes()),
        u(p.getLastEpochStarted()), u(p.getLastIntervalStarted()), history(p.getHistory()));
  }

  public static PgMissingProto missing(PgMissing m) {
    PgMissingProto.Builder b = PgMissingProto.newBuilder().setMayIncludeDeletes(m.mayIncludeDeletes());
    m.items().forEach((oid, it) -> b.addItems(MissingItemProto.newBuilder().setOid(oid).setNeed(eversion(it.need()))
        .setHave(eversion(it.have())).setIsDelete(it.isDelete())));
    return b.build();
  }

  public static PgMissing missing(PgMissingProto p, String where) throws WireException {
    Map<String, PgMissing.Item> items = new TreeMap<>();
    for (int i = 0; i < p.getItemsCount(); i++) {
      MissingItemProto it = p.getItems(i);
      String oid = objectName(it.getOid(), where + ".items[" + i + "].oid");
      if (items.put(oid, new PgMissing.Item(eversion(it.getNeed()), eversion(it.getHave()), it.getIsDelete())) != null) {
        throw new WireException(where + ".items[" + i + "]: " + oid + " listed twice");
      }
    }
    return PgMissing.of(p.getMayIncludeDeletes(), items);
  }

  private static String objectName(String s, String where) throws WireException {
    String why = ObjectNames.invalidReason(s);
    if (why != null) {
      throw new WireException(where + ": " + why);
    }
    return s;
  }
}
