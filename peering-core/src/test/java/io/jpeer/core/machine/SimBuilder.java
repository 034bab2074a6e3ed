package io.jpeer.core.machine;

import io.jpeer.core.interval.PgInterval;
import io.jpeer.core.interval.PgMapping;
import io.jpeer.core.sim.SimCluster;
import io.jpeer.core.types.Eversion;
import io.jpeer.core.types.LogEntry;
import io.jpeer.core.types.LogOp;
import io.jpeer.core.types.ObjectNames;
import io.jpeer.core.types.PgHistory;
import io.jpeer.core.types.PgId;
import io.jpeer.core.types.PgInfo;
import io.jpeer.core.types.PgLog;
import io.jpeer.core.types.PgMissing;
import io.jpeer.core.types.PgStats;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Builds small SimCluster runs for tests: one PG, size 3, OSDs up unless said otherwise. */
final class SimBuilder {
  static final PgId PG = new PgId(1, 0);
  long epoch = 20;
  int size = 3;
  int minSize = 2;
  long sis = 20;
  final TreeMap<Integer, SimCluster.Osd> osds = new TreeMap<>();
  List<Integer> up = List.of(0, 1, 2);
  List<Integer> acting;
  final List<PgInterval> intervals = new ArrayList<>();
  final Map<Integer, SimCluster.Shard> shards = new TreeMap<>();
  final List<SimCluster.MapEvent> events = new ArrayList<>();
  final List<SimCluster.Drop> drops = new ArrayList<>();
  boolean grantUpThru = true;

  static Eversion v(String s) {
    return Eversion.parse(s);
  }

  static LogEntry mod(String version, String oid, String prior) {
    return LogEntry.of(LogOp.MODIFY, oid, v(version), v(prior));
  }

  SimBuilder osd(int id, boolean isUp, long upThru) {
    osds.put(id, new SimCluster.Osd(id, true, isUp, 1, upThru, 0));
    return this;
  }

  /** A shard whose log is {@code entries} from tail 0'0, activated in {@code les}. */
  SimBuilder shard(int id, long les, long lec, LogEntry... entries) {
    return shard(id, les, lec, ObjectNames.MAX, Eversion.ZERO, entries);
  }

  SimBuilder shard(int id, long les, long lec, String lastBackfill, Eversion tail, LogEntry... entries) {
    PgLog log = PgLog.of(tail, List.of(entries));
    PgInfo info = new PgInfo(PG, log.head(), log.head(), log.tail(), lastBackfill, 0, List.of(), PgStats.EMPTY, les,
        les, new PgHistory(1, 1, les, les, lec, lec, 0, 0, 0));
    shards.put(id, new SimCluster.Shard(info, log, PgMissing.of(true, Map.of())));
    return this;
  }

  SimBuilder interval(long first, long last, List<Integer> acting, boolean rw) {
    intervals.add(new PgInterval(first, last, acting, acting, acting.get(0), acting.get(0), rw));
    return this;
  }

  SimCluster run() {
    for (int o : up) {
      osds.putIfAbsent(o, new SimCluster.Osd(o, true, true, 1, epoch, 0));
    }
    List<Integer> act = acting == null ? up : acting;
    SimCluster sim = new SimCluster(PG, size, minSize, epoch, List.copyOf(osds.values()),
        new PgMapping(up, up.isEmpty() ? -1 : up.get(0), act, act.get(0)), sis, sis, sis, intervals, shards, events,
        drops, new SimCluster.Settings(grantUpThru, true, 10, MachineConfig.defaults()));
    sim.run();
    return sim;
  }
}
