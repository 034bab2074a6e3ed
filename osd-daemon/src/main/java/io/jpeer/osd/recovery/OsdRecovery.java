package io.jpeer.osd.recovery;

import io.jpeer.core.machine.PeeringEvent;
import io.jpeer.core.machine.PeeringMachine;
import io.jpeer.core.machine.PeeringStateName;
import io.jpeer.core.types.PgId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An OSD's recovery: what the daemon calls (on its thread). The daemon hands over the core's
 * QueueRecovery effects, state entries, interval changes and the recovery messages; this grants
 * recovery reservations (unless osd_debug_norecover), schedules pulls and pushes, and answers them.
 */
public final class OsdRecovery {
  private static final Logger log = LoggerFactory.getLogger(OsdRecovery.class);
  /** Messages waiting for a newer map, at most (a bad peer cannot fill memory). */
  static final int MAX_WAITING_FOR_MAP = 10_000;

  private final RecoveryDaemon d;
  private final RecoveryScheduler scheduler;
  private final RecoveryReceiver receiver;
  private final BackfillScheduler backfill;
  private final BackfillReceiver backfillReceiver;
  private final LogTrimmer trimmer;
  private final RecoveryCounters counters = new RecoveryCounters();
  private int waitingForMap;

  public OsdRecovery(RecoveryDaemon d) {
    this.d = d;
    this.scheduler = new RecoveryScheduler(d, counters);
    this.receiver = new RecoveryReceiver(d);
    this.backfill = new BackfillScheduler(d, counters);
    this.backfillReceiver = new BackfillReceiver(d);
    this.trimmer = new LogTrimmer(d);
  }

  /** Effect.QueueRecovery: may come inside a store batch, so the work starts after the current task. */
  public void queueRecovery(PgId pgid) {
    d.later(() -> {
      PeeringMachine m = d.machine(pgid);
      if (m != null && m.state() == PeeringStateName.BACKFILLING) {
        backfill.start(pgid);
      } else {
        scheduler.queue(pgid);
      }
    });
  }

  /** Object copies this OSD recovered or backfilled for the PG as its primary, so far. */
  public RecoveryCounters.Totals recovered(PgId pgid) {
    return counters.of(pgid);
  }

  /** Objects each backfill target of the PG holds by now (0 unless this OSD is backfilling it). */
  public long backfilledObjects(PgId pgid) {
    return backfill.backfilledObjects(pgid);
  }

  /** A write to {@code oid} waits while a backfill push of it is in flight. */
  public boolean backfillBlocks(PgId pgid, String oid) {
    return backfill.blocks(pgid, oid);
  }

  /** Whether {@code osd} gets a write's object change (false: a backfill target gets only the entry). */
  public boolean shouldSendOp(PgId pgid, int osd, String oid) {
    return backfill.shouldSendOp(pgid, osd, oid);
  }

  /** The primary's write at {@code version} is on every shard: the log may be trimmed. */
  public void writeCommitted(PgId pgid, io.jpeer.core.types.Eversion version) {
    trimmer.committed(pgid, version);
  }

  /**
   * The PG entered a state; in WaitLocalRecoveryReserved the reservation is granted at once (the
   * throttle is per op, not per PG) unless osd_debug_norecover keeps it in recovery_wait.
   */
  public void stateEntered(PgId pgid, String state) {
    if (state.equals(PeeringStateName.WAIT_LOCAL_BACKFILL_RESERVED.fullName()) && !d.noRecover()) {
      // (granted at once as recovery's; backfill_wait shows only until this runs)
      d.later(() -> {
        PeeringMachine m = d.machine(pgid);
        if (m != null && m.state() == PeeringStateName.WAIT_LOCAL_BACKFILL_RESERVED) {
          d.feed(pgid, new PeeringEvent.BackfillReserved());
        }
      });
    }
    if (state.equals(PeeringStateName.WAIT_LOCAL_RECOVERY_RESERVED.fullName()) && !d.noRecover()) {
      d.later(() -> {
        PeeringMachine m = d.machine(pgid);
        if (m != null && m.state() == PeeringStateName.WAIT_LOCAL_RECOVERY_RESERVED) {
          d.feed(pgid, new PeeringEvent.RecoveryReserved());
        }
      });
    }
  }

