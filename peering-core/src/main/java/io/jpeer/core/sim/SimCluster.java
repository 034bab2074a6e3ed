package io.jpeer.core.sim;

import io.jpeer.core.interval.OsdMapView;
import io.jpeer.core.interval.PastIntervals;
import io.jpeer.core.interval.PgInterval;
import io.jpeer.core.interval.PgMapping;
import io.jpeer.core.machine.Effect;
import io.jpeer.core.machine.MachineConfig;
import io.jpeer.core.machine.PeeringEvent;
import io.jpeer.core.machine.PeeringMachine;
import io.jpeer.core.machine.PeeringMessage;
import io.jpeer.core.types.PgHistory;
import io.jpeer.core.types.PgId;
import io.jpeer.core.types.PgInfo;
import io.jpeer.core.types.PgLog;
import io.jpeer.core.types.PgMissing;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One PG of a replicated pool on simulated OSDs, each running the real {@link PeeringMachine}, on
 * one deterministic FIFO bus with a simulated monitor that grants up_thru and pg_temp at idle
 * points (pgsim-scenarios.md, "How a run goes"). No sockets, threads or clock.
 */
public final class SimCluster {
  /** One OSD in the map. */
  public record Osd(int id, boolean exists, boolean up, long upFrom, long upThru, long lostAt) {
    Osd withUp(boolean u, long from) {
      return new Osd(id, exists, u, from, upThru, lostAt);
    }

    Osd withUpThru(long t) {
      return new Osd(id, exists, up, upFrom, t, lostAt);
    }
  }

  /** A partial OSD change in a map event (null fields keep their value). */
  public record OsdChange(int id, Boolean up, Long upFrom, Long upThru, Long lostAt, Boolean exists) {}

  /** What an OSD has stored for the PG. */
  public record Shard(PgInfo info, PgLog log, PgMissing missing) {}

  /** A scripted map change; fires when {@code osd} enters {@code state} the n-th time, or at idle. */
  public record MapEvent(Integer osd, String state, int occurrence, List<OsdChange> osds, List<Integer> up,
      List<Integer> acting, Integer upPrimary, Integer primary) {
    public boolean atIdle() {
      return osd == null;
    }
  }

  /** Drops matching messages when sent; null fields match anything. */
  public record Drop(String message, Integer from, Integer to, String queryType, int count) {}

  /** A published epoch and why. */
  public record PublishedMap(long epoch, String reason, PgMapping mapping) {}

  /** A query any primary sent. */
  public record SentQuery(int from, int to, String type, String since, long epoch, boolean dropped) {}

  public record Settings(boolean grantUpThru, boolean grantPgTemp, int maxNewEpochs, MachineConfig machine) {}

  /** The map view the machines read. */
  static final class SimMap implements OsdMapView {
    final long epoch;
    final TreeMap<Integer, Osd> osds;
    final PgMapping mapping;
    final int size;
    final int minSize;

    SimMap(long epoch, TreeMap<Integer, Osd> osds, PgMapping mapping, int size, int minSize) {
      this.epoch = epoch;
      this.osds = osds;
      this.mapping = mapping;
      this.size = size;
      this.minSize = minSize;
    }

    @Override
    public long epoch() {
      return epoch;
    }

    @Override
    public boolean exists(int osd) {
      Osd o = osds.get(osd);
      return o != null && o.exists();
    }

    @Override
    public boolean isUp(int osd) {
      Osd o = osds.get(osd);
      return o != null && o.exists() && o.up();
    }

    @Override
    public long upFrom(int osd) {
      Osd o = osds.get(osd);
      return o == null ? 0 : o.upFrom();
    }

    @Override
    public long upThru(int osd) {
      Osd o = osds.get(osd);
      return o == null ? 0 : o.upThru();
    }

    @Override
    public long lostAt(int osd) {
      Osd o = osds.get(osd);
      return o == null ? 0 : o.lostAt();
    }

    @Override
    public int poolSize(PgId pg) {
      return size;
    }

    @Override
    public int poolMinSize(PgId pg) {
      return minSize;
    }

    @Override
    public PgMapping mapping(PgId pg) {
      return mapping;
    }
  }

  private record Delivery(int to, PeeringEvent event) {}

  private final PgId pgid;
  private final int size;
  private final int minSize;
  private final Settings settings;
  private final List<MapEvent> mapEvents;
  private final boolean[] fired;
  private final List<Drop> drops;
  private final int[] dropped;

