package io.jpeer.mon;

import io.jpeer.core.types.PgId;
import io.jpeer.proto.mon.PgStatProto;
import java.time.Clock;
import java.util.Collections;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * The newest stats per PG as primaries report them (the part of Ceph's PGMap the monitor keeps
 * here), with the OSD that sent each. A report older (by reported epoch) than the one held is
 * ignored. Not persisted: primaries report again after a monitor restart.
 */
final class PgStatsTable {
  record Entry(int reporter, PgStat stat, long receivedMillis) {}

  private final NavigableMap<PgId, Entry> stats = new TreeMap<>();
  private final RecoveryRate recovery = new RecoveryRate();
  private final Clock clock;

  PgStatsTable() {
    this(Clock.systemUTC());
  }

  PgStatsTable(Clock clock) {
    this.clock = clock;
  }

  void put(int reporter, PgStat s) {
    Entry old = stats.get(s.pgid());
    if (old == null || s.reportedEpoch() >= old.stat().reportedEpoch()) {
      long now = clock.millis();
      // A new reporter (primary) starts its own totals: only growth from the same one counts.
      if (old != null && old.reporter() == reporter) {
        recovery.add(old.receivedMillis(), now,
            Math.max(0, s.numObjectsRecovered() - old.stat().numObjectsRecovered()),
            Math.max(0, s.numBytesRecovered() - old.stat().numBytesRecovered()));
      }
      stats.put(s.pgid(), new Entry(reporter, s, now));
    }
  }

  /** Objects and bytes recovered per second, cluster-wide, lately. */
  RecoveryRate.Rate recoveryRate() {
    return recovery.at(clock.millis());
  }

  NavigableMap<PgId, Entry> all() {
    return Collections.unmodifiableNavigableMap(stats);
  }

  static PgStat fromProto(PgStatProto p) {
    return new PgStat(
        PgId.parse(p.getPgid()),
        p.getState(),
        p.getUpList(),
        p.getActingList(),
        p.getUpPrimary(),
        p.getActingPrimary(),
        p.getLastUpdate(),
        p.getLogSize(),
        p.getNumObjects(),
        p.getNumObjectsMissing(),
        p.getNumObjectsDegraded(),
        Integer.toUnsignedLong(p.getReportedEpoch()),
        Integer.toUnsignedLong(p.getLastEpochClean()),
        p.getNumObjectsMisplaced(),
        p.getNumObjectsRecovered(),
        p.getNumBytesRecovered());
  }

  static PgStatProto toProto(PgStat s) {
    return PgStatProto.newBuilder()
        .setPgid(s.pgid().toString())
        .setState(s.state())
        .addAllUp(s.up())
        .addAllActing(s.acting())
        .setUpPrimary(s.upPrimary())
        .setActingPrimary(s.actingPrimary())
        .setLastUpdate(s.lastUpdate())
        .setLogSize(s.logSize())
        .setNumObjects(s.numObjects())
        .setNumObjectsMissing(s.numObjectsMissing())
        .setNumObjectsDegraded(s.numObjectsDegraded())
        .setReportedEpoch((int) s.reportedEpoch())
        .setLastEpochClean((int) s.lastEpochClean())
        .setNumObjectsMisplaced(s.numObjectsMisplaced())
        .setNumObjectsRecovered(s.numObjectsRecovered())
        .setNumBytesRecovered(s.numBytesRecovered())
        .build();
  }
}
