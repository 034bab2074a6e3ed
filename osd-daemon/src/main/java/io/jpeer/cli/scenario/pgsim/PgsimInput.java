package io.jpeer.cli.scenario.pgsim;

import com.fasterxml.jackson.databind.JsonNode;
import io.jpeer.cli.scenario.ScenarioException;
import io.jpeer.cli.scenario.StrictJson;
import io.jpeer.cli.scenario.StrictJson.Obj;
import io.jpeer.cli.scenario.pglog.PglogFormat;
import io.jpeer.core.interval.PgInterval;
import io.jpeer.core.interval.PgMapping;
import io.jpeer.core.machine.MachineConfig;
import io.jpeer.core.machine.PeeringStateName;
import io.jpeer.core.sim.SimCluster;
import io.jpeer.core.types.Eversion;
import io.jpeer.core.types.LogEntry;
import io.jpeer.core.types.ObjectNames;
import io.jpeer.core.types.PgHistory;
import io.jpeer.core.types.PgId;
import io.jpeer.core.types.PgInfo;
import io.jpeer.core.types.PgLog;
import io.jpeer.core.types.PgMissing;
import io.jpeer.core.types.PgStats;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** Reads and validates a pgsim scenario (pgsim-scenarios.md, "Input" and "Validation"). */
final class PgsimInput {
  private static final Set<String> STATES = new HashSet<>();

  static {
    for (PeeringStateName s : PeeringStateName.values()) {
      STATES.add(s.fullName());
    }
  }

  String pgidText;
  PgId pgid;
  int size;
  int minSize;
  long epoch;
  TreeMap<Integer, SimCluster.Osd> osds = new TreeMap<>();
  PgMapping mapping;
  long sameIntervalSince;
  long sameUpSince;
  long samePrimarySince;
  List<PgInterval> intervals = new ArrayList<>();
  Map<Integer, SimCluster.Shard> shards = new LinkedHashMap<>();
  List<SimCluster.MapEvent> mapEvents = new ArrayList<>();
  List<SimCluster.Drop> drops = new ArrayList<>();
  boolean grantUpThru = true;
  boolean grantPgTemp = true;
  int maxNewEpochs = 10;
  MachineConfig machine = MachineConfig.defaults();

  static PgsimInput read(Obj top) throws ScenarioException {
    PgsimInput in = new PgsimInput();
    top.string("description", "");
    in.pgidText = top.string("pgid", "1.0");
    if (!in.pgidText.matches("\\d+\\.[0-9a-f]+")) {
      throw new ScenarioException(top.at("pgid"), "expected POOL.SEED with the seed in lower-case hex");
    }
    try {
      in.pgid = PgId.parse(in.pgidText);
    } catch (IllegalArgumentException e) {
      throw new ScenarioException(top.at("pgid"), e.getMessage());
    }
    Obj pool = top.object("pool");
    in.size = (int) pool.integer("size", 1, 10);
    in.minSize = (int) pool.integer("min_size", 1, in.size);
    pool.done();
    in.readMap(top.object("map"));
    Obj shards = top.optObject("shards");
    if (shards != null) {
      for (String k : shards.fieldNames()) {
        int id = osdKey(k, shards.at(k));
        in.requireOsd(id, shards.at(k));
        in.shards.put(id, readShard(StrictJson.asObject(shards.raw(k), shards.at(k))));
      }
      shards.done();
    }
    in.checkIntervalBounds(top.at("map.past_intervals"));
    Obj cfg = top.optObject("config");
    if (cfg != null) {
      in.grantUpThru = cfg.bool("grant_up_thru", true);
      in.grantPgTemp = cfg.bool("grant_pg_temp", true);
      int force = (int) cfg.integer("osd_force_auth_primary_missing_objects", 100, 0, Integer.MAX_VALUE);
      boolean ignoreLes = cfg.bool("osd_find_best_info_ignore_history_les", false);
      boolean belowMin = cfg.bool("osd_allow_recovery_below_min_size", true);
      in.maxNewEpochs = (int) cfg.integer("max_new_epochs", 10, 0, 10_000);
      in.machine = new MachineConfig(force, ignoreLes, belowMin, 10_000);
      cfg.done();
    }
    List<JsonNode> events = top.array("events", false);
    for (int i = 0; i < events.size(); i++) {
      in.readEvent(StrictJson.asObject(events.get(i), top.at("events[" + i + "]")));
    }
    top.done();
    return in;
  }

