package io.jpeer.osd;

import io.jpeer.map.OsdMap;
import io.jpeer.core.types.PgId;
import io.jpeer.map.UpActing;
import io.jpeer.mon.PgStat;

/**
 * A PG this OSD is up or acting for: its mapping in the newest map, its role, and the epoch its
 * current interval began (an interval ends when up, acting or either primary changes).
 */
final class Pg {
  private final PgId pgid;
  private final int whoami;
  private UpActing mapping;
  private long sameIntervalSince;
  private long sameUpSince;
  private long samePrimarySince;
  private String state = "creating";

  Pg(PgId pgid, int whoami, UpActing mapping, long epoch) {
    this.pgid = pgid;
    this.whoami = whoami;
    this.mapping = mapping;
    this.sameIntervalSince = epoch;
    this.sameUpSince = epoch;
    this.samePrimarySince = epoch;
  }

  PgId pgid() {
    return pgid;
  }

  UpActing mapping() {
    return mapping;
  }

  long sameIntervalSince() {
    return sameIntervalSince;
  }

  /** Ceph's role: 0 acting primary, >0 replica position in acting, -1 stray (only in up). */
  int role() {
    int i = mapping.acting().indexOf(whoami);
    return i < 0 ? -1 : i;
  }

  boolean isPrimary() {
    return mapping.actingPrimary() == whoami;
  }

  String state() {
    return state;
  }

  /**
   * Takes the mapping of a new epoch; returns true when that starts a new interval (Ceph's
   * is_new_interval for a pool whose size does not change).
   */
  boolean advance(UpActing next, long epoch) {
    boolean upChanged = !next.up().equals(mapping.up()) || next.upPrimary() != mapping.upPrimary();
    boolean primaryChanged = next.actingPrimary() != mapping.actingPrimary();
    boolean changed = upChanged || primaryChanged || !next.acting().equals(mapping.acting());
    if (changed) {
      sameIntervalSince = epoch;
      if (upChanged) {
        sameUpSince = epoch;
      }
      if (primaryChanged) {
        samePrimarySince = epoch;
      }
    }
    mapping = next;
    return changed;
  }

  PgStat stat(OsdMap map) {
    return new PgStat(pgid, state, mapping.up(), mapping.acting(), mapping.upPrimary(), mapping.actingPrimary(),
        "0'0", 0, 0, 0, 0, map.epoch(), 0);
  }

  @Override
  public String toString() {
    return "pg " + pgid + " up " + mapping.up() + " acting " + mapping.acting() + " primary "
        + mapping.actingPrimary();
  }
}