  private SimMap map;
  private final TreeMap<Integer, Shard> stored = new TreeMap<>();
  private final TreeMap<Integer, PeeringMachine> running = new TreeMap<>();
  private final List<PeeringMachine> everRun = new ArrayList<>();
  private final TreeMap<Integer, List<String>> states = new TreeMap<>();
  private final Map<Integer, Map<String, Integer>> entered = new HashMap<>();
  private final Map<Integer, List<Integer>> pgTempWanted = new HashMap<>();
  private final ArrayDeque<Delivery> bus = new ArrayDeque<>();
  private final List<PublishedMap> published = new ArrayList<>();
  private final List<SentQuery> queries = new ArrayList<>();
  private final List<PgInterval> startIntervals;
  private String stopReason;
  private int newEpochs;

  /**
   * @param intervals the PG's closed past intervals at the start, oldest first
   * @param shards what each OSD stores (OSDs in up/acting without one get an empty shard)
   */
  public SimCluster(PgId pgid, int size, int minSize, long epoch, List<Osd> osds, PgMapping mapping,
      long sameIntervalSince, long sameUpSince, long samePrimarySince, List<PgInterval> intervals,
      Map<Integer, Shard> shards, List<MapEvent> mapEvents, List<Drop> drops, Settings settings) {
    this.pgid = pgid;
    this.size = size;
    this.minSize = minSize;
    this.settings = settings;
    this.mapEvents = List.copyOf(mapEvents);
    this.fired = new boolean[mapEvents.size()];
    this.drops = List.copyOf(drops);
    this.dropped = new int[drops.size()];
    this.startIntervals = List.copyOf(intervals);
    TreeMap<Integer, Osd> osdMap = new TreeMap<>();
    osds.forEach(o -> osdMap.put(o.id(), o));
    this.map = new SimMap(epoch, osdMap, mapping, size, minSize);
    PastIntervals past = PastIntervals.EMPTY;
    for (PgInterval i : intervals) {
      past = past.add(i);
    }
    Shard primaryShard = shards.get(mapping.actingPrimary());
    long created = primaryShard == null ? 1 : primaryShard.info().history().epochCreated();
    long poolCreated = primaryShard == null ? created : primaryShard.info().history().epochPoolCreated();
    TreeMap<Integer, Shard> all = new TreeMap<>(shards);
    for (int o : mapping.up()) {
      all.putIfAbsent(o, emptyShard(created, poolCreated));
    }
    for (int o : mapping.acting()) {
      all.putIfAbsent(o, emptyShard(created, poolCreated));
    }
    for (Map.Entry<Integer, Shard> e : all.entrySet()) {
      Shard s = e.getValue();
      PgHistory h = s.info().history().withSameSince(sameUpSince, sameIntervalSince, samePrimarySince);
      stored.put(e.getKey(), new Shard(s.info().withHistory(h), s.log(), s.missing()));
    }
    for (Map.Entry<Integer, Shard> e : stored.entrySet()) {
      if (map.isUp(e.getKey())) {
        Shard s = e.getValue();
        PeeringMachine m = new PeeringMachine(pgid, e.getKey(), map, s.info(), s.log(), s.missing(), past,
            settings.machine());
        running.put(e.getKey(), m);
        everRun.add(m);
      }
    }
  }

  private PgInfo emptyInfo(long created, long poolCreated) {
    PgHistory h = new PgHistory(created, poolCreated, 0, 0, 0, 0, 0, 0, 0);
    return PgInfo.empty(pgid).withHistory(h);
  }

  private Shard emptyShard(long created, long poolCreated) {
    return new Shard(emptyInfo(created, poolCreated), PgLog.EMPTY, PgMissing.of(true, Map.of()));
  }

  /** Runs until idle with nothing to publish, or until the epoch budget is spent. */
  public void run() {
    for (Map.Entry<Integer, PeeringMachine> e : new TreeMap<>(running).entrySet()) {
      feed(e.getKey(), new PeeringEvent.Initialize());
      feed(e.getKey(), new PeeringEvent.ActMap());
    }
    fireStateEvents();
    while (stopReason == null) {
      while (!bus.isEmpty() && stopReason == null) {
        Delivery d = bus.poll();
        if (running.containsKey(d.to())) {
          feed(d.to(), d.event());
        }
        fireStateEvents();
      }
      if (stopReason != null) {
        break;
      }
      idle();
    }
  }

  /** A machine met an event its state does not handle: where Ceph goes to Crashed. */
  public static final class SimulationFailure extends RuntimeException {
    public SimulationFailure(String message) {
      super(message);
    }
  }

