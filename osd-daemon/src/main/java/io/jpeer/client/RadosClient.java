package io.jpeer.client;

import com.google.protobuf.ByteString;
import io.jpeer.core.types.Eversion;
import io.jpeer.core.types.PgId;
import io.jpeer.map.OsdMap;
import io.jpeer.map.Pool;
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

/**
 * The object client (a small librados): maps object to PG to acting primary from its own copy of
 * the map, sends the op, and resends (same request id, so a write is never applied twice) when
 * the map changes, the primary says EAGAIN, or no answer comes. A write is acknowledged only once
 * every acting replica has stored it.
 */
public final class RadosClient implements AutoCloseable {
  private static final Duration TRY = Duration.ofSeconds(3);

  private final EntityName self;
  private final long incarnation = System.nanoTime();
  private final MonClient monc;
  private final Messenger messenger;
  private final Duration timeout;
  private final Map<Long, CompletableFuture<MOSDOpReply>> pending = new ConcurrentHashMap<>();
  private long nextTid = 1;

  public RadosClient(EntityName self, String fsid, InetSocketAddress mon, Duration timeout) {
    this.self = self;
    this.timeout = timeout;
    this.monc = new MonClient(self, fsid, mon, MessengerConfig.defaults());
    MessageHandler h = new MessageHandler() {
      @Override
      public void onMessage(Connection from, InboundMessage msg) {
        if (msg.body() instanceof MOSDOpReply r) {
          CompletableFuture<MOSDOpReply> f = pending.get(r.getTid());
          if (f != null) {
            f.complete(r);
          }
        }
      }
    };
    this.messenger = new Messenger(self, fsid, MessengerConfig.defaults(),
        ClientMessages.registerAll(new MessageRegistry()), h);
    monc.subscribe(0, m -> { });
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

  private MOSDOpReply send(String pool, PgId pgFirst, String oid, MOSDOp.Op op, byte[] data) throws ClientException {
    long tid = tid();
    long deadline = System.nanoTime() + timeout.toNanos();
    CompletableFuture<MOSDOpReply> f = new CompletableFuture<>();
    pending.put(tid, f);
    try {
      while (System.nanoTime() < deadline) {
        OsdMap map = map();
        PgId pg = oid.isEmpty() ? pgFirst : map.objectToPg(pool(map, pool).id(), oid);
        int primary = map.pgToUpActing(pg).actingPrimary();
        String addr = primary >= 0 ? map.addr(primary) : null;
        if (addr != null && !addr.isEmpty() && map.isUp(primary)) {
          int colon = addr.lastIndexOf(':');
          InetSocketAddress a = new InetSocketAddress(addr.substring(0, colon), Integer.parseInt(addr.substring(colon + 1)));
          messenger.send(new EntityName("osd", primary), a, ClientMessages.MOSD_OP, map.epoch(), MOSDOp.newBuilder()
              .setClient(self.toString()).setIncarnation(incarnation).setTid(tid).setPgid(pg.toString())
              .setOid(oid).setOp(op).setData(ByteString.copyFrom(data)).setMapEpoch((int) map.epoch()).build());
          try {
            MOSDOpReply r = f.get(Math.min(TRY.toNanos(), Math.max(1, deadline - System.nanoTime())),
                TimeUnit.NANOSECONDS);
            if (r.getResult() == 0) {
              return r;
            }
            if (r.getResult() != ClientMessages.EAGAIN) {
              throw new ClientException(r.getResult(), r.getStatus().isEmpty() ? "error " + r.getResult() : r.getStatus());
            }
            f = new CompletableFuture<>(); // EAGAIN: wait for a newer map, then resend
            pending.put(tid, f);
            waitForMapAfter(r.getMapEpoch(), map.epoch());
          } catch (TimeoutException e) {
            // no answer: resend (same tid, so the OSD recognises a duplicate)
          }
        } else {
          waitForMapAfter(map.epoch(), map.epoch());
        }
      }
      throw new ClientException(ClientMessages.EIO, op.name().toLowerCase() + " " + (oid.isEmpty() ? pgFirst : oid)
          + ": no answer within " + timeout.toSeconds() + " s");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ClientException(ClientMessages.EIO, "interrupted");
    } catch (ExecutionException e) {
      throw new ClientException(ClientMessages.EIO, e.getCause().toString());
    } finally {
      pending.remove(tid);
    }
  }

  private void waitForMapAfter(long theirs, long mine) throws InterruptedException {
    long want = Math.max(theirs, mine + 1);
    try {
      monc.waitForEpoch(want).get(500, TimeUnit.MILLISECONDS);
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
