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
import io.jpeer.core.machine.PeeringStateName;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Client operations on the OSD, run on the daemon thread. The primary orders each write (next
 * version, log entry), stores object and log entry in one transaction, sends the same entry to
 * every acting replica, and acknowledges the client only when all of them have stored it. Ops on
 * a PG that is not active, or on an object the primary is missing, wait (held, never failed) for
 * the rest of the interval; at an interval change they are dropped, as Ceph does, and the client
 * resends on the new map. A resent request already in the log is answered from it, not applied
 * twice; one whose original is still waiting for replicas is answered when that one commits.
 */
final class WritePath {
  private static final Logger log = LoggerFactory.getLogger(WritePath.class);
  static final String VERSION_ATTR = io.jpeer.osd.recovery.ObjectVersion.ATTR;
  /** Ops and replicated writes waiting for a newer map, at most (a bad peer cannot fill memory). */
  static final int MAX_WAITING_FOR_MAP = 10_000;

  /** Access to the daemon's state (all calls on the daemon thread). */
  interface Daemon {
    int whoami();

    long epoch();

    Pg pg(PgId pgid);

    ObjectStore store();

    /** Runs the event; its Persist effect is added to {@code tx} instead of applied alone. */
    void feed(Pg pg, PeeringEvent ev, Transaction tx);

    void sendToOsd(int osd, int type, com.google.protobuf.Message body);

    /** Runs {@code r} on the daemon thread once the map of {@code epoch} has been applied. */
    void afterMap(long epoch, Runnable r);

    /** Fault injection (osd_debug_drop_repop). */
    boolean dropRepops();

    /** An op waits for {@code oid}: recovery should bring it first. */
    void recoveryWanted(PgId pgid, String oid);

    /** A backfill push of {@code oid} is in flight: a write to it waits (Ceph's backfills_in_flight). */
    boolean backfillBlocks(PgId pgid, String oid);

    /** Whether backfill target {@code osd} gets the object change of {@code oid}, or only the log entry. */
    boolean shouldSendOp(PgId pgid, int osd, String oid);

    /** The primary's write at {@code version} is on every shard (log trimming may follow). */
    void writeCommitted(PgId pgid, Eversion version);
  }

  /** An op held in its PG's interval; dropped once that ends, the client is gone, or it gave up. */
  private record Waiting(Connection client, MOSDOp op, long interval, long giveUpAtNanos) {}

  /** Where a write's answer goes: the original request and each resend that arrived meanwhile. */
  private record Requester(Connection client, long tid, int attempt) {}

  private static final class InFlight {
    final PgId pgid;
    final ReqId reqid;
    final Eversion version;
    final TreeSet<Integer> awaiting;
    final List<Requester> requesters = new ArrayList<>();
    /** Durable here: the ack waits for this as well as for every replica. */
    boolean committed;

    InFlight(PgId pgid, ReqId reqid, Eversion version, TreeSet<Integer> awaiting) {
      this.pgid = pgid;
      this.reqid = reqid;
      this.version = version;
      this.awaiting = awaiting;
    }
  }

  private final Daemon d;
  private final Map<PgId, ArrayDeque<Waiting>> waiting = new HashMap<>();
  private final Map<Long, InFlight> inFlight = new HashMap<>();
  private final Map<ReqId, InFlight> inFlightByReqid = new HashMap<>();
  private int waitingForMap;
  private long nextRepTid = 1;
  /** The writes of one drain, stored as one synced transaction; null outside a drain. */
  private Transaction group;
  /** What waits for {@link #group} to be durable (repops, replies), in arrival order. */
  private final List<AfterCommit> afterGroup = new ArrayList<>();
  /** The version each object has in {@link #group}, not yet in the store (a delete: deleted). */
  private final Map<String, Pending> pending = new HashMap<>();

  private record Pending(Eversion version, boolean deleted) {}

  /** Run once the group is stored ({@code ok}) or could not be ({@code failed}, may be null). */
  private record AfterCommit(Runnable ok, Runnable failed) {}

  WritePath(Daemon d) {
    this.d = d;
  }

  /**
   * Starts group commit: the writes of what follows, up to {@link #commitGroup}, go into one
   * synced transaction, and what depends on them being durable waits for it.
   */
  void beginGroup() {
    if (group == null) {
      group = new Transaction();
    }
  }

