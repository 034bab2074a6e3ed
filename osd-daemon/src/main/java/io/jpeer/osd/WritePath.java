package io.jpeer.osd;

import com.google.protobuf.ByteString;
import io.jpeer.client.ClientMessages;
import io.jpeer.core.machine.PeeringEvent;
import io.jpeer.core.types.Eversion;
import io.jpeer.core.types.LogEntry;
import io.jpeer.core.types.LogOp;
import io.jpeer.core.types.PgId;
import io.jpeer.core.types.ReqId;
import io.jpeer.net.Connection;
import io.jpeer.osd.wire.CoreCodec;
import io.jpeer.osd.wire.WireException;
import io.jpeer.proto.client.MOSDOp;
import io.jpeer.proto.client.MOSDOpReply;
import io.jpeer.proto.client.MOSDRepOp;
import io.jpeer.proto.client.MOSDRepOpReply;
import io.jpeer.store.ObjectStore;
import io.jpeer.store.StoreException;
import io.jpeer.store.StoredObject;
import io.jpeer.store.Transaction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Client operations on the OSD, run on the daemon thread. The primary orders each write (next
 * version, log entry), stores object and log entry in one transaction, sends the same entry to
 * every acting replica, and acknowledges the client only when all of them have stored it. Ops on
 * a PG that is not active, or on an object the primary is missing, wait (held, never failed); a
 * resent request already in the log is answered from it, not applied twice.
 */
final class WritePath {
  private static final Logger log = LoggerFactory.getLogger(WritePath.class);
  static final String VERSION_ATTR = "v";

  /** Access to the daemon's state (all calls on the daemon thread). */
  interface Daemon {
    int whoami();

    long epoch();

    Pg pg(PgId pgid);

    ObjectStore store();

    /** Runs the event; its Persist effect is added to {@code tx} instead of applied alone. */
    void feed(Pg pg, PeeringEvent ev, Transaction tx);

    void sendToOsd(int osd, int type, com.google.protobuf.Message body);

    /** Fault injection (osd_debug_drop_repop). */
    boolean dropRepops();
  }

  private record Waiting(Connection client, MOSDOp op) {}

  private record InFlight(Connection client, long tid, PgId pgid, Eversion version, TreeSet<Integer> awaiting) {}

  private final Daemon d;
  private final Map<PgId, ArrayDeque<Waiting>> waiting = new HashMap<>();
  private final Map<Long, InFlight> inFlight = new HashMap<>();
  private long nextRepTid = 1;

  WritePath(Daemon d) {
    this.d = d;
  }

  void handleOp(Connection client, MOSDOp op) {
    PgId pgid;
    try {
      pgid = PgId.parse(op.getPgid());
    } catch (IllegalArgumentException e) {
      reply(client, op.getTid(), ClientMessages.EINVAL, "bad pgid: " + e.getMessage(), null);
      return;
    }
    Pg pg = d.pg(pgid);
    if (op.getOp() == MOSDOp.Op.PG_QUERY && pg != null) {
      client.send(ClientMessages.MOSD_OP_REPLY, d.epoch(), MOSDOpReply.newBuilder().setTid(op.getTid())
          .setData(ByteString.copyFromUtf8(PgQuery.json(pg, d.epoch()))).setMapEpoch((int) d.epoch()).build());
      return;
    }
    if (pg == null || !pg.isPrimary()) {
      reply(client, op.getTid(), ClientMessages.EAGAIN, "osd." + d.whoami() + " is not the primary of " + pgid
          + " at e" + d.epoch(), null);
      return;
    }
    if (op.getOp() != MOSDOp.Op.LIST && !op.getOid().isEmpty()
        && io.jpeer.core.types.ObjectNames.invalidReason(op.getOid()) != null) {
      reply(client, op.getTid(), ClientMessages.EINVAL, "bad object name: "
          + io.jpeer.core.types.ObjectNames.invalidReason(op.getOid()), null);
      return;
    }
    if (!pg.machine().acceptsWrites()
        || (op.getOp() != MOSDOp.Op.LIST && pg.machine().missing().isMissing(op.getOid()))) {
      waiting.computeIfAbsent(pgid, k -> new ArrayDeque<>()).add(new Waiting(client, op));
      log.debug("pg {} e{} holding {} {} (state {})", pgid, d.epoch(), op.getOp(), op.getOid(),
          pg.machine().stateName());
      return;
    }
    try {
      switch (op.getOp()) {
        case READ -> read(client, pg, op);
        case LIST -> list(client, pg, op);
        case WRITE_FULL, DELETE -> write(client, pg, op);
        default -> reply(client, op.getTid(), ClientMessages.EINVAL, "unknown op", null);
      }
    } catch (StoreException e) {
      log.error("pg {} e{} op {} {} failed in the store: {}", pgid, d.epoch(), op.getOp(), op.getOid(), e.getMessage());
      reply(client, op.getTid(), ClientMessages.EIO, e.getMessage(), null);
    }
  }

