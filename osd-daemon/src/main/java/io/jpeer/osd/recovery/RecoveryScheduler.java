package io.jpeer.osd.recovery;

import io.jpeer.core.machine.PeeringEvent;
import io.jpeer.core.machine.PeeringMachine;
import io.jpeer.core.machine.PeeringStateName;
import io.jpeer.core.types.Eversion;
import io.jpeer.core.types.ObjectNames;
import io.jpeer.core.types.PgId;
import io.jpeer.core.types.PgInfo;
import io.jpeer.core.types.PgMissing;
import io.jpeer.osd.OsdMessages;
import io.jpeer.store.StoreException;
import io.jpeer.store.StoredObject;
import io.jpeer.store.Transaction;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The primary's side of log-based recovery (Ceph's recover_primary then recover_replicas): for
 * each PG queued by the core's QueueRecovery, first pull what the primary itself lacks from a
 * shard that has it, then push what each acting replica lacks; at most osd_recovery_max_active
 * pulls and pushes in flight on this OSD. Objects a client op waits for go first. An interval
 * change forgets the PG's ops (the core re-peers and queues it again with new missing sets).
 */
final class RecoveryScheduler {
  private static final Logger log = LoggerFactory.getLogger(RecoveryScheduler.class);
  /** An op unanswered this long is given up and tried again (a lost message must not stall a PG). */
  static final long OP_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(30);

  private final RecoveryDaemon d;
  private final RecoveryCounters counters;
  /** PGs in Recovering whose primary is this OSD, with the interval they were queued in. */
  private final Map<PgId, Long> queued = new TreeMap<>();
  /** Objects client ops wait for, per PG, in arrival order. */
  private final Map<PgId, LinkedHashSet<String>> urgent = new LinkedHashMap<>();
  private final Map<RecoveryOp.Key, RecoveryOp> inFlight = new HashMap<>();
  /** Ops that failed since the last tick: not retried before the next one. */
  private final Set<RecoveryOp.Key> backoff = new HashSet<>();
  /** Sources that could not give an object, per PG and object, for the interval. */
  private final Map<PgId, Map<String, Set<Integer>>> failedSources = new HashMap<>();
  private final Set<PgId> reportedStuck = new HashSet<>();
  private boolean kicking;
  private boolean kickAgain;
  private boolean kickScheduled;

  RecoveryScheduler(RecoveryDaemon d, RecoveryCounters counters) {
    this.d = d;
    this.counters = counters;
  }

  /** The core entered Recovering for the PG (Effect.QueueRecovery). */
  void queue(PgId pgid) {
    PeeringMachine m = d.machine(pgid);
    if (m == null || !m.isPrimary() || m.state() != PeeringStateName.RECOVERING) {
      return;
    }
    queued.put(pgid, m.lastPeeringReset());
    log.info("pg {} e{} recovery queued: {} missing here, {} on replicas", pgid, d.epoch(), m.missing().size(),
        peerMissingCount(m));
    kick();
  }

  /** A client op waits for {@code oid}: recover it ahead of the queue (Ceph's maybe_kick_recovery). */
  void urgent(PgId pgid, String oid) {
    if (urgent.computeIfAbsent(pgid, k -> new LinkedHashSet<>()).add(oid)) {
      scheduleKick();
    }
  }

  /** The PG's interval ended: its ops are forgotten and their slots freed. */
  void intervalChanged(PgId pgid) {
    queued.remove(pgid);
    urgent.remove(pgid);
    failedSources.remove(pgid);
    reportedStuck.remove(pgid);
    backoff.removeIf(k -> k.pgid().equals(pgid));
    if (inFlight.keySet().removeIf(k -> k.pgid().equals(pgid))) {
      log.info("pg {} e{} new interval: its recovery ops in flight are dropped", pgid, d.epoch());
    }
    scheduleKick();
  }

  /** Periodic: ops unanswered too long are given up; failed ones may be retried. */
  void tick(long nowNanos) {
    inFlight.values().removeIf(op -> {
      if (nowNanos - op.startedNanos() > OP_TIMEOUT_NANOS) {
        log.warn("pg {} e{} recovery of {} on osd.{}: no answer from osd.{} in {} s; trying again",
            op.key().pgid(), d.epoch(), op.key().oid(), op.key().target(), op.peer(),
            TimeUnit.NANOSECONDS.toSeconds(OP_TIMEOUT_NANOS));
        return true;
      }
      return false;
    });
    backoff.clear();
    failedSources.clear(); // a source may have it now (after its own recovery)
    if (!queued.isEmpty() || !urgent.isEmpty()) {
      kick();
    }
  }