  private void feed(int osd, PeeringEvent ev) {
    PeeringMachine m = running.get(osd);
    if (m == null) {
      return;
    }
    List<Effect> effects = m.handle(ev);
    if (m.unhandledEvents() > 0) {
      throw new SimulationFailure("osd." + osd + ": unhandled event " + m.lastUnhandled() + " (Crashed)");
    }
    for (Effect e : effects) {
      if (e instanceof Effect.StateEntered s) {
        states.computeIfAbsent(osd, k -> new ArrayList<>()).add(s.state());
        entered.computeIfAbsent(osd, k -> new HashMap<>()).merge(s.state(), 1, Integer::sum);
        pendingEnters.add(new int[] {osd});
        pendingEnterNames.add(s.state());
      } else if (e instanceof Effect.Send s) {
        send(s.message());
      } else if (e instanceof Effect.Queue q) {
        bus.add(new Delivery(osd, q.event()));
      } else if (e instanceof Effect.Persist p) {
        stored.put(osd, new Shard(p.info(), p.log(), p.missing()));
      } else if (e instanceof Effect.RequestPgTemp t) {
        pgTempWanted.put(osd, t.osds());
      }
    }
  }

  private final List<int[]> pendingEnters = new ArrayList<>();
  private final List<String> pendingEnterNames = new ArrayList<>();

  private void send(PeeringMessage m) {
    boolean drop = false;
    String kind = m instanceof PeeringMessage.Query ? "query" : m instanceof PeeringMessage.Notify ? "notify"
        : m instanceof PeeringMessage.Info ? "info" : "log";
    for (int i = 0; i < drops.size(); i++) {
      Drop d = drops.get(i);
      if (dropped[i] >= d.count() || !d.message().equals(kind)) {
        continue;
      }
      if ((d.from() != null && d.from() != m.from()) || (d.to() != null && d.to() != m.to())) {
        continue;
      }
      if (d.queryType() != null && !(m instanceof PeeringMessage.Query q && q.type().name().equals(d.queryType()))) {
        continue;
      }
      dropped[i]++;
      drop = true;
      break;
    }
    if (m instanceof PeeringMessage.Query q) {
      queries.add(new SentQuery(q.from(), q.to(), q.type().name(),
          q.type() == PeeringMessage.QueryType.LOG ? q.since().toString() : null, q.epochSent(), drop));
    }
    if (!drop) {
      bus.add(new Delivery(m.to(), new PeeringEvent.MessageReceived(m)));
    }
  }

  /** Map events whose state condition became true fire now, in file order. */
  private void fireStateEvents() {
    List<String> names = new ArrayList<>(pendingEnterNames);
    List<int[]> who = new ArrayList<>(pendingEnters);
    pendingEnterNames.clear();
    pendingEnters.clear();
    if (names.isEmpty()) {
      return;
    }
    for (int i = 0; i < mapEvents.size() && stopReason == null; i++) {
      MapEvent ev = mapEvents.get(i);
      if (fired[i] || ev.atIdle()) {
        continue;
      }
      Integer count = entered.getOrDefault(ev.osd(), Map.of()).get(ev.state());
      boolean justEntered = false;
      for (int k = 0; k < names.size(); k++) {
        if (who.get(k)[0] == ev.osd() && names.get(k).equals(ev.state())) {
          justEntered = true;
        }
      }
      if (justEntered && count != null && count >= ev.occurrence()) {
        fired[i] = true;
        publish(applyEvent(ev), "event");
      }
    }
  }

  private void idle() {
    for (int i = 0; i < mapEvents.size(); i++) {
      if (!fired[i] && mapEvents.get(i).atIdle()) {
        fired[i] = true;
        publish(applyEvent(mapEvents.get(i)), "event");
        return;
      }
    }
    TreeMap<Integer, Osd> osds = new TreeMap<>(map.osds);
    PgMapping mapping = map.mapping;
    boolean upThru = false;
    boolean pgTemp = false;
    for (Map.Entry<Integer, PeeringMachine> e : running.entrySet()) {
      PeeringMachine m = e.getValue();
      if (settings.grantUpThru() && m.isPrimary() && m.needUpThru()) {
        osds.put(e.getKey(), osds.get(e.getKey()).withUpThru(map.epoch()));
        upThru = true;
      }
    }
    if (settings.grantPgTemp()) {
      for (Map.Entry<Integer, List<Integer>> e : new TreeMap<>(pgTempWanted).entrySet()) {
        if (!running.containsKey(e.getKey())) {
          continue;
        }
        List<Integer> acting = e.getValue().isEmpty() ? mapping.up() : e.getValue();
        mapping = new PgMapping(mapping.up(), mapping.upPrimary(), acting, acting.isEmpty() ? -1 : acting.get(0));
        osds.put(e.getKey(), osds.get(e.getKey()).withUpThru(map.epoch()));
        pgTemp = true;
      }
      pgTempWanted.clear();
    }
    if (!upThru && !pgTemp) {
      stopReason = "idle";
      return;
    }
    String reason = upThru && pgTemp ? "up_thru+pg_temp" : upThru ? "up_thru" : "pg_temp";
    publish(new SimMap(map.epoch() + 1, osds, mapping, size, minSize), reason);
  }

