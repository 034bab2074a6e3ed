package io.jpeer.core.machine;

import static io.jpeer.core.machine.PeeringStateName.ACTIVATING;
import static io.jpeer.core.machine.PeeringStateName.ACTIVE;
import static io.jpeer.core.machine.PeeringStateName.BACKFILLING;
import static io.jpeer.core.machine.PeeringStateName.RECOVERING;
import static io.jpeer.core.machine.PeeringStateName.CLEAN;
import static io.jpeer.core.machine.PeeringStateName.DOWN;
import static io.jpeer.core.machine.PeeringStateName.GET_INFO;
import static io.jpeer.core.machine.PeeringStateName.GET_LOG;
import static io.jpeer.core.machine.PeeringStateName.GET_MISSING;
import static io.jpeer.core.machine.PeeringStateName.INCOMPLETE;
import static io.jpeer.core.machine.PeeringStateName.INITIAL;
import static io.jpeer.core.machine.PeeringStateName.PEERING;
import static io.jpeer.core.machine.PeeringStateName.PRIMARY;
import static io.jpeer.core.machine.PeeringStateName.RECOVERED;
import static io.jpeer.core.machine.PeeringStateName.REPLICA_ACTIVE;
import static io.jpeer.core.machine.PeeringStateName.RESET;
import static io.jpeer.core.machine.PeeringStateName.STARTED;
import static io.jpeer.core.machine.PeeringStateName.STRAY;
import static io.jpeer.core.machine.PeeringStateName.WAIT_ACTING_CHANGE;
import static io.jpeer.core.machine.PeeringStateName.WAIT_LOCAL_BACKFILL_RESERVED;
import static io.jpeer.core.machine.PeeringStateName.WAIT_LOCAL_RECOVERY_RESERVED;
import static io.jpeer.core.machine.PeeringStateName.WAIT_UP_THRU;