  private void scheduleKick() {
    if (!kickScheduled) {
      kickScheduled = true;
      d.later(() -> {
        kickScheduled = false;
        kick();
      });
    }
  }

  /** Starts ops up to the throttle, urgent objects first; finishes PGs with nothing left. */
  void kick() {
    if (kicking) {
      kickAgain = true;
      return;
    }
    kicking = true;
    try {
      do {
        kickAgain = false;
        startUrgent();
        startQueued();
        finishRecovered();
      } while (kickAgain);
    } finally {
      kicking = false;
    }
  }

  private boolean full() {
    return inFlight.size() >= d.maxActive();
  }

  // The loops below walk copies: storing a recovered object retries held ops, which may add
  // urgent objects, and feeding the PG may change what is queued.
  private void startUrgent() {
    for (PgId pgid : new java.util.ArrayList<>(urgent.keySet())) {
      PeeringMachine m = d.machine(pgid);
      if (m == null || !m.isPrimary() || !m.acceptsWrites()) {
        urgent.remove(pgid);
        continue;
      }
      for (String oid : new java.util.ArrayList<>(urgent.getOrDefault(pgid, new LinkedHashSet<>()))) {
        if (!startObject(pgid, m, oid)) {
          urgent.getOrDefault(pgid, new LinkedHashSet<>()).remove(oid); // nothing (more) to do for it now
        }
        if (full()) {
          return;
        }
      }
      if (urgent.getOrDefault(pgid, new LinkedHashSet<>()).isEmpty()) {
        urgent.remove(pgid);
      }
    }
  }

  /** Starts what {@code oid} needs; true while it still needs something (in flight included). */
  private boolean startObject(PgId pgid, PeeringMachine m, String oid) {
    if (m.missing().isMissing(oid)) {
      if (!inFlight.containsKey(new RecoveryOp.Key(pgid, oid, d.whoami()))) {
        return recoverLocal(pgid, m, oid, m.missing().get(oid)) && d.machine(pgid) == m
            && m.missing().isMissing(oid);
      }
      return true;
    }
    boolean needed = false;
    for (int p : replicas(m)) {
      PgMissing pm = m.peerMissing().get(p);
      if (pm != null && pm.isMissing(oid)) {
        needed = true;
        if (!full()) {
          push(pgid, m, oid, p, pm.get(oid));
        }
      }
    }
    return needed;
  }

  private void startQueued() {
    for (Map.Entry<PgId, Long> e : new java.util.ArrayList<>(queued.entrySet())) {
      if (full()) {
        return;
      }
      PgId pgid = e.getKey();
      PeeringMachine m = d.machine(pgid);
      if (m == null || !m.isPrimary() || m.lastPeeringReset() != e.getValue()
          || m.state() != PeeringStateName.RECOVERING) {
        queued.remove(pgid, e.getValue());
        continue;
      }
      // The primary first (a replica can only be given what the primary has), then the replicas.
      // (PgMissing is immutable: this snapshot stays valid while recovered items leave the machine's.)
      for (Map.Entry<String, PgMissing.Item> item : m.missing().items().entrySet()) {
        if (full() || d.machine(pgid) != m) {
          return;
        }
        if (!inFlight.containsKey(new RecoveryOp.Key(pgid, item.getKey(), d.whoami()))) {
          recoverLocal(pgid, m, item.getKey(), item.getValue());
        }
      }
      for (int p : replicas(m)) {
        PgMissing pm = m.peerMissing().get(p);
        if (pm == null) {
          continue;
        }
        for (Map.Entry<String, PgMissing.Item> item : pm.items().entrySet()) {
          if (full()) {
            return;
          }
          if (!m.missing().isMissing(item.getKey())) {
            push(pgid, m, item.getKey(), p, item.getValue());
          }
        }
      }
    }
  }

