package io.jpeer.core.interval;

import io.jpeer.core.types.PgId;

/**
 * The read-only cluster map the peering core needs (one epoch). The daemons adapt their OSD map to
 * it; the simulator builds its own.
 */
public interface OsdMapView {
  long epoch();

  boolean exists(int osd);

  boolean isUp(int osd);

  long upFrom(int osd);

  long upThru(int osd);

  long lostAt(int osd);

  /** Size and min_size of the PG's pool. */
  int poolSize(PgId pg);

  int poolMinSize(PgId pg);

  /** Up and acting (pg_temp applied, down OSDs removed) with their primaries. */
  PgMapping mapping(PgId pg);

  /** Whether the PG's pool still exists (maps that never delete pools need not say). */
  default boolean poolExists(PgId pg) {
    return true;
  }

  /** Ceph's has_been_up_since: up now, and continuously since {@code epoch}. */
  default boolean hasBeenUpSince(int osd, long epoch) {
    return isUp(osd) && upFrom(osd) <= epoch;
  }
}