  /**
   * Ceph's check_past_interval_bounds: the intervals must reach back to the primary's
   * last_epoch_clean (or the pool's creation when it never went clean), and end just before the
   * current interval.
   */
  private void checkIntervalBounds(String where) throws ScenarioException {
    SimCluster.Shard primary = shards.get(mapping.actingPrimary());
    PgHistory h = primary == null ? new PgHistory(1, 1, 0, 0, 0, 0, 0, 0, 0) : primary.info().history();
    long required = h.lastEpochClean() != 0 ? h.lastEpochClean() : h.epochPoolCreated();
    if (required >= sameIntervalSince) {
      if (!intervals.isEmpty()) {
        throw new ScenarioException(where, "must be empty: the required start " + required
            + " is not before same_interval_since " + sameIntervalSince);
      }
      return;
    }
    if (intervals.isEmpty()) {
      throw new ScenarioException(where, "missing: the intervals from the required start " + required
          + " (the primary's last_epoch_clean or epoch_pool_created) to " + (sameIntervalSince - 1));
    }
    if (intervals.get(0).first() > required) {
      throw new ScenarioException(where + "[0].first", intervals.get(0).first() + " starts after the required start "
          + required + " (the primary's last_epoch_clean or epoch_pool_created)");
    }
  }

  private static int osdKey(String k, String where) throws ScenarioException {
    if (!k.matches("0|[1-9]\\d{0,8}")) {
      throw new ScenarioException(where, "OSD ids are non-negative integers");
    }
    return Integer.parseInt(k);
  }

  private void requireOsd(int id, String where) throws ScenarioException {
    if (!osds.containsKey(id)) {
      throw new ScenarioException(where, "osd." + id + " is not in map.osds");
    }
  }

