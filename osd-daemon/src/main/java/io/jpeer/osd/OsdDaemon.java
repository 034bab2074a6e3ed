package io.jpeer.osd;

import io.jpeer.config.Config;
import io.jpeer.core.interval.PastIntervals;
import io.jpeer.core.machine.Effect;
import io.jpeer.core.machine.MachineConfig;
import io.jpeer.core.machine.PeeringEvent;
import io.jpeer.core.machine.PeeringMachine;
import io.jpeer.core.machine.PeeringMessage;
import io.jpeer.core.types.PgHistory;
import io.jpeer.core.types.PgInfo;
import io.jpeer.core.types.PgLog;
import io.jpeer.core.types.PgMissing;
import io.jpeer.osd.wire.PeeringWire;
import io.jpeer.osd.wire.WireException;
import io.jpeer.store.ObjectStore;
import io.jpeer.store.ObjectStores;
import io.jpeer.store.StoreException;
import io.jpeer.store.Transaction;
import io.jpeer.map.OsdMap;
import io.jpeer.core.types.PgId;
import io.jpeer.map.UpActing;
import io.jpeer.core.interval.PgMapping;
import io.jpeer.mon.MonClient;
import io.jpeer.mon.PgStat;
import io.jpeer.net.Connection;
import io.jpeer.net.EntityName;
import io.jpeer.net.InboundMessage;
import io.jpeer.net.MessageHandler;
import io.jpeer.net.MessageRegistry;
import io.jpeer.net.Messenger;
import io.jpeer.proto.osd.MOSDPing;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The OSD daemon: boots to the monitor, applies every map epoch in order, holds the PGs it is up
 * or acting for (noting each interval change), heartbeats the OSDs it shares PGs with and reports
 * the silent ones, and reports its primaries' PG stats. All state lives on one thread
 * ({@code osd.N}); Netty and monitor-client threads only hand work to it.
 */