import io.jpeer.core.interval.OsdMapView;
import io.jpeer.core.interval.PastIntervals;
import io.jpeer.core.interval.PgInterval;
import io.jpeer.core.interval.PgMapping;
import io.jpeer.core.interval.PriorSet;
import io.jpeer.core.log.LogResult;
import io.jpeer.core.log.PgLogs;
import io.jpeer.core.machine.PeeringMessage.QueryType;
import io.jpeer.core.types.Eversion;
import io.jpeer.core.types.LogEntry;
import io.jpeer.core.types.ObjectNames;
import io.jpeer.core.types.PgHistory;
import io.jpeer.core.types.PgId;
import io.jpeer.core.types.PgInfo;
import io.jpeer.core.types.PgLog;
import io.jpeer.core.types.PgMissing;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One PG's peering state machine on one OSD (Ceph's PeeringState), for a replicated pool. Pure and
 * deterministic: {@link #handle} takes an event and returns the effects the runtime must carry out
 * (persist, send, ask the monitor, queue a follow-up event); it reads no clock, starts no thread and
 * iterates peers in OSD order. Events go to the innermost state and bubble outwards; events a state
 * posts to itself are handled before {@code handle} returns. An event no state handles is logged,
 * counted ({@link #unhandledEvents()}) and dropped: a daemon must not die of it.
 */
public final class PeeringMachine {
  private static final Logger log = LoggerFactory.getLogger(PeeringMachine.class);

  // Internal events (Ceph posts these to itself).
  private record AdvMapEv(OsdMapView map, OsdMapView lastMap) {}

  private record MakePrimary() {}

  private record MakeStray() {}

  private record GotInfo() {}

  private record IsDown() {}

  private record GotLog() {}

  private record IsIncomplete() {}

  private record NeedActingChange() {}

  private record NeedUpThruEv() {}

  private record Activate(long activationEpoch) {}

  private record AllReplicasActivated() {}

  private record GoClean() {}

  private record MNotifyRec(int from, PeeringMessage.Notify msg) {}

  private record MInfoRec(int from, PeeringMessage.Info msg) {}

  private record MLogRec(int from, PeeringMessage.Log msg) {}

  private record MQuery(int from, PeeringMessage.Query msg) {}

  private final PgId pgid;
  private final int whoami;
  private final MachineConfig config;

  private PeeringStateName state = INITIAL;
  private OsdMapView map;
  private PgMapping mapping;
  private PgInfo info;
  private PgLog pgLog;
  private PgMissing missing;
  private PastIntervals pastIntervals;
  private long lastPeeringReset;
  private boolean sendNotify;

  // Primary-only state, cleared on every interval change.
  private final TreeMap<Integer, PgInfo> peerInfo = new TreeMap<>();
  private final TreeMap<Integer, PgMissing> peerMissing = new TreeMap<>();
  private final TreeSet<Integer> peerInfoRequested = new TreeSet<>();
  private final TreeSet<Integer> peerMissingRequested = new TreeSet<>();
  private final TreeSet<Integer> peerActivated = new TreeSet<>();
  private final TreeSet<Integer> strays = new TreeSet<>();
  private final TreeSet<Integer> peerPurged = new TreeSet<>();
  private final MissingLoc missingLoc = new MissingLoc();
  private final TreeSet<Integer> mightHaveUnfound = new TreeSet<>();
  private final TreeSet<Integer> blockedBy = new TreeSet<>();
  private final TreeSet<Integer> actingRecoveryBackfill = new TreeSet<>();
  private final TreeSet<Integer> backfillTargets = new TreeSet<>();
  private final Map<Integer, ActivationMessage> activationMessages = new TreeMap<>();
  private List<Integer> wantActing = List.of();
  private PriorSet priorSet;
  private boolean needUpThru;
  private int authLogShard = -1;
  private boolean allReplicasActivated;
  private boolean activated;        // this round reached AllReplicasActivated (primary) or committed (replica)
  private boolean activatedActive;  // ... with at least min_size (ACTIVE rather than PEERED)

  // Round bookkeeping (pg query / pgsim).
  private final List<PeeringRound> rounds = new ArrayList<>();
  private RoundBuilder round;

  private final ArrayDeque<Object> posted = new ArrayDeque<>();
  private List<Effect> out = new ArrayList<>();
  private final List<Effect> queued = new ArrayList<>();
  private long unhandled;
  private String lastUnhandled;

  /** What the primary sent a peer at its last activation. */
  public record ActivationMessage(String kind, boolean backfill, List<LogEntry> entries) {}

  /**
   * A PG as stored on this OSD, set up as though this OSD had just processed {@code map}, the map
   * that began the current interval (history's interval fields must already say so).
   */
  public PeeringMachine(PgId pgid, int whoami, OsdMapView map, PgInfo info, PgLog pgLog, PgMissing missing,
      PastIntervals pastIntervals, MachineConfig config) {
    this.pgid = pgid;
    this.whoami = whoami;
    this.config = config;
    this.map = map;
    this.mapping = map.mapping(pgid);
    this.info = info;
    this.pgLog = pgLog;
    this.missing = missing;
    this.pastIntervals = pastIntervals;
    this.lastPeeringReset = map.epoch();
    this.sendNotify = !isPrimary();
    out.add(new Effect.StateEntered(INITIAL.fullName(), map.epoch()));
  }

  // ---- public API -----------------------------------------------------------------------------

  /** Feeds one event; returns what the runtime must do, in order. */
  public List<Effect> handle(PeeringEvent event) {
    PgInfo info0 = info;
    PgLog log0 = pgLog;
    PgMissing missing0 = missing;
    PastIntervals pi0 = pastIntervals;
    Object ev = event;
    if (event instanceof PeeringEvent.AdvMap a) {
      OsdMapView last = map;
      map = a.map();
      ev = new AdvMapEv(a.map(), last);
    } else if (event instanceof PeeringEvent.MessageReceived m) {
      ev = wrap(m.message());
    }
    if (ev != null) {
      dispatch(ev);
    }
    while (!posted.isEmpty()) {
      dispatch(posted.poll());
    }
    if (log.isInfoEnabled()) {
      logTransitions();
    }
    List<Effect> result = new ArrayList<>(out.size() + queued.size() + 1);
    if (info != info0 || pgLog != log0 || missing != missing0 || pastIntervals != pi0) {
      result.add(new Effect.Persist(info, pgLog, missing, pastIntervals));
    }
    result.addAll(out);
    result.addAll(queued);
    out = new ArrayList<>();
    queued.clear();
    return result;
  }

  /**
   * Every state this event entered, as one line (pgid, epoch, states in order): one log call per
   * event rather than per state keeps info logging cheap enough for thousands of PGs a second.
   */
  private void logTransitions() {
    StringBuilder sb = null;
    for (Effect e : out) {
      if (e instanceof Effect.StateEntered se) {
        if (sb == null) {
          sb = new StringBuilder(96).append(se.state());
        } else {
          sb.append(", ").append(se.state());
        }
      }
    }
    if (sb != null) {
      log.info("pg {} e{} enter {}", pgid, epoch(), sb);
    }
  }

  public PgId pgid() {
    return pgid;
  }

  public int whoami() {
    return whoami;
  }

  public PeeringStateName state() {
    return state;
  }

  public String stateName() {
    return state.fullName();
  }

  public PgInfo info() {
    return info;
  }

  public PgLog pgLog() {
    return pgLog;
  }

  public PgMissing missing() {
    return missing;
  }

  public PastIntervals pastIntervals() {
    return pastIntervals;
  }

  public PgMapping mapping() {
    return mapping;
  }

  public boolean isPrimary() {
    return mapping.actingPrimary() == whoami;
  }

  public long lastPeeringReset() {
    return lastPeeringReset;
  }

  public boolean needUpThru() {
    return needUpThru;
  }

  public Map<Integer, PgInfo> peerInfo() {
    return Collections.unmodifiableMap(peerInfo);
  }

  public Map<Integer, PgMissing> peerMissing() {
    return Collections.unmodifiableMap(peerMissing);
  }

  public Set<Integer> blockedBy() {
    return Collections.unmodifiableSet(blockedBy);
  }

  public PriorSet priorSet() {
    return priorSet;
  }

  public Set<Integer> actingRecoveryBackfill() {
    return Collections.unmodifiableSet(actingRecoveryBackfill);
  }

  /** Peers being backfilled (up but too far behind for the log), chosen by choose_acting. */
  public Set<Integer> backfillTargets() {
    return Collections.unmodifiableSet(backfillTargets);
  }

  public Map<Integer, ActivationMessage> activationMessages() {
    return Collections.unmodifiableMap(activationMessages);
  }

  /** "active" or "peered" once this round's activation completed, else null. */
  public String activatedAs() {
    return activated ? (activatedActive ? "active" : "peered") : null;
  }

  /** Every peering round this machine ran as primary, oldest first (the current one last). */
  public List<PeeringRound> rounds() {
    List<PeeringRound> all = new ArrayList<>(rounds);
    if (round != null) {
      all.add(round.build());
    }
    return all;
  }

  /** Events no state handled (Ceph would have crashed); tests assert zero. */
  public long unhandledEvents() {
    return unhandled;
  }

  /** The last event no state handled, with the state, or null. */
  public String lastUnhandled() {
    return lastUnhandled;
  }

  /**
   * Ceph's state string for pg dump (words in pg_state_string's order): active+clean, peering,
   * down, activating+undersized+degraded, active+recovery_wait+undersized+degraded+remapped,
   * undersized+peered, ...
   */
  public String pgStateString() {
    if (state == WAIT_ACTING_CHANGE) {
      return "remapped+peering";
    }
    if (state == STRAY) {
      return "stray";
    }
    boolean primaryActive = state.isWithin(ACTIVE);
    boolean replicaActive = state.isWithin(REPLICA_ACTIVE);
    if (!state.isWithin(PEERING) && !primaryActive && !replicaActive) {
      return "unknown";
    }
    boolean peered = primaryActive ? allReplicasActivated : activated;
    List<String> s = new ArrayList<>(4);
    if (peered && activatedActive) {
      s.add("active");
    }
    if (primaryActive && !allReplicasActivated || replicaActive && !activated) {
      s.add("activating");
    }
    if (state == CLEAN && mapping.acting().size() >= map.poolSize(pgid)) {
      s.add("clean");
    }
    if (state == WAIT_LOCAL_RECOVERY_RESERVED) {
      s.add("recovery_wait");
    }
    if (state == RECOVERING) {
      s.add("recovering");
    }
    if (state == DOWN) {
      s.add("down");
    }
    if (primaryActive) {
      boolean undersized = mapping.acting().size() < map.poolSize(pgid);
      if (undersized) {
        s.add("undersized");
      }
      if (degraded(undersized)) {
        s.add("degraded");
      }
    }
    if (isPrimary() && !mapping.up().equals(mapping.acting())) {
      s.add("remapped");
    }
    if (state.isWithin(PEERING) && state != DOWN && state != INCOMPLETE) {
      s.add("peering");
    }
    if (state == WAIT_LOCAL_BACKFILL_RESERVED) {
      s.add("backfill_wait");
    }
    if (state == BACKFILLING) {
      s.add("backfilling");
    }
    if (state == INCOMPLETE) {
      s.add("incomplete");
    }
    if (peered && !activatedActive) {
      s.add("peered");
    }
    return s.isEmpty() ? "inactive" : String.join("+", s);
  }

  /**
   * Ceph's degraded: some acting shard lacks an object (the primary knows from its missing and
   * peer_missing), or shards are short and the PG holds objects (an empty undersized PG is not).
   */
  private boolean degraded(boolean undersized) {
    if (!missing.isEmpty()) {
      return true;
    }
    for (int p : actingRecoveryBackfill) {
      PgMissing pm = peerMissing.get(p);
      if (p != whoami && pm != null && !pm.isEmpty()) {
        return true;
      }
    }
    return undersized && (info.stats().numObjects() > 0 || pgLog.objects().values().stream().anyMatch(e -> !e.isDelete()));
  }

  // ---- dispatch -------------------------------------------------------------------------------

  private Object wrap(PeeringMessage m) {
    // Ceph's old_peering_msg: anything sent before our last peering reset is stale.
    if (lastPeeringReset > m.epochSent() || lastPeeringReset > m.epochRequested()) {
      log.debug("pg {} e{} dropping stale {} from osd.{} (sent e{}, for e{}, reset e{})", pgid, epoch(),
          m.getClass().getSimpleName(), m.from(), m.epochSent(), m.epochRequested(), lastPeeringReset);
      return null;
    }
    if (m instanceof PeeringMessage.Notify n) {
      return new MNotifyRec(n.from(), n);
    }
    if (m instanceof PeeringMessage.Info i) {
      return new MInfoRec(i.from(), i);
    }
    if (m instanceof PeeringMessage.Log l) {
      return new MLogRec(l.from(), l);
    }
    return new MQuery(m.from(), (PeeringMessage.Query) m);
  }

  private void post(Object ev) {
    posted.add(ev);
  }

  private void dispatch(Object ev) {
    for (PeeringStateName s = state; s != null; s = s.parent()) {
      PeeringStateName before = state;
      Boolean r = react(s, ev);
      if (r == null) {
        continue; // forward to the parent
      }
      if (!r && state == before) {
        log.debug("pg {} e{} {} discards {}", pgid, epoch(), state.fullName(), ev.getClass().getSimpleName());
      }
      return;
    }
    unhandled++;
    lastUnhandled = ev.getClass().getSimpleName() + " in state " + state.fullName();
    log.error("pg {} e{} unhandled event {} in state {}", pgid, epoch(), ev.getClass().getSimpleName(),
        state.fullName());
  }

  private long epoch() {
    return map.epoch();
  }

  /** Leaves states up to the common ancestor, enters down to target and its initial sub-states. */
  private void transit(PeeringStateName target) {
    PeeringStateName common = commonAncestor(state, target);
    for (PeeringStateName s = state; s != null && s != common; s = s.parent()) {
      exit(s);
    }
    List<PeeringStateName> enterPath = new ArrayList<>();
    for (PeeringStateName s = target; s != null && s != common; s = s.parent()) {
      enterPath.add(0, s);
    }
    if (common == target) {
      // re-entering the same state (Ceph's transit to self exits and re-enters it)
      exit(target);
      enterPath = new ArrayList<>(List.of(target));
    }
    for (PeeringStateName s : enterPath) {
      enter(s);
    }
    for (PeeringStateName c = target.initialChild(); c != null; c = c.initialChild()) {
      enter(c);
    }
  }

  private static PeeringStateName commonAncestor(PeeringStateName a, PeeringStateName b) {
    for (PeeringStateName x = a; x != null; x = x.parent()) {
      if (b.isWithin(x)) {
        return x;
      }
    }
    return null;
  }

  private void enter(PeeringStateName s) {
    state = s;
    out.add(new Effect.StateEntered(s.fullName(), epoch()));
    if (round != null && s.isWithin(PRIMARY)) {
      round.endState = s.fullName();
    }
    switch (s) {
      case RESET -> {
        lastPeeringReset = epoch();
        if (round != null) {
          rounds.add(round.build());
          round = null;
        }
      }
      case START -> post(isPrimary() ? new MakePrimary() : new MakeStray());
      case PEERING -> startRound();
      case GET_INFO -> enterGetInfo();
      case GET_LOG -> enterGetLog();
      case GET_MISSING -> enterGetMissing();
      case DOWN -> {
        if (priorSet != null) {
          blockedBy.clear();
          blockedBy.addAll(priorSet.down());
        }
      }
      case INCOMPLETE -> {
        if (priorSet != null) {
          blockedBy.clear();
          blockedBy.addAll(priorSet.down());
        }
      }
      case ACTIVE -> activatePrimary(epoch());
      case RECOVERED -> enterRecovered();
      case RECOVERING, BACKFILLING -> out.add(new Effect.QueueRecovery());
      case CLEAN -> enterClean();
      default -> { }
    }
  }

  private void exit(PeeringStateName s) {
    out.add(new Effect.StateExited(s.fullName(), epoch()));
    switch (s) {
      case GET_INFO, GET_LOG, GET_MISSING, DOWN, INCOMPLETE -> blockedBy.clear();
      case PRIMARY -> wantActing = List.of();
      default -> { }
    }
  }

  /**
   * The reactions, per state: TRUE handled, FALSE discarded, null not handled here (bubble to the
   * parent).
   */
  private Boolean react(PeeringStateName s, Object ev) {
    switch (s) {
      case INITIAL:
        if (ev instanceof PeeringEvent.Initialize) {
          transit(RESET);
          return true;
        }
        return null;
      case RESET:
        if (ev instanceof AdvMapEv a) {
          if (shouldRestartPeering(a.lastMap(), a.map())) {
            startPeeringInterval(a.lastMap());
          }
          removeDownPeerInfo();
          return false;
        }
        if (ev instanceof PeeringEvent.ActMap) {
          if (sendNotify && mapping.actingPrimary() >= 0) {
            sendNotify(mapping.actingPrimary());
          }
          transit(STARTED);
          return true;
        }
        return messageOutsidePeering(ev);
      case STARTED:
        if (ev instanceof AdvMapEv a) {
          if (shouldRestartPeering(a.lastMap(), a.map())) {
            post(ev);
            transit(RESET);
            return true;
          }
          removeDownPeerInfo();
          return false;
        }
        if (ev instanceof PeeringEvent.ActMap) {
          return false;
        }
        return messageOutsidePeering(ev);
      case START:
        if (ev instanceof MakePrimary) {
          transit(PRIMARY);
          return true;
        }
        if (ev instanceof MakeStray) {
          transit(STRAY);
          return true;
        }
        return null;
      case PRIMARY:
        return reactPrimary(ev);
      case PEERING:
        return reactPeering(ev);
      case GET_INFO:
        return reactGetInfo(ev);
      case GET_LOG:
        return reactGetLog(ev);
      case GET_MISSING:
        return reactGetMissing(ev);
      case WAIT_UP_THRU:
        return reactWaitUpThru(ev);
      case DOWN:
        return reactDown(ev);
      case INCOMPLETE:
        return reactIncomplete(ev);
      case WAIT_ACTING_CHANGE:
        return reactWaitActingChange(ev);
      case ACTIVE:
        return reactActive(ev);
      case ACTIVATING:
        return reactActivating(ev);
      case RECOVERED:
        if (ev instanceof GoClean) {
          transit(CLEAN);
          return true;
        }
        if (ev instanceof PeeringEvent.DoRecovery) {
          transit(WAIT_LOCAL_RECOVERY_RESERVED);
          return true;
        }
        return null;
      case WAIT_LOCAL_RECOVERY_RESERVED:
        if (ev instanceof PeeringEvent.RecoveryReserved) {
          transit(RECOVERING);
          return true;
        }
        return null;
      case WAIT_LOCAL_BACKFILL_RESERVED:
        if (ev instanceof PeeringEvent.BackfillReserved) {
          transit(BACKFILLING);
          return true;
        }
        return null;
      case RECOVERING:
        if (ev instanceof PeeringEvent.AllReplicasRecovered) {
          if (!allMissingRecovered()) {
            refuseAllReplicasRecovered();
            return false;
          }
          transit(RECOVERED);
          return true;
        }
        if (ev instanceof PeeringEvent.RequestBackfill) {
          transit(WAIT_LOCAL_BACKFILL_RESERVED);
          return true;
        }
        return null;
      case BACKFILLING:
        if (ev instanceof PeeringEvent.Backfilled) {
          // Each target now holds everything (Ceph's backfill FINISH moves last_backfill to MAX).
          for (int t : backfillTargets) {
            PgInfo pi = peerInfo.get(t);
            PgMissing pm = peerMissing.get(t);
            if (pi != null && (pm == null || pm.isEmpty())) {
              peerInfo.put(t, pi.withLastBackfill(ObjectNames.MAX).withLastComplete(pi.lastUpdate()));
            }
          }
          backfillTargets.clear();
          transit(RECOVERED);
          return true;
        }
        return null;
      case CLEAN:
        if (ev instanceof PeeringEvent.DoRecovery) {
          transit(WAIT_LOCAL_RECOVERY_RESERVED);
          return true;
        }
        return null;
      case STRAY:
        return reactStray(ev);
      case REPLICA_ACTIVE:
        return reactReplicaActive(ev);
      case REP_NOT_RECOVERING:
        return null;
      default:
        return null;
    }
  }

  /** Messages that arrive where nothing peers (Reset, Started): ignored, as Ceph's old-message rules would. */
  private Boolean messageOutsidePeering(Object ev) {
    if (ev instanceof MNotifyRec || ev instanceof MInfoRec || ev instanceof MLogRec || ev instanceof MQuery
        || ev instanceof PeeringEvent.ActivateCommitted || ev instanceof PeeringEvent.DoRecovery
        || ev instanceof PeeringEvent.RequestBackfill || ev instanceof PeeringEvent.AllReplicasRecovered
        || ev instanceof PeeringEvent.ObjectRecovered || ev instanceof PeeringEvent.TrimLog
        || ev instanceof PeeringEvent.TrimLogTo || ev instanceof PeeringEvent.BackfillProgress) {
      return false;
    }
    return null;
  }

  // ---- interval changes -----------------------------------------------------------------------

  private boolean shouldRestartPeering(OsdMapView lastMap, OsdMapView newMap) {
    PgMapping now = newMap.mapping(pgid);
    if (PastIntervals.isNewInterval(mapping, now, lastMap.poolSize(pgid), newMap.poolSize(pgid),
        lastMap.poolMinSize(pgid), newMap.poolMinSize(pgid))) {
      return true;
    }
    return !lastMap.isUp(whoami) && newMap.isUp(whoami);
  }

  /** Ceph's start_peering_interval: a new interval begins at this map. */
  private void startPeeringInterval(OsdMapView lastMap) {
    PgMapping old = mapping;
    PgMapping now = map.mapping(pgid);
    long e = epoch();
    lastPeeringReset = e;
    PgInterval closed = PastIntervals.closedInterval(pgid, old, now, info.history().sameIntervalSince(), e, lastMap,
        map, info.history().lastEpochClean());
    PgHistory h = info.history();
    if (closed != null) {
      pastIntervals = pastIntervals.add(closed);
      boolean upChanged = !old.up().equals(now.up()) || old.upPrimary() != now.upPrimary();
      boolean primaryChanged = old.actingPrimary() != now.actingPrimary();
      h = h.withSameSince(upChanged ? e : h.sameUpSince(), e, primaryChanged ? e : h.samePrimarySince());
      info = info.withHistory(h);
      log.info("pg {} e{} new interval: up {} acting {} primary {} (closed [{},{}] rw={})", pgid, e, now.up(),
          now.acting(), now.actingPrimary(), closed.first(), closed.last(), closed.maybeWentRw());
    }
    mapping = now;
    clearPrimaryState();
    sendNotify = !isPrimary();
    activated = false;
    activatedActive = false;
  }

  private void clearPrimaryState() {
    peerInfo.clear();
    peerMissing.clear();
    peerInfoRequested.clear();
    peerMissingRequested.clear();
    peerActivated.clear();
    strays.clear();
    peerPurged.clear();
    missingLoc.clear();
    mightHaveUnfound.clear();
    blockedBy.clear();
    actingRecoveryBackfill.clear();
    backfillTargets.clear();
    activationMessages.clear();
    needUpThru = false;
    authLogShard = -1;
    allReplicasActivated = false;
  }

  private void removeDownPeerInfo() {
    List<Integer> gone = new ArrayList<>();
    for (int p : peerInfo.keySet()) {
      if (!map.isUp(p)) {
        gone.add(p);
      }
    }
    for (int p : gone) {
      peerInfo.remove(p);
      peerMissing.remove(p);
    }
  }

  private void sendNotify(int primary) {
    out.add(new Effect.Send(new PeeringMessage.Notify(pgid, epoch(), epoch(), info, pastIntervals, whoami, primary)));
  }

  private void updateHistory(PgHistory other) {
    PgHistory.Merged m = info.history().merge(other);
    if (m.changed()) {
      info = info.withHistory(m.history());
      if (m.history().lastEpochClean() >= m.history().sameIntervalSince()) {
        pastIntervals = PastIntervals.EMPTY;
      }
    }
  }

  // ---- Primary / Peering --------------------------------------------------------------------

  private Boolean reactPrimary(Object ev) {
    if (ev instanceof MNotifyRec n) {
      procReplicaInfo(n.from(), n.msg().info(), n.msg().epochSent());
      return true;
    }
    if (ev instanceof PeeringEvent.ActMap) {
      return false;
    }
    if (ev instanceof MakeStray) {
      transit(STRAY);
      return true;
    }
    if (ev instanceof NeedActingChange) {
      transit(WAIT_ACTING_CHANGE);
      return true;
    }
    return null;
  }

  private Boolean reactPeering(Object ev) {
    if (ev instanceof AdvMapEv a) {
      if (priorSet != null && priorSet.affectedByMap(a.map())) {
        post(ev);
        transit(RESET);
        return true;
      }
      adjustNeedUpThru();
      return null;
    }
    if (ev instanceof Activate) {
      transit(ACTIVE);
      return true;
    }
    return null;
  }

  private void adjustNeedUpThru() {
    if (needUpThru && map.upThru(whoami) >= info.history().sameIntervalSince()) {
      needUpThru = false;
      log.debug("pg {} e{} up_thru {} covers interval start {}; need_up_thru cleared", pgid, epoch(),
          map.upThru(whoami), info.history().sameIntervalSince());
    }
  }

  private void startRound() {
    if (round != null) {
      rounds.add(round.build());
    }
    round = new RoundBuilder(whoami, epoch());
  }

  /** Ceph's build_prior. */
  private void buildPrior() {
    priorSet = PriorSet.build(map, mapping.up(), mapping.acting(), pastIntervals, info.history().lastEpochStarted());
    needUpThru = map.upThru(whoami) < info.history().sameIntervalSince();
    if (round != null) {
      round.priorSet = priorSet;
      round.needUpThru = needUpThru;
    }
    if (needUpThru) {
      out.add(new Effect.NeedUpThru(info.history().sameIntervalSince()));
    }
  }

  private void enterGetInfo() {
    buildPrior();
    getInfos();
    if (priorSet.pgDown()) {
      post(new IsDown());
    } else if (peerInfoRequested.isEmpty()) {
      post(new GotInfo());
    }
  }

  private void getInfos() {
    for (int peer : priorSet.probe()) {
      if (peer == whoami || peerInfo.containsKey(peer) || peerInfoRequested.contains(peer) || !map.isUp(peer)) {
        continue;
      }
      log.debug("pg {} e{} GetInfo: querying info from osd.{}", pgid, epoch(), peer);
      out.add(new Effect.Send(new PeeringMessage.Query(pgid, QueryType.INFO, Eversion.ZERO, info.history(), epoch(),
          whoami, peer)));
      peerInfoRequested.add(peer);
      blockedBy.add(peer);
    }
  }

  /** Ceph's proc_replica_info; returns whether the info was news. */
  private boolean procReplicaInfo(int from, PgInfo oinfo, long sendEpoch) {
    PgInfo known = peerInfo.get(from);
    if (known != null && known.lastUpdate().equals(oinfo.lastUpdate())) {
      return false;
    }
    if (!map.hasBeenUpSince(from, sendEpoch)) {
      log.debug("pg {} e{} ignoring info from osd.{}: not up since e{}", pgid, epoch(), from, sendEpoch);
      return false;
    }
    peerInfo.put(from, oinfo);
    mightHaveUnfound.add(from);
    updateHistory(oinfo.history());
    if (!mapping.up().contains(from) && !mapping.acting().contains(from)) {
      strays.add(from);
      if (isClean()) {
        purgeStrays();
      }
    }
    return true;
  }

  private Boolean reactGetInfo(Object ev) {
    if (ev instanceof MNotifyRec n) {
      if (peerInfoRequested.remove(n.from())) {
        blockedBy.remove(n.from());
      }
      long oldLes = info.history().lastEpochStarted();
      if (procReplicaInfo(n.from(), n.msg().info(), n.msg().epochSent())) {
        if (oldLes < info.history().lastEpochStarted()) {
          log.info("pg {} e{} GetInfo: last_epoch_started rose to {}; rebuilding the prior set", pgid, epoch(),
              info.history().lastEpochStarted());
          buildPrior();
          peerInfoRequested.removeIf(p -> !priorSet.probe().contains(p));
          blockedBy.retainAll(peerInfoRequested);
          getInfos();
        }
        // pg_down is judged on entry only: a rebuilt prior set that is down keeps us here.
        if (peerInfoRequested.isEmpty() && !priorSet.pgDown()) {
          post(new GotInfo());
        }
      }
      return true;
    }
    if (ev instanceof GotInfo) {
      transit(GET_LOG);
      return true;
    }
    if (ev instanceof IsDown) {
      transit(DOWN);
      return true;
    }
    return null;
  }

  // ---- find_best_info / choose_acting -------------------------------------------------------

  private TreeMap<Integer, PgInfo> allInfo() {
    TreeMap<Integer, PgInfo> all = new TreeMap<>(peerInfo);
    all.put(whoami, info);
    return all;
  }

  /** Ceph's find_best_info, with the reasons spelled out. */
  AuthChoice findBestInfo(Map<Integer, PgInfo> infos, boolean restrictToUpActing) {
    long maxLes = 0;
    boolean lesBound = false;
    for (PgInfo i : infos.values()) {
      if (!config.osdFindBestInfoIgnoreHistoryLes() && maxLes < i.history().lastEpochStarted()) {
        lesBound = true;
        maxLes = i.history().lastEpochStarted();
      }
      if (!i.isIncomplete() && maxLes < i.lastEpochStarted()) {
        lesBound = false;
        maxLes = i.lastEpochStarted();
      }
    }
    Eversion minLu = null;
    for (PgInfo i : infos.values()) {
      if (maxLes <= i.lastEpochStarted() && (minLu == null || i.lastUpdate().isBefore(minLu))) {
        minLu = i.lastUpdate();
      }
    }
    Map<Integer, String> excluded = new TreeMap<>();
    List<Integer> candidates = new ArrayList<>();
    for (Map.Entry<Integer, PgInfo> e : infos.entrySet()) {
      int osd = e.getKey();
      PgInfo i = e.getValue();
      if (restrictToUpActing && !mapping.up().contains(osd) && !mapping.acting().contains(osd)) {
        excluded.put(osd, "not_up_or_acting");
      } else if (minLu == null) {
        excluded.put(osd, "last_epoch_started");
      } else if (i.lastUpdate().isBefore(minLu)) {
        excluded.put(osd, "last_update_too_old");
      } else if (i.lastEpochStarted() < maxLes) {
        excluded.put(osd, "last_epoch_started");
      } else if (i.isIncomplete()) {
        excluded.put(osd, "incomplete");
      } else {
        candidates.add(osd);
      }
    }
    List<String> decidedBy = new ArrayList<>();
    List<Integer> left = new ArrayList<>(candidates);
    if (left.size() > 1) {
      Eversion newest = left.stream().map(o -> infos.get(o).lastUpdate()).max(Comparator.naturalOrder()).get();
      narrow(left, o -> infos.get(o).lastUpdate().equals(newest), "newest_last_update", decidedBy);
      Eversion longest = left.stream().map(o -> infos.get(o).logTail()).min(Comparator.naturalOrder()).get();
      narrow(left, o -> infos.get(o).logTail().equals(longest), "longest_tail", decidedBy);
      if (left.stream().anyMatch(o -> !infos.get(o).hasMissing())) {
        narrow(left, o -> !infos.get(o).hasMissing(), "no_missing", decidedBy);
      }
      if (left.contains(whoami)) {
        narrow(left, o -> o == whoami, "current_primary", decidedBy);
      }
      if (left.size() > 1) {
        narrow(left, o -> o.equals(left.get(0)), "lowest_osd", decidedBy);
      }
    }
    int osd = left.isEmpty() ? -1 : left.get(0);
    return new AuthChoice(osd, decidedBy, candidates, excluded, maxLes, minLu, lesBound);
  }

  private static void narrow(List<Integer> left, java.util.function.Predicate<Integer> keep, String rule,
      List<String> decidedBy) {
    List<Integer> kept = left.stream().filter(keep).toList();
    if (kept.size() < left.size()) {
      decidedBy.add(rule);
      left.retainAll(kept);
    }
  }

  /** Ceph's choose_acting for a replicated pool; returns whether the acting set is right. */
  private boolean chooseActing(boolean restrict) {
    TreeMap<Integer, PgInfo> all = allInfo();
    AuthChoice auth = findBestInfo(all, restrict);
    if (round != null && !restrict) {
      round.auth = auth;
    }
    if (!auth.found()) {
      if (!mapping.up().equals(mapping.acting())) {
        wantActing = mapping.up();
        requestPgTemp(List.of());
      } else {
        wantActing = List.of();
      }
      if (round != null && !restrict) {
        round.wantActing = null;
      }
      log.info("pg {} e{} choose_acting: no suitable info found", pgid, epoch());
      return false;
    }
    authLogShard = auth.osd();
    PgInfo authInfo = all.get(auth.osd());
    int size = map.poolSize(pgid);
    // Primary: the up primary if it can be caught up by log and is not far behind, else the auth.
    int primary = auth.osd();
    int upPrimary = mapping.upPrimary();
    PgInfo upInfo = upPrimary >= 0 ? all.get(upPrimary) : null;
    if (!mapping.up().isEmpty() && upInfo != null && !upInfo.isIncomplete()
        && upInfo.lastUpdate().atLeast(authInfo.logTail())) {
      // Ceph reads the up primary's missing-object counter; we count its missing set where known.
      long approxMissing = (upPrimary == whoami ? missing.size() : peerMissingSize(upPrimary))
          + Math.abs(authInfo.lastUpdate().version() - upInfo.lastUpdate().version());
      primary = approxMissing > config.osdForceAuthPrimaryMissingObjects() ? auth.osd() : upPrimary;
    }
    PgInfo primaryInfo = all.get(primary);
    Eversion oldest = Eversion.min(primaryInfo.logTail(), authInfo.logTail());
    List<Integer> want = new ArrayList<>(List.of(primary));
    TreeSet<Integer> backfill = new TreeSet<>();
    TreeSet<Integer> arb = new TreeSet<>(List.of(primary));
    for (int o : mapping.up()) {
      if (o == primary) {
        continue;
      }
      PgInfo i = all.get(o);
      if (i == null) {
        continue;
      }
      if (i.isIncomplete() || i.lastUpdate().isBefore(oldest)) {
        backfill.add(o);
      } else {
        want.add(o);
      }
      arb.add(o);
    }
    if (want.size() < size) {
      addByLastUpdate(want, arb, all, oldest, size, o -> !mapping.up().contains(o) && mapping.acting().contains(o));
    }
    if (want.size() < size && !restrict) {
      addByLastUpdate(want, arb, all, oldest, size, o -> !mapping.up().contains(o) && !mapping.acting().contains(o));
    }
    if (want.size() < map.poolMinSize(pgid) && !config.osdAllowRecoveryBelowMinSize()) {
      wantActing = List.of();
      return false;
    }
    if (!want.equals(mapping.acting())) {
      wantActing = List.copyOf(want);
      log.info("pg {} e{} choose_acting: want {} != acting {}; requesting pg_temp", pgid, epoch(), want,
          mapping.acting());
      requestPgTemp(want.equals(mapping.up()) ? List.of() : want);
      if (round != null && !restrict) {
        round.wantActing = List.copyOf(want);
      }
      return false;
    }
    wantActing = List.of();
    actingRecoveryBackfill.clear();
    actingRecoveryBackfill.addAll(arb);
    backfillTargets.clear();
    backfillTargets.addAll(backfill);
    if (round != null && !restrict) {
      round.wantActing = List.copyOf(want);
      round.actingRecoveryBackfill = new TreeSet<>(arb);
      round.backfillTargets = new TreeSet<>(backfill);
    }
    return true;
  }

  private int peerMissingSize(int osd) {
    PgMissing m = peerMissing.get(osd);
    return m == null ? 0 : m.size();
  }

  private void addByLastUpdate(List<Integer> want, Set<Integer> arb, Map<Integer, PgInfo> all, Eversion oldest,
      int size, java.util.function.Predicate<Integer> which) {
    List<Integer> cands = new ArrayList<>();
    for (Map.Entry<Integer, PgInfo> e : all.entrySet()) {
      int o = e.getKey();
      if (want.contains(o) || !which.test(o)) {
        continue;
      }
      if (!e.getValue().isIncomplete() && e.getValue().lastUpdate().atLeast(oldest)) {
        cands.add(o);
      }
    }
    cands.sort(Comparator.comparing((Integer o) -> all.get(o).lastUpdate()).reversed());
    for (int o : cands) {
      if (want.size() >= size) {
        return;
      }
      want.add(o);
      arb.add(o);
    }
  }

  private void requestPgTemp(List<Integer> osds) {
    out.add(new Effect.RequestPgTemp(osds));
    if (round != null) {
      round.pgTempRequested = mapping.up().equals(osds) || osds.isEmpty() ? List.copyOf(mapping.up()) : List.copyOf(osds);
    }
  }

  // ---- GetLog ---------------------------------------------------------------------------------

  private PeeringMessage.Log authLogMsg;

  private void enterGetLog() {
    authLogMsg = null;
    if (!chooseActing(false)) {
      if (!wantActing.isEmpty()) {
        post(new NeedActingChange());
      } else {
        post(new IsIncomplete());
      }
      return;
    }
    if (authLogShard == whoami) {
      post(new GotLog());
      return;
    }
    PgInfo best = peerInfo.get(authLogShard);
    if (info.lastUpdate().isBefore(best.logTail())) {
      log.info("pg {} e{} GetLog: our last_update {} is behind the auth's tail {}", pgid, epoch(), info.lastUpdate(),
          best.logTail());
      post(new IsIncomplete());
      return;
    }
    Eversion since = info.lastUpdate();
    for (int p : actingRecoveryBackfill) {
      if (p == whoami) {
        continue;
      }
      PgInfo ri = peerInfo.get(p);
      if (ri != null && ri.lastUpdate().isBefore(info.logTail()) && ri.lastUpdate().atLeast(best.logTail())
          && ri.lastUpdate().isBefore(since)) {
        since = ri.lastUpdate();
      }
    }
    log.debug("pg {} e{} GetLog: requesting log since {} from auth osd.{}", pgid, epoch(), since, authLogShard);
    out.add(new Effect.Send(new PeeringMessage.Query(pgid, QueryType.LOG, since, info.history(), epoch(), whoami,
        authLogShard)));
    blockedBy.add(authLogShard);
    if (round != null) {
      round.getLog = new PeeringRound.GetLogRequest(authLogShard, since);
    }
  }

  private Boolean reactGetLog(Object ev) {
    if (ev instanceof AdvMapEv a) {
      if (authLogShard >= 0 && !a.map().isUp(authLogShard)) {
        post(ev);
        transit(RESET);
        return true;
      }
      return null;
    }
    if (ev instanceof MLogRec l) {
      if (l.from() != authLogShard) {
        return false;
      }
      authLogMsg = l.msg();
      post(new GotLog());
      return true;
    }
    if (ev instanceof GotLog) {
      if (authLogMsg != null) {
        procMasterLog(authLogMsg);
      }
      transit(GET_MISSING);
      return true;
    }
    if (ev instanceof IsIncomplete) {
      transit(INCOMPLETE);
      return true;
    }
    return null;
  }

  /** Ceph's proc_master_log: adopt the authoritative log. */
  private void procMasterLog(PeeringMessage.Log m) {
    LogResult r = PgLogs.mergeLog(pgLog, info, missing, m.log(), m.info());
    applyMerge(r);
    peerInfo.put(m.from(), m.info());
    mightHaveUnfound.add(m.from());
    // Each bound is raised on its own: the auth may have started later but in an older interval.
    long les = Math.max(info.lastEpochStarted(), m.info().lastEpochStarted());
    long lis = Math.max(info.lastIntervalStarted(), m.info().lastIntervalStarted());
    if (les != info.lastEpochStarted() || lis != info.lastIntervalStarted()) {
      info = info.withStarted(les, lis);
    }
    updateHistory(m.info().history());
    peerMissing.put(m.from(), m.missing());
  }

  private void applyMerge(LogResult r) {
    pgLog = r.log();
    info = r.info();
    missing = r.missing();
    if (!r.removed().isEmpty()) {
      out.add(new Effect.RemoveObjects(r.removed()));
    }
  }

  // ---- GetMissing / WaitUpThru --------------------------------------------------------------

  private void enterGetMissing() {
    if (round != null) {
      round.getMissing = new TreeMap<>();
    }
    for (int p : actingRecoveryBackfill) {
      if (p == mapping.actingPrimary()) {
        continue;
      }
      PgInfo pi = peerInfo.get(p);
      PgMissing empty = PgMissing.of(true, Map.of());
      peerMissing.put(p, peerMissing.containsKey(p) ? PgMissing.of(true, peerMissing.get(p).items()) : empty);
      String decision;
      Eversion since = null;
      if (pi.isEmpty()) {
        decision = "skip_empty";
      } else if (pi.lastUpdate().isBefore(pgLog.tail())) {
        peerMissing.put(p, empty);
        decision = "backfill_not_contiguous";
      } else if (ObjectNames.MIN.equals(pi.lastBackfill())) {
        peerMissing.put(p, empty);
        decision = "backfill_last_backfill_empty";
      } else if (pi.lastUpdate().equals(pi.lastComplete()) && pi.lastUpdate().equals(info.lastUpdate())) {
        peerMissing.put(p, empty);
        decision = "skip_identical";
      } else {
        since = Eversion.of(pi.lastEpochStarted(), 0);
        if (pi.logTail().atMost(since)) {
          decision = "query_log";
          log.debug("pg {} e{} GetMissing: requesting log+missing since {} from osd.{}", pgid, epoch(), since, p);
          out.add(new Effect.Send(new PeeringMessage.Query(pgid, QueryType.LOG, since, info.history(), epoch(),
              whoami, p)));
        } else {
          decision = "query_fulllog";
          log.debug("pg {} e{} GetMissing: requesting fulllog+missing from osd.{} (want since {} < log tail {})", pgid,
              epoch(), p, since, pi.logTail());
          out.add(new Effect.Send(new PeeringMessage.Query(pgid, QueryType.FULLLOG, Eversion.ZERO, info.history(),
              epoch(), whoami, p)));
        }
        peerMissingRequested.add(p);
        blockedBy.add(p);
      }
      if (!decision.startsWith("query")) {
        log.debug("pg {} e{} GetMissing: osd.{} {}", pgid, epoch(), p, decision.replace('_', ' '));
      }
      if (round != null) {
        round.getMissing.put(p, new GetMissingDecision(decision, since, null));
      }
    }
    if (peerMissingRequested.isEmpty()) {
      readyToActivate();
    }
  }

  private void readyToActivate() {
    if (needUpThru) {
      log.debug("pg {} e{} still need up_thru update before going active", pgid, epoch());
      post(new NeedUpThruEv());
    } else {
      post(new Activate(epoch()));
    }
  }

  private Boolean reactGetMissing(Object ev) {
    if (ev instanceof MLogRec l) {
      peerMissingRequested.remove(l.from());
      procReplicaLog(l.from(), l.msg());
      if (peerMissingRequested.isEmpty()) {
        readyToActivate();
      }
      return true;
    }
    if (ev instanceof NeedUpThruEv) {
      transit(WAIT_UP_THRU);
      return true;
    }
    return null;
  }

  /** Ceph's proc_replica_log: what the peer lacks, predicted from its log. */
  private void procReplicaLog(int from, PeeringMessage.Log m) {
    LogResult r = PgLogs.procReplicaLog(pgLog, info, m.log(), m.info(), m.missing(), false);
    peerInfo.put(from, r.info());
    peerMissing.put(from, r.missing());
    mightHaveUnfound.add(from);
    log.debug("pg {} e{} proc_replica_log: osd.{} lu {} lc {} missing {}", pgid, epoch(), from, r.info().lastUpdate(),
        r.info().lastComplete(), r.missing().size());
    if (round != null && round.getMissing.containsKey(from)) {
      round.getMissing.put(from, round.getMissing.get(from).withResult(
          new GetMissingDecision.Result(r.info().lastUpdate(), r.info().lastComplete(), r.missing())));
    }
  }

  private Boolean reactWaitUpThru(Object ev) {
    if (ev instanceof PeeringEvent.ActMap) {
      if (!needUpThru) {
        post(new Activate(epoch()));
      }
      return null;
    }
    if (ev instanceof MLogRec l) {
      peerMissing.put(l.from(), l.msg().missing());
      peerInfo.put(l.from(), l.msg().info());
      return true;
    }
    return null;
  }

  private Boolean reactDown(Object ev) {
    if (ev instanceof MNotifyRec n) {
      // Down only listens for news of a newer activation; it does not collect infos.
      long oldLes = info.history().lastEpochStarted();
      if (!peerInfo.containsKey(n.from()) && map.hasBeenUpSince(n.from(), n.msg().epochSent())) {
        updateHistory(n.msg().info().history());
      }
      if (info.history().lastEpochStarted() > oldLes) {
        log.info("pg {} e{} Down: last_epoch_started moved forward; back to GetInfo", pgid, epoch());
        transit(GET_INFO);
        return true;
      }
      return false;
    }
    return null;
  }

  private Boolean reactIncomplete(Object ev) {
    if (ev instanceof AdvMapEv a) {
      // A lower min_size may let the PG go active; a deleted pool ends it.
      if (!a.map().poolExists(pgid) || a.lastMap().poolMinSize(pgid) > a.map().poolMinSize(pgid)) {
        post(ev);
        transit(RESET);
        return true;
      }
      return null;
    }
    if (ev instanceof MNotifyRec n) {
      if (procReplicaInfo(n.from(), n.msg().info(), n.msg().epochSent())) {
        transit(GET_LOG);
      }
      return true;
    }
    return null;
  }

  private Boolean reactWaitActingChange(Object ev) {
    if (ev instanceof AdvMapEv a) {
      for (int o : wantActing) {
        if (!a.map().isUp(o)) {
          post(ev);
          transit(RESET);
          return true;
        }
      }
      return null;
    }
    if (ev instanceof MLogRec || ev instanceof MInfoRec || ev instanceof MNotifyRec) {
      return false;
    }
    return null;
  }

  // ---- Active (primary) -----------------------------------------------------------------------

  /** Ceph's activate() on the primary: catch every peer up and record what each will lack. */
  private void activatePrimary(long activationEpoch) {
    int minSize = map.poolMinSize(pgid);
    if (mapping.acting().size() >= minSize) {
      info = info.withStarted(activationEpoch, info.history().sameIntervalSince());
    }
    needUpThru = false;
    sendNotify = false;
    if (missing.isEmpty()) {
      info = info.withLastComplete(info.lastUpdate());
    } else {
      info = info.withLastComplete(lastCompleteFor(missing, pgLog));
    }
    queued.add(new Effect.Queue(new PeeringEvent.ActivateCommitted(epoch(), activationEpoch)));
    activationMessages.clear();
    for (int peer : actingRecoveryBackfill) {
      if (peer == whoami) {
        continue;
      }
      PgInfo pi = peerInfo.get(peer);
      PgMissing pm = peerMissing.getOrDefault(peer, PgMissing.of(true, Map.of()));
      boolean needsPastIntervals = pi.dne();
      PeeringMessage.Log m = null;
      boolean backfill = false;
      if (pi.lastUpdate().equals(info.lastUpdate())) {
        if (!pi.isEmpty()) {
          out.add(new Effect.Send(new PeeringMessage.Info(pgid, epoch(), epoch(), info, PastIntervals.EMPTY, whoami,
              peer)));
          activationMessages.put(peer, new ActivationMessage("info", false, List.of()));
        } else {
          m = new PeeringMessage.Log(pgid, epoch(), lastPeeringReset, info, new PgLog(pgLog.head(), pgLog.head(),
              pgLog.head(), List.of()), PgMissing.of(true, Map.of()), PastIntervals.EMPTY, whoami, peer);
        }
      } else if (pgLog.tail().isAfter(pi.lastUpdate()) || ObjectNames.MIN.equals(pi.lastBackfill())
          || (backfillTargets.contains(peer) && ObjectNames.MAX.equals(pi.lastBackfill()))) {
        backfill = true;
        PgLog recent = pgLog.copyUpTo(config.osdMaxPgLogEntries());
        PgInfo bi = new PgInfo(pi.pgid(), info.lastUpdate(), info.lastUpdate(), recent.tail(), ObjectNames.MIN,
            pi.lastUserVersion(), info.purgedSnaps(), io.jpeer.core.types.PgStats.EMPTY, info.lastEpochStarted(),
            info.lastIntervalStarted(), info.history());
        pi = bi;
        m = new PeeringMessage.Log(pgid, epoch(), lastPeeringReset, bi, recent, PgMissing.of(true, Map.of()),
            PastIntervals.EMPTY, whoami, peer);
        pm = PgMissing.of(true, Map.of());
        log.info("pg {} e{} activate: starting backfill to osd.{}", pgid, epoch(), peer);
      } else {
        m = new PeeringMessage.Log(pgid, epoch(), lastPeeringReset, info, pgLog.copyAfter(pi.lastUpdate()),
            PgMissing.of(true, Map.of()), PastIntervals.EMPTY, whoami, peer);
      }
      if (m != null && needsPastIntervals) {
        m = new PeeringMessage.Log(m.pgid(), m.epoch(), m.queryEpoch(), m.info(), m.log(), m.missing(),
            pastIntervals, m.from(), m.to());
      }
      if (m != null && !ObjectNames.MIN.equals(pi.lastBackfill())) {
        PgMissing.Builder b = pm.toBuilder();
        for (LogEntry e : m.log().entries()) {
          if (!e.isError() && ObjectNames.withinBackfill(e.oid(), pi.lastBackfill())) {
            b.addNextEvent(e);
          }
        }
        pm = b.build();
      }
      if (m != null) {
        out.add(new Effect.Send(m));
        activationMessages.put(peer, new ActivationMessage("log", backfill, m.log().entries()));
      }
      pi = pi.withLastUpdate(info.lastUpdate());
      if (pm.isEmpty()) {
        pi = pi.withLastComplete(pi.lastUpdate());
      }
      peerInfo.put(peer, pi);
      peerMissing.put(peer, pm);
    }
    setUpMissingLoc();
  }

  /**
   * The missing_loc part of Ceph's activate: what the acting shards need, where each object can
   * come from (every acting shard, then strays whose missing set we hold), who might have what no
   * one is known to hold, and a FULLLOG query to each of those not asked yet.
   */
  private void setUpMissingLoc() {
    missingLoc.clear();
    for (int p : actingRecoveryBackfill) {
      missingLoc.addActiveMissing(p == whoami ? missing : peerMissing.get(p));
    }
    mightHaveUnfound.clear();
    if (!missingLoc.needsRecovery()) {
      return;
    }
    missingLoc.addSourceInfo(whoami, info, missing);
    for (int p : actingRecoveryBackfill) {
      if (p != whoami) {
        missingLoc.addSourceInfo(p, peerInfo.get(p), peerMissing.get(p));
      }
    }
    for (Map.Entry<Integer, PgMissing> e : new TreeMap<>(peerMissing).entrySet()) {
      if (!actingRecoveryBackfill.contains(e.getKey()) && peerInfo.containsKey(e.getKey())) {
        searchForMissing(e.getKey(), peerInfo.get(e.getKey()), e.getValue());
      }
    }
    buildMightHaveUnfound();
    discoverAllMissing();
  }

  /** Ceph's search_for_missing; a stray found to hold something is sent its own info so it can serve it. */
  private boolean searchForMissing(int from, PgInfo oinfo, PgMissing omissing) {
    boolean found = missingLoc.addSourceInfo(from, oinfo, omissing);
    if (found && !oinfo.lastUpdate().isZero()) {
      out.add(new Effect.Send(new PeeringMessage.Info(pgid, epoch(), epoch(), oinfo, pastIntervals, whoami, from)));
    }
    if (found) {
      log.info("pg {} e{} search_for_missing: osd.{} holds needed objects; {} unfound", pgid, epoch(), from,
          missingLoc.unfound().size());
    }
    return found;
  }

  /** Ceph's build_might_have_unfound: every past participant and every peer we have heard from. */
  private void buildMightHaveUnfound() {
    mightHaveUnfound.clear();
    mightHaveUnfound.addAll(pastIntervals.allParticipants());
    mightHaveUnfound.addAll(peerInfo.keySet());
    mightHaveUnfound.remove(whoami);
  }

  /** Ceph's discover_all_missing: ask for the full log and missing set of whoever might hold more. */
  private void discoverAllMissing() {
    for (int peer : mightHaveUnfound) {
      PgInfo pi = peerInfo.get(peer);
      if (!map.isUp(peer) || peerPurged.contains(peer) || (pi != null && (pi.isEmpty() || pi.dne()))
          || peerMissing.containsKey(peer) || peerMissingRequested.contains(peer)) {
        continue;
      }
      log.info("pg {} e{} discover_all_missing: requesting fulllog+missing from osd.{} ({} unfound)", pgid, epoch(),
          peer, missingLoc.unfound().size());
      peerMissingRequested.add(peer);
      out.add(new Effect.Send(new PeeringMessage.Query(pgid, QueryType.FULLLOG, Eversion.ZERO, info.history(),
          epoch(), whoami, peer)));
    }
  }

  /** Ceph's is_clean: Active/Clean with every shard the pool wants. */
  private boolean isClean() {
    return state == CLEAN && mapping.acting().size() >= map.poolSize(pgid);
  }

  /** Whether the primary and every acting or backfill peer has every object (Ceph's lc == lu everywhere). */
  private boolean allMissingRecovered() {
    if (!missing.isEmpty()) {
      return false;
    }
    for (int p : actingRecoveryBackfill) {
      PgMissing pm = peerMissing.get(p);
      if (p != whoami && pm != null && !pm.isEmpty()) {
        return false;
      }
    }
    return true;
  }

  /** Ceph's PGLog::recover_got: the item goes and last_complete moves up to the next need. */
  private void recoverGot(String oid, Eversion v) {
    PgMissing.Item item = missing.get(oid);
    if (item == null || (!item.isDelete() && item.need().isAfter(v))) {
      log.warn("pg {} e{} recovered {} {} is not what is missing ({})", pgid, epoch(), oid, v, item);
      return;
    }
    PgMissing.Builder b = missing.toBuilder();
    b.got(oid, v);
    missing = b.build();
    Eversion lc = missing.isEmpty() ? info.lastUpdate() : lastCompleteFor(missing, pgLog);
    if (lc.isAfter(info.lastComplete())) {
      info = info.withLastComplete(lc);
    }
  }

  /** Recovery progress on the primary (on_local_recover / on_peer_recover, then recovered when done). */
  private void objectRecovered(PeeringEvent.ObjectRecovered r) {
    if (r.osd() == whoami) {
      recoverGot(r.oid(), r.version());
    } else {
      PgMissing pm = peerMissing.get(r.osd());
      PgMissing.Item item = pm == null ? null : pm.get(r.oid());
      if (item == null || (!item.isDelete() && item.need().isAfter(r.version()))) {
        log.warn("pg {} e{} osd.{} recovered {} {} but needs {}", pgid, epoch(), r.osd(), r.oid(), r.version(), item);
        return;
      }
      PgMissing.Builder b = pm.toBuilder();
      b.got(r.oid(), r.version());
      pm = b.build();
      peerMissing.put(r.osd(), pm);
      PgInfo pi = peerInfo.get(r.osd());
      if (pm.isEmpty() && pi != null) {
        peerInfo.put(r.osd(), pi.withLastComplete(pi.lastUpdate()));
      }
    }
    missingLoc.addLocation(r.oid(), r.osd());
    boolean stillNeeded = missing.isMissing(r.oid());
    for (int p : actingRecoveryBackfill) {
      PgMissing pm = peerMissing.get(p);
      stillNeeded |= p != whoami && pm != null && pm.isMissing(r.oid());
    }
    if (!stillNeeded) {
      missingLoc.recovered(r.oid());
    }
  }

  /** Ceph's purge_strays: strays lose their copy once the PG is clean; down ones are just forgotten. */
  private void purgeStrays() {
    for (int p : strays) {
      if (map.isUp(p)) {
        log.info("pg {} e{} purge_strays: removing the PG from osd.{}", pgid, epoch(), p);
        out.add(new Effect.RemoveStray(p));
      }
      peerInfo.remove(p);
      peerMissing.remove(p);
      missingLoc.removeSource(p);
      peerPurged.add(p);
    }
    strays.clear();
  }

  /** A write's log entry: the log grows, last_update moves, and last_complete with it if nothing is missing. */
  private void appendLog(LogEntry e) {
    if (!e.version().isAfter(pgLog.head())) {
      log.error("pg {} e{} refusing log entry {}: not after head {}", pgid, epoch(), e.version(), pgLog.head());
      return;
    }
    pgLog = pgLog.appended(e, e.version());
    long objects = info.stats().numObjects();
    if (e.isUpdate() && e.priorVersion().isZero()) {
      objects++;
    } else if (e.isDelete()) {
      objects = Math.max(0, objects - 1);
    }
    io.jpeer.core.types.PgStats st = info.stats();
    info = info.withLastUpdate(e.version())
        .withUserVersionAndSnaps(Math.max(info.lastUserVersion(), e.userVersion()), info.purgedSnaps())
        .withStats(new io.jpeer.core.types.PgStats(e.version(), st.reportedSeq(), st.reportedEpoch(), objects,
            st.numBytes()));
    if (missing.isEmpty()) {
      info = info.withLastComplete(e.version());
    }
    if (isPrimary()) {
      // Each acting replica gets the same entry: it will have it too once it acknowledges.
      for (int p : actingRecoveryBackfill) {
        PgInfo pi = peerInfo.get(p);
        if (p != whoami && pi != null) { // (backfill targets get every entry too, Ceph's log-only repops)
          PgMissing pm = peerMissing.getOrDefault(p, PgMissing.of(true, Map.of()));
          peerInfo.put(p, pm.isEmpty() ? pi.withLastUpdate(e.version()).withLastComplete(e.version())
              : pi.withLastUpdate(e.version()));
        }
      }
    }
  }

  /**
   * Ceph's missing_loc: for each object the primary or an acting/backfill peer lacks, the OSDs
   * known to hold the needed version (the primary's and acting peers' records, and strays whose
   * log and missing set search_for_missing has seen). An object with no location is unfound.
   */
  public Map<String, Set<Integer>> missingLocations() {
    return missingLoc.locationsView();
  }

  /** Objects no known live shard holds in the needed version (Ceph's unfound), in object order. */
  public List<String> unfoundObjects() {
    return missingLoc.unfound();
  }

  public int numUnfound() {
    return missingLoc.unfound().size();
  }

  /** OSDs that might hold what is unfound (Ceph's might_have_unfound). */
  public Set<Integer> mightHaveUnfound() {
    return Collections.unmodifiableSet(mightHaveUnfound);
  }

  /** Whether client writes may go ahead: an active primary with at least min_size shards. */
  public boolean acceptsWrites() {
    return isPrimary() && state.isWithin(ACTIVE) && allReplicasActivated && activatedActive;
  }

  /** The version the next write gets: this epoch, one more than the newest entry. */
  public Eversion nextVersion() {
    return Eversion.of(epoch(), pgLog.head().version() + 1);
  }

  /** Ceph's activate_not_complete: last_complete is the newest entry before the oldest need. */
  private static Eversion lastCompleteFor(PgMissing m, PgLog l) {
    Eversion oldest = m.oldestNeed();
    Eversion lc = l.tail();
    for (LogEntry e : l.entries()) {
      if (!e.version().isBefore(oldest)) {
        break;
      }
      lc = e.version();
    }
    return lc;
  }

  private Boolean reactActive(Object ev) {
    if (ev instanceof AdvMapEv) {
      return null;
    }
    if (ev instanceof PeeringEvent.AppendLog a) {
      appendLog(a.entry());
      return true;
    }
    if (ev instanceof PeeringEvent.ActivateCommitted) {
      if (peerActivated.add(whoami) && peerActivated.size() == actingRecoveryBackfill.size()) {
        post(new AllReplicasActivated());
      }
      return true;
    }
    if (ev instanceof MInfoRec i) {
      if (actingRecoveryBackfill.contains(i.from()) && peerActivated.add(i.from())) {
        log.debug("pg {} e{} osd.{} activated and committed", pgid, epoch(), i.from());
        blockedBy.remove(i.from());
        if (peerActivated.size() == actingRecoveryBackfill.size()) {
          post(new AllReplicasActivated());
        }
      }
      return true;
    }
    if (ev instanceof AllReplicasActivated) {
      allReplicasActivated = true;
      activated = true;
      activatedActive = mapping.acting().size() >= map.poolMinSize(pgid);
      info = info.withHistory(info.history().withStarted(info.lastEpochStarted(), info.lastIntervalStarted()));
      log.debug("pg {} e{} all replicas activated: {}", pgid, epoch(), activatedActive ? "active" : "peered");
      sharePgInfo();
      boolean needsRecovery = !missing.isEmpty();
      boolean needsBackfill = !backfillTargets.isEmpty();
      for (int p : actingRecoveryBackfill) {
        PgMissing pm = peerMissing.get(p);
        if (p != whoami && pm != null && !pm.isEmpty() && !backfillTargets.contains(p)) {
          needsRecovery = true;
        }
      }
      PeeringEvent next = needsRecovery ? new PeeringEvent.DoRecovery()
          : needsBackfill ? new PeeringEvent.RequestBackfill() : new PeeringEvent.AllReplicasRecovered();
      queued.add(new Effect.Queue(next));
      return true;
    }
    if (ev instanceof MNotifyRec n) {
      PgInfo known = peerInfo.get(n.from());
      if (known != null && known.lastUpdate().equals(n.msg().info().lastUpdate())) {
        return false;
      }
      if (actingRecoveryBackfill.contains(n.from())) {
        // A notify an acting shard sent before it got our activation (a stray re-notifies on each
        // ActMap): what activate() recorded for it is newer, keep that.
        return false;
      }
      if (procReplicaInfo(n.from(), n.msg().info(), n.msg().epochSent()) && numUnfound() > 0) {
        discoverAllMissing();
      }
      return true;
    }
    if (ev instanceof MLogRec l) {
      // An answer to discover_all_missing: what the peer holds becomes a location for what we need.
      peerMissingRequested.remove(l.from());
      try {
        procReplicaLog(l.from(), l.msg());
      } catch (io.jpeer.core.log.PgLogException e) {
        log.warn("pg {} e{} ignoring log from osd.{}: {}", pgid, epoch(), l.from(), e.getMessage());
        return false;
      }
      boolean found = searchForMissing(l.from(), peerInfo.get(l.from()), peerMissing.get(l.from()));
      if (found && allReplicasActivated && activatedActive) {
        post(new PeeringEvent.DoRecovery());
      }
      return true;
    }
    if (ev instanceof PeeringEvent.ObjectRecovered r) {
      objectRecovered(r);
      return true;
    }
    if (ev instanceof PeeringEvent.TrimLog t) {
      trimPrimaryLog(t);
      return true;
    }
    if (ev instanceof PeeringEvent.BackfillProgress b) {
      PgInfo pi = peerInfo.get(b.osd());
      if (pi == null || !backfillTargets.contains(b.osd())) {
        return false;
      }
      peerInfo.put(b.osd(), pi.withLastBackfill(b.lastBackfill()));
      return true;
    }
    if (ev instanceof PeeringEvent.ActMap) {
      if (!missingLoc.unfound().isEmpty()) {
        discoverAllMissing(); // a peer that came up may hold what is unfound
      }
      return null;
    }
    return null;
  }

  private void sharePgInfo() {
    for (int p : actingRecoveryBackfill) {
      if (p == whoami) {
        continue;
      }
      PgInfo pi = peerInfo.get(p);
      if (pi != null) {
        peerInfo.put(p, pi.withStarted(info.lastEpochStarted(), info.lastIntervalStarted())
            .withHistory(pi.history().merge(info.history()).history()));
      }
      out.add(new Effect.Send(new PeeringMessage.Info(pgid, epoch(), epoch(), info, PastIntervals.EMPTY, whoami, p)));
    }
  }

  private Boolean reactActivating(Object ev) {
    if (ev instanceof PeeringEvent.AllReplicasRecovered) {
      if (!allMissingRecovered()) {
        refuseAllReplicasRecovered();
        return false;
      }
      transit(RECOVERED);
      return true;
    }
    if (ev instanceof PeeringEvent.DoRecovery) {
      transit(WAIT_LOCAL_RECOVERY_RESERVED);
      return true;
    }
    if (ev instanceof PeeringEvent.RequestBackfill) {
      transit(WAIT_LOCAL_BACKFILL_RESERVED);
      return true;
    }
    return null;
  }

  /** Ceph asserts this cannot happen; a runtime that says so early is told, and nothing changes. */
  private void refuseAllReplicasRecovered() {
    log.warn("pg {} e{} AllReplicasRecovered refused: {} missing here, peer_missing {}", pgid, epoch(),
        missing.size(), peerMissing);
  }

  private void enterRecovered() {
    if (!mapping.acting().equals(mapping.up())) {
      chooseActing(true);
    }
    if (allReplicasActivated) {
      post(new GoClean());
    }
  }

  /** Ceph's Clean entry (try_mark_clean): clean only with every shard the pool wants, and then strays go. */
  private void enterClean() {
    if (!info.lastComplete().equals(info.lastUpdate())) {
      log.error("pg {} e{} Clean with last_complete {} != last_update {}", pgid, epoch(), info.lastComplete(),
          info.lastUpdate());
    }
    boolean clean = mapping.acting().size() == map.poolSize(pgid) && info.lastComplete().equals(info.lastUpdate());
    if (clean) {
      info = info.withHistory(info.history().withClean(epoch(), info.history().sameIntervalSince()));
      pastIntervals = PastIntervals.EMPTY;
    }
    sharePgInfo();
    missingLoc.clear();
    if (clean) {
      purgeStrays();
    }
  }

  // ---- Stray / ReplicaActive ----------------------------------------------------------------

  private Boolean reactStray(Object ev) {
    if (ev instanceof MQuery q) {
      fulfillQuery(q.msg());
      return true;
    }
    if (ev instanceof MLogRec l) {
      PeeringMessage.Log m = l.msg();
      if (ObjectNames.MIN.equals(m.info().lastBackfill())) {
        info = m.info();
        pgLog = m.log();
        missing = PgMissing.of(true, Map.of());
      } else {
        mergeLogFromPrimary(m);
      }
      post(new Activate(m.info().lastEpochStarted()));
      transit(REPLICA_ACTIVE);
      return true;
    }
    if (ev instanceof MInfoRec i) {
      if (info.lastUpdate().isAfter(i.msg().info().lastUpdate())) {
        LogResult r = PgLogs.rewindDivergentLog(pgLog, info, missing, i.msg().info().lastUpdate());
        applyMerge(r);
      }
      post(new Activate(i.msg().info().lastEpochStarted()));
      transit(REPLICA_ACTIVE);
      return true;
    }
    if (ev instanceof PeeringEvent.ActMap) {
      if (sendNotify && mapping.actingPrimary() >= 0) {
        sendNotify(mapping.actingPrimary());
      }
      return false;
    }
    return null;
  }

  private void mergeLogFromPrimary(PeeringMessage.Log m) {
    LogResult r = PgLogs.mergeLog(pgLog, info, missing, m.log(), m.info());
    applyMerge(r);
    updateHistory(m.info().history());
    if (info.lastEpochStarted() < m.info().lastEpochStarted()) {
      info = info.withStarted(m.info().lastEpochStarted(), m.info().lastIntervalStarted());
    }
  }

  private Boolean reactReplicaActive(Object ev) {
    if (ev instanceof PeeringEvent.AppendLog a) {
      appendLog(a.entry());
      return true;
    }
    if (ev instanceof PeeringEvent.ObjectRecovered r) {
      if (r.osd() != whoami) {
        return false; // a replica tracks only its own copy
      }
      recoverGot(r.oid(), r.version());
      return true;
    }
    if (ev instanceof Activate a) {
      activateReplica(a.activationEpoch());
      return true;
    }
    if (ev instanceof PeeringEvent.ActivateCommitted c) {
      PgInfo i = info.withHistory(info.history().withStarted(c.activationEpoch(), info.history().sameIntervalSince()));
      out.add(new Effect.Send(new PeeringMessage.Info(pgid, epoch(), epoch(), i, PastIntervals.EMPTY, whoami,
          mapping.actingPrimary())));
      activated = true;
      activatedActive = mapping.acting().size() >= map.poolMinSize(pgid);
      return true;
    }
    if (ev instanceof MInfoRec i) {
      updateHistory(i.msg().info().history());
      return true;
    }
    if (ev instanceof MLogRec l) {
      mergeLogFromPrimary(l.msg());
      return true;
    }
    if (ev instanceof MQuery q) {
      fulfillQuery(q.msg());
      return true;
    }
    if (ev instanceof PeeringEvent.TrimLogTo t) {
      // Never past what this replica itself has completed (its missing entries stay).
      trimLogTo(Eversion.min(t.trimTo(), info.lastComplete()));
      return true;
    }
    if (ev instanceof PeeringEvent.BackfillProgress b) {
      if (b.osd() != whoami || ObjectNames.MAX.equals(info.lastBackfill())) {
        return false;
      }
      info = info.withLastBackfill(b.lastBackfill());
      if (ObjectNames.MAX.equals(b.lastBackfill())) {
        log.info("pg {} e{} backfill complete here", pgid, epoch());
      }
      return true;
    }
    if (ev instanceof PeeringEvent.ActMap) {
      if (sendNotify && mapping.actingPrimary() >= 0) {
        sendNotify(mapping.actingPrimary());
      }
      return false;
    }
    return null;
  }

  /**
   * Ceph's calc_trim_to on the primary: the limit is what every acting shard (and this one) has
   * completed and the runtime says is durable everywhere; backfill targets do not hold it back
   * (they are given a fresh log and no entry before it is read from them).
   */
  private void trimPrimaryLog(PeeringEvent.TrimLog t) {
    Eversion limit = Eversion.min(t.committed(), info.lastComplete());
    for (int p : actingRecoveryBackfill) {
      if (p == whoami || backfillTargets.contains(p)) {
        continue;
      }
      PgInfo pi = peerInfo.get(p);
      if (pi == null) {
        return;
      }
      limit = Eversion.min(limit, pi.lastComplete());
    }
    boolean clean = isClean();
    Eversion to = io.jpeer.core.log.LogTrim.trimTo(pgLog, io.jpeer.core.log.LogTrim.target(clean, t.minEntries(),
        t.maxEntries()), t.maxEntries(), io.jpeer.core.log.LogTrim.minBatch(clean, t.minEntries()), limit);
    if (to != null) {
      trimLogTo(to);
    }
  }

  /** Drops the entries at or below {@code to}; log_tail follows. */
  private void trimLogTo(Eversion to) {
    if (!to.isAfter(pgLog.tail())) {
      return;
    }
    int before = pgLog.size();
    pgLog = pgLog.trimmedTo(to);
    info = info.withLogTail(pgLog.tail());
    log.debug("pg {} e{} trimmed log to {}: {} entries left of {}", pgid, epoch(), pgLog.tail(), pgLog.size(),
        before);
  }

  private void activateReplica(long activationEpoch) {
    if (mapping.acting().contains(whoami) && info.lastEpochStarted() < activationEpoch) {
      info = info.withStarted(activationEpoch, info.history().sameIntervalSince());
    }
    sendNotify = false;
    if (missing.isEmpty()) {
      info = info.withLastComplete(info.lastUpdate());
    } else {
      info = info.withLastComplete(lastCompleteFor(missing, pgLog));
    }
    queued.add(new Effect.Queue(new PeeringEvent.ActivateCommitted(epoch(), activationEpoch)));
  }

  /** Ceph's fulfill_query: a replica or stray answers its primary. */
  private void fulfillQuery(PeeringMessage.Query q) {
    updateHistory(q.history());
    switch (q.type()) {
      case INFO -> out.add(new Effect.Send(new PeeringMessage.Notify(pgid, q.epochSent(), epoch(), info,
          pastIntervals, whoami, q.from())));
      case LOG, FULLLOG, MISSING -> {
        PgLog sent = pgLog;
        if (q.type() == QueryType.LOG && !q.since().isBefore(pgLog.tail())) {
          sent = pgLog.copyAfter(q.since());
        }
        out.add(new Effect.Send(new PeeringMessage.Log(pgid, epoch(), q.epochSent(), info, sent, missing,
            pastIntervals, whoami, q.from())));
      }
      default -> { }
    }
  }

  // ---- round bookkeeping ----------------------------------------------------------------------

  /** The current round's decisions as they are made. */
  private static final class RoundBuilder {
    final int primary;
    final long epoch;
    PriorSet priorSet;
    boolean needUpThru;
    AuthChoice auth;
    List<Integer> wantActing;
    List<Integer> pgTempRequested;
    Set<Integer> actingRecoveryBackfill = Set.of();
    Set<Integer> backfillTargets = Set.of();
    PeeringRound.GetLogRequest getLog;
    Map<Integer, GetMissingDecision> getMissing = new LinkedHashMap<>();
    String endState;

    RoundBuilder(int primary, long epoch) {
      this.primary = primary;
      this.epoch = epoch;
    }

    PeeringRound build() {
      return new PeeringRound(primary, epoch, priorSet, needUpThru, auth, wantActing, pgTempRequested,
          actingRecoveryBackfill, backfillTargets, getLog, new TreeMap<>(getMissing), endState);
    }
  }
}
