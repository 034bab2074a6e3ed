package io.jpeer.cli.scenario.pglog;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jpeer.cli.scenario.JsonText;
import io.jpeer.cli.scenario.ScenarioException;
import io.jpeer.cli.scenario.StrictJson;
import io.jpeer.cli.scenario.StrictJson.Obj;
import io.jpeer.core.log.LogResult;
import io.jpeer.core.types.Eversion;
import io.jpeer.core.types.LogEntry;
import io.jpeer.core.types.LogOp;
import io.jpeer.core.types.ObjectNames;
import io.jpeer.core.types.PgHistory;
import io.jpeer.core.types.PgId;
import io.jpeer.core.types.PgInfo;
import io.jpeer.core.types.PgLog;
import io.jpeer.core.types.PgMissing;
import io.jpeer.core.types.PgStats;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The building blocks of pglog (and pgsim) scenario files, read strictly into core types and
 * printed back in canonical form (docs: pglog-scenarios.md, "Building blocks" and "Result object").
 */
public final class PglogFormat {
  /** Scenario files carry no pgid; the core's types want one. */
  public static final PgId SCENARIO_PG = new PgId(0, 0);

  private PglogFormat() {}

  /** A shard as read from a file. */
  public record Shard(PgLog log, PgInfo info, PgMissing missing) {}

  public static Shard readShard(Obj o, boolean withMissing) throws ScenarioException {
    PgLog log = readLog(o.object("log"));
    Obj infoObj = o.optObject("info");
    PgInfo info = readInfo(infoObj, log, infoObj == null ? o.at("info") : infoObj.path());
    PgMissing missing = PgMissing.EMPTY;
    if (withMissing) {
      Obj m = o.optObject("missing");
      missing = m == null ? PgMissing.EMPTY : readMissing(m);
    }
    o.done();
    return new Shard(log, info, missing);
  }

  public static PgLog readLog(Obj o) throws ScenarioException {
    Eversion tail = o.version("tail", Eversion.ZERO);
    List<JsonNode> raw = o.array("entries", false);
    List<LogEntry> entries = new ArrayList<>(raw.size());
    LogEntry prev = null;
    for (int i = 0; i < raw.size(); i++) {
      String path = o.at("entries[" + i + "]");
      LogEntry e = readEntry(StrictJson.asObject(raw.get(i), path));
      if (prev != null) {
        if (!e.version().isAfter(prev.version())) {
          throw new ScenarioException(path + ".version", e.version() + " is not newer than the previous entry "
              + prev.version());
        }
        if (e.version().compareCounter(prev.version()) <= 0) {
          throw new ScenarioException(path + ".version", e.version() + " does not have a greater counter than the "
              + "previous entry " + prev.version());
        }
      }
      entries.add(e);
      prev = e;
    }
    Eversion newest = prev == null ? tail : prev.version();
    Eversion head = o.version("head", newest);
    if (head.isBefore(tail)) {
      throw new ScenarioException(o.at("head"), "head " + head + " is below the tail " + tail);
    }
    if (head.isBefore(newest)) {
      throw new ScenarioException(o.at("head"), "head " + head + " is below the newest entry " + newest);
    }
    Eversion crt = o.version("can_rollback_to", Eversion.ZERO);
    o.done();
    return new PgLog(tail, head, crt, entries);
  }

  public static LogEntry readEntry(Obj o) throws ScenarioException {
    Eversion version = o.version("version");
    String opName = o.string("op");
    LogOp op = LogOp.fromJsonName(opName);
    if (op == null) {
      throw new ScenarioException(o.at("op"), "unknown op \"" + opName + "\"");
    }
    String oid = StrictJson.checkObjectName(o.string("oid"), o.at("oid"));
    Eversion prior = o.version("prior_version", Eversion.ZERO);
    boolean rollbackable = o.bool("rollbackable", false);
    o.done();
    return new LogEntry(op, oid, version, prior, null, 0, rollbackable, 0);
  }

  /** Reads an info (or its defaults when {@code o} is null) relative to its shard's log. */
  public static PgInfo readInfo(Obj o, PgLog log, String path) throws ScenarioException {
    if (o == null) {
      return new PgInfo(SCENARIO_PG, log.head(), log.head(), log.tail(), ObjectNames.MAX, 0, List.of(),
          PgStats.EMPTY, 0, 0, PgHistory.EMPTY);
    }
    Eversion lu = o.version("last_update", log.head());
    Eversion lc = o.version("last_complete", lu);
    Eversion tail = o.version("log_tail", log.tail());
    String lb = o.string("last_backfill", ObjectNames.MAX);
    if (!lb.equals(ObjectNames.MIN) && !lb.equals(ObjectNames.MAX)) {
      StrictJson.checkObjectName(lb, o.at("last_backfill"));
    }
    long luv = o.integer("last_user_version", 0, 0, Long.MAX_VALUE);
    TreeSet<Long> snaps = new TreeSet<>();
    List<JsonNode> rawSnaps = o.array("purged_snaps", false);
    for (int i = 0; i < rawSnaps.size(); i++) {
      snaps.add(StrictJson.asInteger(rawSnaps.get(i), o.at("purged_snaps[" + i + "]"), 0, Long.MAX_VALUE));
    }
    PgStats stats = PgStats.EMPTY;
    Obj s = o.optObject("stats");
    if (s != null) {
      stats = new PgStats(s.version("version", Eversion.ZERO), s.integer("reported_seq", 0, 0, Long.MAX_VALUE),
          s.integer("reported_epoch", 0, 0, Eversion.MAX_EPOCH), 0, 0);
      s.done();
    }
    o.done();
    return new PgInfo(SCENARIO_PG, lu, lc, tail, lb, luv, new ArrayList<>(snaps), stats, 0, 0, PgHistory.EMPTY);
  }

