package io.jpeer.osd;

import io.jpeer.core.interval.PgMapping;
import io.jpeer.core.machine.PeeringMachine;
import io.jpeer.core.stats.PgObjectCounts;
import io.jpeer.core.types.PgId;
import io.jpeer.map.OsdMap;
import io.jpeer.mon.PgStat;
import java.util.ArrayList;
import java.util.List;

/**
 * A PG this OSD holds: its peering machine, and the states it went through with their times (the
 * runtime keeps the clock; the core never reads it), for {@code pg query} and the logs.
 */
public final class Pg {
  /**
   * One state the PG was in: when it entered and left (microseconds since the epoch; 0 while
   * still in it), in which map epoch.
   */
  public record StateVisit(String state, long epoch, long enteredMicros, long exitedMicros) {
    /** Time spent in the state, in milliseconds with microsecond precision (0 while in it). */
    public double durationMillis() {
      return exitedMicros == 0 ? 0 : (exitedMicros - enteredMicros) / 1000.0;
    }
  }

  /** A bound on the history for a PG that keeps re-peering within one interval. */
  private static final int HISTORY = 512;

  private final PgId pgid;
  private final PeeringMachine machine;
  // The states of the current and the previous interval (pg query's peering_history).
  private final ArrayList<StateVisit> history = new ArrayList<>();
  private int currentIntervalStart;
  /** The log as last stored, so most changes store only the new entries. */
  io.jpeer.core.types.PgLog persistedLog;
  io.jpeer.core.interval.PastIntervals persistedPastIntervals;
  io.jpeer.core.types.PgInfo persistedInfo;
  io.jpeer.core.types.PgMissing persistedMissing;

  Pg(PgId pgid, PeeringMachine machine) {
    this.pgid = pgid;
    this.machine = machine;
  }

  PgId pgid() {
    return pgid;
  }

  PeeringMachine machine() {
    return machine;
  }

  PgMapping mapping() {
    return machine.mapping();
  }

  boolean isPrimary() {
    return machine.isPrimary();
  }

  /** A new interval starts with the next state entered; the one before the previous is forgotten. */
  void newInterval() {
    history.subList(0, currentIntervalStart).clear();
    currentIntervalStart = history.size();
  }

  void entered(String state, long epoch, long nowMicros) {
    history.add(new StateVisit(state, epoch, nowMicros, 0));
    if (history.size() > HISTORY) {
      int drop = history.size() - HISTORY;
      history.subList(0, drop).clear();
      currentIntervalStart = Math.max(0, currentIntervalStart - drop);
    }
  }

  /** Closes the open visit of {@code state}; returns it closed (null if none was open). */
  StateVisit exited(String state, long nowMicros) {
    for (int i = history.size() - 1; i >= 0; i--) {
      StateVisit v = history.get(i);
      if (v.state().equals(state) && v.exitedMicros() == 0) {
        StateVisit closed = new StateVisit(v.state(), v.epoch(), v.enteredMicros(), nowMicros);
        history.set(i, closed);
        return closed;
      }
    }
    return null;
  }

  List<StateVisit> history() {
    return List.copyOf(history);
  }

  /**
   * What the primary reports: {@code recovered} its running totals for the PG, {@code backfilled}
   * the objects its backfill targets hold by now.
   */
  PgStat stat(OsdMap map, io.jpeer.osd.recovery.RecoveryCounters.Totals recovered, long backfilled) {
    PgMapping m = machine.mapping();
    java.util.Map<Integer, Long> peerMissing = new java.util.HashMap<>();
    machine.peerMissing().forEach((osd, pm) -> peerMissing.put(osd, (long) pm.size()));
    long objects = machine.info().stats().numObjects();
    int size = map.pool(pgid.pool()).map(io.jpeer.map.Pool::size).orElse(m.acting().size());
    PgObjectCounts counts = PgObjectCounts.of(size, m.up(), m.acting(), m.actingPrimary(), objects,
        machine.missing().size(), peerMissing, machine.backfillTargets(), backfilled);
    return new PgStat(pgid, machine.pgStateString(), m.up(), m.acting(), m.upPrimary(), m.actingPrimary(),
        machine.info().lastUpdate().toString(), machine.pgLog().size(), objects, machine.missing().size(),
        counts.degraded(), map.epoch(), machine.info().history().lastEpochClean(), counts.misplaced(),
        recovered.objects(), recovered.bytes());
  }

  @Override
  public String toString() {
    return "pg " + pgid + " " + machine.stateName() + " up " + mapping().up() + " acting " + mapping().acting();
  }
}
