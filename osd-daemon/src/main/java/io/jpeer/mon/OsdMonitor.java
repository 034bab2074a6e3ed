package io.jpeer.mon;

import com.google.protobuf.Message;
import io.jpeer.config.Config;
import io.jpeer.map.Incremental;
import io.jpeer.map.MapCodec;
import io.jpeer.map.OsdInfo;
import io.jpeer.map.OsdMap;
import io.jpeer.core.types.PgId;
import io.jpeer.map.Pool;
import io.jpeer.net.Connection;
import io.jpeer.net.EntityName;
import io.jpeer.net.InboundMessage;
import io.jpeer.proto.mon.MMonCommand;
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
import io.jpeer.proto.mon.PgStatProto;
import io.jpeer.proto.mon.PgTempProto;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The OSD map service (Ceph's OSDMonitor, one monitor, no Paxos). Every method runs on the
 * monitor's single thread. Changes accumulate in a pending incremental; the first change queues a
 * proposal on that thread, so everything that arrives while an epoch is being written joins the
 * next one (proposal coalescing, no fixed interval). A proposal writes the epoch to the store,
 * then publishes it: subscribers get the incremental, waiting command replies and acks go out.
 */
final class OsdMonitor {
  private static final Logger log = LoggerFactory.getLogger(OsdMonitor.class);
  /** Epochs per MOSDMap message, so one message stays far below the frame limit. */
  private static final int MAPS_PER_MESSAGE = 100;
  /**
   * A subscriber or gap fetch this many epochs behind starts from a full map of its first epoch
   * rather than its incremental (then incrementals follow, so it still sees every epoch: OSDs need
   * each one for their PGs' past intervals). One message's worth of incrementals is "near".
   */
  static final int FAR_BEHIND = MAPS_PER_MESSAGE;

  private final Config cfg;
  private final MonStore store;
  private final Clock clock;
  private final ScheduledExecutorService thread;

  private OsdMap map;
  private volatile OsdMap published;
  private Incremental.Builder pending;
  private final List<String> pendingLog = new ArrayList<>();
  private boolean proposeQueued;
  private final List<Runnable> afterCommit = new ArrayList<>();
  private final List<Runnable> afterCommitDeferred = new ArrayList<>();
  /** The newest incrementals, for subscribers; older ones are read from the store when asked for. */
  private final TreeMap<Long, Incremental> incrementals = new TreeMap<>();
  /** How many incrementals stay in memory (Ceph's mon_min_osdmap_epochs default). */
  static final int CACHED_INCREMENTALS = 500;

  private final Map<Connection, Long> subscribers = new LinkedHashMap<>();
  /** target osd -> reporter osd -> when the reporter says the target started failing. */
  private final Map<Integer, Map<Integer, Instant>> failures = new TreeMap<>();
  private final Map<Integer, Instant> lastBeacon = new HashMap<>();
  private final Map<Integer, Instant> downSince = new HashMap<>();
  private final Set<Integer> autoOut = new HashSet<>();
  private final Map<Integer, Long> bootNonce = new HashMap<>();
  private final PgStatsTable pgStats;
  private final MonCommands commands;
  private long proposals;

  OsdMonitor(Config cfg, MonStore store, Clock clock, ScheduledExecutorService thread) throws IOException {
    this.cfg = cfg;
    this.store = store;
    this.clock = clock;
    this.pgStats = new PgStatsTable(clock);
    this.thread = thread;
    this.map = loadOrCreate();
    this.published = map;
    this.pending = Incremental.builder(map);
    Instant now = now();
    for (OsdInfo o : map.osds().values()) {
      if (o.up()) {
        lastBeacon.put(o.id(), now); // a restarted monitor gives every up OSD a fresh timeout
      } else if (o.isIn()) {
        downSince.put(o.id(), now);
      }
    }
    this.commands = new MonCommands(this, cfg);
  }

  private OsdMap loadOrCreate() throws IOException {
    String confFsid = cfg.fsid();
    var stored = store.fsid();
    if (stored.isPresent() && !confFsid.isEmpty() && !stored.get().equals(confFsid)) {
      throw new IOException("mon data " + store.dir() + " belongs to cluster " + stored.get()
          + ", config says fsid " + confFsid);
    }
    var latest = store.latest();
    if (latest.isEmpty()) {
      String fsid = stored.orElse(confFsid.isEmpty() ? java.util.UUID.randomUUID().toString() : confFsid);
      store.writeFsid(fsid);
      OsdMap initial = OsdMap.initial(fsid, now());
      store.put(null, initial);
      log.info("e1 created cluster {} in {}", fsid, store.dir());
      return initial;
    }
    for (long e : store.epochs().descendingSet()) {
      if (e <= 1 || incrementals.size() >= CACHED_INCREMENTALS) {
        break;
      }
      incrementals.put(e, store.incremental(e));
    }
    log.info("e{} loaded cluster {} from {}", latest.get().epoch(), latest.get().fsid(), store.dir());
    return latest.get();
  }

  // ---- reading (any thread) -----------------------------------------------------------------

  /** The newest committed map; safe from any thread. */
  OsdMap published() {
    return published;
  }

  // ---- for MonCommands (monitor thread) -----------------------------------------------------

  OsdMap map() {
    return map;
  }

  Incremental.Builder pending() {
    return pending;
  }

  PgStatsTable pgStats() {
    return pgStats;
  }

  Instant now() {
    return clock.instant();
  }

  Set<Integer> autoOut() {
    return autoOut;
  }

  long proposals() {
    return proposals;
  }

  /** Records a pending change (one log line at commit) and queues a proposal. */
  void change(String what) {
    pendingLog.add(what);
    requestPropose();
  }

  /** Runs r once the pending epoch is committed, or now if nothing is pending. */
  void whenCommitted(Runnable r) {
    if (pending.isEmpty()) {
      r.run();
    } else {
      afterCommit.add(r);
    }
  }

  private void requestPropose() {
    if (!proposeQueued) {
      proposeQueued = true;
      thread.execute(this::propose);
    }
  }

  // ---- dispatch -----------------------------------------------------------------------------

  void handle(Connection c, InboundMessage m) {
    EntityName from = m.from();
    Message body = m.body();
    try {
      dispatch(c, m, from, body);
    } catch (ClassCastException e) {
      // The registry maps each type to one parser, so this is a sender bug: drop, keep going.
      log.warn("dropping message type {} from {}: body is a {}", m.type(), from, body.getClass().getSimpleName());
    }
  }

  private void dispatch(Connection c, InboundMessage m, EntityName from, Message body) {
    switch (m.type()) {
      case MonMessages.MOSD_BOOT -> boot(c, from, (MOSDBoot) body);
      case MonMessages.MMON_SUBSCRIBE -> subscribe(c, (MMonSubscribe) body);
      case MonMessages.MMON_GET_MAP -> getMap(c, (MMonGetMap) body);
      case MonMessages.MOSD_BEACON -> beacon(from, (MOSDBeacon) body);
      case MonMessages.MOSD_FAILURE -> failure(from, m.epoch(), (MOSDFailure) body);
      case MonMessages.MOSD_MARK_ME_DOWN -> markMeDown(c, from, (MOSDMarkMeDown) body);
      case MonMessages.MOSD_ALIVE -> alive(from, (MOSDAlive) body);
      case MonMessages.MOSD_PG_TEMP -> pgTemp(from, (MOSDPGTemp) body);
      case MonMessages.MPG_STATS -> pgStats(from, (MPGStats) body);
      case MonMessages.MMON_COMMAND -> commands.handle(c, from, (MMonCommand) body);
      default -> log.warn("dropping message type {} from {}: not a monitor message", m.type(), from);
    }
  }

  void disconnected(Connection c) {
    subscribers.remove(c);
  }

  /** The OSD id of a sender that must be an OSD, or -1 (logged). */
  private int osdSender(EntityName from, String what) {
    if (!"osd".equals(from.type()) || from.id() < 0 || from.id() > Integer.MAX_VALUE) {
      log.warn("dropping {} from {}: only OSDs send it", what, from);
      return -1;
    }
    return (int) from.id();
  }

  // ---- boot, beacon, mark-me-down ----------------------------------------------------------

  private void boot(Connection c, EntityName from, MOSDBoot m) {
    int id = osdSender(from, "MOSDBoot");
    if (id < 0) {
      return;
    }
    if (m.getOsd() != id) {
      log.warn("dropping MOSDBoot from {}: it names osd.{}", from, m.getOsd());
      return;
    }
    if (!m.getFsid().equals(map.fsid())) {
      log.warn("dropping MOSDBoot from osd.{}: fsid {} is not this cluster's {}", id, m.getFsid(), map.fsid());
      return;
    }
    if (!validAddr(m.getAddr())) {
      log.warn("dropping MOSDBoot from osd.{}: bad address '{}'", id, m.getAddr());
      return;
    }
    OsdInfo cur = pending.osd(id);
    if (cur != null && cur.up()) {
      Long nonce = bootNonce.get(id);
      if (nonce != null && nonce == m.getNonce()) {
        log.debug("osd.{} boot resent; already up", id);
        return;
      }
      // A new incarnation while the map still shows the old one up: mark it down first so the
      // restart is a new interval, then boot it in the following epoch (as Ceph does).
      markDown(id, "restarted (boot from a new instance)");
      afterCommitDeferred.add(() -> boot(c, from, m));
      return;
    }
    OsdInfo o = cur == null ? OsdInfo.created(id) : cur;
    o = o.withUp(true).withAddr(m.getAddr()).withUpFrom(pending.epoch());
    if (cur == null || !cur.exists() || autoOut.remove(id)) {
      o = o.withWeight(1.0);
    }
    if (m.getCleanEnd() > m.getCleanBegin()) {
      o = o.withLastClean(Integer.toUnsignedLong(m.getCleanBegin()), Integer.toUnsignedLong(m.getCleanEnd()));
    } else if (cur != null && cur.upFrom() > 0 && cur.downAt() - 1 > cur.upFrom()) {
      // The OSD kept no record (it was killed): use the monitor's own one of its previous up
      // interval, up_from through the epoch before down_at (Ceph's sample: up 9, down 18 -> [9,17)).
      o = o.withLastClean(cur.upFrom(), cur.downAt() - 1);
    }
    pending.setOsd(o);
    bootNonce.put(id, m.getNonce());
    lastBeacon.put(id, now());
    failures.remove(id);
    change("osd." + id + " boot at " + m.getAddr() + (cur == null ? " (new)" : ""));
  }

  private static boolean validAddr(String addr) {
    int colon = addr.lastIndexOf(':');
    if (colon <= 0) {
      return false;
    }
    try {
      int port = Integer.parseInt(addr.substring(colon + 1));
      return port > 0 && port < 65536;
    } catch (NumberFormatException e) {
      return false;
    }
  }

  private void beacon(EntityName from, MOSDBeacon m) {
    int id = osdSender(from, "MOSDBeacon");
    if (id >= 0 && map.isUp(id)) {
      lastBeacon.put(id, now());
    }
  }

  private void markMeDown(Connection c, EntityName from, MOSDMarkMeDown m) {
    int id = osdSender(from, "MOSDMarkMeDown");
    if (id < 0 || m.getOsd() != id || !m.getFsid().equals(map.fsid())) {
      log.warn("dropping MOSDMarkMeDown from {}: wrong osd id or fsid", from);
      return;
    }
    OsdInfo cur = pending.osd(id);
    if (cur != null && cur.up()) {
      markDown(id, "marked itself down");
    }
    if (m.getRequestAck()) {
      whenCommitted(() -> c.send(MonMessages.MOSD_MARK_ME_DOWN_ACK, map.epoch(),
          MOSDMarkMeDownAck.newBuilder().setOsd(id).setEpoch((int) map.epoch()).build()));
    }
  }

  /** Marks an OSD down in the pending epoch; false if it is not up there. */
  boolean markDown(int id, String why) {
    OsdInfo cur = pending.osd(id);
    if (cur == null || !cur.up()) {
      return false;
    }
    pending.setOsd(cur.withUp(false).withDownAt(pending.epoch()));
    failures.remove(id);
    change("osd." + id + " down: " + why);
    return true;
  }

  // ---- failure reports and timers ----------------------------------------------------------

  private void failure(EntityName from, long epoch, MOSDFailure m) {
    int reporter = osdSender(from, "MOSDFailure");
    if (reporter < 0) {
      return;
    }
    int target = m.getTarget();
    if (!map.isUp(reporter)) {
      log.debug("ignoring failure report on osd.{} from osd.{}: reporter is down", target, reporter);
      return;
    }
    if (!map.isUp(target) || target == reporter) {
      return;
    }
    long reportEpoch = Math.max(epoch, Integer.toUnsignedLong(m.getEpoch()));
    if (reportEpoch != 0 && reportEpoch < map.upFrom(target)) {
      log.debug("ignoring failure report on osd.{} from osd.{}: about an older instance (e{} < up_from {})",
          target, reporter, reportEpoch, map.upFrom(target));
      return;
    }
    if (m.getAlive()) {
      Map<Integer, Instant> r = failures.get(target);
      if (r != null && r.remove(reporter) != null) {
        log.info("osd.{} reports osd.{} alive again", reporter, target);
        if (r.isEmpty()) {
          failures.remove(target);
        }
      }
      return;
    }
    Instant since = now().minusSeconds(Integer.toUnsignedLong(m.getFailedForSeconds()));
    Map<Integer, Instant> r = failures.computeIfAbsent(target, k -> new TreeMap<>());
    if (!r.containsKey(reporter)) {
      log.info("osd.{} reported failed by osd.{} (failed for {}s)", target, reporter, m.getFailedForSeconds());
    }
    r.put(reporter, since);
    checkFailure(target);
  }

  private void checkFailure(int target) {
    Map<Integer, Instant> r = failures.get(target);
    if (r == null) {
      return;
    }
    r.keySet().removeIf(rep -> !map.isUp(rep));
    if (r.isEmpty() || !map.isUp(target)) {
      failures.remove(target);
      return;
    }
    int needed = Math.max(1, Math.min(cfg.monOsdMinDownReporters(), map.numUpOsds() - 1));
    if (r.size() < needed) {
      return;
    }
    Instant earliest = r.values().stream().min(Instant::compareTo).orElseThrow();
    Duration failedFor = Duration.between(earliest, now());
    if (failedFor.compareTo(cfg.osdHeartbeatGrace()) >= 0) {
      markDown(target, "reported failed by " + r.keySet().stream().map(i -> "osd." + i).toList()
          + " for " + failedFor.toMillis() + "ms >= grace " + cfg.osdHeartbeatGrace().toMillis() + "ms");
    }
  }

  /** Periodic checks: failure grace, beacon timeouts, down-out. */
  void tick() {
    Instant now = now();
    for (int target : new ArrayList<>(failures.keySet())) {
      checkFailure(target);
    }
    for (OsdInfo o : map.osds().values()) {
      int id = o.id();
      if (o.up()) {
        Instant last = lastBeacon.getOrDefault(id, now);
        lastBeacon.putIfAbsent(id, now);
        if (Duration.between(last, now).compareTo(cfg.monOsdReportTimeout()) >= 0) {
          markDown(id, "no beacon for " + Duration.between(last, now).toMillis() + "ms (mon_osd_report_timeout)");
        }
      } else if (o.isIn() && !cfg.monOsdDownOutInterval().isZero()) {
        Instant since = downSince.computeIfAbsent(id, k -> now);
        OsdInfo p = pending.osd(id);
        if (p.isIn() && !p.up() && Duration.between(since, now).compareTo(cfg.monOsdDownOutInterval()) >= 0) {
          pending.setOsd(p.withWeight(0.0));
          autoOut.add(id);
          change("osd." + id + " out (down for " + Duration.between(since, now).toSeconds()
              + "s >= mon_osd_down_out_interval)");
        }
      }
    }
  }

  /** How often tick() should run: a fraction of the shortest timer, 50 ms to 1 s. */
  Duration tickPeriod() {
    Duration d = cfg.osdHeartbeatGrace();
    if (cfg.monOsdReportTimeout().compareTo(d) < 0) {
      d = cfg.monOsdReportTimeout();
    }
    if (!cfg.monOsdDownOutInterval().isZero() && cfg.monOsdDownOutInterval().compareTo(d) < 0) {
      d = cfg.monOsdDownOutInterval();
    }
    long ms = Math.max(50, Math.min(1000, d.toMillis() / 4));
    return Duration.ofMillis(ms);
  }

  // ---- up_thru, pg_temp, stats -------------------------------------------------------------

  private void alive(EntityName from, MOSDAlive m) {
    Duration hold = cfg.monDebugUpThruDelay();
    if (!hold.isZero()) {
      thread.schedule(() -> grantAlive(from, m), hold.toMillis(), TimeUnit.MILLISECONDS);
      return;
    }
    grantAlive(from, m);
  }

  private void grantAlive(EntityName from, MOSDAlive m) {
    int id = osdSender(from, "MOSDAlive");
    if (id < 0) {
      return;
    }
    OsdInfo cur = pending.osd(id);
    if (cur == null || !cur.up() || !map.isUp(id)) {
      log.debug("ignoring MOSDAlive from osd.{}: not up", id);
      return;
    }
    long want = Integer.toUnsignedLong(m.getWant());
    if (cur.upThru() >= want) {
      return; // granted already (maybe in the pending epoch); the subscription delivers it
    }
    // As Ceph: up_thru becomes the newest epoch the OSD has, at least what it asked for.
    long upThru = Math.min(pending.epoch(), Math.max(want, Integer.toUnsignedLong(m.getVersion())));
    pending.setOsd(cur.withUpThru(upThru));
    change("osd." + id + " up_thru " + upThru + " (wanted " + want + ")");
  }

  private void pgTemp(EntityName from, MOSDPGTemp m) {
    int id = osdSender(from, "MOSDPGTemp");
    if (id < 0 || !map.isUp(id)) {
      return;
    }
    for (PgTempProto t : m.getPgTempList()) {
      PgId pg;
      try {
        pg = PgId.parse(t.getPgid());
      } catch (IllegalArgumentException e) {
        log.warn("dropping pg_temp entry from osd.{}: {}", id, e.getMessage());
        continue;
      }
      if (!map.pgExists(pg)) {
        log.warn("dropping pg_temp for {} from osd.{}: no such pg in e{}", pg, id, map.epoch());
        continue;
      }
      List<Integer> osds = List.copyOf(t.getOsdsList());
      if (!osds.stream().allMatch(map::exists) || osds.stream().distinct().count() != osds.size()) {
        log.warn("dropping pg_temp {} -> {} from osd.{}: unknown or repeated osd", pg, osds, id);
        continue;
      }
      if (!pending.pgTemp(pg).equals(osds)) {
        pending.setPgTemp(pg, osds);
        change("pg " + pg + " pg_temp " + (osds.isEmpty() ? "cleared" : osds.toString()) + " by osd." + id);
      }
    }
  }

  private void pgStats(EntityName from, MPGStats m) {
    int id = osdSender(from, "MPGStats");
    if (id < 0) {
      return;
    }
    for (PgStatProto p : m.getPgStatsList()) {
      try {
        PgStat s = PgStatsTable.fromProto(p);
        if (map.pgExists(s.pgid())) {
          pgStats.put(id, s);
        }
      } catch (IllegalArgumentException e) {
        log.warn("dropping pg stat from osd.{}: {}", id, e.getMessage());
      }
    }
  }

  // ---- maps to subscribers -----------------------------------------------------------------

  private void subscribe(Connection c, MMonSubscribe m) {
    long start = Integer.toUnsignedLong(m.getStart());
    if (start == 0) {
      sendMaps(c, map.epoch(), map.epoch(), true);
      subscribers.put(c, map.epoch() + 1);
    } else {
      sendMaps(c, start, map.epoch(), m.getFullFirst());
      subscribers.put(c, Math.max(start, map.epoch() + 1));
    }
    log.debug("{} subscribed from e{}", c.peer(), start);
  }

  private void getMap(Connection c, MMonGetMap m) {
    long first = Math.max(1, Integer.toUnsignedLong(m.getFirst()));
    long last = Math.min(map.epoch(), Integer.toUnsignedLong(m.getLast()));
    sendMaps(c, first, last, m.getFullFirst());
  }

  /**
   * Sends epochs first..last in order: a full map first if asked, for epoch 1, or when the range
   * is far behind ({@link #FAR_BEHIND}), then incrementals.
   */
  private void sendMaps(Connection c, long first, long last, boolean fullFirst) {
    if (first > last || !c.isOpen()) {
      return;
    }
    MOSDMap.Builder b = mapMessage();
    int n = 0;
    try {
      long e = first;
      if (fullFirst || e == 1 || last - first + 1 > FAR_BEHIND) {
        b.addFull(MapCodec.toProto(e == map.epoch() ? map : store.full(e)));
        e++;
        n++;
      }
      for (; e <= last; e++) {
        b.addIncremental(MapCodec.toProto(incremental(e)));
        if (++n == MAPS_PER_MESSAGE) {
          c.send(MonMessages.MOSD_MAP, map.epoch(), b.build());
          b = mapMessage();
          n = 0;
        }
      }
    } catch (IOException e) {
      log.error("cannot read map history for {}: {}", c.peer(), e.getMessage());
    }
    if (n > 0) {
      c.send(MonMessages.MOSD_MAP, map.epoch(), b.build());
    }
  }

  private Incremental incremental(long e) throws IOException {
    Incremental inc = incrementals.get(e);
    return inc != null ? inc : store.incremental(e);
  }

  private MOSDMap.Builder mapMessage() {
    return MOSDMap.newBuilder().setFsid(map.fsid()).setOldest(1).setNewest((int) map.epoch());
  }

  // ---- proposal -------------------------------------------------------------------------------

  private void propose() {
    proposeQueued = false;
    if (pending.isEmpty()) {
      runAfterCommit();
      return;
    }
    Instant now = now();
    cleanPgTemps(now);
    Incremental inc = pending.build(now);
    OsdMap next = inc.apply(map);
    try {
      store.put(inc, next);
    } catch (IOException e) {
      // Never publish what is not on disk; keep the change pending and try again shortly.
      log.error("e{} cannot be written to {}: {}; retrying in 1s", next.epoch(), store.dir(), e.getMessage());
      thread.schedule(this::requestPropose, 1, TimeUnit.SECONDS);
      return;
    }
    OsdMap prev = map;
    map = next;
    published = next;
    incrementals.put(next.epoch(), inc);
    while (incrementals.size() > CACHED_INCREMENTALS) {
      incrementals.pollFirstEntry();
    }
    pending = Incremental.builder(map);
    proposals++;
    for (String line : pendingLog) {
      log.info("e{} {}", next.epoch(), line);
    }
    pendingLog.clear();
    for (OsdInfo o : inc.osds().values()) {
      boolean wasUp = prev.isUp(o.id());
      if (wasUp && !o.up()) {
        downSince.put(o.id(), now);
        lastBeacon.remove(o.id());
        bootNonce.remove(o.id());
      } else if (!wasUp && o.up()) {
        downSince.remove(o.id());
      }
    }
    for (var it = subscribers.entrySet().iterator(); it.hasNext(); ) {
      var s = it.next();
      if (!s.getKey().isOpen()) {
        it.remove();
      } else if (s.getValue() <= map.epoch()) {
        sendMaps(s.getKey(), s.getValue(), map.epoch(), false);
        s.setValue(map.epoch() + 1);
      }
    }
    runAfterCommit();
  }

  private void runAfterCommit() {
    List<Runnable> now = new ArrayList<>(afterCommit);
    afterCommit.clear();
    now.forEach(Runnable::run);
    List<Runnable> deferred = new ArrayList<>(afterCommitDeferred);
    afterCommitDeferred.clear();
    deferred.forEach(Runnable::run);
  }

  /** As Ceph's clean_temps: drop pg_temp entries that now equal the up set or whose pool is gone. */
  private void cleanPgTemps(Instant now) {
    if (map.pgTemp().isEmpty() && pending.isEmpty()) {
      return;
    }
    OsdMap next = pending.build(now).apply(map);
    for (var e : next.pgTemp().entrySet()) {
      PgId pg = e.getKey();
      if (!next.pgExists(pg)) {
        pending.setPgTemp(pg, List.of());
        pendingLog.add("pg " + pg + " pg_temp cleared: pool gone");
      } else if (next.pgToUpActing(pg).up().equals(e.getValue())) {
        pending.setPgTemp(pg, List.of());
        pendingLog.add("pg " + pg + " pg_temp cleared: equals up " + e.getValue());
      }
    }
  }

  /** Creates a pool in the pending epoch. */
  Pool createPool(String name, int pgNum, int size, int minSize) {
    Pool p = new Pool(pending.nextPoolId(), name, Pool.TYPE_REPLICATED, size, minSize, pgNum, 0,
        pending.epoch(), now());
    pending.setPool(p);
    change("pool " + p.id() + " '" + name + "' created: size " + size + " min_size " + minSize + " pg_num " + pgNum);
    return p;
  }
}