  /** Stores the group's writes with one fsync, then sends and answers what waited for them. */
  void commitGroup() {
    Transaction t = group;
    group = null;
    pending.clear();
    if (t == null) {
      return;
    }
    List<AfterCommit> after = new ArrayList<>(afterGroup);
    afterGroup.clear();
    boolean stored = true;
    if (!t.isEmpty()) {
      try {
        d.store().apply(t);
      } catch (StoreException e) {
        stored = false;
        log.error("osd.{} e{} could not store {} grouped write(s): {}", d.whoami(), d.epoch(), after.size(),
            e.getMessage());
      }
    }
    for (AfterCommit a : after) {
      Runnable r = stored ? a.ok() : a.failed();
      if (r != null) {
        r.run();
      }
    }
  }

  /** Runs {@code ok} once what was written so far is durable (now, outside a group). */
  private void afterCommit(Runnable ok, Runnable failed) {
    if (group != null) {
      afterGroup.add(new AfterCommit(ok, failed));
    } else {
      ok.run();
    }
  }

  /** Whether writes are being grouped (inside a drain). */
  boolean grouping() {
    return group != null;
  }

  /**
   * Adds another writer's transaction (a pushed object and its PG's state) to the group; {@code ok}
   * or {@code failed} runs once the group is stored. Outside a group it is stored at once.
   */
  void addToGroup(Transaction t, Runnable ok, Runnable failed) {
    if (group == null) {
      try {
        d.store().apply(t);
      } catch (StoreException e) {
        log.error("osd.{} e{} could not store a transaction: {}", d.whoami(), d.epoch(), e.getMessage());
        failed.run();
        return;
      }
      ok.run();
      return;
    }
    group.append(t);
    for (Transaction.Op op : t.ops()) {
      // A write later in this drain must see these objects as they will be, not as stored.
      if (op instanceof Transaction.Op.Write w) {
        byte[] v = w.attrs().get(VERSION_ATTR);
        if (v != null) {
          pending.put(w.coll() + "/" + w.name(), new Pending(Eversion.parse(new String(v, StandardCharsets.UTF_8)), false));
        }
      } else if (op instanceof Transaction.Op.Remove r) {
        pending.put(r.coll() + "/" + r.name(), new Pending(Eversion.ZERO, true));
      }
    }
    afterGroup.add(new AfterCommit(ok, failed));
  }

  /**
   * Stores what the group holds so far (reads, and direct writes of a PG's state, must not get
   * ahead of it) and goes on grouping what follows.
   */
  void flushGroup() {
    if (group != null) {
      commitGroup();
      beginGroup();
    }
  }

  void handleOp(Connection client, MOSDOp op) {
    long giveUpAt = op.getGiveUpMs() == 0 ? Long.MAX_VALUE
        : System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(Integer.toUnsignedLong(op.getGiveUpMs()));
    handleOp(client, op, giveUpAt);
  }

