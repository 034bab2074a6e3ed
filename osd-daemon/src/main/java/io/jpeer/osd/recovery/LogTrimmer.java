package io.jpeer.osd.recovery;

import io.jpeer.core.machine.PeeringEvent;
import io.jpeer.core.machine.PeeringMachine;
import io.jpeer.core.machine.PeeringStateName;
import io.jpeer.core.types.Eversion;
import io.jpeer.core.types.PgId;
import io.jpeer.osd.OsdMessages;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * PG log trimming in the daemon: once a write is on every acting shard, the primary's core trims
 * its log (Ceph's calc_trim_to) and this tells the other shards to trim to the same point
 * (MOSDPGTrim); a replica trims when told, never past its own last_complete. The trimmed entries
 * leave the store in the same transaction as the new log_tail.
 */
final class LogTrimmer {
  private static final Logger log = LoggerFactory.getLogger(LogTrimmer.class);

  private final RecoveryDaemon d;

  LogTrimmer(RecoveryDaemon d) {
    this.d = d;
  }

  /** The primary's write at {@code version} is durable on every acting shard. */
  void committed(PgId pgid, Eversion version) {
    PeeringMachine m = d.machine(pgid);
    if (m == null || !m.isPrimary() || !m.state().isWithin(PeeringStateName.ACTIVE)) {
      return;
    }
    Eversion before = m.pgLog().tail();
    d.feed(pgid, new PeeringEvent.TrimLog(version, d.minPgLogEntries(), d.maxPgLogEntries()));
    PeeringMachine now = d.machine(pgid);
    if (now != m || !m.pgLog().tail().isAfter(before)) {
      return;
    }
    Eversion to = m.pgLog().tail();
    log.debug("pg {} e{} log trimmed to {} ({} entries); telling {}", pgid, d.epoch(), to, m.pgLog().size(),
        m.actingRecoveryBackfill());
    for (int p : m.actingRecoveryBackfill()) {
      if (p != d.whoami()) {
        d.sendToOsd(p, OsdMessages.MOSD_PG_TRIM, BackfillMessage.encode(new BackfillMessage.Trim(pgid, d.epoch(), to)));
      }
    }
  }

  /** The primary's MOSDPGTrim. */
  void trim(int from, BackfillMessage.Trim t, PeeringMachine m) {
    if (m.mapping().actingPrimary() != from || !m.state().isWithin(PeeringStateName.REPLICA_ACTIVE)) {
      log.debug("pg {} e{} trim to {} from osd.{} ignored ({})", t.pgid(), d.epoch(), t.trimTo(), from,
          m.stateName());
      return;
    }
    d.feed(t.pgid(), new PeeringEvent.TrimLogTo(t.trimTo()));
  }
}