  /**
   * The primary lacks {@code oid}: a delete is applied at once, anything else pulled from a shard
   * that has it. False if nothing could be started (no source: unfound, for now).
   */
  private boolean recoverLocal(PgId pgid, PeeringMachine m, String oid, PgMissing.Item item) {
    if (item.isDelete()) {
      Transaction t = new Transaction();
      t.remove(pgid.toString(), oid);
      log.debug("pg {} e{} recovering delete of {} ({}) here", pgid, d.epoch(), oid, item.need());
      boolean done = d.applyWithEvent(pgid, new PeeringEvent.ObjectRecovered(oid, item.need(), d.whoami()), t);
      if (done) {
        counters.recovered(pgid, 0);
      }
      return done;
    }
    RecoveryOp.Key key = new RecoveryOp.Key(pgid, oid, d.whoami());
    if (backoff.contains(key)) {
      return true;
    }
    Set<Integer> failed = failedSources.getOrDefault(pgid, Map.of()).getOrDefault(oid, Set.of());
    Integer source = null;
    for (int s : m.missingLocations().getOrDefault(oid, Set.of())) {
      if (s != d.whoami() && d.isUp(s) && !failed.contains(s)) {
        source = s;
        break;
      }
    }
    if (source == null) {
      if (reportedStuck.add(pgid)) {
        log.warn("pg {} e{} {} {}: no live shard is known to hold it (unfound); recovery of it waits", pgid,
            d.epoch(), oid, item.need());
      }
      return false;
    }
    inFlight.put(key, new RecoveryOp(key, source, item.need(), m.lastPeeringReset(), System.nanoTime(), 0));
    log.debug("pg {} e{} pulling {} {} from osd.{}", pgid, d.epoch(), oid, item.need(), source);
    d.sendToOsd(source, OsdMessages.MOSD_PG_PULL,
        RecoveryMessage.encode(new RecoveryMessage.Pull(pgid, d.epoch(), oid, item.need())));
    return true;
  }

  /** Sends replica {@code to} the primary's copy of {@code oid} (or its deletion). */
  private void push(PgId pgid, PeeringMachine m, String oid, int to, PgMissing.Item item) {
    RecoveryOp.Key key = new RecoveryOp.Key(pgid, oid, to);
    if (inFlight.containsKey(key) || backoff.contains(key)) {
      return;
    }
    RecoveryMessage.Push push;
    if (item.isDelete()) {
      push = RecoveryMessage.Push.deletion(pgid, d.epoch(), oid, item.need());
    } else {
      Optional<StoredObject> o;
      try {
        o = d.store().read(pgid.toString(), oid);
      } catch (StoreException e) {
        log.error("pg {} e{} cannot read {} to push it to osd.{}: {}", pgid, d.epoch(), oid, to, e.getMessage());
        backoff.add(key);
        return;
      }
      Eversion v = o.map(ObjectVersion::of).orElse(null);
      if (v == null || item.need().isAfter(v)) {
        log.error("pg {} e{} osd.{} needs {} {} but this primary holds {}", pgid, d.epoch(), to, oid, item.need(),
            o.isEmpty() ? "no such object" : v);
        backoff.add(key);
        return;
      }
      push = RecoveryMessage.Push.of(pgid, d.epoch(), oid, v, o.get());
    }
    inFlight.put(key, new RecoveryOp(key, to, push.version(), m.lastPeeringReset(), System.nanoTime(),
        push.data().length));
    log.debug("pg {} e{} pushing {} {} to osd.{}{}", pgid, d.epoch(), oid, push.version(), to,
        item.isDelete() ? " (delete)" : "");
    d.sendToOsd(to, OsdMessages.MOSD_PG_PUSH, RecoveryMessage.encode(push));
  }

