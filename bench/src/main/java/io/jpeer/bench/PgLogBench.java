package io.jpeer.bench;

import io.jpeer.core.log.LogResult;
import io.jpeer.core.log.PgLogs;
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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
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
 * merge_log and proc_replica_log on 10,000-entry logs of which 10% are divergent (1,000 entries
 * the local shard logged in epoch 2 that the authority replaced by 1,000 of its own in epoch 3).
 * Scores are microseconds per log entry (each invocation handles 10,000 entries).
 *
 * <p>Run: {@code mvn -q -B package -DskipTests && java -cp "bench/target/bench-0.1.0-SNAPSHOT.jar:bench/target/lib/*"
 * org.openjdk.jmh.Main PgLogBench}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class PgLogBench {
  static final int ENTRIES = 10_000;
  static final int DIVERGENT = 1_000;
  static final int OBJECTS = 2_000;

  PgLog local;
  PgLog auth;
  PgInfo localInfo;
  PgInfo authInfo;
  PgMissing missing;

  @Setup
  public void setup() {
    Random rnd = new Random(42);
    Map<String, Eversion> shared = new HashMap<>();
    List<LogEntry> prefix = new ArrayList<>();
    int prefixLen = ENTRIES - DIVERGENT;
    for (int i = 1; i <= prefixLen; i++) {
      prefix.add(write(rnd, 1, i, shared));
    }
    List<LogEntry> l = new ArrayList<>(prefix);
    Map<String, Eversion> lv = new HashMap<>(shared);
    List<LogEntry> a = new ArrayList<>(prefix);
    Map<String, Eversion> av = new HashMap<>(shared);
    for (int i = 1; i <= DIVERGENT; i++) {
      l.add(write(rnd, 2, prefixLen + i, lv));
      a.add(write(rnd, 3, prefixLen + i, av));
    }
    local = PgLog.of(Eversion.ZERO, l);
    auth = PgLog.of(Eversion.ZERO, a);
    localInfo = info(local);
    authInfo = info(auth);
    missing = PgMissing.of(true, Map.of());
  }

  private static LogEntry write(Random rnd, long epoch, long counter, Map<String, Eversion> versions) {
    String oid = "rbd_data." + rnd.nextInt(OBJECTS);
    Eversion v = Eversion.of(epoch, counter);
    Eversion prior = versions.getOrDefault(oid, Eversion.ZERO);
    versions.put(oid, v);
    return LogEntry.of(LogOp.MODIFY, oid, v, prior);
  }

  private static PgInfo info(PgLog log) {
    return new PgInfo(new PgId(1, 0), log.head(), log.head(), log.tail(), ObjectNames.MAX, 0, List.of(),
        PgStats.EMPTY, 0, 0, PgHistory.EMPTY);
  }

  @Benchmark
  @OperationsPerInvocation(ENTRIES)
  public LogResult mergeLog() {
    return PgLogs.mergeLog(local, localInfo, missing, auth, authInfo);
  }

  @Benchmark
  @OperationsPerInvocation(ENTRIES)
  public LogResult procReplicaLog() {
    return PgLogs.procReplicaLog(auth, authInfo, local, localInfo, missing, true);
  }
}