  /** A client op waits for {@code oid} of the PG (missing on the primary or on a replica). */
  public void wanted(PgId pgid, String oid) {
    scheduler.urgent(pgid, oid);
  }

  public void intervalChanged(PgId pgid) {
    scheduler.intervalChanged(pgid);
    backfill.intervalChanged(pgid);
  }

  public void tick() {
    scheduler.tick(System.nanoTime());
    backfill.tick(System.nanoTime());
  }

  /**
   * A message sent at a newer epoch than ours waits for that map (a bounded number of them); true
   * if it was held (or dropped as one too many), {@code retry} then runs once the map is here.
   */
  private boolean heldForMap(int from, long epoch, String kind, Runnable retry) {
    if (epoch <= d.epoch()) {
      return false;
    }
    if (waitingForMap >= MAX_WAITING_FOR_MAP) {
      log.warn("osd.{} e{} too many {} messages wait for newer maps; dropping one from osd.{}", d.whoami(), d.epoch(),
          kind, from);
      return true;
    }
    waitingForMap++;
    d.afterMap(epoch, () -> {
      waitingForMap--;
      retry.run();
    });
    return true;
  }

  /** A decoded backfill or trim message from osd.{@code from}. */
  public void handle(int from, BackfillMessage msg) {
    if (heldForMap(from, msg.epoch(), "backfill", () -> handle(from, msg))) {
      return;
    }
    PeeringMachine m = d.machine(msg.pgid());
    if (m == null || msg.epoch() < m.lastPeeringReset()) {
      log.debug("pg {} e{} {} from osd.{} sent at e{}: PG not here or message of an older interval; dropped",
          msg.pgid(), d.epoch(), msg.getClass().getSimpleName(), from, msg.epoch());
      return;
    }
    if (msg instanceof BackfillMessage.ScanRequest r) {
      backfillReceiver.scan(from, r, m);
    } else if (msg instanceof BackfillMessage.ScanDigest dg && m.isPrimary()) {
      backfill.digest(from, dg);
    } else if (msg instanceof BackfillMessage.Progress p) {
      backfillReceiver.progress(from, p, m);
    } else if (msg instanceof BackfillMessage.Trim t) {
      trimmer.trim(from, t, m);
    }
  }

  /** A decoded recovery message from osd.{@code from}. */
  public void handle(int from, RecoveryMessage msg) {
    if (heldForMap(from, msg.epoch(), "recovery", () -> handle(from, msg))) {
      return;
    }
    PeeringMachine m = d.machine(msg.pgid());
    if (m != null && msg.epoch() < m.lastPeeringReset()) {
      log.debug("pg {} e{} {} from osd.{} sent at e{}, before this interval (e{}); dropped", msg.pgid(), d.epoch(),
          msg.getClass().getSimpleName(), from, msg.epoch(), m.lastPeeringReset());
      return;
    }
    if (msg instanceof RecoveryMessage.Pull p) {
      receiver.pull(from, p, m); // (a PG not here answers "not here", so the primary asks another)
      return;
    }
    if (m == null) {
      log.debug("pg {} e{} {} from osd.{} for a PG not here; dropped", msg.pgid(), d.epoch(),
          msg.getClass().getSimpleName(), from);
      return;
    }
    if (msg instanceof RecoveryMessage.Push p) {
      if (m.isPrimary()) {
        scheduler.pulled(from, p, m);
      } else {
        receiver.push(from, p, m);
      }
    } else if (msg instanceof RecoveryMessage.PushReply r && m.isPrimary() && !backfill.pushReplied(from, r)) {
      scheduler.pushReplied(from, r, m);
    }
  }

  /** Pulls and pushes in flight (for tests and status). */
  public int inFlight() {
    return scheduler.inFlight();
  }
}