  private void readMap(Obj m) throws ScenarioException {
    epoch = m.integer("epoch", 1, Eversion.MAX_EPOCH);
    List<JsonNode> list = m.array("osds", true);
    for (int i = 0; i < list.size(); i++) {
      String where = m.at("osds[" + i + "]");
      Obj o = StrictJson.asObject(list.get(i), where);
      int id = (int) o.integer("id", 0, Integer.MAX_VALUE);
      boolean up = o.bool("up", true);
      long upFrom = o.integer("up_from", 1, 0, Eversion.MAX_EPOCH);
      long upThru = o.integer("up_thru", 0, 0, Eversion.MAX_EPOCH);
      long lostAt = o.integer("lost_at", 0, 0, Eversion.MAX_EPOCH);
      boolean exists = o.bool("exists", true);
      o.done();
      if (osds.containsKey(id)) {
        throw new ScenarioException(where + ".id", "osd." + id + " is listed twice");
      }
      if (!exists && up) {
        throw new ScenarioException(where + ".exists", "osd." + id + " does not exist but is up");
      }
      if (up && upFrom > epoch) {
        throw new ScenarioException(where + ".up_from", "up_from " + upFrom + " is after the epoch " + epoch);
      }
      osds.put(id, new SimCluster.Osd(id, exists, up, upFrom, upThru, lostAt));
    }
    List<Integer> up = osdList(m, "up", true, null);
    List<Integer> acting = m.has("acting") ? osdList(m, "acting", true, null) : up;
    if (acting.isEmpty()) {
      throw new ScenarioException(m.at("acting"), "the acting set is empty");
    }
    Integer upPrimary = optOsd(m, "up_primary");
    Integer primary = optOsd(m, "primary");
    int upP = upPrimary != null ? upPrimary : up.isEmpty() ? -1 : up.get(0);
    int actP = primary != null ? primary : acting.get(0);
    if (upPrimary != null && !up.contains(upPrimary)) {
      throw new ScenarioException(m.at("up_primary"), "up_primary " + upPrimary + " is not in up");
    }
    if (!acting.contains(actP)) {
      throw new ScenarioException(m.at("primary"), "primary " + actP + " is not in acting");
    }
    mapping = new PgMapping(up, upP, acting, actP);
    boolean hasHistory = m.has("history");
    if (hasHistory) {
      throw new ScenarioException(m.at("history"), "map histories are not supported by this version; give "
          + "past_intervals and same_interval_since");
    }
    sameIntervalSince = m.integer("same_interval_since", 0, Eversion.MAX_EPOCH);
    sameUpSince = m.integer("same_up_since", sameIntervalSince, 0, Eversion.MAX_EPOCH);
    samePrimarySince = m.integer("same_primary_since", sameIntervalSince, 0, Eversion.MAX_EPOCH);
    List<JsonNode> pis = m.array("past_intervals", false);
    long prevLast = -1;
    for (int i = 0; i < pis.size(); i++) {
      String where = m.at("past_intervals[" + i + "]");
      Obj o = StrictJson.asObject(pis.get(i), where);
      long first = o.integer("first", 0, Eversion.MAX_EPOCH);
      long last = o.integer("last", 0, Eversion.MAX_EPOCH);
      if (first > last) {
        throw new ScenarioException(where, "first " + first + " is after last " + last);
      }
      if (prevLast >= 0 && first != prevLast + 1) {
        throw new ScenarioException(where + ".first", "intervals must be contiguous (previous last " + prevLast + ")");
      }
      List<Integer> iu = osdList(o, "up", false, null);
      List<Integer> ia = osdList(o, "acting", false, null);
      Integer iup = optOsd(o, "up_primary");
      Integer ip = optOsd(o, "primary");
      requireKnown(o, iu, ia, iup, ip);
      boolean rw = o.bool("maybe_went_rw", false);
      if (!o.has("maybe_went_rw")) {
        throw new ScenarioException(o.at("maybe_went_rw"), "missing required field");
      }
      o.done();
      intervals.add(new PgInterval(first, last, iu, ia, iup != null ? iup : iu.isEmpty() ? -1 : iu.get(0),
          ip != null ? ip : ia.isEmpty() ? -1 : ia.get(0), rw));
      prevLast = last;
    }
    if (!intervals.isEmpty() && prevLast != sameIntervalSince - 1) {
      throw new ScenarioException(m.at("past_intervals"), "must end at same_interval_since - 1 = "
          + (sameIntervalSince - 1));
    }
    m.done();
    for (int o : up) {
      requireUp(o, m.at("up"));
    }
    for (int o : acting) {
      requireUp(o, m.at("acting"));
    }
  }

  /** Every OSD an interval or event names must be one map.osds lists. */
  private void requireKnown(Obj o, List<Integer> up, List<Integer> acting, Integer upPrimary, Integer primary)
      throws ScenarioException {
    for (int i = 0; i < up.size(); i++) {
      requireOsd(up.get(i), o.at("up[" + i + "]"));
    }
    for (int i = 0; i < acting.size(); i++) {
      requireOsd(acting.get(i), o.at("acting[" + i + "]"));
    }
    if (upPrimary != null) {
      requireOsd(upPrimary, o.at("up_primary"));
    }
    if (primary != null) {
      requireOsd(primary, o.at("primary"));
    }
  }

  private void requireUp(int osd, String where) throws ScenarioException {
    requireOsd(osd, where);
    if (!osds.get(osd).up()) {
      throw new ScenarioException(where, "osd." + osd + " is down but listed");
    }
  }

  private List<Integer> osdList(Obj o, String field, boolean checkSize, Object unused) throws ScenarioException {
    List<JsonNode> raw = o.array(field, true);
    List<Integer> out = new ArrayList<>();
    for (int i = 0; i < raw.size(); i++) {
      int id = (int) StrictJson.asInteger(raw.get(i), o.at(field + "[" + i + "]"), 0, Integer.MAX_VALUE);
      if (out.contains(id)) {
        throw new ScenarioException(o.at(field + "[" + i + "]"), "osd." + id + " repeated");
      }
      if (checkSize) {
        requireOsd(id, o.at(field + "[" + i + "]"));
      }
      out.add(id);
    }
    if (checkSize && out.size() > size) {
      throw new ScenarioException(o.at(field), "more than pool.size (" + size + ") OSDs");
    }
    return out;
  }

