package io.jpeer.mon;

import io.jpeer.core.types.PgId;
import io.jpeer.proto.mon.PgStatProto;
import java.util.Collections;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * The newest stats per PG as primaries report them (the part of Ceph's PGMap the monitor keeps
 * here), with the OSD that sent each. A report older (by reported epoch) than the one held is
 * ignored. Not persisted: primaries report again after a monitor restart.
 */
final class PgStatsTable {
  record Entry(int reporter, PgStat stat) {}

  private final NavigableMap<PgId, Entry> stats = new TreeMap<>();

  void put(int reporter, PgStat s) {
    Entry old = stats.get(s.pgid());
    if (old == null || s.reportedEpoch() >= old.stat().reportedEpoch()) {
      stats.put(s.pgid(), new Entry(reporter, s));
    }
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
        Integer.toUnsignedLong(p.getLastEpochClean()));
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
        .build();
  }
}
