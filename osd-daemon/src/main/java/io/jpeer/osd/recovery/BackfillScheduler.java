package io.jpeer.osd.recovery;

import io.jpeer.core.backfill.BackfillPlan;
import io.jpeer.core.machine.PeeringEvent;
import io.jpeer.core.machine.PeeringMachine;
import io.jpeer.core.machine.PeeringStateName;
import io.jpeer.core.types.Eversion;
import io.jpeer.core.types.ObjectNames;
import io.jpeer.core.types.PgId;
import io.jpeer.core.types.PgInfo;
import io.jpeer.osd.OsdMessages;
import io.jpeer.store.StoreException;
import io.jpeer.store.StoredObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The primary's side of backfill (Ceph's recover_backfill), for PGs the core put in Backfilling:
 * walk the objects in name order one chunk at a time; for each chunk ask every backfill target
 * for its objects there (MOSDPGScan), push what differs and delete what the primary lacks
 * (MOSDPGPush, as recovery does), and once every push is acknowledged move each target's
 * last_backfill to the chunk's end (MOSDPGBackfill). A chunk's end is its last_backfill_started:
 * writes to objects up to it reach the targets in full, writes beyond only as log entries, and
 * writes to an object whose push is in flight wait for it. At MAX the core is told Backfilled.
 */
final class BackfillScheduler {
  private static final Logger log = LoggerFactory.getLogger(BackfillScheduler.class);
  /** A chunk unanswered this long is scanned again (a lost message must not stall a PG). */
  static final long CHUNK_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(30);

  /** One PG's backfill in its interval. */
  private static final class PgBackfill {
    final long interval;
    final TreeSet<Integer> targets;
    /** Every target holds everything up to here (their last_backfill). */
    String done = ObjectNames.MIN;
    /** The current chunk is (done, end]; once its pushes started, end is last_backfill_started. */
    String end;
    boolean pushing;
    final Map<Integer, BackfillMessage.ScanDigest> digests = new TreeMap<>();
    /** Pushes and deletes in flight: object to the targets that have not acknowledged it. */
    final Map<String, Set<Integer>> inFlight = new HashMap<>();
    /** Bytes of each push in flight, counted once acknowledged. */
    final Map<String, Long> pushBytes = new HashMap<>();
    long chunkStartedNanos;
    long pushed;
    long removed;
    /** The primary's objects in the current chunk, and in the chunks every target holds. */
    long chunkObjects;
    long objectsDone;

    PgBackfill(long interval, Set<Integer> targets) {
      this.interval = interval;
      this.targets = new TreeSet<>(targets);
    }

    String lastBackfillStarted() {
      return pushing ? end : done;
    }
  }

  private final RecoveryDaemon d;
  private final RecoveryCounters counters;
  private final Map<PgId, PgBackfill> pgs = new TreeMap<>();

  BackfillScheduler(RecoveryDaemon d, RecoveryCounters counters) {
    this.d = d;
    this.counters = counters;
  }

  /** Objects every backfill target of the PG holds by now (0 when not backfilling it). */
  long backfilledObjects(PgId pgid) {
    PgBackfill b = pgs.get(pgid);
    return b == null ? 0 : b.objectsDone;
  }

  /** The core entered Backfilling for the PG. */
  void start(PgId pgid) {
    PeeringMachine m = d.machine(pgid);
    if (m == null || !m.isPrimary() || m.state() != PeeringStateName.BACKFILLING) {
      return;
    }
    PgBackfill b = pgs.get(pgid);
    if (b != null && b.interval == m.lastPeeringReset()) {
      return; // already running
    }
    b = new PgBackfill(m.lastPeeringReset(), m.backfillTargets());
    pgs.put(pgid, b);
    log.info("pg {} e{} backfill starts to osd.{}", pgid, d.epoch(), b.targets);
    nextChunk(pgid, m, b);
  }

  void intervalChanged(PgId pgid) {
    if (pgs.remove(pgid) != null) {
      log.info("pg {} e{} new interval: backfill stops (it starts again if still needed)", pgid, d.epoch());
    }
  }

  /** Whether a write to {@code oid} must wait: a backfill push of it is in flight. */
  boolean blocks(PgId pgid, String oid) {
    PgBackfill b = pgs.get(pgid);
    return b != null && b.inFlight.containsKey(oid);
  }

