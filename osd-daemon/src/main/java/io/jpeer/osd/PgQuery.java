package io.jpeer.osd;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jpeer.core.interval.PgMapping;
import io.jpeer.core.machine.GetMissingDecision;
import io.jpeer.core.machine.PeeringMachine;
import io.jpeer.core.machine.PeeringRound;
import io.jpeer.core.types.PgHistory;
import io.jpeer.core.types.PgInfo;
import io.jpeer.core.types.PgMissing;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;

/**
 * {@code pg query}: the PG as its OSD sees it, in Ceph's shape (state, epoch, up, acting, info,
 * peer_info, recovery_state), plus {@code peering_history}: every state with enter and exit times,
 * and per peering round the GetMissing decisions (who was asked for LOG or FULLLOG, who was
 * skipped and why, each peer's missing set as computed).
 */
final class PgQuery {
  private static final JsonNodeFactory N = JsonNodeFactory.instance;
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSZ").withZone(ZoneOffset.UTC);
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private PgQuery() {}

  static String json(Pg pg, long epoch) {
    PeeringMachine m = pg.machine();
    PgMapping mp = m.mapping();
    ObjectNode o = N.objectNode();
    o.put("state", m.pgStateString());
    o.put("epoch", epoch);
    o.set("up", ints(mp.up()));
    o.set("acting", ints(mp.acting()));
    o.set("acting_recovery_backfill", strings(m.actingRecoveryBackfill()));
    o.set("info", info(m.info(), null));
    ArrayNode peers = o.putArray("peer_info");
    m.peerInfo().forEach((osd, i) -> peers.add(info(i, osd)));
    ArrayNode rs = o.putArray("recovery_state");
    List<Pg.StateVisit> visits = pg.history();
    // Ceph lists the current state stack, innermost first, showing only the states that describe
    // themselves (Primary, Clean, Recovering and the like add nothing there).
    for (int i = visits.size() - 1; i >= 0; i--) {
      Pg.StateVisit v = visits.get(i);
      if (v.exitedMicros() == 0 && QUERIED_STATES.contains(shortName(v.state()))) {
        ObjectNode s = rs.addObject();
        s.put("name", v.state());
        s.put("enter_time", time(v.enteredMicros()));
        describe(s, shortName(v.state()), m);
      }
    }
    // Per state entered in this interval and the one before: times, and what peering decided in
    // it (the prior set in GetInfo, the authoritative log in GetLog, each peer in GetMissing).
    ArrayNode hist = o.putArray("peering_history");
    List<PeeringRound> allRounds = m.rounds();
    for (Pg.StateVisit v : visits) {
      ObjectNode h = hist.addObject();
      h.put("state", v.state());
      h.put("epoch", v.epoch());
      h.put("enter_time", time(v.enteredMicros()));
      if (v.exitedMicros() != 0) {
        h.put("exit_time", time(v.exitedMicros()));
        h.put("duration_ms", v.durationMillis());
      }
      PeeringRound r = roundOf(allRounds, v.epoch());
      if (r != null) {
        switch (shortName(v.state())) {
          case "GetInfo" -> {
            if (r.priorSet() != null) {
              h.set("prior_set", priorSet(r));
            }
          }
          case "GetLog" -> {
            if (r.auth() != null) {
              h.put("auth", r.auth().osd());
            }
            if (r.getLog() != null) {
              h.put("get_log", "osd." + r.getLog().from() + " since " + r.getLog().since());
            }
          }
          case "GetMissing" -> {
            ObjectNode gm = h.putObject("get_missing");
            r.getMissing().forEach((osd, d) -> gm.set(Integer.toString(osd), decision(d)));
          }
          case "WaitUpThru" -> h.put("need_up_thru", r.needUpThru());
          default -> { }
        }
      }
    }
    ArrayNode rounds = o.putArray("peering_rounds");
    for (PeeringRound r : m.rounds()) {
      ObjectNode j = rounds.addObject();
      j.put("epoch", r.epoch());
      j.put("need_up_thru", r.needUpThru());
      if (r.priorSet() != null) {
        j.set("prior_set", priorSet(r));
      }
      if (r.auth() != null) {
        j.put("auth", r.auth().osd());
      }
      if (r.getLog() != null) {
        j.put("get_log", "osd." + r.getLog().from() + " since " + r.getLog().since());
      }
      ObjectNode gm = j.putObject("get_missing");
      r.getMissing().forEach((osd, d) -> gm.set(Integer.toString(osd), decision(d)));
      j.put("end_state", r.endState());
    }
    ObjectNode pm = o.putObject("peer_missing");
    m.peerMissing().forEach((osd, miss) -> pm.set(Integer.toString(osd), missing(miss)));
    o.set("missing", missing(m.missing()));
    try {
      return JSON.writeValueAsString(o);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The states whose entry Ceph's pg query shows in recovery_state (by their last name). */
  private static final java.util.Set<String> QUERIED_STATES = java.util.Set.of("Reset", "Started", "Peering",
      "GetInfo", "GetLog", "GetMissing", "WaitUpThru", "Down", "Incomplete", "WaitActingChange", "Active",
      "ReplicaActive");

  private static String shortName(String state) {
    return state.substring(state.lastIndexOf('/') + 1);
  }

  private static void describe(ObjectNode s, String state, PeeringMachine m) {
    switch (state) {
      case "Peering" -> {
        var ps = m.priorSet();
        if (ps != null) {
          s.set("probing_osds", strings(ps.probe()));
          s.set("down_osds_we_would_probe", ints(ps.down()));
        }
        s.set("peering_blocked_by", ints(m.blockedBy()));
      }
      case "Down", "Incomplete" -> s.set("blocked_by", ints(m.blockedBy()));
      default -> { }
    }
  }

  /** The peering round a visit belongs to: the last one started at or before its epoch. */
  private static PeeringRound roundOf(List<PeeringRound> rounds, long epoch) {
    PeeringRound found = null;
    for (PeeringRound r : rounds) {
      if (r.epoch() <= epoch) {
        found = r;
      }
    }
    return found;
  }

  private static ObjectNode priorSet(PeeringRound r) {
    ObjectNode ps = N.objectNode();
    ps.set("probe", ints(r.priorSet().probe()));
    ps.set("down", ints(r.priorSet().down()));
    ps.set("blocked_by", ints(r.priorSet().blockedBy().keySet()));
    ps.put("pg_down", r.priorSet().pgDown());
    return ps;
  }

  private static ObjectNode decision(GetMissingDecision d) {
    ObjectNode j = N.objectNode();
    j.put("decision", d.decision());
    if (d.since() != null) {
      j.put("since", d.since().toString());
    }
    if (d.result() != null) {
      j.put("last_update", d.result().lastUpdate().toString());
      j.put("last_complete", d.result().lastComplete().toString());
      j.set("missing", missing(d.result().missing()));
    }
    return j;
  }

  private static ArrayNode missing(PgMissing m) {
    ArrayNode a = N.arrayNode();
    m.items().forEach((oid, it) -> {
      ObjectNode j = a.addObject();
      j.put("object", oid);
      j.put("need", it.need().toString());
      j.put("have", it.have().toString());
      if (it.isDelete()) {
        j.put("is_delete", true);
      }
    });
    return a;
  }

  private static ObjectNode info(PgInfo i, Integer peer) {
    ObjectNode j = N.objectNode();
    if (peer != null) {
      j.put("peer", Integer.toString(peer));
    }
    j.put("pgid", i.pgid().toString());
    j.put("last_update", i.lastUpdate().toString());
    j.put("last_complete", i.lastComplete().toString());
    j.put("log_tail", i.logTail().toString());
    j.put("last_user_version", i.lastUserVersion());
    j.put("last_backfill", i.lastBackfill());
    j.putArray("purged_snaps");
    PgHistory h = i.history();
    ObjectNode hj = j.putObject("history");
    hj.put("epoch_created", h.epochCreated());
    hj.put("epoch_pool_created", h.epochPoolCreated());
    hj.put("last_epoch_started", h.lastEpochStarted());
    hj.put("last_interval_started", h.lastIntervalStarted());
    hj.put("last_epoch_clean", h.lastEpochClean());
    hj.put("last_interval_clean", h.lastIntervalClean());
    hj.put("same_up_since", h.sameUpSince());
    hj.put("same_interval_since", h.sameIntervalSince());
    hj.put("same_primary_since", h.samePrimarySince());
    ObjectNode st = j.putObject("stats");
    st.put("version", i.stats().version().toString());
    st.put("reported_seq", i.stats().reportedSeq());
    st.put("reported_epoch", i.stats().reportedEpoch());
    st.put("num_objects", i.stats().numObjects());
    j.put("empty", i.isEmpty() ? 1 : 0);
    j.put("dne", i.dne() ? 1 : 0);
    j.put("incomplete", i.isIncomplete() ? 1 : 0);
    j.put("last_epoch_started", i.lastEpochStarted());
    return j;
  }

  private static ArrayNode ints(java.util.Collection<Integer> c) {
    ArrayNode a = N.arrayNode();
    c.forEach(a::add);
    return a;
  }

  private static ArrayNode strings(java.util.Collection<Integer> c) {
    ArrayNode a = N.arrayNode();
    c.forEach(x -> a.add(Integer.toString(x)));
    return a;
  }

  private static String time(long micros) {
    return TIME.format(Instant.ofEpochSecond(micros / 1_000_000, (micros % 1_000_000) * 1_000));
  }
}
