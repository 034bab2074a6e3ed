package io.jpeer.osd.recovery;

import io.jpeer.core.types.PgId;
import java.util.HashMap;
import java.util.Map;

/**
 * Object copies this OSD has recovered or backfilled per PG as its primary, and their bytes:
 * cumulative, as Ceph's num_objects_recovered / num_bytes_recovered, from which the monitor
 * computes the cluster's recovery rate.
 */
public final class RecoveryCounters {
  /** A PG's totals so far. */
  public record Totals(long objects, long bytes) {
    public static final Totals NONE = new Totals(0, 0);
  }

  private final Map<PgId, Totals> totals = new HashMap<>();

  void recovered(PgId pgid, long bytes) {
    totals.merge(pgid, new Totals(1, Math.max(0, bytes)),
        (a, b) -> new Totals(a.objects() + b.objects(), a.bytes() + b.bytes()));
  }

  public Totals of(PgId pgid) {
    return totals.getOrDefault(pgid, Totals.NONE);
  }

  /** The PG left this OSD. */
  void forget(PgId pgid) {
    totals.remove(pgid);
  }
}
