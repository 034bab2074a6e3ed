package io.jpeer.cli.scenario.pgsim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jpeer.cli.scenario.JsonText;
import io.jpeer.cli.scenario.ScenarioException;
import io.jpeer.cli.scenario.ScenarioRunner;
import io.jpeer.cli.scenario.StrictJson;
import io.jpeer.cli.scenario.pglog.PglogFormat;
import io.jpeer.core.interval.PgInterval;
import io.jpeer.core.interval.PgMapping;
import io.jpeer.core.interval.PriorSet;
import io.jpeer.core.machine.AuthChoice;
import io.jpeer.core.machine.GetMissingDecision;
import io.jpeer.core.machine.PeeringMachine;
import io.jpeer.core.machine.PeeringRound;
import io.jpeer.core.sim.SimCluster;
import io.jpeer.core.types.LogEntry;
import io.jpeer.core.types.PgHistory;
import io.jpeer.core.types.PgInfo;
import io.jpeer.core.types.PgLog;
import io.jpeer.core.types.PgMissing;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/** One {@code osdctl pgsim} file: reads the scenario, runs the simulator, prints the result. */
public final class PgsimScenario {
  private PgsimScenario() {}

  /** The simulation itself failed (a machine went to Crashed): exit 1. */
  public static final class SimulationFailed extends RuntimeException implements ScenarioRunner.Failure {
    public SimulationFailed(String message) {
      super(message);
    }
  }

  public static JsonNode run(Path file) throws ScenarioException {
    return run(StrictJson.readFile(file));
  }

  public static JsonNode run(StrictJson.Obj top) throws ScenarioException {
    PgsimInput in = PgsimInput.read(top);
    SimCluster sim = new SimCluster(in.pgid, in.size, in.minSize, in.epoch, List.copyOf(in.osds.values()), in.mapping,
        in.sameIntervalSince, in.sameUpSince, in.samePrimarySince, in.intervals, in.shards, in.mapEvents, in.drops,
        new SimCluster.Settings(in.grantUpThru, in.grantPgTemp, in.maxNewEpochs, in.machine));
    try {
      sim.run();
    } catch (SimCluster.SimulationFailure e) {
      throw new SimulationFailed(e.getMessage());
    }
    return output(in, sim);
  }

