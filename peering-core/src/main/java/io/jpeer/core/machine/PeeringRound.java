package io.jpeer.core.machine;

import io.jpeer.core.interval.PriorSet;
import io.jpeer.core.types.Eversion;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One peering round of a primary (from entering Peering to the next Reset or round): what it
 * decided at each step. This is what {@code pg query}'s peering history and {@code pgsim} report.
 */
public record PeeringRound(
    int primary,
    long epoch,
    PriorSet priorSet,
    boolean needUpThru,
    AuthChoice auth,
    List<Integer> wantActing,
    List<Integer> pgTempRequested,
    Set<Integer> actingRecoveryBackfill,
    Set<Integer> backfillTargets,
    GetLogRequest getLog,
    Map<Integer, GetMissingDecision> getMissing,
    String endState) {

  /** GetLog asked the authoritative shard for its log since this version. */
  public record GetLogRequest(int from, Eversion since) {}
}
