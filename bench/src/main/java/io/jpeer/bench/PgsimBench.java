package io.jpeer.bench;

import io.jpeer.core.interval.PgInterval;
import io.jpeer.core.interval.PgMapping;
import io.jpeer.core.machine.MachineConfig;
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
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Full peering of 1,000 PGs x 3 shards through SimCluster, each PG the common case of an OSD
 * restart: one replica missed the last 5 of 20 writes, the primary needs up_thru, so every PG goes
 * GetInfo, GetLog, GetMissing (one LOG query), WaitUpThru, then Active. Score: PGs peered per second.
 *
 * <p>Run: {@code mvn -q -B package -DskipTests && java -cp "bench/target/bench-0.1.0-SNAPSHOT.jar:bench/target/lib/*"
 * org.openjdk.jmh.Main PgsimBench -jvmArgs -Djpeer.log.level=warn}. Without the -jvmArgs part the
 * forked JVM logs at info: one line per event that changed state (pgid, epoch, states entered),
 * all carried through JMH's console; {@code -jvmArgs -Dlogback.configurationFile=bench/logback-file.xml}
 * writes them to a file instead (the daemons' case: their stderr goes to a log file).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class PgsimBench {
  static final int PGS = 1_000;

  List<SimCluster.Osd> osds;
  Map<Integer, SimCluster.Shard>[] shards;

  @Setup
  @SuppressWarnings("unchecked")
  public void setup() {
    osds = List.of(new SimCluster.Osd(0, true, true, 1, 5, 0), new SimCluster.Osd(1, true, true, 1, 20, 0),
        new SimCluster.Osd(2, true, true, 19, 20, 0));
    shards = new Map[PGS];
    for (int pg = 0; pg < PGS; pg++) {
      List<LogEntry> all = new ArrayList<>();
      for (int i = 1; i <= 20; i++) {
        String oid = "obj." + pg + "." + (i % 7);
        Eversion prior = i > 7 ? Eversion.of(10, i - 7) : Eversion.ZERO;
        all.add(LogEntry.of(LogOp.MODIFY, oid, Eversion.of(10, i), prior));
      }
      PgId id = new PgId(1, pg);
      shards[pg] = Map.of(0, shard(id, all), 1, shard(id, all), 2, shard(id, all.subList(0, 15)));
    }
  }

  private static SimCluster.Shard shard(PgId pg, List<LogEntry> entries) {
    PgLog log = PgLog.of(Eversion.ZERO, entries);
    PgInfo info = new PgInfo(pg, log.head(), log.head(), log.tail(), ObjectNames.MAX, 0, List.of(), PgStats.EMPTY, 10,
        10, new PgHistory(1, 1, 10, 10, 5, 5, 0, 0, 0));
    return new SimCluster.Shard(info, log, PgMissing.of(true, Map.of()));
  }

  @Benchmark
  @OperationsPerInvocation(PGS)
  public int peerAll() {
    int active = 0;
    PgMapping mapping = new PgMapping(List.of(0, 1, 2), 0, List.of(0, 1, 2), 0);
    List<PgInterval> past = List.of(new PgInterval(11, 19, List.of(0, 1), List.of(0, 1), 0, 0, true));
    for (int pg = 0; pg < PGS; pg++) {
      SimCluster sim = new SimCluster(new PgId(1, pg), 3, 2, 20, osds, mapping, 20, 20, 20, past, shards[pg],
          List.of(), List.of(), new SimCluster.Settings(true, true, 10, MachineConfig.defaults()));
      sim.run();
      if (sim.finalPrimary().activatedAs() != null) {
        active++;
      }
    }
    if (active != PGS) {
      throw new IllegalStateException("only " + active + " of " + PGS + " PGs went active");
    }
    return active;
  }
}