  /**
   * Ceph's should_send_op: a backfill target gets a write's object change only for objects up to
   * its last_backfill or the chunk being pushed; beyond, backfill will bring the object.
   */
  boolean shouldSendOp(PgId pgid, int osd, String oid) {
    PeeringMachine m = d.machine(pgid);
    if (m == null || !m.backfillTargets().contains(osd)) {
      return true;
    }
    PgInfo pi = m.peerInfo().get(osd);
    if (pi != null && ObjectNames.withinBackfill(oid, pi.lastBackfill())) {
      return true;
    }
    PgBackfill b = pgs.get(pgid);
    return b != null && b.interval == m.lastPeeringReset() && ObjectNames.withinBackfill(oid, b.lastBackfillStarted());
  }

  /** Periodic: a chunk stuck too long (a lost message) is scanned again. */
  void tick(long nowNanos) {
    for (Map.Entry<PgId, PgBackfill> e : new ArrayList<>(pgs.entrySet())) {
      PgBackfill b = e.getValue();
      PeeringMachine m = d.machine(e.getKey());
      if (m == null || m.lastPeeringReset() != b.interval || m.state() != PeeringStateName.BACKFILLING) {
        pgs.remove(e.getKey(), b);
        continue;
      }
      if (nowNanos - b.chunkStartedNanos > CHUNK_TIMEOUT_NANOS) {
        log.warn("pg {} e{} backfill chunk ({}, {}] unfinished after {} s; scanning it again", e.getKey(), d.epoch(),
            b.done, b.end, TimeUnit.NANOSECONDS.toSeconds(CHUNK_TIMEOUT_NANOS));
        b.inFlight.clear();
        b.pushBytes.clear();
        b.pushing = false;
        nextChunk(e.getKey(), m, b);
      }
    }
  }

  private PgBackfill current(PgId pgid, PeeringMachine m) {
    PgBackfill b = pgs.get(pgid);
    if (b == null || m == null || m.lastPeeringReset() != b.interval || m.state() != PeeringStateName.BACKFILLING) {
      return null;
    }
    return b;
  }

  /** Lists the primary's next chunk and asks every target for its objects there. */
  private void nextChunk(PgId pgid, PeeringMachine m, PgBackfill b) {
    List<String> names;
    try {
      names = BackfillObjects.names(d.store(), pgid.toString(), b.done, BackfillPlan.CHUNK);
    } catch (StoreException e) {
      log.error("pg {} e{} backfill cannot list objects: {}; retried on the next tick", pgid, d.epoch(),
          e.getMessage());
      b.chunkStartedNanos = System.nanoTime() - CHUNK_TIMEOUT_NANOS + TimeUnit.SECONDS.toNanos(1);
      return;
    }
    b.end = BackfillPlan.chunkEnd(names, BackfillPlan.CHUNK);
    b.pushing = false;
    b.digests.clear();
    b.chunkStartedNanos = System.nanoTime();
    log.debug("pg {} e{} backfill scanning ({}, {}] on osd.{}", pgid, d.epoch(), b.done, b.end, b.targets);
    for (int t : b.targets) {
      d.sendToOsd(t, OsdMessages.MOSD_PG_SCAN, BackfillMessage.encode(
          new BackfillMessage.ScanRequest(pgid, d.epoch(), b.done, b.end)));
    }
  }

  /** A target's objects in the chunk: once all have answered, the chunk's pushes start. */
  void digest(int from, BackfillMessage.ScanDigest dg) {
    PeeringMachine m = d.machine(dg.pgid());
    PgBackfill b = current(dg.pgid(), m);
    if (b == null || b.pushing || !b.targets.contains(from) || !dg.begin().equals(b.done)) {
      log.debug("pg {} e{} stale scan digest from osd.{} ({}, {}]; ignored", dg.pgid(), d.epoch(), from, dg.begin(),
          dg.end());
      return;
    }
    b.digests.put(from, dg);
    if (b.digests.size() < b.targets.size()) {
      return;
    }
    List<String> ends = new ArrayList<>();
    b.digests.values().forEach(x -> ends.add(x.end()));
    b.end = BackfillPlan.narrowedEnd(b.end, ends);
    String coll = dg.pgid().toString();
    TreeMap<String, Eversion> mine;
    try {
      // Read now, on the daemon thread between writes: what a push sends is what the primary holds.
      mine = BackfillObjects.scan(d.store(), coll, b.done, b.end, 0, new String[1]);
    } catch (StoreException e) {
      log.error("pg {} e{} backfill cannot scan its objects: {}; the chunk is retried", dg.pgid(), d.epoch(),
          e.getMessage());
      return;
    }
    b.pushing = true;
    b.chunkObjects = mine.size();
    int ops = 0;
    for (int t : b.targets) {
      TreeMap<String, Eversion> theirs = new TreeMap<>(b.digests.get(t).objects());
      theirs.keySet().removeIf(o -> !BackfillPlan.within(o, b.done, b.end));
      BackfillPlan plan = BackfillPlan.of(b.done, b.end, mine, theirs);
      for (String oid : plan.push().keySet()) {
        long bytes = push(dg.pgid(), oid, t, false);
        if (bytes >= 0) {
          b.pushBytes.put(oid, bytes);
          b.inFlight.computeIfAbsent(oid, k -> new HashSet<>()).add(t);
          b.pushed++;
          ops++;
        }
      }
      for (String oid : plan.remove()) {
        if (push(dg.pgid(), oid, t, true) >= 0) {
          b.inFlight.computeIfAbsent(oid, k -> new HashSet<>()).add(t);
          b.removed++;
          ops++;
        }
      }
    }
    log.debug("pg {} e{} backfill chunk ({}, {}]: {} push(es)/delete(s)", dg.pgid(), d.epoch(), b.done, b.end, ops);
    if (b.inFlight.isEmpty()) {
      chunkDone(dg.pgid(), m, b);
    }
  }