  private void handleOp(Connection client, MOSDOp op, long giveUpAt) {
    if (!client.isOpen() || System.nanoTime() > giveUpAt) {
      log.info("osd.{} e{} dropping {} tid {} from {}: {}", d.whoami(), d.epoch(), op.getOp(), op.getTid(),
          op.getClient(), client.isOpen() ? "the client has given up on it" : "the client is gone");
      return;
    }
    long opEpoch = Integer.toUnsignedLong(op.getMapEpoch());
    if (opEpoch > d.epoch()) {
      // The client knows a newer map: act on it, not on ours (Ceph's OSD waits for the map too).
      waitForMap(opEpoch, () -> handleOp(client, op, giveUpAt));
      return;
    }
    PgId pgid;
    try {
      pgid = PgId.parse(op.getPgid());
    } catch (IllegalArgumentException e) {
      reply(client, op, ClientMessages.EINVAL, "bad pgid: " + e.getMessage(), null);
      return;
    }
    Pg pg = d.pg(pgid);
    if (op.getOp() == MOSDOp.Op.PG_QUERY && pg != null) {
      client.send(ClientMessages.MOSD_OP_REPLY, d.epoch(), MOSDOpReply.newBuilder().setTid(op.getTid())
          .setAttempt(op.getAttempt()).setData(ByteString.copyFromUtf8(PgQuery.json(pg, d.epoch())))
          .setMapEpoch((int) d.epoch()).build());
      return;
    }
    if (pg == null || !pg.isPrimary()) {
      reply(client, op, ClientMessages.EAGAIN, "osd." + d.whoami() + " is not the primary of " + pgid
          + " at e" + d.epoch(), null);
      return;
    }
    long samePrimarySince = pg.machine().info().history().samePrimarySince();
    if (opEpoch < samePrimarySince) {
      // Sent before this OSD became the primary (Ceph's can_discard_op): a stale attempt, say one
      // queued while we were down; the client has resent it on the map that made us primary.
      log.debug("pg {} e{} dropping {} tid {} from {}: sent at e{}, before same_primary_since {}", pgid, d.epoch(),
          op.getOp(), op.getTid(), op.getClient(), opEpoch, samePrimarySince);
      return;
    }
    if (op.getOp() != MOSDOp.Op.LIST && !op.getOid().isEmpty()
        && io.jpeer.core.types.ObjectNames.invalidReason(op.getOid()) != null) {
      reply(client, op, ClientMessages.EINVAL, "bad object name: "
          + io.jpeer.core.types.ObjectNames.invalidReason(op.getOid()), null);
      return;
    }
    boolean active = pg.machine().acceptsWrites();
    boolean missing = active && op.getOp() != MOSDOp.Op.LIST && (pg.machine().missing().isMissing(op.getOid())
        || (isWrite(op) && (degradedOnReplica(pg, op.getOid()) || d.backfillBlocks(pgid, op.getOid()))));
    if (!active || missing) {
      waiting.computeIfAbsent(pgid, k -> new ArrayDeque<>())
          .add(new Waiting(client, op, pg.machine().lastPeeringReset(), giveUpAt));
      log.debug("pg {} e{} holding {} {} (state {}{})", pgid, d.epoch(), op.getOp(), op.getOid(),
          pg.machine().stateName(), missing ? ", object being recovered" : "");
      if (missing) {
        d.recoveryWanted(pgid, op.getOid());
      }
      return;
    }
    try {
      switch (op.getOp()) {
        case READ -> {
          flushGroup();
          read(client, pg, op);
        }
        case LIST -> {
          flushGroup();
          list(client, pg, op);
        }
        case WRITE_FULL, DELETE -> write(client, pg, op);
        default -> reply(client, op, ClientMessages.EINVAL, "unknown op", null);
      }
    } catch (StoreException e) {
      log.error("pg {} e{} op {} {} failed in the store: {}", pgid, d.epoch(), op.getOp(), op.getOid(), e.getMessage());
      reply(client, op, ClientMessages.EIO, e.getMessage(), null);
    }
  }

  private static boolean isWrite(MOSDOp op) {
    return op.getOp() == MOSDOp.Op.WRITE_FULL || op.getOp() == MOSDOp.Op.DELETE;
  }

  /**
   * Whether an acting replica that log-based recovery serves lacks {@code oid}: a write must wait
   * for it to be pushed (Ceph's is_degraded_or_backfilling_object), or the push would overwrite it.
   */
  private boolean degradedOnReplica(Pg pg, String oid) {
    for (var e : pg.machine().peerMissing().entrySet()) {
      var pi = pg.machine().peerInfo().get(e.getKey());
      if (e.getKey() != d.whoami() && pg.machine().actingRecoveryBackfill().contains(e.getKey()) && pi != null
          && io.jpeer.core.types.ObjectNames.MAX.equals(pi.lastBackfill()) && e.getValue().isMissing(oid)) {
        return true;
      }
    }
    return false;
  }

  private void waitForMap(long epoch, Runnable r) {
    if (waitingForMap >= MAX_WAITING_FOR_MAP) {
      log.warn("osd.{} e{} {} messages already wait for newer maps; dropping one for e{}", d.whoami(), d.epoch(),
          waitingForMap, epoch);
      return;
    }
    waitingForMap++;
    d.afterMap(epoch, () -> {
      waitingForMap--;
      r.run();
    });
  }

  /** Retries the ops a PG was holding (after it changed state). */
  void retry(Pg pg) {
    ArrayDeque<Waiting> q = waiting.remove(pg.pgid());
    if (q == null) {
      return;
    }
    for (Waiting w : q) {
      if (w.interval() != pg.machine().lastPeeringReset()) {
        continue; // (dropped at the interval change already; kept here only if that was missed)
      }
      handleOp(w.client(), w.op(), w.giveUpAtNanos());
    }
  }