  static JsonNode output(PgsimInput in, SimCluster sim) {
    ObjectNode o = JsonText.NODES.objectNode();
    PgMapping m = sim.mapping();
    PeeringMachine p = sim.finalPrimary();
    o.put("pgid", in.pgidText);
    o.put("epoch", sim.map().epoch());
    o.set("up", ints(m.up()));
    o.set("acting", ints(m.acting()));
    putOsd(o, "up_primary", m.upPrimary());
    putOsd(o, "primary", m.actingPrimary());
    o.put("final_state", p == null ? null : sim.lastState(m.actingPrimary()));
    o.put("activated_as", p == null ? null : p.activatedAs());
    o.put("need_up_thru", p != null && p.needUpThru());
    o.set("blocked_by", ints(p == null ? List.of() : new TreeSet<>(p.blockedBy())));
    o.put("stop_reason", sim.stopReason());
    ArrayNode past = o.putArray("past_intervals");
    for (PgInterval i : sim.startIntervals()) {
      past.add(interval(i));
    }
    ArrayNode maps = o.putArray("maps");
    for (SimCluster.PublishedMap pm : sim.published()) {
      ObjectNode j = maps.addObject();
      j.put("epoch", pm.epoch());
      j.put("reason", pm.reason());
      j.set("up", ints(pm.mapping().up()));
      j.set("acting", ints(pm.mapping().acting()));
      putOsd(j, "up_primary", pm.mapping().upPrimary());
      putOsd(j, "primary", pm.mapping().actingPrimary());
    }
    ArrayNode queries = o.putArray("queries");
    for (SimCluster.SentQuery q : sim.queries()) {
      ObjectNode j = queries.addObject();
      j.put("from", q.from());
      j.put("to", q.to());
      j.put("type", q.type());
      if (q.since() != null) {
        j.put("since", q.since());
      }
      j.put("epoch", q.epoch());
      j.put("dropped", q.dropped());
    }
    ObjectNode states = o.putObject("states");
    new TreeMap<>(sim.states()).forEach((osd, list) -> {
      ArrayNode a = states.putArray(Integer.toString(osd));
      list.forEach(a::add);
    });
    ArrayNode rounds = o.putArray("rounds");
    List<PeeringRound> all = new java.util.ArrayList<>();
    for (PeeringMachine mach : sim.allMachinesEverRun()) {
      all.addAll(mach.rounds());
    }
    all.sort(java.util.Comparator.comparingLong(PeeringRound::epoch));
    for (PeeringRound r : all) {
      rounds.add(round(r));
    }
    PeeringRound last = p == null || p.rounds().isEmpty() ? null : p.rounds().get(p.rounds().size() - 1);
    o.set("prior_set", last == null || last.priorSet() == null ? JsonText.NODES.nullNode() : priorSet(last.priorSet()));
    o.set("auth", last == null || last.auth() == null ? JsonText.NODES.nullNode() : auth(last.auth()));
    o.set("want_acting", last == null || last.wantActing() == null ? JsonText.NODES.nullNode() : ints(last.wantActing()));
    o.set("pg_temp_requested", last == null || last.pgTempRequested() == null ? JsonText.NODES.nullNode()
        : ints(last.pgTempRequested()));
    o.set("acting_recovery_backfill", ints(last == null ? List.of() : last.actingRecoveryBackfill()));
    o.set("backfill_targets", ints(last == null ? List.of() : last.backfillTargets()));
    o.set("get_log", last == null ? JsonText.NODES.nullNode() : getLog(last.getLog()));
    o.set("get_missing", last == null ? JsonText.NODES.objectNode() : getMissing(last.getMissing()));
    o.set("missing", PglogFormat.missingJson(p == null ? PgMissing.of(true, Map.of()) : p.missing()));
    ObjectNode peerInfo = o.putObject("peer_info");
    ObjectNode peerMissing = o.putObject("peer_missing");
    ObjectNode activation = o.putObject("activation_messages");
    if (p != null) {
      p.peerInfo().forEach((osd, i) -> peerInfo.set(Integer.toString(osd), info(i)));
      p.peerMissing().forEach((osd, pm) -> peerMissing.set(Integer.toString(osd), PglogFormat.missingJson(pm)));
      p.activationMessages().forEach((osd, a) -> {
        ObjectNode j = activation.putObject(Integer.toString(osd));
        j.put("kind", a.kind());
        j.put("backfill", a.backfill());
        ArrayNode entries = j.putArray("entries");
        for (LogEntry e : a.entries()) {
          entries.add(PglogFormat.entryJson(e));
        }
      });
    }
    ObjectNode shards = o.putObject("shards");
    sim.shards().forEach((osd, s) -> {
      ObjectNode j = shards.putObject(Integer.toString(osd));
      j.put("running", sim.running().containsKey(osd));
      j.put("state", sim.lastState(osd));
      j.set("info", info(s.info()));
      j.set("log", log(s.log()));
      j.set("missing", PglogFormat.missingJson(PgMissing.of(true, s.missing().items())));
    });
    return o;
  }

  private static void putOsd(ObjectNode o, String field, int osd) {
    if (osd < 0) {
      o.putNull(field);
    } else {
      o.put(field, osd);
    }
  }

  private static ArrayNode ints(Collection<Integer> list) {
    ArrayNode a = JsonText.NODES.arrayNode();
    list.forEach(a::add);
    return a;
  }

  private static ObjectNode interval(PgInterval i) {
    ObjectNode j = JsonText.NODES.objectNode();
    j.put("first", i.first());
    j.put("last", i.last());
    j.set("up", ints(i.up()));
    j.set("acting", ints(i.acting()));
    putOsd(j, "up_primary", i.upPrimary());
    putOsd(j, "primary", i.primary());
    j.put("maybe_went_rw", i.maybeWentRw());
    return j;
  }