  /** Sends the push (or delete); returns the bytes it carries, -1 if it could not be sent. */
  private long push(PgId pgid, String oid, int to, boolean delete) {
    RecoveryMessage.Push p;
    if (delete) {
      p = RecoveryMessage.Push.deletion(pgid, d.epoch(), oid, Eversion.ZERO);
    } else {
      Optional<StoredObject> o;
      try {
        o = d.store().read(pgid.toString(), oid);
      } catch (StoreException e) {
        log.error("pg {} e{} cannot read {} to backfill osd.{}: {}", pgid, d.epoch(), oid, to, e.getMessage());
        return -1;
      }
      if (o.isEmpty()) {
        return -1;
      }
      Eversion v = ObjectVersion.of(o.get());
      p = RecoveryMessage.Push.of(pgid, d.epoch(), oid, v == null ? Eversion.ZERO : v, o.get());
    }
    d.sendToOsd(to, OsdMessages.MOSD_PG_PUSH, RecoveryMessage.encode(p));
    return p.data().length;
  }

  /** A push reply: true if it was a backfill push of this OSD's (else recovery's). */
  boolean pushReplied(int from, RecoveryMessage.PushReply r) {
    PeeringMachine m = d.machine(r.pgid());
    PgBackfill b = current(r.pgid(), m);
    if (b == null || !b.pushing) {
      return false;
    }
    Set<Integer> waiting = b.inFlight.get(r.oid());
    if (waiting == null || !waiting.contains(from)) {
      return false;
    }
    if (r.result() != 0) {
      log.warn("pg {} e{} osd.{} could not store backfilled {} (result {}); the chunk is scanned again", r.pgid(),
          d.epoch(), from, r.oid(), r.result());
      b.inFlight.clear();
      b.pushBytes.clear();
      nextChunk(r.pgid(), m, b);
      return true;
    }
    waiting.remove(from);
    counters.recovered(r.pgid(), b.pushBytes.getOrDefault(r.oid(), 0L));
    if (waiting.isEmpty()) {
      b.inFlight.remove(r.oid());
      b.pushBytes.remove(r.oid());
    }
    if (b.inFlight.isEmpty()) {
      chunkDone(r.pgid(), m, b);
    }
    return true;
  }

  /** Every target holds the chunk: its last_backfill moves to the chunk's end. */
  private void chunkDone(PgId pgid, PeeringMachine m, PgBackfill b) {
    String end = b.end;
    for (int t : b.targets) {
      d.sendToOsd(t, OsdMessages.MOSD_PG_BACKFILL, BackfillMessage.encode(
          new BackfillMessage.Progress(pgid, d.epoch(), end)));
    }
    b.done = end;
    b.pushing = false;
    b.objectsDone += b.chunkObjects;
    for (int t : b.targets) {
      d.feed(pgid, new PeeringEvent.BackfillProgress(t, end)); // (also retries writes that waited)
    }
    if (d.machine(pgid) != m || current(pgid, m) != b) {
      return;
    }
    if (ObjectNames.MAX.equals(end)) {
      pgs.remove(pgid);
      log.info("pg {} e{} backfill done to osd.{}: {} object(s) pushed, {} deleted", pgid, d.epoch(), b.targets,
          b.pushed, b.removed);
      d.feed(pgid, new PeeringEvent.Backfilled());
      return;
    }
    nextChunk(pgid, m, b);
  }
}