  /** A source's answer to our pull: the object and the PG's change in one transaction. */
  void pulled(int from, RecoveryMessage.Push p, PeeringMachine m) {
    RecoveryOp.Key key = new RecoveryOp.Key(p.pgid(), p.oid(), d.whoami());
    RecoveryOp op = inFlight.get(key);
    if (op == null || op.peer() != from || op.interval() != m.lastPeeringReset()) {
      log.debug("pg {} e{} unexpected push of {} from osd.{}; ignored", p.pgid(), d.epoch(), p.oid(), from);
      return;
    }
    inFlight.remove(key);
    PgMissing.Item item = m.missing().get(p.oid());
    if (item == null) {
      kick();
      return;
    }
    // Exactly the needed version: a shard with another one holds a divergent write.
    if (p.result() != 0 || p.isDelete() || !item.need().equals(p.version())) {
      log.warn("pg {} e{} osd.{} could not give {} {} (result {}, has {}); trying another source", p.pgid(),
          d.epoch(), from, p.oid(), item.need(), p.result(), p.version());
      failedSources.computeIfAbsent(p.pgid(), k -> new HashMap<>()).computeIfAbsent(p.oid(), k -> new HashSet<>())
          .add(from);
      kick();
      return;
    }
    Transaction t = new Transaction();
    t.write(p.pgid().toString(), p.oid(), p.data(), ObjectVersion.withVersion(p.attrs(), p.version()));
    log.debug("pg {} e{} pulled {} {} from osd.{}", p.pgid(), d.epoch(), p.oid(), p.version(), from);
    // Grouped with the other objects of this drain; reads of it (pushes) see it once stored.
    d.applyGrouped(p.pgid(), new PeeringEvent.ObjectRecovered(p.oid(), p.version(), d.whoami()), t, () -> {
          counters.recovered(p.pgid(), p.data().length);
          kick();
        }, () -> {
          backoff.add(key);
          kick();
        });
  }

  /** A replica stored what we pushed: its peer_missing shrinks. */
  void pushReplied(int from, RecoveryMessage.PushReply r, PeeringMachine m) {
    RecoveryOp.Key key = new RecoveryOp.Key(r.pgid(), r.oid(), from);
    RecoveryOp op = inFlight.get(key);
    if (op == null || op.interval() != m.lastPeeringReset()) {
      log.debug("pg {} e{} unexpected push reply for {} from osd.{}; ignored", r.pgid(), d.epoch(), r.oid(), from);
      return;
    }
    inFlight.remove(key);
    if (r.result() != 0) {
      log.warn("pg {} e{} osd.{} could not store pushed {} {} (result {}); retried later", r.pgid(), d.epoch(), from,
          r.oid(), r.version(), r.result());
      backoff.add(key);
    } else {
      d.feed(r.pgid(), new PeeringEvent.ObjectRecovered(r.oid(), op.version(), from));
      counters.recovered(r.pgid(), op.bytes());
    }
    kick();
  }

  /** PGs with nothing missing anywhere and nothing in flight leave Recovering (Ceph's AllReplicasRecovered). */
  private void finishRecovered() {
    for (Map.Entry<PgId, Long> e : new java.util.ArrayList<>(queued.entrySet())) {
      PgId pgid = e.getKey();
      PeeringMachine m = d.machine(pgid);
      if (m == null || m.lastPeeringReset() != e.getValue() || m.state() != PeeringStateName.RECOVERING) {
        queued.remove(pgid, e.getValue());
        continue;
      }
      if (!m.missing().isEmpty() || peerMissingCount(m) > 0
          || inFlight.keySet().stream().anyMatch(k -> k.pgid().equals(pgid))) {
        continue;
      }
      queued.remove(pgid, e.getValue());
      boolean backfill = false;
      for (int p : m.actingRecoveryBackfill()) {
        PgInfo pi = m.peerInfo().get(p);
        backfill |= p != d.whoami() && pi != null && !ObjectNames.MAX.equals(pi.lastBackfill());
      }
      log.info("pg {} e{} recovery done{}", pgid, d.epoch(), backfill ? "; backfill next" : "");
      d.feed(pgid, backfill ? new PeeringEvent.RequestBackfill() : new PeeringEvent.AllReplicasRecovered());
    }
  }

  /** Acting (and recovery) replicas that log-based recovery serves: not the backfill targets. */
  private java.util.List<Integer> replicas(PeeringMachine m) {
    java.util.List<Integer> out = new java.util.ArrayList<>();
    for (int p : m.actingRecoveryBackfill()) {
      PgInfo pi = m.peerInfo().get(p);
      if (p != d.whoami() && pi != null && ObjectNames.MAX.equals(pi.lastBackfill())) {
        out.add(p);
      }
    }
    return out;
  }

  private int peerMissingCount(PeeringMachine m) {
    int n = 0;
    for (int p : replicas(m)) {
      PgMissing pm = m.peerMissing().get(p);
      n += p == d.whoami() || pm == null ? 0 : pm.size();
    }
    return n;
  }

  int inFlight() {
    return inFlight.size();
  }
}
