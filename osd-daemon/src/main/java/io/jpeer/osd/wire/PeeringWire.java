package io.jpeer.osd.wire;

import com.google.protobuf.Message;
import io.jpeer.core.interval.PastIntervals;
import io.jpeer.core.machine.PeeringMessage;
import io.jpeer.core.types.PgId;
import io.jpeer.osd.OsdMessages;
import io.jpeer.proto.peering.MOSDPGInfo;
import io.jpeer.proto.peering.MOSDPGLog;
import io.jpeer.proto.peering.MOSDPGNotify;
import io.jpeer.proto.peering.MOSDPGQuery;
import io.jpeer.proto.peering.PastIntervalsProto;
import io.jpeer.proto.peering.PgIntervalProto;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/** The peering core's messages to protobuf and back; decoding refuses what the core cannot take. */
public final class PeeringWire {
  private PeeringWire() {}

  /** A message ready to send: its type number and body. */
  public record Encoded(int type, Message body) {}

  public static Encoded encode(PeeringMessage m) {
    if (m instanceof PeeringMessage.Query q) {
      return new Encoded(OsdMessages.MOSD_PG_QUERY, MOSDPGQuery.newBuilder().setPgid(q.pgid().toString())
          .setType(q.type().code).setSince(CoreCodec.eversion(q.since())).setHistory(CoreCodec.history(q.history()))
          .setEpochSent((int) q.epochSent()).setFrom(q.from()).setTo(q.to()).build());
    }
    if (m instanceof PeeringMessage.Notify n) {
      return new Encoded(OsdMessages.MOSD_PG_NOTIFY, MOSDPGNotify.newBuilder().setPgid(n.pgid().toString())
          .setQueryEpoch((int) n.queryEpoch()).setEpochSent((int) n.epochSent()).setInfo(CoreCodec.info(n.info()))
          .setPastIntervals(pastIntervals(n.pastIntervals())).setFrom(n.from()).setTo(n.to()).build());
    }
    if (m instanceof PeeringMessage.Log l) {
      return new Encoded(OsdMessages.MOSD_PG_LOG, MOSDPGLog.newBuilder().setPgid(l.pgid().toString())
          .setEpoch((int) l.epoch()).setQueryEpoch((int) l.queryEpoch()).setInfo(CoreCodec.info(l.info()))
          .setLog(CoreCodec.log(l.log())).setMissing(CoreCodec.missing(l.missing()))
          .setPastIntervals(pastIntervals(l.pastIntervals())).setFrom(l.from()).setTo(l.to()).build());
    }
    PeeringMessage.Info i = (PeeringMessage.Info) m;
    return new Encoded(OsdMessages.MOSD_PG_INFO, MOSDPGInfo.newBuilder().setPgid(i.pgid().toString())
        .setEpochSent((int) i.epochSent()).setMinEpoch((int) i.minEpoch()).setInfo(CoreCodec.info(i.info()))
        .setPastIntervals(pastIntervals(i.pastIntervals())).setFrom(i.from()).setTo(i.to()).build());
  }

  /** Decodes a peering message received as {@code type}; {@code sender} is the handshake's OSD id. */
  public static PeeringMessage decode(int type, Message body, int sender) throws WireException {
    if (body instanceof MOSDPGQuery q) {
      PeeringMessage.QueryType t = PeeringMessage.QueryType.fromCode(q.getType());
      if (t == null) {
        throw new WireException("MOSDPGQuery.type: unknown query type " + q.getType());
      }
      return new PeeringMessage.Query(pgid(q.getPgid()), t, CoreCodec.eversion(q.getSince()),
          CoreCodec.history(q.getHistory()), u(q.getEpochSent()), sender, q.getTo());
    }
    if (body instanceof MOSDPGNotify n) {
      return new PeeringMessage.Notify(pgid(n.getPgid()), u(n.getQueryEpoch()), u(n.getEpochSent()),
          CoreCodec.info(n.getInfo(), "MOSDPGNotify.info"), pastIntervals(n.getPastIntervals()), sender, n.getTo());
    }
    if (body instanceof MOSDPGLog l) {
      return new PeeringMessage.Log(pgid(l.getPgid()), u(l.getEpoch()), u(l.getQueryEpoch()),
          CoreCodec.info(l.getInfo(), "MOSDPGLog.info"), CoreCodec.log(l.getLog(), "MOSDPGLog.log"),
          CoreCodec.missing(l.getMissing(), "MOSDPGLog.missing"), pastIntervals(l.getPastIntervals()), sender,
          l.getTo());
    }
    if (body instanceof MOSDPGInfo i) {
      return new PeeringMessage.Info(pgid(i.getPgid()), u(i.getEpochSent()), u(i.getMinEpoch()),
          CoreCodec.info(i.getInfo(), "MOSDPGInfo.info"), pastIntervals(i.getPastIntervals()), sender, i.getTo());
    }
    throw new WireException("message type " + type + " is not a peering message");
  }

  public static PastIntervalsProto pastIntervals(PastIntervals p) {
    PastIntervalsProto.Builder b = PastIntervalsProto.newBuilder().setFirst((int) p.first()).setLast((int) p.last());
    p.allParticipants().forEach(b::addAllParticipants);
    for (PastIntervals.RwInterval i : p.intervals()) {
      b.addIntervals(PgIntervalProto.newBuilder().setFirst((int) i.first()).setLast((int) i.last())
          .addAllActing(i.acting()).setMaybeWentRw(true));
    }
    return b.build();
  }

  public static PastIntervals pastIntervals(PastIntervalsProto p) {
    List<PastIntervals.RwInterval> rw = new ArrayList<>();
    for (PgIntervalProto i : p.getIntervalsList()) {
      rw.add(new PastIntervals.RwInterval(u(i.getFirst()), u(i.getLast()), new TreeSet<>(i.getActingList())));
    }
    return new PastIntervals(u(p.getFirst()), u(p.getLast()), new TreeSet<>(p.getAllParticipantsList()), rw);
  }

  private static PgId pgid(String s) throws WireException {
    try {
      return PgId.parse(s);
    } catch (IllegalArgumentException e) {
      throw new WireException("pgid: " + e.getMessage());
    }
  }

  private static long u(int epoch) {
    return Integer.toUnsignedLong(epoch);
  }
}
