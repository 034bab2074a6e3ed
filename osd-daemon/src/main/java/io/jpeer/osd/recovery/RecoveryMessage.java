package io.jpeer.osd.recovery;

import com.google.protobuf.ByteString;
import io.jpeer.core.types.Eversion;
import io.jpeer.core.types.ObjectNames;
import io.jpeer.core.types.PgId;
import io.jpeer.osd.wire.CoreCodec;
import io.jpeer.osd.wire.WireException;
import io.jpeer.proto.recovery.MOSDPGPull;
import io.jpeer.proto.recovery.MOSDPGPush;
import io.jpeer.proto.recovery.MOSDPGPushReply;
import java.util.Map;
import java.util.TreeMap;

/**
 * Recovery messages as checked values: decoded on the network thread, so a malformed one is
 * refused there with a {@link WireException} naming the field and never reaches a PG.
 */
public sealed interface RecoveryMessage {
  PgId pgid();

  long epoch();

  String oid();

  Eversion version();

  /** Primary to source: send me {@code oid} (needed at {@code version}). */
  record Pull(PgId pgid, long epoch, String oid, Eversion version) implements RecoveryMessage {}

  /** An object at a version (or its deletion); as a pull's answer, {@code result} may be an error. */
  record Push(PgId pgid, long epoch, String oid, Eversion version, byte[] data, Map<String, byte[]> attrs,
      boolean isDelete, int result) implements RecoveryMessage {
    /** The stored object {@code o} at version {@code v}. */
    static Push of(PgId pgid, long epoch, String oid, Eversion v, io.jpeer.store.StoredObject o) {
      return new Push(pgid, epoch, oid, v, o.data(), o.attrs(), false, 0);
    }

    /** The object's deletion (at {@code v}). */
    static Push deletion(PgId pgid, long epoch, String oid, Eversion v) {
      return new Push(pgid, epoch, oid, v, new byte[0], Map.of(), true, 0);
    }
  }

  record PushReply(PgId pgid, long epoch, String oid, Eversion version, int result) implements RecoveryMessage {}

  static RecoveryMessage decode(com.google.protobuf.Message body) throws WireException {
    if (body instanceof MOSDPGPull p) {
      return new Pull(CoreCodec.pgid(p.getPgid(), "MOSDPGPull"), Integer.toUnsignedLong(p.getMapEpoch()),
          oid(p.getOid(), "MOSDPGPull"), CoreCodec.eversion(p.getVersion()));
    }
    if (body instanceof MOSDPGPush p) {
      Map<String, byte[]> attrs = new TreeMap<>();
      p.getAttrsMap().forEach((k, v) -> attrs.put(k, v.toByteArray()));
      return new Push(CoreCodec.pgid(p.getPgid(), "MOSDPGPush"), Integer.toUnsignedLong(p.getMapEpoch()),
          oid(p.getOid(), "MOSDPGPush"), CoreCodec.eversion(p.getVersion()), p.getData().toByteArray(), attrs,
          p.getIsDelete(), p.getResult());
    }
    if (body instanceof MOSDPGPushReply p) {
      return new PushReply(CoreCodec.pgid(p.getPgid(), "MOSDPGPushReply"), Integer.toUnsignedLong(p.getMapEpoch()),
          oid(p.getOid(), "MOSDPGPushReply"), CoreCodec.eversion(p.getVersion()), p.getResult());
    }
    throw new WireException("not a recovery message: " + body.getDescriptorForType().getName());
  }

  private static String oid(String s, String where) throws WireException {
    String bad = ObjectNames.invalidReason(s);
    if (bad != null) {
      throw new WireException(where + ".oid: " + bad);
    }
    return s;
  }

  static MOSDPGPull encode(Pull p) {
    return MOSDPGPull.newBuilder().setPgid(p.pgid().toString()).setMapEpoch((int) p.epoch()).setOid(p.oid())
        .setVersion(CoreCodec.eversion(p.version())).build();
  }

  static MOSDPGPush encode(Push p) {
    MOSDPGPush.Builder b = MOSDPGPush.newBuilder().setPgid(p.pgid().toString()).setMapEpoch((int) p.epoch())
        .setOid(p.oid()).setVersion(CoreCodec.eversion(p.version())).setData(ByteString.copyFrom(p.data()))
        .setIsDelete(p.isDelete()).setResult(p.result());
    p.attrs().forEach((k, v) -> b.putAttrs(k, ByteString.copyFrom(v)));
    return b.build();
  }

  static MOSDPGPushReply encode(PushReply r) {
    return MOSDPGPushReply.newBuilder().setPgid(r.pgid().toString()).setMapEpoch((int) r.epoch()).setOid(r.oid())
        .setVersion(CoreCodec.eversion(r.version())).setResult(r.result()).build();
  }
}