  /**
   * A PG started a new interval: what it held or was replicating for the old one is dropped,
   * unanswered; the clients resend on the new map (and a resent write already logged is then
   * answered from the log, once peering has settled what the log holds).
   */
  void intervalChanged(PgId pgid) {
    ArrayDeque<Waiting> held = waiting.remove(pgid);
    if (held != null) {
      log.info("pg {} e{} new interval: dropping {} held op(s); their clients resend", pgid, d.epoch(), held.size());
    }
    inFlight.values().removeIf(f -> {
      if (f.pgid.equals(pgid)) {
        log.info("pg {} e{} new interval: write {} ({}) no longer waits for osd.{}", pgid, d.epoch(), f.version,
            f.reqid, f.awaiting);
        inFlightByReqid.remove(f.reqid);
        return true;
      }
      return false;
    });
  }

  private void read(Connection client, Pg pg, MOSDOp op) throws StoreException {
    Optional<StoredObject> o = d.store().read(pg.pgid().toString(), op.getOid());
    if (o.isEmpty()) {
      reply(client, op, ClientMessages.ENOENT, "no such object " + op.getOid(), null);
      return;
    }
    MOSDOpReply.Builder b = MOSDOpReply.newBuilder().setTid(op.getTid()).setAttempt(op.getAttempt())
        .setData(ByteString.copyFrom(o.get().data())).setMapEpoch((int) d.epoch());
    byte[] v = o.get().attrs().get(VERSION_ATTR);
    if (v != null) {
      b.setVersion(CoreCodec.eversion(Eversion.parse(new String(v, StandardCharsets.UTF_8))));
    }
    client.send(ClientMessages.MOSD_OP_REPLY, d.epoch(), b.build());
  }

  private void list(Connection client, Pg pg, MOSDOp op) throws StoreException {
    List<String> names = d.store().list(pg.pgid().toString(), "", Integer.MAX_VALUE);
    client.send(ClientMessages.MOSD_OP_REPLY, d.epoch(), MOSDOpReply.newBuilder().setTid(op.getTid())
        .setAttempt(op.getAttempt()).addAllNames(names).setMapEpoch((int) d.epoch()).build());
  }

  private void write(Connection client, Pg pg, MOSDOp op) throws StoreException {
    ReqId reqid = new ReqId(op.getClient(), op.getIncarnation(), op.getTid());
    Requester requester = new Requester(client, op.getTid(), op.getAttempt());
    InFlight original = inFlightByReqid.get(reqid);
    if (original != null) {
      // Logged here but not yet on every replica: answer with the original, once it commits.
      log.info("pg {} e{} duplicate request {}: {} still waits for osd.{}; answering when it commits", pg.pgid(),
          d.epoch(), reqid, original.version, original.awaiting);
      original.requesters.add(requester);
      return;
    }
    LogEntry logged = pg.machine().pgLog().findByReqid(reqid);
    if (logged != null) {
      log.info("pg {} e{} duplicate request {} already committed at {}", pg.pgid(), d.epoch(), reqid,
          logged.version());
      // (the entry may still be in the pending group: answered once that is durable)
      afterCommit(() -> reply(client, op, 0, "", logged.version()),
          () -> reply(client, op, ClientMessages.EIO, "the store failed", null));
      return;
    }
    String coll = pg.pgid().toString();
    boolean delete = op.getOp() == MOSDOp.Op.DELETE;
    // An earlier write of this drain is not in the store yet: its version is the prior one.
    Pending p = pending.get(coll + "/" + op.getOid());
    Eversion prior;
    boolean exists;
    if (p != null) {
      exists = !p.deleted();
      prior = exists ? p.version() : Eversion.ZERO;
    } else {
      Optional<StoredObject> current = d.store().read(coll, op.getOid());
      exists = current.isPresent();
      prior = current.map(o -> o.attrs().get(VERSION_ATTR))
          .map(v -> Eversion.parse(new String(v, StandardCharsets.UTF_8))).orElse(Eversion.ZERO);
    }
    if (delete && !exists) {
      afterCommit(() -> reply(client, op, ClientMessages.ENOENT, "no such object " + op.getOid(), null), null);
      return;
    }
    Eversion version = pg.machine().nextVersion();
    LogEntry entry = new LogEntry(delete ? LogOp.DELETE : LogOp.MODIFY, op.getOid(), version, prior, reqid,
        version.version(), false, 0);
    byte[] data = op.getData().toByteArray();
    applyEntry(pg, entry, data);
    // Every acting shard and every backfill target (which may get only the log entry).
    TreeSet<Integer> replicas = new TreeSet<>(pg.mapping().acting());
    replicas.addAll(pg.machine().actingRecoveryBackfill());
    replicas.remove(d.whoami());
    Runnable failed = () -> {
      InFlight gone = inFlightByReqid.remove(reqid);
      if (gone != null) {
        inFlight.values().remove(gone);
      }
      reply(client, op, ClientMessages.EIO, "the store failed", null);
    };
    if (replicas.isEmpty()) {
      afterCommit(() -> {
        reply(client, op, 0, "", version);
        d.writeCommitted(pg.pgid(), version);
      }, failed);
      return;
    }
    long repTid = nextRepTid++;
    InFlight f = new InFlight(pg.pgid(), reqid, version, replicas);
    f.requesters.add(requester);
    inFlight.put(repTid, f);
    inFlightByReqid.put(reqid, f);
    MOSDRepOp rep = MOSDRepOp.newBuilder().setPgid(coll).setRepTid(repTid).setEntry(CoreCodec.entry(entry))
        .setData(ByteString.copyFrom(data)).setMapEpoch((int) d.epoch()).build();
    if (d.dropRepops()) {
      log.warn("pg {} e{} osd_debug_drop_repop: {} stays on this OSD only", pg.pgid(), d.epoch(), version);
      return;
    }
    // Replicas store it while we do, as Ceph's primary does: one ahead of us after a crash is
    // fine (peering takes the longest log; the client, unanswered, resends and finds it there).
    MOSDRepOp logOnly = null;
    for (int r : replicas) {
      if (d.shouldSendOp(pg.pgid(), r, entry.oid())) {
        d.sendToOsd(r, OsdMessages.MOSD_REPOP, rep);
      } else {
        if (logOnly == null) {
          logOnly = rep.toBuilder().clearData().setLogOnly(true).build();
        }
        d.sendToOsd(r, OsdMessages.MOSD_REPOP, logOnly);
      }
    }
    afterCommit(() -> {
      f.committed = true;
      finishIfDone(repTid, f);
    }, failed);
  }