  public static PgMissing readMissing(Obj o) throws ScenarioException {
    boolean mayIncludeDeletes = o.bool("may_include_deletes", false);
    Map<String, PgMissing.Item> items = new TreeMap<>();
    Obj raw = o.optObject("items");
    if (raw != null) {
      for (String name : raw.fieldNames()) {
        String path = raw.at(name);
        StrictJson.checkObjectName(name, path);
        Obj it = StrictJson.asObject(raw.raw(name), path);
        items.put(name, new PgMissing.Item(it.version("need"), it.version("have", Eversion.ZERO),
            it.bool("is_delete", false)));
        it.done();
      }
    }
    o.done();
    return PgMissing.of(mayIncludeDeletes, items);
  }

  // ---- output ----

  public static ObjectNode entryJson(LogEntry e) {
    ObjectNode o = JsonText.NODES.objectNode();
    o.put("version", e.version().toString());
    o.put("op", e.op().jsonName());
    o.put("oid", e.oid());
    o.put("prior_version", e.priorVersion().toString());
    o.put("rollbackable", e.rollbackable());
    return o;
  }

  public static ObjectNode logJson(PgLog log) {
    ObjectNode o = JsonText.NODES.objectNode();
    o.put("tail", log.tail().toString());
    o.put("head", log.head().toString());
    o.put("can_rollback_to", log.canRollbackTo().toString());
    ArrayNode entries = o.putArray("entries");
    for (LogEntry e : log.entries()) {
      entries.add(entryJson(e));
    }
    ObjectNode objects = o.putObject("objects");
    log.objectVersions().forEach((k, v) -> objects.put(k, v.toString()));
    return o;
  }

  public static ObjectNode infoJson(PgInfo info) {
    ObjectNode o = JsonText.NODES.objectNode();
    o.put("last_update", info.lastUpdate().toString());
    o.put("last_complete", info.lastComplete().toString());
    o.put("log_tail", info.logTail().toString());
    o.put("last_backfill", info.lastBackfill());
    o.put("last_user_version", info.lastUserVersion());
    ArrayNode snaps = o.putArray("purged_snaps");
    new TreeSet<>(info.purgedSnaps()).forEach(snaps::add);
    ObjectNode stats = o.putObject("stats");
    stats.put("version", info.stats().version().toString());
    stats.put("reported_seq", info.stats().reportedSeq());
    stats.put("reported_epoch", info.stats().reportedEpoch());
    return o;
  }

  public static ObjectNode missingJson(PgMissing m) {
    ObjectNode o = JsonText.NODES.objectNode();
    o.put("may_include_deletes", m.mayIncludeDeletes());
    ObjectNode items = o.putObject("items");
    m.items().forEach((k, v) -> {
      ObjectNode it = items.putObject(k);
      it.put("need", v.need().toString());
      it.put("have", v.have().toString());
      it.put("is_delete", v.isDelete());
    });
    return o;
  }

  public static ObjectNode resultJson(String op, LogResult r) {
    ObjectNode o = JsonText.NODES.objectNode();
    o.put("op", op);
    o.set("log", logJson(r.log()));
    o.set("info", infoJson(r.info()));
    o.set("missing", missingJson(r.missing()));
    ArrayNode removed = o.putArray("removed");
    r.removed().forEach(removed::add);
    ArrayNode rolledBack = o.putArray("rolled_back");
    r.rolledBack().forEach(e -> rolledBack.add(e.version().toString()));
    ArrayNode trimmed = o.putArray("trimmed");
    r.trimmed().forEach(e -> trimmed.add(e.version().toString()));
    ObjectNode dirty = o.putObject("dirty");
    dirty.put("log", r.dirty().log());
    dirty.put("entries", r.dirty().entries());
    dirty.put("missing", r.dirty().missing());
    dirty.put("info", r.dirty().info());
    dirty.put("big_info", r.dirty().bigInfo());
    if (r.activated() != null) {
      ObjectNode a = o.putObject("activated");
      a.set("info", infoJson(r.activated().info()));
      a.set("missing", missingJson(r.activated().missing()));
    }
    return o;
  }
}
