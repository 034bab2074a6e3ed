package io.jpeer.osd.recovery;

import io.jpeer.core.types.Eversion;
import io.jpeer.core.types.ObjectNames;
import io.jpeer.core.types.PgId;
import io.jpeer.osd.wire.CoreCodec;
import io.jpeer.osd.wire.WireException;
import io.jpeer.proto.backfill.MOSDPGBackfill;
import io.jpeer.proto.backfill.MOSDPGScan;
import io.jpeer.proto.backfill.MOSDPGTrim;
import io.jpeer.proto.backfill.ObjectVersionProto;
import java.util.Map;
import java.util.TreeMap;

/**
 * Backfill and trim messages (backfill.proto) as checked values, decoded on the network thread:
 * a malformed one is refused there with a {@link WireException} naming the field.
 */
public sealed interface BackfillMessage {
  PgId pgid();

  long epoch();

  /** Primary to target: your objects in (begin, end]. */
  record ScanRequest(PgId pgid, long epoch, String begin, String end) implements BackfillMessage {}

  /** Target to primary: its objects in (begin, end] (end may be lower than asked), name order. */
  record ScanDigest(PgId pgid, long epoch, String begin, String end, TreeMap<String, Eversion> objects)
      implements BackfillMessage {}

  /** Primary to target: you hold everything up to lastBackfill. */
  record Progress(PgId pgid, long epoch, String lastBackfill) implements BackfillMessage {}

  /** Primary to replica: trim your log to trimTo. */
  record Trim(PgId pgid, long epoch, Eversion trimTo) implements BackfillMessage {}

  static BackfillMessage decode(com.google.protobuf.Message body) throws WireException {
    if (body instanceof MOSDPGScan s) {
      PgId pgid = CoreCodec.pgid(s.getPgid(), "MOSDPGScan");
      long epoch = Integer.toUnsignedLong(s.getMapEpoch());
      String begin = bound(s.getBegin(), "MOSDPGScan.begin");
      String end = bound(s.getEnd(), "MOSDPGScan.end");
      if (ObjectNames.compare(begin, end) > 0) {
        throw new WireException("MOSDPGScan: begin " + begin + " is after end " + end);
      }
      if (s.getOp() == MOSDPGScan.Op.GET_DIGEST) {
        return new ScanRequest(pgid, epoch, begin, end);
      }
      if (s.getOp() != MOSDPGScan.Op.DIGEST) {
        throw new WireException("MOSDPGScan.op: unknown " + s.getOpValue());
      }
      TreeMap<String, Eversion> objects = new TreeMap<>();
      for (ObjectVersionProto o : s.getObjectsList()) {
        String bad = ObjectNames.invalidReason(o.getOid());
        if (bad != null) {
          throw new WireException("MOSDPGScan.objects.oid: " + bad);
        }
        if (ObjectNames.compare(o.getOid(), begin) <= 0 || ObjectNames.compare(o.getOid(), end) > 0) {
          throw new WireException("MOSDPGScan.objects: " + o.getOid() + " outside (" + begin + ", " + end + "]");
        }
        objects.put(o.getOid(), CoreCodec.eversion(o.getVersion()));
      }
      return new ScanDigest(pgid, epoch, begin, end, objects);
    }
    if (body instanceof MOSDPGBackfill b) {
      return new Progress(CoreCodec.pgid(b.getPgid(), "MOSDPGBackfill"), Integer.toUnsignedLong(b.getMapEpoch()),
          bound(b.getLastBackfill(), "MOSDPGBackfill.last_backfill"));
    }
    if (body instanceof MOSDPGTrim t) {
      return new Trim(CoreCodec.pgid(t.getPgid(), "MOSDPGTrim"), Integer.toUnsignedLong(t.getMapEpoch()),
          CoreCodec.eversion(t.getTrimTo()));
    }
    throw new WireException("not a backfill message: " + body.getDescriptorForType().getName());
  }

  private static String bound(String s, String where) throws WireException {
    if (ObjectNames.MIN.equals(s) || ObjectNames.MAX.equals(s)) {
      return s;
    }
    String bad = ObjectNames.invalidReason(s);
    if (bad != null) {
      throw new WireException(where + ": " + bad);
    }
    return s;
  }

  static MOSDPGScan encode(ScanRequest r) {
    return MOSDPGScan.newBuilder().setOp(MOSDPGScan.Op.GET_DIGEST).setPgid(r.pgid().toString())
        .setMapEpoch((int) r.epoch()).setBegin(r.begin()).setEnd(r.end()).build();
  }

  static MOSDPGScan encode(ScanDigest d) {
    MOSDPGScan.Builder b = MOSDPGScan.newBuilder().setOp(MOSDPGScan.Op.DIGEST).setPgid(d.pgid().toString())
        .setMapEpoch((int) d.epoch()).setBegin(d.begin()).setEnd(d.end());
    for (Map.Entry<String, Eversion> e : d.objects().entrySet()) {
      b.addObjects(ObjectVersionProto.newBuilder().setOid(e.getKey()).setVersion(CoreCodec.eversion(e.getValue())));
    }
    return b.build();
  }

  static MOSDPGBackfill encode(Progress p) {
    return MOSDPGBackfill.newBuilder().setPgid(p.pgid().toString()).setMapEpoch((int) p.epoch())
        .setLastBackfill(p.lastBackfill()).build();
  }

  static MOSDPGTrim encode(Trim t) {
    return MOSDPGTrim.newBuilder().setPgid(t.pgid().toString()).setMapEpoch((int) t.epoch())
        .setTrimTo(CoreCodec.eversion(t.trimTo())).build();
  }
}