  /**
   * The log entry and the object change, in one durable transaction; nothing is stored unless
   * the PG's log took the entry (a log that refuses it must not get the object without it).
   */
  private void applyEntry(Pg pg, LogEntry entry, byte[] data) throws StoreException {
    applyEntry(pg, entry, data, false);
  }

  /** As above; {@code logOnly}: a backfill target past its last_backfill takes the entry, not the object. */
  private void applyEntry(Pg pg, LogEntry entry, byte[] data, boolean logOnly) throws StoreException {
    String coll = pg.pgid().toString();
    Transaction t = new Transaction();
    if (logOnly) {
      // (the object is brought by backfill later)
    } else if (entry.isDelete()) {
      t.remove(coll, entry.oid());
    } else {
      t.write(coll, entry.oid(), data, Map.of(VERSION_ATTR, entry.version().toString().getBytes(StandardCharsets.UTF_8)));
    }
    d.feed(pg, new PeeringEvent.AppendLog(entry), t);
    if (!pg.machine().pgLog().head().equals(entry.version())) {
      throw new StoreException("pg " + coll + " log did not take entry " + entry.version() + " (head "
          + pg.machine().pgLog().head() + ")");
    }
    if (group != null) {
      group.append(t);
      pending.put(coll + "/" + entry.oid(), new Pending(entry.version(), entry.isDelete()));
    } else {
      d.store().apply(t);
    }
  }

  /**
   * A replicated write, applied only if it comes from the PG's current acting primary and was
   * sent in the current interval; anything else is dropped and logged (a primary of an ended
   * interval must not write here). One sent with a newer map than ours waits for that map.
   */
  void handleRepOp(int from, MOSDRepOp rep) {
    long epoch = Integer.toUnsignedLong(rep.getMapEpoch());
    if (epoch > d.epoch()) {
      waitForMap(epoch, () -> handleRepOp(from, rep));
      return;
    }
    PgId pgid;
    LogEntry entry;
    try {
      pgid = PgId.parse(rep.getPgid());
      entry = CoreCodec.entry(rep.getEntry(), "MOSDRepOp.entry");
    } catch (IllegalArgumentException | WireException e) {
      log.warn("osd.{} bad replicated write from osd.{}: {}", d.whoami(), from, e.getMessage());
      replyRep(from, rep, ClientMessages.EINVAL);
      return;
    }
    Pg pg = d.pg(pgid);
    String refused = refusal(from, epoch, pg);
    if (refused != null) {
      log.warn("pg {} e{} dropping replicated write {} from osd.{} (sent at e{}): {}", pgid, d.epoch(),
          entry.version(), from, epoch, refused);
      return;
    }
    if (!entry.version().isAfter(pg.machine().pgLog().head())) {
      // Already here (a resent repop) when the log holds this very entry; otherwise out of order.
      boolean have = holds(pg.machine().pgLog(), entry);
      if (have) {
        afterCommit(() -> replyRep(from, rep, 0), () -> replyRep(from, rep, ClientMessages.EIO));
      } else {
        log.error("pg {} e{} replicated write {} from osd.{} is not after this log's head {}; dropped", pgid,
            d.epoch(), entry.version(), from, pg.machine().pgLog().head());
      }
      return;
    }
    try {
      applyEntry(pg, entry, rep.getData().toByteArray(), rep.getLogOnly());
    } catch (StoreException e) {
      log.error("pg {} e{} could not apply replicated write {} from osd.{}: {}", pgid, d.epoch(), entry.version(),
          from, e.getMessage());
      replyRep(from, rep, ClientMessages.EIO);
      return;
    }
    afterCommit(() -> replyRep(from, rep, 0), () -> replyRep(from, rep, ClientMessages.EIO));
  }

