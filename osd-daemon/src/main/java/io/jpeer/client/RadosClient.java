package io.jpeer.client;

import com.google.protobuf.ByteString;
import io.jpeer.core.types.Eversion;
import io.jpeer.core.types.PgId;
import io.jpeer.map.OsdMap;
import io.jpeer.map.Pool;
import io.jpeer.map.UpActing;
import io.jpeer.mon.MonClient;
import io.jpeer.net.Connection;
import io.jpeer.net.EntityName;
import io.jpeer.net.InboundMessage;
import io.jpeer.net.MessageHandler;
import io.jpeer.net.MessageRegistry;
import io.jpeer.net.Messenger;
import io.jpeer.net.MessengerConfig;
import io.jpeer.osd.wire.CoreCodec;
import io.jpeer.proto.client.MOSDOp;
import io.jpeer.proto.client.MOSDOpReply;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The object client (a small librados): maps object to PG to acting primary from its own copy of
 * the map, sends the op, and resends it (same request id, so a write is never applied twice)
 * when a new map changes its target (primary, acting or up set, pool size: a new interval, as
 * Ceph's Objecter checks on every map), when the primary says EAGAIN, or when no answer comes. A
 * write is acknowledged only once every acting replica has stored it. Thread-safe: each calling
 * thread has one op in flight, so N threads keep N ops in flight (osdctl bench does).
 */
public final class RadosClient implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(RadosClient.class);
  /** Resend after this long without an answer even if the map did not change. */
  private static final Duration TRY = Duration.ofSeconds(3);

  private final EntityName self;
  private final long incarnation = System.nanoTime();
  private final MonClient monc;
  private final Messenger messenger;
  private volatile Duration timeout;
  private final Map<Long, Op> pending = new ConcurrentHashMap<>();
  private long nextTid = 1;

  /** Where an op goes in one map; a change of any part is a new interval for it. */
  private record Target(PgId pg, int primary, String addr, long primaryUpFrom, List<Integer> up,
      List<Integer> acting, int size, int minSize) {}

  /** One op in flight: what it was last sent to, and what wakes its sender. */
  private static final class Op {
    final long tid;
    final String pool;
    final PgId pgFirst; // the PG of a PG op (list, query); an object's PG is recomputed per map
    final String oid;
    volatile int attempt;
    volatile CompletableFuture<MOSDOpReply> reply = new CompletableFuture<>();
    Target sentTo; // guarded by this
    long sentEpoch; // guarded by this
    CompletableFuture<Void> retarget = new CompletableFuture<>(); // guarded by this

    Op(long tid, String pool, PgId pgFirst, String oid) {
      this.tid = tid;
      this.pool = pool;
      this.pgFirst = pgFirst;
      this.oid = oid;
    }
  }

  /**
   * @param timeout how long an op may take, resends included, before it fails; the OSDs drop
   *     an op they are still holding once its client has given up on it
   */
  public RadosClient(EntityName self, String fsid, InetSocketAddress mon, Duration timeout) {
    this.self = self;
    this.timeout = timeout;
    this.monc = new MonClient(self, fsid, mon, MessengerConfig.defaults());
    MessageHandler h = new MessageHandler() {
      @Override
      public void onMessage(Connection from, InboundMessage msg) {
        if (msg.body() instanceof MOSDOpReply r) {
          Op op = pending.get(r.getTid());
          // An EAGAIN to an attempt already superseded says nothing about the current one.
          if (op != null && (r.getResult() != ClientMessages.EAGAIN || r.getAttempt() == op.attempt)) {
            op.reply.complete(r);
          }
        }
      }
    };
    this.messenger = new Messenger(self, fsid, MessengerConfig.defaults(),
        ClientMessages.registerAll(new MessageRegistry()), h);
    monc.subscribe(0, this::onMap);
  }

  /** How long each later op may take before it fails (resends included). */
  public void setTimeout(Duration timeout) {
    this.timeout = timeout;
  }

  /** Ops sent and not yet answered (or given up on). */
  public int inFlight() {
    return pending.size();
  }

  /** Writes the whole object; returns the version it was stored at. */
  public Eversion put(String pool, String oid, byte[] data) throws ClientException {
    return version(op(pool, oid, MOSDOp.Op.WRITE_FULL, data));
  }

  public byte[] get(String pool, String oid) throws ClientException {
    return op(pool, oid, MOSDOp.Op.READ, new byte[0]).getData().toByteArray();
  }

  public Eversion remove(String pool, String oid) throws ClientException {
    return version(op(pool, oid, MOSDOp.Op.DELETE, new byte[0]));
  }

  /** Fails with ENOENT ("pool 'x' does not exist") unless the pool is in the client's map. */
  public void checkPool(String pool) throws ClientException {
    pool(map(), pool);
  }

  /** The PG's state as its primary sees it: Ceph's {@code pg query} JSON. */
  public String pgQuery(PgId pg) throws ClientException {
    OsdMap map = map();
    String pool = map.pool(pg.pool()).map(Pool::name).orElseThrow(() -> new ClientException(ClientMessages.ENOENT,
        "pg " + pg + ": no such pool"));
    if (!map.pgExists(pg)) {
      throw new ClientException(ClientMessages.ENOENT, "pg " + pg + " does not exist");
    }
    return send(pool, pg, "", MOSDOp.Op.PG_QUERY, new byte[0]).getData().toStringUtf8();
  }

  /** Every object of the pool, in name order (asks each PG's primary). */
  public List<String> list(String pool) throws ClientException {
    OsdMap map = map();
    Pool p = pool(map, pool);
    TreeSet<String> names = new TreeSet<>();
    for (PgId pg : map.pgsOf(p.id())) {
      names.addAll(send(pool, pg, "", MOSDOp.Op.LIST, new byte[0]).getNamesList());
    }
    return new ArrayList<>(names);
  }

  private static Eversion version(MOSDOpReply r) {
    return r.hasVersion() ? CoreCodec.eversion(r.getVersion()) : Eversion.ZERO;
  }

  private OsdMap map() throws ClientException {
    try {
      return monc.waitForEpoch(1).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ClientException(ClientMessages.EIO, "interrupted");
    } catch (ExecutionException | TimeoutException e) {
      throw new ClientException(ClientMessages.EIO, "cannot get the cluster map from the monitor");
    }
  }

  private static Pool pool(OsdMap map, String name) throws ClientException {
    return map.poolByName(name).orElseThrow(() -> new ClientException(ClientMessages.ENOENT,
        "pool '" + name + "' does not exist"));
  }

  private MOSDOpReply op(String pool, String oid, MOSDOp.Op op, byte[] data) throws ClientException {
    OsdMap map = map();
    PgId pg = map.objectToPg(pool(map, pool).id(), oid);
    return send(pool, pg, oid, op, data);
  }

  private synchronized long tid() {
    return nextTid++;
  }

  /** Where the op goes in {@code map}; the object's PG is recomputed (the pool may have changed). */
  private static Target target(OsdMap map, String pool, PgId pgFirst, String oid) throws ClientException {
    Pool p = pool(map, pool);
    PgId pg = oid.isEmpty() ? pgFirst : map.objectToPg(p.id(), oid);
    if (!map.pgExists(pg)) {
      throw new ClientException(ClientMessages.ENOENT, "pg " + pg + " does not exist in e" + map.epoch());
    }
    UpActing ua = map.pgToUpActing(pg);
    int primary = ua.actingPrimary();
    boolean reachable = primary >= 0 && map.isUp(primary) && map.addr(primary) != null
        && map.addr(primary).lastIndexOf(':') > 0;
    return new Target(pg, reachable ? primary : -1, reachable ? map.addr(primary) : null,
        reachable ? map.upFrom(primary) : 0, ua.up(), ua.acting(), p.size(), p.minSize());
  }

  /** Every new map: an op whose target it changes is resent now, not after a silence. */
  private void onMap(OsdMap map) {
    for (Op op : pending.values()) {
      Target t;
      try {
        t = target(map, op.pool, op.pgFirst, op.oid);
      } catch (ClientException e) {
        t = null; // the pool or PG is gone: the sender finds out from the map
      }
      synchronized (op) {
        if (map.epoch() > op.sentEpoch && op.sentTo != null && !op.sentTo.equals(t)) {
          op.retarget.complete(null);
        }
      }
    }
  }

  private MOSDOpReply send(String pool, PgId pgFirst, String oid, MOSDOp.Op kind, byte[] data)
      throws ClientException {
    Op op = new Op(tid(), pool, pgFirst, oid);
    Duration limit = timeout;
    long deadline = System.nanoTime() + limit.toNanos();
    pending.put(op.tid, op);
    String what = kind.name().toLowerCase() + " " + (oid.isEmpty() ? pgFirst : oid);
    Target last = null;
    try {
      while (System.nanoTime() < deadline) {
        OsdMap map = map();
        Target t = target(map, pool, pgFirst, oid);
        CompletableFuture<Void> retarget;
        synchronized (op) {
          op.retarget = retarget = new CompletableFuture<>();
          op.sentTo = t;
          op.sentEpoch = map.epoch();
        }
        OsdMap newest = monc.latestMap();
        if (newest != null && newest.epoch() > map.epoch() && !t.equals(target(newest, pool, pgFirst, oid))) {
          continue; // a newer map arrived meanwhile and moves the op: use that one
        }
        if (t.primary() < 0) {
          waitForMapAfter(map.epoch(), map.epoch(), deadline);
          continue;
        }
        last = t;
        op.attempt++;
        long left = Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()));
        int colon = t.addr().lastIndexOf(':');
        InetSocketAddress a = new InetSocketAddress(t.addr().substring(0, colon),
            Integer.parseInt(t.addr().substring(colon + 1)));
        messenger.send(new EntityName("osd", t.primary()), a, ClientMessages.MOSD_OP, map.epoch(), MOSDOp.newBuilder()
            .setClient(self.toString()).setIncarnation(incarnation).setTid(op.tid).setPgid(t.pg().toString())
            .setOid(oid).setOp(kind).setData(ByteString.copyFrom(data)).setMapEpoch((int) map.epoch())
            .setGiveUpMs((int) Math.min(Integer.MAX_VALUE, left)).setAttempt(op.attempt).build());
        try {
          CompletableFuture.anyOf(op.reply, retarget)
              .get(Math.min(TRY.toNanos(), Math.max(1, deadline - System.nanoTime())), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
          continue; // no answer: resend (same tid, so the OSD recognises a duplicate)
        }
        if (!op.reply.isDone()) {
          log.debug("{}: map changed its target (was osd.{} for pg {}); resending", what, t.primary(), t.pg());
          continue;
        }
        MOSDOpReply r = op.reply.get();
        if (r.getResult() == 0) {
          return r;
        }
        if (r.getResult() != ClientMessages.EAGAIN) {
          throw new ClientException(r.getResult(), r.getStatus().isEmpty() ? "error " + r.getResult() : r.getStatus());
        }
        op.reply = new CompletableFuture<>(); // EAGAIN: wait for a newer map, then resend
        waitForMapAfter(r.getMapEpoch(), map.epoch(), deadline);
      }
      throw new ClientException(ClientMessages.ETIMEDOUT, "no answer for " + (oid.isEmpty() ? "pg " + pgFirst : oid)
          + " within " + seconds(limit) + (last == null ? " (no primary up for it)"
              : " (pg " + last.pg() + ", last sent to osd." + last.primary() + ")"));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ClientException(ClientMessages.EIO, "interrupted");
    } catch (ExecutionException e) {
      throw new ClientException(ClientMessages.EIO, e.getCause().toString());
    } finally {
      pending.remove(op.tid);
    }
  }

  private static String seconds(Duration d) {
    return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() / 1000.0 + " s";
  }

  /** Waits (briefly, and never past the deadline) for a map newer than ours or at least theirs. */
  private void waitForMapAfter(long theirs, long mine, long deadline) throws InterruptedException {
    long want = Math.max(theirs, mine + 1);
    long wait = Math.min(TimeUnit.MILLISECONDS.toNanos(500), Math.max(1, deadline - System.nanoTime()));
    try {
      monc.waitForEpoch(want).get(wait, TimeUnit.NANOSECONDS);
    } catch (ExecutionException | TimeoutException e) {
      // No newer map yet: retry with the one we have (the PG may still be peering).
    }
  }

  @Override
  public void close() {
    messenger.close();
    monc.close();
  }
}
