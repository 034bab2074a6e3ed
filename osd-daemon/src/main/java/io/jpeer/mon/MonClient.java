package io.jpeer.mon;

import com.google.protobuf.Message;
import io.jpeer.config.Config;
import io.jpeer.map.Incremental;
import io.jpeer.map.MapCodec;
import io.jpeer.map.OsdMap;
import io.jpeer.core.types.PgId;
import io.jpeer.net.Connection;
import io.jpeer.net.EntityName;
import io.jpeer.net.InboundMessage;
import io.jpeer.net.MessageHandler;
import io.jpeer.net.MessageRegistry;
import io.jpeer.net.Messenger;
import io.jpeer.net.MessengerConfig;
import io.jpeer.proto.mon.IncrementalProto;
import io.jpeer.proto.mon.MMonCommand;
import io.jpeer.proto.mon.MMonCommandReply;
import io.jpeer.proto.mon.MMonGetMap;
import io.jpeer.proto.mon.MMonSubscribe;
import io.jpeer.proto.mon.MOSDAlive;
import io.jpeer.proto.mon.MOSDBeacon;
import io.jpeer.proto.mon.MOSDBoot;
import io.jpeer.proto.mon.MOSDFailure;
import io.jpeer.proto.mon.MOSDMap;
import io.jpeer.proto.mon.MOSDMarkMeDown;
import io.jpeer.proto.mon.MOSDMarkMeDownAck;
import io.jpeer.proto.mon.MOSDPGTemp;
import io.jpeer.proto.mon.MPGStats;
import io.jpeer.proto.mon.OsdMapProto;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Talks to the monitor for an OSD or a command-line client, over its own Messenger.
 *
 * <ul>
 *   <li>Maps: {@link #subscribe} delivers every epoch exactly once and in order to the consumer,
 *       on this client's own thread; missing epochs are fetched (MMonGetMap) before later ones are
 *       delivered. {@link #latestMap()} and {@link #waitForEpoch} read the newest delivered map.
 *   <li>Commands: {@link #command} returns the reply as a future (callers add their timeout).
 *   <li>OSD reports: boot, beacon, failure, alive (up_thru), pg_temp, pg stats, mark-me-down.
 *   <li>Reconnect: the messenger reconnects with backoff when the monitor connection drops;
 *       once it is back the client subscribes again from the next epoch it lacks and resends
 *       unanswered commands (the monitor forgets a subscription with its connection).
 * </ul>
 */
public final class MonClient implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(MonClient.class);
  private static final EntityName MON = new EntityName("mon", 0);

  private final EntityName self;
  private final String fsid;
  private final InetSocketAddress monAddr;
  private final Messenger messenger;
  private final ScheduledExecutorService thread;

  // Everything below is touched only on `thread`.
  private Consumer<OsdMap> consumer;
  private long subscribeFrom = -1;        // -1 = not subscribed
  private OsdMap current;
  private final TreeMap<Long, Incremental> aheadIncs = new TreeMap<>();
  private final TreeMap<Long, OsdMap> aheadFulls = new TreeMap<>();
  private long gapRequestedTo;
  private final Map<Long, CompletableFuture<CommandReply>> commands = new LinkedHashMap<>();
  private final Map<Long, MMonCommand> commandBodies = new LinkedHashMap<>();
  private final List<CompletableFuture<Long>> markDownWaiters = new ArrayList<>();
  private final List<Map.Entry<Long, CompletableFuture<OsdMap>>> epochWaiters = new ArrayList<>();
  private long nextTid = 1;
  private boolean lostConnection;
  private volatile OsdMap latest;
  private volatile long monitorNewest; // the newest epoch the monitor has said it has
  private HistoryFetch historyFetch;   // (monc thread) an old range asked for, outside the subscription
  private volatile boolean closed;

  /** A client named {@code self} ("osd.3", "client.admin") for the cluster fsid at monAddr. */
  public MonClient(EntityName self, String fsid, InetSocketAddress monAddr, MessengerConfig mcfg) {
    this.self = self;
    this.fsid = fsid;
    this.monAddr = monAddr.isUnresolved() ? new InetSocketAddress(monAddr.getHostString(), monAddr.getPort()) : monAddr;
    this.thread = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "monc." + self.type() + "." + self.id());
      t.setDaemon(true);
      return t;
    });
    MessageRegistry reg = MonMessages.registerAll(new MessageRegistry());
    this.messenger = new Messenger(self, fsid, mcfg, reg, new Handler());
  }

  /** A client for the cluster the config names (fsid, mon host, frame limit). */
  public static MonClient create(Config cfg, EntityName self) {
    return new MonClient(self, cfg.fsid(), cfg.monHost(), messengerConfig(cfg));
  }

  /** The messenger settings a config implies. */
  public static MessengerConfig messengerConfig(Config cfg) {
    return MessengerConfig.defaults().withMaxFrameBytes((int) Math.min(Integer.MAX_VALUE, cfg.msMaxFrameSize()));
  }

  public EntityName self() {
    return self;
  }

  // ---- maps -----------------------------------------------------------------------------------

  /**
   * Delivers maps to {@code onMap}, in epoch order, each once: with fromEpoch 0 the newest map
   * and then every later epoch; with fromEpoch e > 0 the full map of epoch e and then every
   * later epoch. Replaces any earlier subscription.
   */
  public void subscribe(long fromEpoch, Consumer<OsdMap> onMap) {
    run(() -> {
      consumer = onMap;
      current = null;
      aheadIncs.clear();
      aheadFulls.clear();
      gapRequestedTo = 0;
      subscribeFrom = fromEpoch;
      sendSubscribe();
    });
  }

  /** Continues from a map the caller already has (e.g. read from its store): delivers have.epoch + 1 on. */
  public void subscribe(OsdMap have, Consumer<OsdMap> onMap) {
    run(() -> {
      consumer = onMap;
      current = have;
      latest = have;
      aheadIncs.clear();
      aheadFulls.clear();
      gapRequestedTo = 0;
      subscribeFrom = have.epoch() + 1;
      sendSubscribe();
    });
  }

  /**
   * Every full map of epochs first..last (last clamped to the monitor's newest), for the map
   * history an OSD computes past intervals from; apart from the subscription, which it leaves
   * alone. One fetch at a time.
   */
  public CompletableFuture<List<OsdMap>> fetchHistory(long first, long last) {
    CompletableFuture<List<OsdMap>> f = new CompletableFuture<>();
    run(() -> {
      if (historyFetch != null) {
        f.completeExceptionally(new IllegalStateException("a map history fetch is already running"));
        return;
      }
      historyFetch = new HistoryFetch(Math.max(1, first), last, f);
      send(MonMessages.MMON_GET_MAP, MMonGetMap.newBuilder().setFirst((int) Math.max(1, first))
          .setLast((int) Math.min(last, 0xffff_ffffL)).setFullFirst(true).build());
    });
    return f;
  }

  /** Collects the maps of one history fetch; done once the range up to the monitor's newest is whole. */
  private static final class HistoryFetch {
    final long first;
    final long last;
    final CompletableFuture<List<OsdMap>> done;
    final java.util.TreeMap<Long, OsdMap> fulls = new java.util.TreeMap<>();
    final java.util.TreeMap<Long, Incremental> incs = new java.util.TreeMap<>();

    HistoryFetch(long first, long last, CompletableFuture<List<OsdMap>> done) {
      this.first = first;
      this.last = last;
      this.done = done;
    }

    /** True once complete (the future is then completed). */
    boolean offer(List<OsdMap> newFulls, List<Incremental> newIncs, long newest) {
      newFulls.forEach(m -> fulls.put(m.epoch(), m));
      newIncs.forEach(i -> incs.put(i.epoch(), i));
      long end = Math.min(last, newest);
      OsdMap cur = fulls.get(first);
      if (cur == null) {
        return false;
      }
      List<OsdMap> out = new ArrayList<>();
      out.add(cur);
      for (long e = first + 1; e <= end; e++) {
        OsdMap full = fulls.get(e);
        Incremental inc = incs.get(e);
        if (full != null) {
          cur = full;
        } else if (inc != null) {
          cur = inc.apply(cur);
        } else {
          return false;
        }
        out.add(cur);
      }
      done.complete(out);
      return true;
    }
  }

  /** The newest epoch the monitor has reported (in any MOSDMap), 0 before the first. */
  public long monitorNewest() {
    return monitorNewest;
  }

  /** The newest map delivered so far, or null. */
  public OsdMap latestMap() {
    return latest;
  }

  /** Completes with the first delivered map whose epoch is at least {@code epoch}. */
  public CompletableFuture<OsdMap> waitForEpoch(long epoch) {
    CompletableFuture<OsdMap> f = new CompletableFuture<>();
    run(() -> {
      if (latest != null && latest.epoch() >= epoch) {
        f.complete(latest);
      } else {
        epochWaiters.add(Map.entry(epoch, f));
      }
    });
    return f;
  }

  private void sendSubscribe() {
    if (subscribeFrom < 0) {
      return;
    }
    long start;
    boolean fullFirst;
    if (current != null) {
      start = current.epoch() + 1;
      fullFirst = false;
    } else {
      start = subscribeFrom;
      fullFirst = subscribeFrom > 0;
    }
    send(MonMessages.MMON_SUBSCRIBE, MMonSubscribe.newBuilder().setStart((int) start).setFullFirst(fullFirst).build());
  }

  private void onMaps(MOSDMap m) {
    if (!m.getFsid().equals(fsid) && !fsid.isEmpty()) {
      log.warn("dropping maps for cluster {} (mine is {})", m.getFsid(), fsid);
      return;
    }
    try {
      for (OsdMapProto p : m.getFullList()) {
        OsdMap full = MapCodec.fromProto(p);
        aheadFulls.put(full.epoch(), full);
      }
      for (IncrementalProto p : m.getIncrementalList()) {
        Incremental inc = MapCodec.fromProto(p);
        aheadIncs.put(inc.epoch(), inc);
      }
    } catch (IllegalArgumentException e) {
      log.warn("dropping bad MOSDMap from the monitor: {}", e.getMessage());
      return;
    }
    long newest = Integer.toUnsignedLong(m.getNewest());
    if (newest > monitorNewest) {
      monitorNewest = newest;
    }
    if (historyFetch != null) {
      try {
        List<OsdMap> fulls = new ArrayList<>();
        for (OsdMapProto p : m.getFullList()) {
          fulls.add(MapCodec.fromProto(p));
        }
        List<Incremental> incs = new ArrayList<>();
        for (IncrementalProto p : m.getIncrementalList()) {
          incs.add(MapCodec.fromProto(p));
        }
        if (historyFetch.offer(fulls, incs, newest)) {
          historyFetch = null;
        }
      } catch (IllegalArgumentException e) {
        historyFetch.done.completeExceptionally(e);
        historyFetch = null;
      }
    }
    if (subscribeFrom < 0) {
      return; // not subscribed: maps fetched for history only
    }
    advance(newest);
  }

  /** Delivers every epoch that is now contiguous; asks for a gap if later epochs wait. */
  private void advance(long newest) {
    if (current == null) {
      // The first map must be a full one: the one asked for, or the newest if asked for 0.
      var first = subscribeFrom > 0 ? aheadFulls.ceilingEntry(subscribeFrom) : aheadFulls.lastEntry();
      if (first == null) {
        return;
      }
      deliver(first.getValue());
    }
    while (true) {
      long next = current.epoch() + 1;
      aheadFulls.headMap(next, false).clear();
      aheadIncs.headMap(next, false).clear();
      OsdMap full = aheadFulls.remove(next);
      Incremental inc = aheadIncs.remove(next);
      if (full != null) {
        deliver(full);
      } else if (inc != null) {
        try {
          deliver(inc.apply(current));
        } catch (IllegalArgumentException e) {
          log.warn("cannot apply incremental e{}: {}", next, e.getMessage());
          return;
        }
      } else {
        break;
      }
    }
    long want = Math.max(newest, Math.max(
        aheadIncs.isEmpty() ? 0 : aheadIncs.lastKey(), aheadFulls.isEmpty() ? 0 : aheadFulls.lastKey()));
    long have = current.epoch();
    if (want > have && gapRequestedTo < want) {
      long last = aheadIncs.isEmpty() && aheadFulls.isEmpty() ? want
          : Math.min(aheadIncs.isEmpty() ? Long.MAX_VALUE : aheadIncs.firstKey(),
              aheadFulls.isEmpty() ? Long.MAX_VALUE : aheadFulls.firstKey()) - 1;
      if (last > have) {
        log.debug("fetching missing epochs {}..{}", have + 1, last);
        gapRequestedTo = last;
        send(MonMessages.MMON_GET_MAP, MMonGetMap.newBuilder().setFirst((int) (have + 1)).setLast((int) last).build());
      }
    }
  }

  private void deliver(OsdMap m) {
    current = m;
    latest = m;
    if (consumer != null) {
      try {
        consumer.accept(m);
      } catch (RuntimeException e) {
        log.error("map consumer failed on e{}", m.epoch(), e);
      }
    }
    for (var it = epochWaiters.iterator(); it.hasNext(); ) {
      var w = it.next();
      if (m.epoch() >= w.getKey()) {
        w.getValue().complete(m);
        it.remove();
      }
    }
  }

  // ---- commands -------------------------------------------------------------------------------

  /** Runs a monitor command with JSON output. */
  public CompletableFuture<CommandReply> command(String prefix, Map<String, String> args) {
    return command(prefix, args, "json");
  }

  /** Runs a monitor command; format "json", "json-pretty" or "plain". */
  public CompletableFuture<CommandReply> command(String prefix, Map<String, String> args, String format) {
    CompletableFuture<CommandReply> f = new CompletableFuture<>();
    run(() -> {
      long tid = nextTid++;
      MMonCommand m = MMonCommand.newBuilder().setTid(tid).setPrefix(prefix).putAllArgs(args).setFormat(format).build();
      commands.put(tid, f);
      commandBodies.put(tid, m);
      f.whenComplete((r, e) -> run(() -> {
        commands.remove(tid);
        commandBodies.remove(tid);
      }));
      send(MonMessages.MMON_COMMAND, m);
    });
    return f;
  }

  private void onCommandReply(MMonCommandReply r) {
    CompletableFuture<CommandReply> f = commands.remove(r.getTid());
    commandBodies.remove(r.getTid());
    if (f != null) {
      f.complete(new CommandReply(r.getTid(), r.getCode(), r.getStatus(), r.getOutput()));
    }
  }

  // ---- OSD reports ----------------------------------------------------------------------------

  /** MOSDBoot: this OSD is up at addr. nonce must differ per process start. */
  public void boot(int osdId, InetSocketAddress addr, long nonce, long cleanBegin, long cleanEnd) {
    run(() -> send(MonMessages.MOSD_BOOT, MOSDBoot.newBuilder()
        .setOsd(osdId).setAddr(addr.getHostString() + ":" + addr.getPort()).setFsid(fsid)
        .setBootEpoch((int) epoch()).setNonce(nonce)
        .setCleanBegin((int) cleanBegin).setCleanEnd((int) cleanEnd).build()));
  }

  /** MOSDAlive: asks for up_thru >= want. */
  public void sendAlive(long want) {
    run(() -> send(MonMessages.MOSD_ALIVE, MOSDAlive.newBuilder().setVersion((int) epoch()).setWant((int) want).build()));
  }

  /** MOSDFailure: target has not answered heartbeats for failedFor. */
  public void sendFailure(int target, String targetAddr, Duration failedFor) {
    run(() -> send(MonMessages.MOSD_FAILURE, MOSDFailure.newBuilder().setTarget(target).setTargetAddr(targetAddr)
        .setFailedForSeconds((int) Math.max(0, failedFor.toSeconds())).setEpoch((int) epoch()).build()));
  }

  /** MOSDFailure with the alive flag: cancels this OSD's earlier report on target. */
  public void sendFailureCancel(int target) {
    run(() -> send(MonMessages.MOSD_FAILURE, MOSDFailure.newBuilder().setTarget(target).setAlive(true)
        .setEpoch((int) epoch()).build()));
  }

  /** MOSDBeacon: still alive. */
  public void sendBeacon(int osdId) {
    run(() -> send(MonMessages.MOSD_BEACON, MOSDBeacon.newBuilder().setOsd(osdId).setEpoch((int) epoch()).build()));
  }

  /** MPGStats: stats of PGs this OSD is acting primary for. */
  public void sendPgStats(List<PgStat> stats) {
    run(() -> {
      MPGStats.Builder b = MPGStats.newBuilder().setEpoch((int) epoch());
      stats.forEach(s -> b.addPgStats(PgStatsTable.toProto(s)));
      send(MonMessages.MPG_STATS, b.build());
    });
  }

  /** MOSDPGTemp: set pg_temp for each PG (an empty list clears it). */
  public void sendPgTemp(Map<PgId, List<Integer>> temps) {
    run(() -> {
      MOSDPGTemp.Builder b = MOSDPGTemp.newBuilder().setEpoch((int) epoch());
      temps.forEach((pg, osds) -> b.addPgTemp(MapCodec.pgTemp(pg, osds)));
      send(MonMessages.MOSD_PG_TEMP, b.build());
    });
  }

  /** MOSDMarkMeDown: completes with the epoch that shows this OSD down (callers add a timeout). */
  public CompletableFuture<Long> markMeDown(int osdId) {
    CompletableFuture<Long> f = new CompletableFuture<>();
    run(() -> {
      markDownWaiters.add(f);
      send(MonMessages.MOSD_MARK_ME_DOWN, MOSDMarkMeDown.newBuilder().setOsd(osdId).setFsid(fsid)
          .setEpoch((int) epoch()).setRequestAck(true).build());
    });
    return f;
  }

  private long epoch() {
    return current == null ? 0 : current.epoch();
  }

  // ---- plumbing -------------------------------------------------------------------------------

  private void send(int type, Message body) {
    if (closed) {
      return;
    }
    // The messenger queues while the connection is down and reconnects with backoff.
    messenger.send(MON, monAddr, type, epoch(), body);
  }

  private void run(Runnable r) {
    if (closed) {
      return;
    }
    thread.execute(() -> {
      try {
        r.run();
      } catch (RuntimeException e) {
        log.error("monc task failed", e);
      }
    });
  }

  /** After a reconnect: subscribe again from what we lack, resend unanswered commands. */
  private void resend() {
    if (closed) {
      return;
    }
    gapRequestedTo = 0;
    sendSubscribe();
    for (MMonCommand m : commandBodies.values()) {
      send(MonMessages.MMON_COMMAND, m);
    }
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    messenger.close();
    thread.shutdownNow();
    CommandReply gone = new CommandReply(0, CommandReply.EAGAIN, "client closed", "");
    commands.values().forEach(f -> f.complete(gone));
  }

  private final class Handler implements MessageHandler {
    @Override
    public void onMessage(Connection from, InboundMessage msg) {
      run(() -> {
        switch (msg.type()) {
          case MonMessages.MOSD_MAP -> onMaps((MOSDMap) msg.body());
          case MonMessages.MMON_COMMAND_REPLY -> onCommandReply((MMonCommandReply) msg.body());
          case MonMessages.MOSD_MARK_ME_DOWN_ACK -> {
            long e = Integer.toUnsignedLong(((MOSDMarkMeDownAck) msg.body()).getEpoch());
            markDownWaiters.forEach(f -> f.complete(e));
            markDownWaiters.clear();
          }
          default -> log.warn("dropping message type {} from {}", msg.type(), msg.from());
        }
      });
    }

    @Override
    public void onConnect(Connection c) {
      if (MON.equals(c.peer())) {
        run(() -> {
          if (lostConnection) {
            lostConnection = false;
            log.info("reconnected to the monitor at {}", monAddr);
            resend();
          }
        });
      }
    }

    @Override
    public void onDisconnect(Connection c) {
      if (!closed && MON.equals(c.peer())) {
        log.info("lost the monitor connection; the messenger reconnects");
        run(() -> lostConnection = true);
      }
    }
  }
}