  /** Retries the ops a PG was holding (after it changed state). */
  void retry(Pg pg) {
    ArrayDeque<Waiting> q = waiting.remove(pg.pgid());
    if (q == null) {
      return;
    }
    for (Waiting w : q) {
      handleOp(w.client(), w.op());
    }
  }

  /** A PG started a new interval: writes waiting for replica acks will be resent by their clients. */
  void intervalChanged(PgId pgid) {
    inFlight.values().removeIf(f -> {
      if (f.pgid().equals(pgid)) {
        reply(f.client(), f.tid(), ClientMessages.EAGAIN, "pg " + pgid + " re-peering; resend", null);
        return true;
      }
      return false;
    });
  }

  private void read(Connection client, Pg pg, MOSDOp op) throws StoreException {
    Optional<StoredObject> o = d.store().read(pg.pgid().toString(), op.getOid());
    if (o.isEmpty()) {
      reply(client, op.getTid(), ClientMessages.ENOENT, "no such object " + op.getOid(), null);
      return;
    }
    MOSDOpReply.Builder b = MOSDOpReply.newBuilder().setTid(op.getTid()).setData(ByteString.copyFrom(o.get().data()))
        .setMapEpoch((int) d.epoch());
    byte[] v = o.get().attrs().get(VERSION_ATTR);
    if (v != null) {
      b.setVersion(CoreCodec.eversion(Eversion.parse(new String(v, StandardCharsets.UTF_8))));
    }
    client.send(ClientMessages.MOSD_OP_REPLY, d.epoch(), b.build());
  }

  private void list(Connection client, Pg pg, MOSDOp op) throws StoreException {
    List<String> names = d.store().list(pg.pgid().toString(), "", Integer.MAX_VALUE);
    client.send(ClientMessages.MOSD_OP_REPLY, d.epoch(), MOSDOpReply.newBuilder().setTid(op.getTid())
        .addAllNames(names).setMapEpoch((int) d.epoch()).build());
  }