  private SimMap applyEvent(MapEvent ev) {
    long e = map.epoch() + 1;
    TreeMap<Integer, Osd> osds = new TreeMap<>(map.osds);
    for (OsdChange c : ev.osds()) {
      Osd o = osds.getOrDefault(c.id(), new Osd(c.id(), true, false, 1, 0, 0));
      boolean wasUp = o.up();
      boolean up = c.up() != null ? c.up() : o.up();
      long upFrom = c.upFrom() != null ? c.upFrom() : (!wasUp && up ? e : o.upFrom());
      o = new Osd(c.id(), c.exists() != null ? c.exists() : o.exists(), up, upFrom,
          c.upThru() != null ? c.upThru() : o.upThru(), c.lostAt() != null ? c.lostAt() : o.lostAt());
      osds.put(c.id(), o);
    }
    List<Integer> up = ev.up() != null ? ev.up() : map.mapping.up().stream().filter(o -> osds.get(o).up()).toList();
    List<Integer> acting = ev.acting() != null ? ev.acting()
        : map.mapping.acting().stream().filter(o -> osds.get(o).up()).toList();
    int upPrimary = ev.upPrimary() != null ? ev.upPrimary() : up.isEmpty() ? -1 : up.get(0);
    int primary = ev.primary() != null ? ev.primary() : acting.isEmpty() ? -1 : acting.get(0);
    return new SimMap(e, osds, new PgMapping(up, upPrimary, acting, primary), size, minSize);
  }

  private void publish(SimMap next, String reason) {
    if (newEpochs >= settings.maxNewEpochs()) {
      stopReason = "max_new_epochs";
      return;
    }
    newEpochs++;
    SimMap last = map;
    map = next;
    published.add(new PublishedMap(next.epoch(), reason, next.mapping));
    // OSDs that went down stop at once; running ones advance; ones that came up boot.
    for (int osd : new ArrayList<>(running.keySet())) {
      if (!next.isUp(osd)) {
        running.remove(osd);
        pgTempWanted.remove(osd);
      }
    }
    for (int osd : new ArrayList<>(new java.util.TreeSet<>(next.osds.keySet()))) {
      if (running.containsKey(osd)) {
        feed(osd, new PeeringEvent.AdvMap(next));
        feed(osd, new PeeringEvent.ActMap());
      } else if (next.isUp(osd) && !last.isUp(osd) && stored.containsKey(osd)) {
        boot(osd);
      }
    }
  }

  private void boot(int osd) {
    Shard s = stored.get(osd);
    PeeringMachine primary = running.get(map.mapping.actingPrimary());
    PastIntervals past = primary != null ? primary.pastIntervals() : PastIntervals.EMPTY;
    PgHistory h = s.info().history();
    PgHistory now = primary != null ? primary.info().history() : h;
    PgInfo info = s.info().withHistory(h.withSameSince(now.sameUpSince(), now.sameIntervalSince(),
        now.samePrimarySince()));
    PeeringMachine m = new PeeringMachine(pgid, osd, map, info, s.log(), s.missing(), past, settings.machine());
    running.put(osd, m);
    everRun.add(m);
    feed(osd, new PeeringEvent.Initialize());
    feed(osd, new PeeringEvent.ActMap());
  }

  // ---- results --------------------------------------------------------------------------------

  public String stopReason() {
    return stopReason;
  }

  public OsdMapView map() {
    return map;
  }

  public PgMapping mapping() {
    return map.mapping;
  }

  public List<PublishedMap> published() {
    return published;
  }

  public List<SentQuery> queries() {
    return queries;
  }

  public Map<Integer, List<String>> states() {
    return states;
  }

  public List<PgInterval> startIntervals() {
    return startIntervals;
  }

  /** The machine of the final acting primary, or null when it does not run. */
  public PeeringMachine finalPrimary() {
    return running.get(map.mapping.actingPrimary());
  }

  /** Every machine that ran, in start order (stopped ones included). */
  public List<PeeringMachine> allMachinesEverRun() {
    return everRun;
  }

  public Map<Integer, PeeringMachine> running() {
    return running;
  }

  /** Every OSD's stored shard at the end (down OSDs: what they had when they went down). */
  public Map<Integer, Shard> shards() {
    Map<Integer, Shard> out = new LinkedHashMap<>();
    stored.forEach(out::put);
    return out;
  }

  /** Last state each OSD's instance entered (null if it never ran). */
  public String lastState(int osd) {
    List<String> s = states.get(osd);
    return s == null || s.isEmpty() ? null : s.get(s.size() - 1);
  }

  public long totalUnhandledEvents() {
    return running.values().stream().mapToLong(PeeringMachine::unhandledEvents).sum();
  }
}
