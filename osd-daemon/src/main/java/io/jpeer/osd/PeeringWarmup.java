package io.jpeer.osd;

import ch.qos.logback.classic.Level;
import io.jpeer.core.interval.PastIntervals;
import io.jpeer.core.interval.PgInterval;
import io.jpeer.core.interval.PgMapping;
import io.jpeer.core.machine.MachineConfig;
import io.jpeer.core.machine.PeeringMachine;
import io.jpeer.core.machine.PeeringMessage;
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
import io.jpeer.osd.wire.PeeringWire;
import io.jpeer.osd.wire.WireException;
import io.jpeer.store.Transaction;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.LoggerFactory;

/**
 * A fresh JVM interprets the peering code many times slower than it runs once compiled, and the
 * restarting OSD is exactly the one every primary waits for. So before it boots, the OSD peers
 * simulated PGs (the common restart case: a replica that missed writes, up_thru to wait for)
 * through the same peering core on {@link SimCluster}'s private bus, and puts their final state
 * and messages through the store encoding and the wire codec. Nothing is sent or stored, and the
 * core's per-transition log lines are held back meanwhile, since these PGs are not real.
 */
final class PeeringWarmup {
  private static final int WRITES = 20;
  private static final int MISSED = 5;

  private PeeringWarmup() {}

  /** Peers {@code pgs} simulated PGs; returns how many went active. */
  static int run(int pgs) throws WireException {
    ch.qos.logback.classic.Logger core = LoggerFactory.getILoggerFactory() instanceof ch.qos.logback.classic.LoggerContext
        ? (ch.qos.logback.classic.Logger) LoggerFactory.getLogger("io.jpeer.core") : null;
    Level was = core == null ? null : core.getLevel();
    if (core != null) {
      core.setLevel(Level.WARN);
    }
    try {
      return peer(pgs);
    } finally {
      if (core != null) {
        core.setLevel(was);
      }
    }
  }

  private static int peer(int pgs) throws WireException {
    List<SimCluster.Osd> osds = List.of(new SimCluster.Osd(0, true, true, 1, 5, 0),
        new SimCluster.Osd(1, true, true, 1, 20, 0), new SimCluster.Osd(2, true, true, 19, 20, 0));
    PgMapping mapping = new PgMapping(List.of(0, 1, 2), 0, List.of(0, 1, 2), 0);
    List<PgInterval> past = List.of(new PgInterval(11, 19, List.of(0, 1), List.of(0, 1), 0, 0, true));
    SimCluster.Settings settings = new SimCluster.Settings(true, true, 10, MachineConfig.defaults());
    int active = 0;
    for (int i = 0; i < pgs; i++) {
      // A pool id no real pool has: these PGs exist only here.
      PgId pg = new PgId(Integer.MAX_VALUE, i);
      List<LogEntry> all = new ArrayList<>();
      for (int w = 1; w <= WRITES; w++) {
        Eversion prior = w > 7 ? Eversion.of(10, w - 7) : Eversion.ZERO;
        all.add(LogEntry.of(w % 9 == 0 ? LogOp.DELETE : LogOp.MODIFY, "warm." + (w % 7), Eversion.of(10, w), prior));
      }
      Map<Integer, SimCluster.Shard> shards = Map.of(0, shard(pg, all), 1, shard(pg, all),
          2, shard(pg, all.subList(0, WRITES - MISSED)));
      SimCluster sim = new SimCluster(pg, 3, 2, 20, osds, mapping, 20, 20, 20, past, shards, List.of(), List.of(),
          settings);
      sim.run();
      PeeringMachine primary = sim.finalPrimary();
      if (primary.activatedAs() != null) {
        active++;
      }
      exerciseEdges(pg, primary);
    }
    return active;
  }

  /** What the daemon does around the core: store encoding, wire encoding and decoding. */
  private static void exerciseEdges(PgId pg, PeeringMachine m) throws WireException {
    PgStateStore.putAll(new Transaction(), pg.toString(), m.info(), m.pgLog(), m.missing());
    PgMissing missing = m.peerMissing().getOrDefault(2, m.missing());
    PeeringMessage log = new PeeringMessage.Log(pg, 20, 20, m.info(), m.pgLog(), missing, PastIntervals.EMPTY, 0, 1);
    PeeringMessage notify = new PeeringMessage.Notify(pg, 20, 20, m.info(), m.pastIntervals(), 0, 1);
    for (PeeringMessage msg : List.of(log, notify)) {
      PeeringWire.Encoded enc = PeeringWire.encode(msg);
      try {
        PeeringWire.decode(enc.type(), enc.body().getParserForType().parseFrom(enc.body().toByteArray()), 0);
      } catch (com.google.protobuf.InvalidProtocolBufferException e) {
        throw new WireException("warm-up message did not parse back: " + e.getMessage());
      }
    }
  }

  private static SimCluster.Shard shard(PgId pg, List<LogEntry> entries) {
    PgLog log = PgLog.of(Eversion.ZERO, entries);
    PgInfo info = new PgInfo(pg, log.head(), log.head(), log.tail(), ObjectNames.MAX, 0, List.of(), PgStats.EMPTY, 10,
        10, new PgHistory(1, 1, 10, 10, 5, 5, 0, 0, 0));
    return new SimCluster.Shard(info, log, PgMissing.of(true, Map.of()));
  }
}