  private static Integer optOsd(Obj o, String field) throws ScenarioException {
    JsonNode n = o.raw(field);
    if (n == null || n.isNull()) {
      return null;
    }
    return (int) StrictJson.asInteger(n, o.at(field), 0, Integer.MAX_VALUE);
  }

  private static SimCluster.Shard readShard(Obj o) throws ScenarioException {
    PgLog log = PglogFormat.readLog(o.object("log"));
    for (int i = 0; i < log.entries().size(); i++) {
      LogEntry e = log.entries().get(i);
      if (e.rollbackable()) {
        throw new ScenarioException(o.at("log.entries[" + i + "].rollbackable"), "a replicated pool cannot roll back");
      }
      if (!e.version().isAfter(log.tail())) {
        throw new ScenarioException(o.at("log.entries[" + i + "].version"), e.version() + " is not above the tail "
            + log.tail());
      }
    }
    log = new PgLog(log.tail(), log.head(), log.head(), log.entries());
    Obj infoObj = o.optObject("info");
    PgInfo info;
    if (infoObj == null) {
      info = new PgInfo(PglogFormat.SCENARIO_PG, log.head(), log.head(), log.tail(), ObjectNames.MAX, 0, List.of(),
          PgStats.EMPTY, 0, 0, new PgHistory(1, 1, 0, 0, 0, 0, 0, 0, 0));
    } else {
      Eversion lu = infoObj.version("last_update", log.head());
      if (!lu.equals(log.head())) {
        throw new ScenarioException(infoObj.at("last_update"), lu + " is not the log's head " + log.head());
      }
      Eversion lc = infoObj.version("last_complete", lu);
      if (lc.isAfter(lu)) {
        throw new ScenarioException(infoObj.at("last_complete"), lc + " is above last_update " + lu);
      }
      Eversion tail = infoObj.version("log_tail", log.tail());
      if (!tail.equals(log.tail())) {
        throw new ScenarioException(infoObj.at("log_tail"), tail + " is not the log's tail " + log.tail());
      }
      String lb = infoObj.string("last_backfill", ObjectNames.MAX);
      if (!lb.equals(ObjectNames.MIN) && !lb.equals(ObjectNames.MAX)) {
        StrictJson.checkObjectName(lb, infoObj.at("last_backfill"));
      }
      long les = infoObj.integer("last_epoch_started", 0, 0, Eversion.MAX_EPOCH);
      long lis = infoObj.integer("last_interval_started", les, 0, Eversion.MAX_EPOCH);
      Obj h = infoObj.optObject("history");
      PgHistory history;
      if (h == null) {
        history = new PgHistory(1, 1, les, lis, 0, 0, 0, 0, 0);
      } else {
        long created = h.integer("epoch_created", 1, 0, Eversion.MAX_EPOCH);
        long poolCreated = h.integer("epoch_pool_created", created, 0, Eversion.MAX_EPOCH);
        long hles = h.integer("last_epoch_started", les, 0, Eversion.MAX_EPOCH);
        long hlis = h.integer("last_interval_started", lis, 0, Eversion.MAX_EPOCH);
        long lec = h.integer("last_epoch_clean", 0, 0, Eversion.MAX_EPOCH);
        long lic = h.integer("last_interval_clean", lec, 0, Eversion.MAX_EPOCH);
        h.done();
        history = new PgHistory(created, poolCreated, hles, hlis, lec, lic, 0, 0, 0);
      }
      infoObj.done();
      info = new PgInfo(PglogFormat.SCENARIO_PG, lu, lc, tail, lb, 0, List.of(), PgStats.EMPTY, les, lis, history);
    }
    PgMissing missing = PgMissing.of(true, Map.of());
    Obj m = o.optObject("missing");
    if (m != null) {
      if (m.has("may_include_deletes") && !m.bool("may_include_deletes", true)) {
        throw new ScenarioException(m.at("may_include_deletes"), "the simulated cluster recovers deletes: must be true");
      }
      PgMissing read = PglogFormat.readMissing(m);
      for (Map.Entry<String, PgMissing.Item> e : read.items().entrySet()) {
        if (e.getValue().need().isAfter(info.lastUpdate())) {
          throw new ScenarioException(o.at("missing.items." + e.getKey() + ".need"), e.getValue().need()
              + " is above last_update " + info.lastUpdate());
        }
      }
      missing = PgMissing.of(true, read.items());
    }
    o.done();
    return new SimCluster.Shard(info, log, missing);
  }

