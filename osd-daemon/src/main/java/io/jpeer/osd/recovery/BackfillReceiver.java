package io.jpeer.osd.recovery;

import io.jpeer.core.backfill.BackfillPlan;
import io.jpeer.core.machine.PeeringEvent;
import io.jpeer.core.machine.PeeringMachine;
import io.jpeer.core.machine.PeeringStateName;
import io.jpeer.core.types.Eversion;
import io.jpeer.osd.OsdMessages;
import io.jpeer.store.StoreException;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A backfill target's side: it lists its objects in the chunk the primary asks about (Ceph's
 * do_scan answering MOSDPGScan), and stores each last_backfill the primary sends in its PG info,
 * so that a restart knows how far it got. The pushed objects themselves go through recovery's
 * receiver.
 */
final class BackfillReceiver {
  private static final Logger log = LoggerFactory.getLogger(BackfillReceiver.class);
  /** Objects a target lists per answer at most: more cut the chunk short. */
  static final int SCAN_MAX = 4 * BackfillPlan.CHUNK;

  private final RecoveryDaemon d;

  BackfillReceiver(RecoveryDaemon d) {
    this.d = d;
  }

  private boolean fromPrimary(int from, PeeringMachine m, String what) {
    if (m.mapping().actingPrimary() != from || !m.state().isWithin(PeeringStateName.REPLICA_ACTIVE)) {
      log.info("pg {} e{} {} from osd.{} ignored (primary osd.{}, {})", m.pgid(), d.epoch(), what, from,
          m.mapping().actingPrimary(), m.stateName());
      return false;
    }
    return true;
  }

  void scan(int from, BackfillMessage.ScanRequest r, PeeringMachine m) {
    if (!fromPrimary(from, m, "backfill scan")) {
      return;
    }
    String[] end = new String[1];
    TreeMap<String, Eversion> objects;
    try {
      objects = BackfillObjects.scan(d.store(), r.pgid().toString(), r.begin(), r.end(), SCAN_MAX, end);
    } catch (StoreException e) {
      log.error("pg {} e{} cannot scan objects for osd.{}'s backfill: {}", r.pgid(), d.epoch(), from, e.getMessage());
      return; // (the primary scans again after its timeout)
    }
    log.debug("pg {} e{} backfill scan ({}, {}] for osd.{}: {} object(s)", r.pgid(), d.epoch(), r.begin(), end[0],
        from, objects.size());
    d.sendToOsd(from, OsdMessages.MOSD_PG_SCAN, BackfillMessage.encode(
        new BackfillMessage.ScanDigest(r.pgid(), d.epoch(), r.begin(), end[0], objects)));
  }

  void progress(int from, BackfillMessage.Progress p, PeeringMachine m) {
    if (fromPrimary(from, m, "backfill progress")) {
      d.feed(p.pgid(), new PeeringEvent.BackfillProgress(d.whoami(), p.lastBackfill()));
    }
  }
}