  /** Whether the log holds this very entry (same version and request). */
  private static boolean holds(io.jpeer.core.types.PgLog log, LogEntry entry) {
    if (entry.reqid() != null) {
      LogEntry same = log.findByReqid(entry.reqid());
      return same != null && same.version().equals(entry.version());
    }
    return log.entries().stream().anyMatch(e -> e.version().equals(entry.version()) && e.reqid() == null);
  }

  /** Why a replicated write from {@code from}, sent at {@code epoch}, may not be applied here (null: it may). */
  private String refusal(int from, long epoch, Pg pg) {
    if (pg == null) {
      return "this OSD does not hold the PG";
    }
    int primary = pg.mapping().actingPrimary();
    if (primary != from) {
      return "osd." + from + " is not its acting primary (" + (primary < 0 ? "none" : "osd." + primary) + " is)";
    }
    if (epoch < pg.machine().lastPeeringReset()) {
      return "sent in an interval that ended (this one began at e" + pg.machine().lastPeeringReset() + ")";
    }
    if (!pg.machine().state().isWithin(PeeringStateName.REPLICA_ACTIVE)) {
      return "not an active replica yet (" + pg.machine().stateName() + ")";
    }
    return null;
  }

  private void replyRep(int to, MOSDRepOp rep, int result) {
    d.sendToOsd(to, OsdMessages.MOSD_REPOP_REPLY, MOSDRepOpReply.newBuilder().setPgid(rep.getPgid())
        .setRepTid(rep.getRepTid()).setResult(result).setMapEpoch((int) d.epoch()).build());
  }

  void handleRepOpReply(int from, MOSDRepOpReply r) {
    InFlight f = inFlight.get(r.getRepTid());
    if (f == null || !f.awaiting.contains(from)) {
      return;
    }
    if (r.getResult() != 0) {
      // The entry is in our log but not in the replica's: answering now (even EAGAIN, as a resend
      // would then be found in the log) would ack a write a replica lacks. It waits for the next
      // interval, whose peering settles the logs; the client resends then.
      log.error("pg {} e{} osd.{} could not apply write {} (result {}); it waits for the next interval", f.pgid,
          d.epoch(), from, f.version, r.getResult());
      return;
    }
    f.awaiting.remove(from);
    finishIfDone(r.getRepTid(), f);
  }

  /** Answers the write once it is durable here and on every replica (and still in flight). */
  private void finishIfDone(long repTid, InFlight f) {
    if (f.committed && f.awaiting.isEmpty() && inFlight.get(repTid) == f) {
      inFlight.remove(repTid);
      inFlightByReqid.remove(f.reqid);
      for (Requester q : f.requesters) {
        reply(q.client(), q.tid(), q.attempt(), 0, "", f.version);
      }
      d.writeCommitted(f.pgid, f.version);
    }
  }

  private void reply(Connection client, MOSDOp op, int result, String status, Eversion version) {
    reply(client, op.getTid(), op.getAttempt(), result, status, version);
  }

  private void reply(Connection client, long tid, int attempt, int result, String status, Eversion version) {
    MOSDOpReply.Builder b = MOSDOpReply.newBuilder().setTid(tid).setAttempt(attempt).setResult(result)
        .setStatus(status).setMapEpoch((int) d.epoch());
    if (version != null) {
      b.setVersion(CoreCodec.eversion(version));
    }
    client.send(ClientMessages.MOSD_OP_REPLY, d.epoch(), b.build());
  }
}