  private void readEvent(Obj o) throws ScenarioException {
    if (o.has("drop")) {
      Obj d = o.object("drop");
      String kind = d.string("message");
      if (!List.of("query", "notify", "info", "log").contains(kind)) {
        throw new ScenarioException(d.at("message"), "unknown message kind \"" + kind + "\" (query, notify, info, log)");
      }
      Integer from = optOsd(d, "from");
      Integer to = optOsd(d, "to");
      for (String f : List.of("from", "to")) {
        Integer id = f.equals("from") ? from : to;
        if (id != null) {
          requireOsd(id, d.at(f));
        }
      }
      String type = d.has("type") ? d.string("type") : null;
      if (type != null && !List.of("INFO", "LOG", "FULLLOG", "MISSING").contains(type)) {
        throw new ScenarioException(d.at("type"), "unknown query type \"" + type + "\"");
      }
      int count = (int) d.integer("count", 1, 1, Integer.MAX_VALUE);
      d.done();
      o.done();
      drops.add(new SimCluster.Drop(kind, from, to, type, count));
      return;
    }
    JsonNode when = o.raw("when");
    if (when == null) {
      throw new ScenarioException(o.at("when"), "missing required field");
    }
    Integer osd = null;
    String state = null;
    int occurrence = 1;
    if (when.isTextual()) {
      if (!when.textValue().equals("idle")) {
        throw new ScenarioException(o.at("when"), "expected \"idle\" or {\"osd\", \"enters\"}");
      }
    } else {
      Obj w = StrictJson.asObject(when, o.at("when"));
      osd = (int) w.integer("osd", 0, Integer.MAX_VALUE);
      requireOsd(osd, w.at("osd"));
      state = w.string("enters");
      if (!STATES.contains(state)) {
        throw new ScenarioException(w.at("enters"), "unknown state \"" + state + "\"");
      }
      occurrence = (int) w.integer("occurrence", 1, 1, Integer.MAX_VALUE);
      w.done();
    }
    Obj m = o.object("map");
    List<SimCluster.OsdChange> changes = new ArrayList<>();
    List<JsonNode> list = m.array("osds", false);
    for (int i = 0; i < list.size(); i++) {
      Obj c = StrictJson.asObject(list.get(i), m.at("osds[" + i + "]"));
      int id = (int) c.integer("id", 0, Integer.MAX_VALUE);
      Boolean up = c.has("up") ? c.bool("up", true) : null;
      Long upFrom = c.has("up_from") ? c.integer("up_from", 0, Eversion.MAX_EPOCH) : null;
      Long upThru = c.has("up_thru") ? c.integer("up_thru", 0, Eversion.MAX_EPOCH) : null;
      Long lostAt = c.has("lost_at") ? c.integer("lost_at", 0, Eversion.MAX_EPOCH) : null;
      Boolean exists = c.has("exists") ? c.bool("exists", true) : null;
      c.done();
      changes.add(new SimCluster.OsdChange(id, up, upFrom, upThru, lostAt, exists));
    }
    List<Integer> up = m.has("up") ? osdList(m, "up", false, null) : null;
    List<Integer> acting = m.has("acting") ? osdList(m, "acting", false, null) : null;
    Integer upPrimary = optOsd(m, "up_primary");
    Integer primary = optOsd(m, "primary");
    requireKnown(m, up == null ? List.of() : up, acting == null ? List.of() : acting, upPrimary, primary);
    for (int i = 0; i < changes.size(); i++) {
      requireOsd(changes.get(i).id(), m.at("osds[" + i + "].id"));
    }
    m.done();
    o.done();
    mapEvents.add(new SimCluster.MapEvent(osd, state, occurrence, changes, up, acting, upPrimary, primary));
  }
}