public final class OsdDaemon implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(OsdDaemon.class);
  private static final Duration STATS_INTERVAL = Duration.ofSeconds(5);
  /** Epochs of map history kept (Ceph keeps maps back to the oldest last_epoch_clean). */
  private static final int MAP_HISTORY_EPOCHS = 5_000;

  private final Config cfg;
  private final int whoami;
  private final EntityName self;
  private final ScheduledExecutorService thread;
  private final Messenger messenger;
  private final MonClient monc;
  private final Heartbeats heartbeats;
  private final long nonce = System.nanoTime();
  private InetSocketAddress addr;
  private ObjectStore store;
  private final MachineConfig machineConfig = MachineConfig.defaults();

  // Touched only on `thread`.
  private OsdMap map;
  private final MapHistory mapHistory = new MapHistory(MAP_HISTORY_EPOCHS);
  private final TreeMap<PgId, Pg> pgs = new TreeMap<>();
  private final Map<Integer, Long> peerUpFrom = new HashMap<>();
  private boolean booted;
  private boolean bootSent;
  private long startEpoch; // the last epoch applied before this start: an up_from at or below it is a past life
  private final WritePath writes = new WritePath(new WritePathAccess());
  private final io.jpeer.osd.recovery.OsdRecovery recovery =
      new io.jpeer.osd.recovery.OsdRecovery(new RecoveryAccess());
  private long upThruWanted;
  private final List<PeeringMessage> waitingForMap = new ArrayList<>();
  // While a map epoch (or a burst of peering messages) is applied, every PG's state goes into one
  // store batch and the messages wait for it: one RocksDB write instead of one per PG.
  private Transaction batch;
  private final List<PeeringMessage> batchSends = new ArrayList<>();
  /** Peering messages of an event whose state joined the write group (RecoveryDaemon.applyGrouped). */
  private List<PeeringMessage> groupSends;
  /** PGs whose held ops are retried once such an event's transaction has joined the group. */
  private java.util.Set<Pg> groupRetry;
  private final java.util.LinkedHashSet<Pg> retryAfterBatch = new java.util.LinkedHashSet<>();
  private final java.util.concurrent.ConcurrentLinkedQueue<PeeringMessage> inbound =
      new java.util.concurrent.ConcurrentLinkedQueue<>();
  private final java.util.concurrent.atomic.AtomicBoolean inboundScheduled =
      new java.util.concurrent.atomic.AtomicBoolean();
  // Client ops, replicated writes and their replies that arrive while the thread is busy: drained
  // together, their writes stored with one fsync (group commit), in arrival order.
  private final java.util.concurrent.ConcurrentLinkedQueue<Runnable> opInbound =
      new java.util.concurrent.ConcurrentLinkedQueue<>();
  private final java.util.concurrent.atomic.AtomicBoolean opInboundScheduled =
      new java.util.concurrent.atomic.AtomicBoolean();
  private volatile OsdMap published;
  private volatile boolean stopping;

  private OsdDaemon(Config cfg) {
    this.cfg = cfg;
    this.whoami = Integer.parseInt(cfg.id());
    this.self = new EntityName("osd", whoami);
    this.thread = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "osd." + whoami);
      t.setDaemon(true);
      return t;
    });
    MessageRegistry reg = io.jpeer.client.ClientMessages.registerAll(OsdMessages.registerAll(new MessageRegistry()));
    this.messenger = new Messenger(self, cfg.fsid(), MonClient.messengerConfig(cfg), reg, new PeerHandler());
    this.monc = MonClient.create(cfg, self);
    this.heartbeats = new Heartbeats(cfg.osdHeartbeatGrace(), cfg.osdHeartbeatInterval());
  }

  /** Checks the data directory, binds, boots to the monitor and starts the timers. */
  public static OsdDaemon start(Config cfg) throws OsdStartException {
    int id;
    try {
      id = Integer.parseInt(cfg.id());
    } catch (NumberFormatException e) {
      throw new OsdStartException("osd id must be a number, got '" + cfg.id() + "'");
    }
    boolean fresh = OsdDataDir.prepare(cfg.osdData(), cfg.fsid(), id);
    ObjectStore store;
    try {
      // Only a new OSD creates its store; for any other a missing store is lost data.
      store = ObjectStores.open(cfg.osdObjectstore(), cfg.osdData(), fresh,
          new io.jpeer.store.StoreIdentity(cfg.fsid(), id));
    } catch (StoreException e) {
      throw new OsdStartException(e.getMessage());
    }
    if (fresh) {
      try {
        OsdDataDir.markReady(cfg.osdData());
      } catch (OsdStartException e) {
        store.close();
        throw e;
      }
    }
    OsdDaemon d = new OsdDaemon(cfg);
    d.store = store;
    try {
      String host = cfg.monHost().getHostString();
      d.addr = d.messenger.bindInRange(host, cfg.msBindPortMin(), cfg.msBindPortMax());
    } catch (RuntimeException e) {
      d.close();
      throw new OsdStartException("cannot bind a port in " + cfg.msBindPortMin() + "-" + cfg.msBindPortMax() + ": "
          + e.getMessage());
    }
    log.info("osd.{} {} at {} (data {})", id, fresh ? "created" : "starting", d.addr, cfg.osdData());
    // Catch up from the last epoch this OSD applied, so its PGs see every interval it was down for
    // (Ceph's OSDs replay old maps the same way); a new OSD starts from the newest map.
    long from = d.storedEpoch();
    d.startEpoch = from;
    if (from > 0) {
      log.info("osd.{} catching up on maps from e{}", id, from);
    }
    // First the cluster's map history (for the past intervals of PGs new to this OSD), then the
    // subscription. Boot only once caught up (Ceph's preboot): the PGs are loaded and have seen
    // every old epoch before the monitor marks us up, so peering with us starts at once.
    d.monc.fetchHistory(1, Long.MAX_VALUE).whenComplete((maps, err) -> d.onThread(() -> {
      if (err != null) {
        log.warn("osd.{} could not fetch the map history ({}); PGs new here start at the current epoch", id,
            err.getMessage());
      } else {
        maps.forEach(d.mapHistory::add);
        log.info("osd.{} map history e{}..e{} ({} epochs)", id, d.mapHistory.oldest(),
            maps.isEmpty() ? 0 : maps.get(maps.size() - 1).epoch(), d.mapHistory.size());
      }
      boolean pools = err == null && !maps.isEmpty() && !maps.get(maps.size() - 1).pools().isEmpty();
      if (pools) {
        d.warmUp(); // (a cluster without pools has nothing to peer yet)
      }
      d.monc.subscribe(from, m -> d.onThread(() -> d.handleMap(m)));
    }));
    long hb = Math.max(10, cfg.osdHeartbeatInterval().toMillis());
    d.thread.scheduleWithFixedDelay(() -> d.runLogged(d::heartbeatTick), hb, hb, TimeUnit.MILLISECONDS);
    long beacon = Math.max(100, cfg.osdBeaconReportInterval().toMillis());
    d.thread.scheduleWithFixedDelay(() -> d.runLogged(() -> d.monc.sendBeacon(id)), beacon, beacon, TimeUnit.MILLISECONDS);
    d.thread.scheduleWithFixedDelay(() -> d.runLogged(d::reportStats), STATS_INTERVAL.toMillis(), STATS_INTERVAL.toMillis(),
        TimeUnit.MILLISECONDS);
    return d;
  }

  /** Before boot: the peering code compiled on simulated PGs (see {@link PeeringWarmup}). */
  private void warmUp() {
    int n = cfg.osdWarmupPgs();
    if (n == 0) {
      return;
    }
    long t0 = System.nanoTime();
    try {
      int active = PeeringWarmup.run(n);
      log.info("osd.{} warmed up the peering code on {} simulated PGs ({} active) in {} ms", whoami, n, active,
          (System.nanoTime() - t0) / 1_000_000);
    } catch (WireException | RuntimeException e) {
      log.error("osd.{} peering warm-up failed (booting anyway): {}", whoami, e.toString());
    }
  }

  /**
   * Hands work to the daemon thread; once stopping, work that arrives (a peer's late message, a
   * map) is dropped: the PGs are gone with the thread.
   */
  private void onThread(Runnable r) {
    if (stopping) {
      return;
    }
    try {
      thread.execute(() -> runLogged(r));
    } catch (java.util.concurrent.RejectedExecutionException e) {
      log.debug("osd.{} stopping; dropped work handed to the daemon thread", whoami);
    }
  }

  /** An executor drops a task's exception without a word; here it is logged, and the daemon goes on. */
  private void runLogged(Runnable r) {
    try {
      r.run();
    } catch (RuntimeException | Error e) {
      log.error("osd.{} e{} a task on the daemon thread failed", whoami, map == null ? 0 : map.epoch(), e);
      if (e instanceof VirtualMachineError) {
        throw e;
      }
    }
  }

  public int id() {
    return whoami;
  }

  private static final String META = "meta";
  private static final String META_EPOCH = "osdmap_epoch";

  /** The last map epoch this OSD applied (0: none), from its store. */
  private long storedEpoch() {
    try {
      if (!store.collectionExists(META)) {
        return 0;
      }
      return store.omapGet(META, META_EPOCH).map(b -> Long.parseLong(new String(b, java.nio.charset.StandardCharsets.UTF_8)))
          .orElse(0L);
    } catch (StoreException | NumberFormatException e) {
      log.warn("osd.{} cannot read its last map epoch ({}); starting from the newest map", whoami, e.getMessage());
      return 0;
    }
  }

  private void saveEpoch(long epoch, Transaction t) {
    try {
      if (!store.collectionExists(META)) {
        t.createCollection(META);
      }
      t.omapSet(META, META_EPOCH, Long.toString(epoch).getBytes(java.nio.charset.StandardCharsets.UTF_8));
    } catch (StoreException e) {
      log.error("osd.{} cannot record map epoch {}: {}", whoami, epoch, e.getMessage());
    }
  }

  public InetSocketAddress addr() {
    return addr;
  }

  /** The newest map this OSD has applied (null before the first). */
  public OsdMap map() {
    return published;
  }

  /** The PGs held and each one's mapping, as of now (copied on the daemon thread). */
  public Map<PgId, UpActing> pgs() {
    try {
      return thread.submit(() -> {
        Map<PgId, UpActing> m = new TreeMap<>();
        pgs.forEach((k, v) -> m.put(k, upActing(v.mapping())));
        return m;
      }).get(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Map.of();
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("osd." + whoami + " did not answer", e);
    }
  }

  /** Each held PG's peering state name (Ceph's full name), as of now. */
  public Map<PgId, String> pgStates() {
    return onDaemonThread(() -> {
      Map<PgId, String> m = new TreeMap<>();
      pgs.forEach((k, v) -> m.put(k, v.machine().stateName()));
      return m;
    });
  }

  /** The PGs' peering machines (for tests and tools; read them, don't feed them). */
  public Map<PgId, io.jpeer.core.machine.PeeringMachine> machines() {
    return onDaemonThread(() -> {
      Map<PgId, io.jpeer.core.machine.PeeringMachine> m = new TreeMap<>();
      pgs.forEach((k, v) -> m.put(k, v.machine()));
      return m;
    });
  }

  /** Each held PG's state history (state, epoch, entered, exited) for pg query and benchmarks. */
  public Map<PgId, List<Pg.StateVisit>> pgHistories() {
    return onDaemonThread(() -> {
      Map<PgId, List<Pg.StateVisit>> m = new TreeMap<>();
      pgs.forEach((k, v) -> m.put(k, v.history()));
      return m;
    });
  }

  /** An object as this OSD's store holds it (for tests and tools), empty if not there. */
  public java.util.Optional<io.jpeer.store.StoredObject> readObject(PgId pgid, String oid) {
    return onDaemonThread(() -> store.read(pgid.toString(), oid));
  }

  private <T> T onDaemonThread(java.util.concurrent.Callable<T> c) {
    try {
      return thread.submit(c).get(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted");
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("osd." + whoami + " did not answer", e);
    }
  }

  public Messenger.Stats messengerStats() {
    return messenger.stats();
  }

  // ---- maps -----------------------------------------------------------------------------------

  private void handleMap(OsdMap next) {
    if (stopping) {
      return;
    }
    if (map != null && next.epoch() <= map.epoch()) {
      return;
    }
    OsdMap prev = map;
    map = next;
    published = next;
    mapHistory.add(next);
    boolean upNow = next.isUp(whoami) && next.upFrom(whoami) > startEpoch
        && (addr.getHostString() + ":" + addr.getPort()).equals(next.addr(whoami));
    if (upNow && !booted) {
      booted = true;
      log.info("osd.{} e{} is up (up_from {})", whoami, next.epoch(), next.upFrom(whoami));
    } else if (!upNow && booted) {
      // Marked down while alive (a lost heartbeat, a command): say so and boot again, as Ceph does.
      booted = false;
      log.warn("osd.{} e{} map says I am down; booting again", whoami, next.epoch());
      monc.boot(whoami, addr, nonce, 0, 0);
    }
    long t0 = System.nanoTime();
    updatePgs(prev, next);
    log.info("osd.{} e{} applied to {} PGs in {} us", whoami, next.epoch(), pgs.size(),
        (System.nanoTime() - t0) / 1000);
    updateHeartbeatPeers(next);
    scheduleStatsReport();
    if (!bootSent && next.epoch() >= monc.monitorNewest()) {
      bootSent = true;
      log.info("osd.{} e{} caught up on maps; booting", whoami, next.epoch());
      monc.boot(whoami, addr, nonce, 0, 0);
    }
  }

  private static UpActing upActing(PgMapping m) {
    return new UpActing(m.up(), m.upPrimary(), m.acting(), m.actingPrimary());
  }

  /** Each held PG's machine sees the new epoch (AdvMap, then ActMap); new PGs start here. */
  private void updatePgs(OsdMap prev, OsdMap next) {
    beginBatch();
    try {
      updatePgsBatched(prev, next);
    } finally {
      commitBatch();
    }
    List<PeeringMessage> ready = new ArrayList<>();
    waitingForMap.removeIf(m -> m.epochSent() <= next.epoch() && ready.add(m));
    if (!ready.isEmpty()) {
      beginBatch();
      try {
        ready.forEach(this::deliverPeering);
      } finally {
        commitBatch();
      }
    }
  }

  private void updatePgsBatched(OsdMap prev, OsdMap next) {
    MapView view = new MapView(next);
    Set<PgId> mine = new TreeSet<>();
    for (PgId pg : next.allPgs()) {
      UpActing ua = next.pgToUpActing(pg);
      if (ua.up().contains(whoami) || ua.acting().contains(whoami)) {
        mine.add(pg);
      }
    }
    for (PgId pg : new ArrayList<>(pgs.keySet())) {
      if (!next.pgExists(pg)) {
        log.info("pg {} e{} its pool is gone; dropped", pg, next.epoch());
        pgs.remove(pg);
      } else {
        // A PG that no longer maps here stays (a stray, as in Ceph) while it holds data: it may
        // have the only copy of something, and its intervals must keep being tracked.
        feed(pgs.get(pg), new PeeringEvent.AdvMap(view));
      }
    }
    List<Pg> created = new ArrayList<>();
    if (prev == null) {
      // First map since start: every PG this OSD stores comes back, mapped here or not.
      try {
        for (String coll : store.listCollections()) {
          PgId stored = parsePgid(coll);
          if (stored != null && next.pgExists(stored)) {
            mine.add(stored);
          }
        }
      } catch (StoreException e) {
        log.error("osd.{} cannot list its stored PGs: {}", whoami, e.getMessage());
      }
    }
    for (PgId pg : mine) {
      if (!pgs.containsKey(pg)) {
        Pg p = createPg(pg, view);
        if (p != null) {
          pgs.put(pg, p);
          created.add(p);
        }
      }
    }
    for (Pg p : created) {
      feed(p, new PeeringEvent.Initialize());
    }
    // Catching up on several epochs, the PGs advance through each (AdvMap) and act once on the
    // newest (ActMap), as Ceph's OSD does: no peering work for maps already superseded.
    OsdMap newest = monc.latestMap();
    if (newest == null || newest.epoch() <= next.epoch()) {
      for (Pg p : new ArrayList<>(pgs.values())) {
        feed(p, new PeeringEvent.ActMap());
      }
    }
    saveEpoch(next.epoch(), batch);
  }

  private void beginBatch() {
    if (batch == null) {
      batch = new Transaction().sync(false);
    }
  }

  /** Stores the batch, then sends what waited for it; false if the store failed. */
  private boolean commitBatch() {
    Transaction t = batch;
    batch = null;
    if (t == null) {
      return true;
    }
    boolean stored = true;
    if (!t.isEmpty()) {
      try {
        applyNow(t);
      } catch (StoreException e) {
        stored = false;
        log.error("osd.{} e{} could not store the PGs' peering state: {}", whoami, map == null ? 0 : map.epoch(),
            e.getMessage());
      }
    }
    if (!batchSends.isEmpty()) {
      List<PeeringMessage> sends = new ArrayList<>(batchSends);
      batchSends.clear();
      sends.forEach(this::sendPeeringNow);
    }
    if (!retryAfterBatch.isEmpty()) {
      List<Pg> retry = new ArrayList<>(retryAfterBatch);
      retryAfterBatch.clear();
      for (Pg pg : retry) {
        if (pgs.get(pg.pgid()) == pg && pg.machine().acceptsWrites()) {
          writes.retry(pg);
        }
      }
    }
    return stored;
  }

  /** A PG's machine from its stored state, or a new empty PG; its interval starts at this map. */
  private Pg createPg(PgId pg, MapView view) {
    String coll = pg.toString();
    long e = view.epoch();
    PgInfo info;
    PgLog pgLog;
    PgMissing missing;
    PastIntervals past = PastIntervals.EMPTY;
    try {
      var loaded = PgStateStore.load(store, coll);
      Transaction t = new Transaction().sync(false);
      if (loaded.isPresent()) {
        info = loaded.get().info();
        pgLog = loaded.get().log();
        missing = loaded.get().missing();
        past = loaded.get().pastIntervals();
      } else {
        // New here: its history and past intervals from the maps since its pool was created.
        io.jpeer.core.interval.InitialHistory ini = mapHistory.build(pg, view.map());
        info = PgInfo.created(pg, ini.created());
        info = info.withHistory(info.history().withSameSince(ini.sameUpSince(), ini.sameIntervalSince(),
            ini.samePrimarySince()));
        past = ini.pastIntervals();
        pgLog = PgLog.EMPTY;
        missing = PgMissing.of(true, java.util.Map.of());
        t.createCollection(coll);
      }
      long sis = info.history().sameIntervalSince();
      if (loaded.isPresent() && (sis == 0 || sis > e)) { // (sis > e: stored just before a crash, epoch not yet)
        info = info.withHistory(info.history().withSameSince(e, e, e));
      }
      PgStateStore.putAll(t, coll, info, pgLog, missing);
      if (batch != null) {
        batch.append(t);
      } else {
        applyNow(t);
      }
    } catch (StoreException ex) {
      log.error("pg {} e{} cannot load or create its stored state: {}", pg, e, ex.getMessage());
      return null;
    }
    PeeringMachine m = new PeeringMachine(pg, whoami, view, info, pgLog, missing, past, machineConfig);
    PgMapping mp = m.mapping();
    log.info("pg {} e{} created here: up {} acting {} primary {}", pg, e, mp.up(), mp.acting(), mp.actingPrimary());
    Pg created = new Pg(pg, m);
    created.persistedLog = pgLog;
    created.persistedInfo = info;
    created.persistedMissing = missing;
    return created;
  }

  private static PgId parsePgid(String coll) {
    try {
      return coll.matches("\\d+\\.[0-9a-f]+") ? PgId.parse(coll) : null;
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  private static long nowMicros() {
    java.time.Instant t = java.time.Instant.now();
    return t.getEpochSecond() * 1_000_000L + t.getNano() / 1_000;
  }

  /** Runs one event through a PG's machine and carries out its effects, in order. */
  private void feed(Pg pg, PeeringEvent ev) {
    feed(pg, ev, null);
  }

  /** As {@link #feed(Pg, PeeringEvent)}, adding the state change to {@code tx} when given. */
  private void feed(Pg pg, PeeringEvent ev, Transaction tx) {
    if (stopping || pgs.get(pg.pgid()) != pg) {
      return;
    }
    long now = nowMicros();
    String before = pg.isPrimary() ? pg.machine().pgStateString() : null; // (only primaries report)
    long resetBefore = pg.machine().lastPeeringReset();
    List<Effect> effects = pg.machine().handle(ev);
    if (pg.machine().lastPeeringReset() != resetBefore) {
      pg.newInterval();
      writes.intervalChanged(pg.pgid());
      recovery.intervalChanged(pg.pgid());
    }
    // pg dump's last_update and counts follow writes too, not only state changes (coalesced).
    if (pg.isPrimary() && (ev instanceof PeeringEvent.AppendLog || before == null
        || !before.equals(pg.machine().pgStateString()))) {
      scheduleStatsReport();
    }
    // Objects a log merge removed (divergent entries) are stored with the merged log, atomically:
    // in the caller's or the epoch's batch, else in one transaction of their own.
    Transaction into = tx != null ? tx : batch;
    Transaction own = into == null && effects.stream().anyMatch(e -> e instanceof Effect.RemoveObjects)
        && effects.stream().anyMatch(e -> e instanceof Effect.Persist) ? new Transaction().sync(false) : null;
    for (Effect e : effects) {
      if (e instanceof Effect.Persist p) {
        persist(pg, p, own != null ? own : into);
        if (own != null) {
          effects.stream().filter(x -> x instanceof Effect.RemoveObjects)
              .forEach(x -> removeObjects(pg, ((Effect.RemoveObjects) x).oids(), own));
          applyOrLog(pg, own);
        }
      } else if (e instanceof Effect.Send s) {
        sendPeering(s.message());
      } else if (e instanceof Effect.NeedUpThru u) {
        if (u.epoch() > upThruWanted) {
          upThruWanted = u.epoch();
          log.info("osd.{} e{} asking the monitor for up_thru {}", whoami, map.epoch(), u.epoch());
          monc.sendAlive(u.epoch());
        }
      } else if (e instanceof Effect.RequestPgTemp t) {
        monc.sendPgTemp(java.util.Map.of(pg.pgid(), t.osds()));
      } else if (e instanceof Effect.Queue q) {
        onThread(() -> feed(pg, q.event()));
      } else if (e instanceof Effect.StateEntered se) {
        pg.entered(se.state(), se.epoch(), now);
        recovery.stateEntered(pg.pgid(), se.state());
      } else if (e instanceof Effect.QueueRecovery) {
        recovery.queueRecovery(pg.pgid());
      } else if (e instanceof Effect.StateExited sx) {
        Pg.StateVisit v = pg.exited(sx.state(), now);
        if (v != null && log.isDebugEnabled()) {
          log.debug("pg {} e{} exit {} {} ms", pg.pgid(), sx.epoch(), sx.state(), v.durationMillis());
        }
      } else if (e instanceof Effect.RemoveObjects r && own == null) {
        removeObjects(pg, r.oids(), into); // (else already stored with the log)
      }
    }
    if (!(ev instanceof PeeringEvent.AppendLog) && pg.machine().acceptsWrites()) {
      // Ops held while the PG was not active; a write's own transaction must not be overtaken by
      // an older state of the PG still waiting in the batch, so it goes after the batch.
      if (batch != null) {
        retryAfterBatch.add(pg);
      } else if (groupRetry != null) {
        groupRetry.add(pg); // once the event's transaction is in the write group
      } else {
        writes.retry(pg);
      }
    }
    if (pg.machine().unhandledEvents() > 0 && ev != null) {
      log.error("pg {} has {} unhandled events (last: {})", pg.pgid(), pg.machine().unhandledEvents(),
          pg.machine().lastUnhandled());
    }
  }

  private void persist(Pg pg, Effect.Persist p, Transaction into) {
    // Peering state needs atomicity, not an fsync per PG: RocksDB's WAL survives a killed process,
    // and a client write that joins this transaction makes it synced anyway.
    Transaction t = into != null ? into : new Transaction().sync(false);
    String coll = pg.pgid().toString();
    PgLog old = pg.persistedLog;
    PgLog now = p.log();
    boolean extends_ = old != null && now.tail().equals(old.tail()) && now.size() >= old.size()
        && (old.size() == 0 || now.entries().get(old.size() - 1).equals(old.entries().get(old.size() - 1)));
    int trimmed = extends_ ? 0 : PgStateStore.trimmedPrefix(old, now);
    if (trimmed > 0) {
      // A trim (then maybe appends): only the trimmed entries leave the store, with the new tail.
      PgStateStore.removeEntries(t, coll, old.entries().subList(0, trimmed));
      PgStateStore.putLogBounds(t, coll, now);
      old = now.copyUpTo(old.size() - trimmed);
      extends_ = true;
    }
    if (extends_) {
      // Only what changed: rewriting the missing set costs a range delete in RocksDB.
      if (p.info() != pg.persistedInfo) {
        PgStateStore.putInfo(t, coll, p.info());
      }
      if (now.size() > old.size() || !now.head().equals(old.head())) {
        PgStateStore.appendEntries(t, coll, now, now.entries().subList(old.size(), now.size()));
      }
      if (p.missing() != pg.persistedMissing && !p.missing().equals(pg.persistedMissing)) {
        PgStateStore.updateMissing(t, coll, pg.persistedMissing, p.missing());
      }
    } else {
      PgStateStore.putAll(t, coll, p.info(), now, p.missing());
    }
    pg.persistedLog = now;
    pg.persistedInfo = p.info();
    pg.persistedMissing = p.missing();
    if (p.pastIntervals() != pg.persistedPastIntervals) {
      PgStateStore.putPastIntervals(t, coll, p.pastIntervals());
      pg.persistedPastIntervals = p.pastIntervals();
    }
    if (into == null) {
      try {
        applyNow(t);
      } catch (StoreException e) {
        log.error("pg {} e{} could not persist its state: {}", pg.pgid(), map.epoch(), e.getMessage());
      }
    }
  }

  /** Removes objects: in {@code into} when given, else in a transaction of their own. */
  private void removeObjects(Pg pg, List<String> oids, Transaction into) {
    Transaction t = into != null ? into : new Transaction();
    oids.forEach(o -> t.remove(pg.pgid().toString(), o));
    if (into == null) {
      applyOrLog(pg, t);
    }
  }

  /**
   * Stores {@code t} now. Writes grouped for one sync but not yet stored go first: a PG's state
   * stored here may describe log entries that are still in that group.
   */
  private void applyNow(Transaction t) throws StoreException {
    writes.flushGroup();
    store.apply(t);
  }

  private void applyOrLog(Pg pg, Transaction t) {
    try {
      applyNow(t);
    } catch (StoreException e) {
      log.error("pg {} e{} could not persist its state: {}", pg.pgid(), map.epoch(), e.getMessage());
    }
  }

  private void sendPeering(PeeringMessage m) {
    if (batch != null) {
      batchSends.add(m); // after the batch that holds the state it describes is stored
    } else if (groupSends != null) {
      groupSends.add(m); // after the write group that holds it is durable
    } else {
      sendPeeringNow(m);
    }
  }

  private void sendPeeringNow(PeeringMessage m) {
    InetSocketAddress a = map.isUp(m.to()) ? peerAddr(m.to()) : null;
    if (a == null) {
      log.debug("osd.{} not sending {} to down osd.{}", whoami, m.getClass().getSimpleName(), m.to());
      return;
    }
    PeeringWire.Encoded enc = PeeringWire.encode(m);
    log.debug("pg {} e{} send {} to osd.{}", m.pgid(), map.epoch(), m.getClass().getSimpleName(), m.to());
    messenger.send(new EntityName("osd", m.to()), a, enc.type(), map.epoch(), enc.body());
  }

  /**
   * A query for a PG this OSD does not hold (Ceph's handle_pg_query_nopg): an INFO query gets an
   * empty ("does not exist") info, a LOG query an empty log, so the primary need not wait for us.
   */
  private void answerWithoutPg(PeeringMessage.Query q) {
    PgInfo empty = PgInfo.empty(q.pgid());
    PeeringMessage reply = q.type() == PeeringMessage.QueryType.INFO
        ? new PeeringMessage.Notify(q.pgid(), q.epochSent(), map.epoch(), empty, PastIntervals.EMPTY, whoami, q.from())
        : new PeeringMessage.Log(q.pgid(), map.epoch(), q.epochSent(), empty, PgLog.EMPTY,
            PgMissing.of(true, java.util.Map.of()), PastIntervals.EMPTY, whoami, q.from());
    log.info("pg {} e{} not here: answering osd.{}'s {} query with an empty info", q.pgid(), map.epoch(), q.from(),
        q.type());
    sendPeering(reply);
  }

  /** Every peering message that arrived since the last drain, as one store batch. */
  private void drainInbound() {
    inboundScheduled.set(false);
    beginBatch();
    try {
      for (PeeringMessage m; (m = inbound.poll()) != null; ) {
        deliverPeering(m);
      }
    } finally {
      commitBatch();
    }
  }

  /** Every op and replicated write that arrived since the last drain, as one synced store write. */
  private void drainOps() {
    opInboundScheduled.set(false);
    writes.beginGroup();
    try {
      for (Runnable r; (r = opInbound.poll()) != null; ) {
        runLogged(r);
      }
    } finally {
      writes.commitGroup();
    }
  }

  private void queueOp(Runnable r) {
    opInbound.add(r);
    if (opInboundScheduled.compareAndSet(false, true)) {
      onThread(this::drainOps);
    }
  }

  /** A peering message, on the daemon thread: held until we have its map, then to its PG. */
  private void deliverPeering(PeeringMessage m) {
    if (map == null || m.epochSent() > map.epoch()) {
      if (waitingForMap.size() < 100_000) {
        waitingForMap.add(m);
      }
      return;
    }
    Pg pg = pgs.get(m.pgid());
    if (pg == null) {
      if (m instanceof PeeringMessage.Query q) {
        answerWithoutPg(q);
      } else {
        log.debug("osd.{} e{} {} for pg {} which is not here; ignored", whoami, map.epoch(),
            m.getClass().getSimpleName(), m.pgid());
      }
      return;
    }
    log.debug("pg {} e{} received {} from osd.{}", m.pgid(), map.epoch(), m.getClass().getSimpleName(), m.from());
    feed(pg, new PeeringEvent.MessageReceived(m));
  }

  // ---- heartbeats -----------------------------------------------------------------------------

  private void updateHeartbeatPeers(OsdMap m) {
    Set<Integer> peers = new TreeSet<>();
    for (Pg pg : pgs.values()) {
      peers.addAll(pg.mapping().up());
      peers.addAll(pg.mapping().acting());
    }
    peers.remove(whoami);
    peers.removeIf(p -> !m.isUp(p));
    long now = System.nanoTime();
    heartbeats.setPeers(peers, now);
    for (int p : peers) {
      Long was = peerUpFrom.put(p, m.upFrom(p));
      if (was != null && was != m.upFrom(p)) {
        heartbeats.reset(p, now);
      }
    }
    peerUpFrom.keySet().retainAll(peers);
  }

  private void heartbeatTick() {
    if (stopping || map == null) {
      return;
    }
    Heartbeats.Tick t = heartbeats.tick(System.nanoTime());
    if (t.stalled()) {
      log.warn("osd.{} e{} heartbeat: this OSD stood still for more than half the grace; peers get a new grace",
          whoami, map.epoch());
    }
    recovery.tick();
    MOSDPing ping = MOSDPing.newBuilder().setOp(MOSDPing.Op.PING).setEpoch((int) map.epoch())
        .setStampNs(System.nanoTime()).setFromOsd(whoami).build();
    for (int p : t.ping()) {
      InetSocketAddress a = peerAddr(p);
      if (a != null) {
        messenger.send(new EntityName("osd", p), a, OsdMessages.MOSD_PING, map.epoch(), ping);
      }
    }
    t.report().forEach((p, silent) -> {
      log.warn("osd.{} e{} heartbeat: no reply from osd.{} for {} ms; reporting it failed", whoami, map.epoch(), p,
          silent.toMillis());
      monc.sendFailure(p, map.addr(p), silent);
    });
  }

  private InetSocketAddress peerAddr(int osd) {
    String a = map.addr(osd);
    int colon = a == null ? -1 : a.lastIndexOf(':');
    if (colon <= 0) {
      return null;
    }
    try {
      return new InetSocketAddress(a.substring(0, colon), Integer.parseInt(a.substring(colon + 1)));
    } catch (IllegalArgumentException e) {
      log.warn("osd.{} map e{} has a bad address for osd.{}: {}", whoami, map.epoch(), osd, a);
      return null;
    }
  }

  private void pingReply(int from) {
    if (heartbeats.replied(from, System.nanoTime())) {
      log.info("osd.{} heartbeat: osd.{} answers again; cancelling its failure report", whoami, from);
      monc.sendFailureCancel(from);
    }
  }

  private boolean statsReportScheduled;

  /** State changes reach the monitor quickly, coalesced: one report per 50 ms at most. */
  private void scheduleStatsReport() {
    if (!statsReportScheduled && !stopping) {
      statsReportScheduled = true;
      thread.schedule(() -> runLogged(() -> {
        statsReportScheduled = false;
        reportStats();
      }), 50, TimeUnit.MILLISECONDS);
    }
  }

  private void reportStats() {
    if (stopping || map == null) {
      return;
    }
    List<PgStat> stats = new ArrayList<>();
    for (Pg pg : pgs.values()) {
      if (pg.isPrimary()) {
        stats.add(pg.stat(map, recovery.recovered(pg.pgid()), recovery.backfilledObjects(pg.pgid())));
      }
    }
    if (!stats.isEmpty()) {
      monc.sendPgStats(stats);
    }
  }

  // ---- stop -----------------------------------------------------------------------------------

  /** Clean stop: tell the monitor we are going down (waiting at most {@code deadline}), then close. */
  public void stop(Duration deadline) {
    if (stopping) {
      return;
    }
    stopping = true;
    log.info("osd.{} stopping: marking myself down", whoami);
    try {
      monc.markMeDown(whoami).get(deadline.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      log.warn("osd.{} monitor did not confirm mark-me-down within {} ms", whoami, deadline.toMillis());
    }
    close();
  }

  /** Stops at once, without telling anyone (what a crash looks like to the cluster). */
  @Override
  public void close() {
    stopping = true;
    thread.shutdownNow();
    try {
      thread.awaitTermination(2, TimeUnit.SECONDS); // the store must outlive the PGs' last event
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    monc.close();
    messenger.close();
    if (store != null) {
      store.close();
    }
    log.info("osd.{} stopped", whoami);
  }

  /** What the write path may touch, on the daemon thread. */
  private final class WritePathAccess implements WritePath.Daemon {
    @Override
    public int whoami() {
      return whoami;
    }

    @Override
    public long epoch() {
      return map == null ? 0 : map.epoch();
    }

    @Override
    public Pg pg(PgId pgid) {
      return pgs.get(pgid);
    }

    @Override
    public ObjectStore store() {
      return store;
    }

    @Override
    public void feed(Pg pg, PeeringEvent ev, Transaction tx) {
      OsdDaemon.this.feed(pg, ev, tx);
    }

    @Override
    public void afterMap(long epoch, Runnable r) {
      // The monitor client hands a map to handleMap before completing this wait: r runs after it.
      monc.waitForEpoch(epoch).thenRun(() -> onThread(r));
    }

    @Override
    public boolean dropRepops() {
      return cfg.osdDebugDropRepop();
    }

    @Override
    public void recoveryWanted(PgId pgid, String oid) {
      recovery.wanted(pgid, oid);
    }

    @Override
    public boolean backfillBlocks(PgId pgid, String oid) {
      return recovery.backfillBlocks(pgid, oid);
    }

    @Override
    public boolean shouldSendOp(PgId pgid, int osd, String oid) {
      return recovery.shouldSendOp(pgid, osd, oid);
    }

    @Override
    public void writeCommitted(PgId pgid, io.jpeer.core.types.Eversion version) {
      recovery.writeCommitted(pgid, version);
    }

    @Override
    public void sendToOsd(int osd, int type, com.google.protobuf.Message body) {
      InetSocketAddress a = map.isUp(osd) ? peerAddr(osd) : null;
      if (a != null) {
        messenger.send(new EntityName("osd", osd), a, type, map.epoch(), body);
      }
    }
  }

  /** What recovery may touch, on the daemon thread. */
  private final class RecoveryAccess implements io.jpeer.osd.recovery.RecoveryDaemon {
    private final WritePathAccess w = new WritePathAccess();

    @Override
    public int whoami() {
      return whoami;
    }

    @Override
    public long epoch() {
      return w.epoch();
    }

    @Override
    public PeeringMachine machine(PgId pgid) {
      Pg pg = pgs.get(pgid);
      return pg == null ? null : pg.machine();
    }

    @Override
    public boolean isUp(int osd) {
      return map != null && map.isUp(osd);
    }

    @Override
    public ObjectStore store() {
      writes.flushGroup(); // what recovery reads must include what this drain recovered so far
      return store;
    }

    @Override
    public void feed(PgId pgid, PeeringEvent ev) {
      Pg pg = pgs.get(pgid);
      if (pg != null) {
        OsdDaemon.this.feed(pg, ev);
      }
    }

    @Override
    public void applyGrouped(PgId pgid, PeeringEvent ev, Transaction t, Runnable stored, Runnable failed) {
      Pg pg = pgs.get(pgid);
      if (pg == null) {
        failed.run();
        return;
      }
      if (!writes.grouping()) {
        (applyWithEvent(pgid, ev, t) ? stored : failed).run();
        return;
      }
      List<PeeringMessage> sends = new ArrayList<>();
      java.util.Set<Pg> retry = new java.util.LinkedHashSet<>();
      groupSends = sends;
      groupRetry = retry;
      try {
        OsdDaemon.this.feed(pg, ev, t);
      } finally {
        groupSends = null;
        groupRetry = null;
      }
      writes.addToGroup(t, () -> {
        sends.forEach(OsdDaemon.this::sendPeeringNow);
        stored.run();
      }, failed);
      // (a held read then flushes the group, so it sees the object)
      retry.forEach(writes::retry);
    }

    @Override
    public boolean applyWithEvent(PgId pgid, PeeringEvent ev, Transaction t) {
      Pg pg = pgs.get(pgid);
      if (pg == null) {
        return false;
      }
      // The object and the PG's state in one transaction of their own (the batch machinery holds
      // back the sends and the retried ops until it is stored).
      commitBatch();
      batch = t;
      boolean stored = false;
      try {
        OsdDaemon.this.feed(pg, ev);
      } finally {
        stored = commitBatch();
      }
      return stored;
    }

    @Override
    public void sendToOsd(int osd, int type, com.google.protobuf.Message body) {
      w.sendToOsd(osd, type, body);
    }

    @Override
    public void afterMap(long epoch, Runnable r) {
      w.afterMap(epoch, r);
    }

    @Override
    public void later(Runnable r) {
      onThread(r);
    }

    @Override
    public int maxActive() {
      return cfg.osdRecoveryMaxActive();
    }

    @Override
    public boolean noRecover() {
      return cfg.osdDebugNorecover();
    }

    @Override
    public int minPgLogEntries() {
      return cfg.osdMinPgLogEntries();
    }

    @Override
    public int maxPgLogEntries() {
      return cfg.osdMaxPgLogEntries();
    }
  }

  /** Decodes a frame's body or says what is wrong with it. */
  private interface BodyDecoder<T> {
    T decode(com.google.protobuf.Message body) throws WireException;
  }

  /** A message only an OSD may send: decoded and handed on, or dropped with one line. */
  private <T> void fromOsd(Connection from, InboundMessage msg, String kind, BodyDecoder<T> decoder,
      java.util.function.Consumer<T> handle) {
    if (!from.peer().type().equals("osd")) {
      log.warn("osd.{} {} message from {}, not an OSD; ignored", whoami, kind, from.peer());
      return;
    }
    T m;
    try {
      m = decoder.decode(msg.body());
    } catch (WireException e) {
      log.warn("osd.{} bad {} message from {}: {}", whoami, kind, from.peer(), e.getMessage());
      return;
    }
    handle.accept(m);
  }

  /** Heartbeat messages from peers; runs on Netty threads, so it only answers or hands off. */
  private final class PeerHandler implements MessageHandler {
    @Override
    public void onMessage(Connection from, InboundMessage msg) {
      if (msg.body() instanceof io.jpeer.proto.client.MOSDOp op) {
        queueOp(() -> writes.handleOp(from, op));
        return;
      }
      if (msg.body() instanceof io.jpeer.proto.client.MOSDRepOp rep && from.peer().type().equals("osd")) {
        queueOp(() -> writes.handleRepOp((int) from.peer().id(), rep));
        return;
      }
      if (msg.body() instanceof io.jpeer.proto.client.MOSDRepOpReply r && from.peer().type().equals("osd")) {
        queueOp(() -> writes.handleRepOpReply((int) from.peer().id(), r));
        return;
      }
      if (msg.type() >= OsdMessages.MOSD_PG_PULL && msg.type() <= OsdMessages.MOSD_PG_PUSH_REPLY) {
        // Drained with the ops: the objects pushed to a replica together are stored with one sync.
        fromOsd(from, msg, "recovery", io.jpeer.osd.recovery.RecoveryMessage::decode,
            m -> queueOp(() -> recovery.handle((int) from.peer().id(), m)));
        return;
      }
      if (msg.type() >= OsdMessages.MOSD_PG_SCAN && msg.type() <= OsdMessages.MOSD_PG_TRIM) {
        fromOsd(from, msg, "backfill", io.jpeer.osd.recovery.BackfillMessage::decode,
            m -> onThread(() -> recovery.handle((int) from.peer().id(), m)));
        return;
      }
      if (msg.type() >= OsdMessages.MOSD_PG_QUERY && msg.type() <= OsdMessages.MOSD_PG_INFO) {
        fromOsd(from, msg, "peering", b -> PeeringWire.decode(msg.type(), b, (int) from.peer().id()), m -> {
          inbound.add(m);
          if (inboundScheduled.compareAndSet(false, true)) {
            onThread(OsdDaemon.this::drainInbound);
          }
        });
        return;
      }
      if (msg.type() != OsdMessages.MOSD_PING || !(msg.body() instanceof MOSDPing ping)) {
        log.warn("osd.{} unexpected message type {} from {}", whoami, msg.type(), from.peer());
        return;
      }
      if (ping.getOp() == MOSDPing.Op.PING) {
        OsdMap m = published;
        from.send(OsdMessages.MOSD_PING, m == null ? 0 : m.epoch(), ping.toBuilder().setOp(MOSDPing.Op.PING_REPLY)
            .setFromOsd(whoami).build());
      } else if (ping.getFromOsd() != from.peer().id()) {
        // A reply from another OSD that took over this address must not vouch for the one we pinged.
        log.warn("osd.{} heartbeat reply on the connection to {} comes from osd.{}; ignored", whoami, from.peer(),
            ping.getFromOsd());
      } else if (!stopping) {
        onThread(() -> pingReply((int) from.peer().id()));
      }
    }
  }
}