  private static ObjectNode round(PeeringRound r) {
    ObjectNode j = JsonText.NODES.objectNode();
    j.put("primary", r.primary());
    j.put("epoch", r.epoch());
    j.set("prior_set", r.priorSet() == null ? JsonText.NODES.nullNode() : priorSet(r.priorSet()));
    j.put("need_up_thru", r.needUpThru());
    j.set("auth", r.auth() == null ? JsonText.NODES.nullNode() : auth(r.auth()));
    j.set("want_acting", r.wantActing() == null ? JsonText.NODES.nullNode() : ints(r.wantActing()));
    j.set("pg_temp_requested", r.pgTempRequested() == null ? JsonText.NODES.nullNode() : ints(r.pgTempRequested()));
    j.set("acting_recovery_backfill", ints(r.actingRecoveryBackfill()));
    j.set("backfill_targets", ints(r.backfillTargets()));
    j.set("get_log", getLog(r.getLog()));
    j.set("get_missing", getMissing(r.getMissing()));
    j.put("end_state", r.endState());
    return j;
  }

  private static ObjectNode priorSet(PriorSet p) {
    ObjectNode j = JsonText.NODES.objectNode();
    j.set("probe", ints(p.probe()));
    j.set("down", ints(p.down()));
    j.set("blocked_by", ints(p.blockedBy().keySet()));
    j.put("pg_down", p.pgDown());
    return j;
  }

  private static ObjectNode auth(AuthChoice a) {
    ObjectNode j = JsonText.NODES.objectNode();
    putOsd(j, "osd", a.osd());
    ArrayNode d = j.putArray("decided_by");
    a.decidedBy().forEach(d::add);
    j.set("candidates", ints(a.candidates()));
    ObjectNode ex = j.putObject("excluded");
    a.excluded().forEach((osd, why) -> ex.put(Integer.toString(osd), why));
    j.put("max_last_epoch_started", a.maxLastEpochStarted());
    if (a.minLastUpdateAcceptable() == null) {
      j.putNull("min_last_update_acceptable");
    } else {
      j.put("min_last_update_acceptable", a.minLastUpdateAcceptable().toString());
    }
    return j;
  }

  private static JsonNode getLog(PeeringRound.GetLogRequest g) {
    if (g == null) {
      return JsonText.NODES.nullNode();
    }
    ObjectNode j = JsonText.NODES.objectNode();
    j.put("from", g.from());
    j.put("since", g.since().toString());
    return j;
  }

  private static ObjectNode getMissing(Map<Integer, GetMissingDecision> decisions) {
    ObjectNode j = JsonText.NODES.objectNode();
    new TreeMap<>(decisions).forEach((osd, d) -> {
      ObjectNode e = j.putObject(Integer.toString(osd));
      e.put("decision", d.decision());
      if (d.since() != null) {
        e.put("since", d.since().toString());
      }
      if (d.result() != null) {
        ObjectNode r = e.putObject("result");
        r.put("last_update", d.result().lastUpdate().toString());
        r.put("last_complete", d.result().lastComplete().toString());
        r.set("missing", PglogFormat.missingJson(PgMissing.of(true, d.result().missing().items())));
      }
    });
    return j;
  }

  static ObjectNode info(PgInfo i) {
    ObjectNode j = JsonText.NODES.objectNode();
    j.put("last_update", i.lastUpdate().toString());
    j.put("last_complete", i.lastComplete().toString());
    j.put("log_tail", i.logTail().toString());
    j.put("last_backfill", i.lastBackfill());
    j.put("last_epoch_started", i.lastEpochStarted());
    j.put("last_interval_started", i.lastIntervalStarted());
    PgHistory h = i.history();
    ObjectNode hj = j.putObject("history");
    hj.put("epoch_created", h.epochCreated());
    hj.put("epoch_pool_created", h.epochPoolCreated());
    hj.put("last_epoch_started", h.lastEpochStarted());
    hj.put("last_interval_started", h.lastIntervalStarted());
    hj.put("last_epoch_clean", h.lastEpochClean());
    hj.put("last_interval_clean", h.lastIntervalClean());
    hj.put("same_interval_since", h.sameIntervalSince());
    hj.put("same_up_since", h.sameUpSince());
    hj.put("same_primary_since", h.samePrimarySince());
    return j;
  }

  private static ObjectNode log(PgLog l) {
    ObjectNode j = PglogFormat.logJson(new PgLog(l.tail(), l.head(), l.head(), l.entries()));
    return j;
  }
}
