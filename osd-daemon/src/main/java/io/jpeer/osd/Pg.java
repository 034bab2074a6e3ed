package io.jpeer.osd;

import io.jpeer.core.interval.PgMapping;
import io.jpeer.core.machine.PeeringMachine;
import io.jpeer.core.types.PgId;
import io.jpeer.core.types.PgMissing;
import io.jpeer.map.OsdMap;
import io.jpeer.mon.PgStat;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * A PG this OSD holds: its peering machine, and the states it went through with their times (the
 * runtime keeps the clock; the core never reads it), for {@code pg query} and the logs.
 */
public final class Pg {
  /** One state the PG was in: when it entered and left (0 while still in it), in which epoch. */
  public record StateVisit(String state, long epoch, long enteredMillis, long exitedMillis) {}

  private static final int HISTORY = 256;

  private final PgId pgid;
  private final PeeringMachine machine;
  private final ArrayDeque<StateVisit> history = new ArrayDeque<>();
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

  void entered(String state, long epoch, long nowMillis) {
    history.addLast(new StateVisit(state, epoch, nowMillis, 0));
    while (history.size() > HISTORY) {
      history.removeFirst();
    }
  }

  void exited(String state, long nowMillis) {
    List<StateVisit> all = new ArrayList<>(history);
    for (int i = all.size() - 1; i >= 0; i--) {
      StateVisit v = all.get(i);
      if (v.state().equals(state) && v.exitedMillis() == 0) {
        all.set(i, new StateVisit(v.state(), v.epoch(), v.enteredMillis(), nowMillis));
        history.clear();
        history.addAll(all);
        return;
      }
    }
  }

  List<StateVisit> history() {
    return List.copyOf(history);
  }

  PgStat stat(OsdMap map) {
    PgMapping m = machine.mapping();
    long degraded = machine.missing().size();
    for (PgMissing pm : machine.peerMissing().values()) {
      degraded += pm.size();
    }
    return new PgStat(pgid, machine.pgStateString(), m.up(), m.acting(), m.upPrimary(), m.actingPrimary(),
        machine.info().lastUpdate().toString(), machine.pgLog().size(), machine.info().stats().numObjects(),
        machine.missing().size(), degraded, map.epoch(), machine.info().history().lastEpochClean());
  }

  @Override
  public String toString() {
    return "pg " + pgid + " " + machine.stateName() + " up " + mapping().up() + " acting " + mapping().acting();
  }
}