  private void write(Connection client, Pg pg, MOSDOp op) throws StoreException {
    ReqId reqid = new ReqId(op.getClient(), op.getIncarnation(), op.getTid());
    for (LogEntry e : pg.machine().pgLog().entries()) {
      if (reqid.equals(e.reqid())) {
        log.info("pg {} e{} duplicate request {} already logged at {}", pg.pgid(), d.epoch(), reqid, e.version());
        reply(client, op.getTid(), 0, "", e.version());
        return;
      }
    }
    String coll = pg.pgid().toString();
    Optional<StoredObject> current = d.store().read(coll, op.getOid());
    boolean delete = op.getOp() == MOSDOp.Op.DELETE;
    if (delete && current.isEmpty()) {
      reply(client, op.getTid(), ClientMessages.ENOENT, "no such object " + op.getOid(), null);
      return;
    }
    Eversion prior = current.map(o -> o.attrs().get(VERSION_ATTR))
        .map(v -> Eversion.parse(new String(v, StandardCharsets.UTF_8))).orElse(Eversion.ZERO);
    Eversion version = pg.machine().nextVersion();
    LogEntry entry = new LogEntry(delete ? LogOp.DELETE : LogOp.MODIFY, op.getOid(), version, prior, reqid,
        version.version(), false, 0);
    byte[] data = op.getData().toByteArray();
    applyEntry(pg, entry, data);
    TreeSet<Integer> replicas = new TreeSet<>(pg.mapping().acting());
    replicas.remove(d.whoami());
    if (replicas.isEmpty()) {
      reply(client, op.getTid(), 0, "", version);
      return;
    }
    long repTid = nextRepTid++;
    inFlight.put(repTid, new InFlight(client, op.getTid(), pg.pgid(), version, replicas));
    MOSDRepOp rep = MOSDRepOp.newBuilder().setPgid(coll).setRepTid(repTid).setEntry(CoreCodec.entry(entry))
        .setData(ByteString.copyFrom(data)).setMapEpoch((int) d.epoch()).build();
    if (d.dropRepops()) {
      log.warn("pg {} e{} osd_debug_drop_repop: {} stays on this OSD only", pg.pgid(), d.epoch(), version);
      return;
    }
    for (int r : replicas) {
      d.sendToOsd(r, OsdMessages.MOSD_REPOP, rep);
    }
  }

  /** The log entry and the object change, in one durable transaction. */
  private void applyEntry(Pg pg, LogEntry entry, byte[] data) throws StoreException {
    String coll = pg.pgid().toString();
    Transaction t = new Transaction();
    if (entry.isDelete()) {
      t.remove(coll, entry.oid());
    } else {
      t.write(coll, entry.oid(), data, Map.of(VERSION_ATTR, entry.version().toString().getBytes(StandardCharsets.UTF_8)));
    }
    d.feed(pg, new PeeringEvent.AppendLog(entry), t);
    d.store().apply(t);
  }

  void handleRepOp(int from, MOSDRepOp rep) {
    int result = 0;
    try {
      PgId pgid = PgId.parse(rep.getPgid());
      Pg pg = d.pg(pgid);
      LogEntry entry = CoreCodec.entry(rep.getEntry(), "MOSDRepOp.entry");
      if (pg == null || pg.isPrimary() || rep.getMapEpoch() < pg.machine().lastPeeringReset()) {
        result = ClientMessages.EAGAIN; // not ours, or sent in an interval that has ended
      } else {
        applyEntry(pg, entry, rep.getData().toByteArray());
      }
    } catch (IllegalArgumentException | WireException | StoreException e) {
      log.warn("osd.{} could not apply a replicated write from osd.{}: {}", d.whoami(), from, e.getMessage());
      result = ClientMessages.EIO;
    }
    d.sendToOsd(from, OsdMessages.MOSD_REPOP_REPLY, MOSDRepOpReply.newBuilder().setPgid(rep.getPgid())
        .setRepTid(rep.getRepTid()).setResult(result).setMapEpoch((int) d.epoch()).build());
  }

  void handleRepOpReply(int from, MOSDRepOpReply r) {
    InFlight f = inFlight.get(r.getRepTid());
    if (f == null) {
      return;
    }
    if (r.getResult() != 0) {
      inFlight.remove(r.getRepTid());
      reply(f.client(), f.tid(), ClientMessages.EAGAIN, "osd." + from + " could not apply the write; resend", null);
      return;
    }
    f.awaiting().remove(from);
    if (f.awaiting().isEmpty()) {
      inFlight.remove(r.getRepTid());
      reply(f.client(), f.tid(), 0, "", f.version());
    }
  }

  private void reply(Connection client, long tid, int result, String status, Eversion version) {
    MOSDOpReply.Builder b = MOSDOpReply.newBuilder().setTid(tid).setResult(result).setStatus(status)
        .setMapEpoch((int) d.epoch());
    if (version != null) {
      b.setVersion(CoreCodec.eversion(version));
    }
    client.send(ClientMessages.MOSD_OP_REPLY, d.epoch(), b.build());
  }
}
