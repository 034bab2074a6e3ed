package io.jpeer.core.types;

import java.util.List;

/**
 * Ceph's pg_info_t. The log covers {@code (logTail, lastUpdate]}; every object is current as of
 * {@code lastComplete}; objects ordering after {@code lastBackfill} are not backfilled yet.
 */
public record PgInfo(
    PgId pgid,
    Eversion lastUpdate,
    Eversion lastComplete,
    Eversion logTail,
    String lastBackfill,
    long lastUserVersion,
    List<Long> purgedSnaps,
    PgStats stats,
    long lastEpochStarted,
    long lastIntervalStarted,
    PgHistory history) {

  public PgInfo {
    purgedSnaps = List.copyOf(purgedSnaps);
  }

  /** A PG that exists here (created at {@code epoch}) with nothing written. */
  public static PgInfo created(PgId pgid, long epoch) {
    return new PgInfo(pgid, Eversion.ZERO, Eversion.ZERO, Eversion.ZERO, ObjectNames.MAX, 0, List.of(),
        PgStats.EMPTY, 0, 0, PgHistory.created(epoch));
  }

  /** A PG this OSD knows nothing about (Ceph's dne()). */
  public static PgInfo empty(PgId pgid) {
    return new PgInfo(pgid, Eversion.ZERO, Eversion.ZERO, Eversion.ZERO, ObjectNames.MAX, 0, List.of(),
        PgStats.EMPTY, 0, 0, PgHistory.EMPTY);
  }

  public boolean isEmpty() {
    return lastUpdate.version() == 0;
  }

  public boolean dne() {
    return history.epochCreated() == 0;
  }

  public boolean hasMissing() {
    return !lastComplete.equals(lastUpdate);
  }

  public boolean isIncomplete() {
    return !ObjectNames.MAX.equals(lastBackfill);
  }

  public PgInfo withLastUpdate(Eversion v) {
    return new PgInfo(pgid, v, lastComplete, logTail, lastBackfill, lastUserVersion, purgedSnaps, stats,
        lastEpochStarted, lastIntervalStarted, history);
  }

  public PgInfo withLastComplete(Eversion v) {
    return new PgInfo(pgid, lastUpdate, v, logTail, lastBackfill, lastUserVersion, purgedSnaps, stats,
        lastEpochStarted, lastIntervalStarted, history);
  }

  public PgInfo withLogTail(Eversion v) {
    return new PgInfo(pgid, lastUpdate, lastComplete, v, lastBackfill, lastUserVersion, purgedSnaps, stats,
        lastEpochStarted, lastIntervalStarted, history);
  }

  public PgInfo withLastBackfill(String b) {
    return new PgInfo(pgid, lastUpdate, lastComplete, logTail, b, lastUserVersion, purgedSnaps, stats,
        lastEpochStarted, lastIntervalStarted, history);
  }

  public PgInfo withUserVersionAndSnaps(long luv, List<Long> snaps) {
    return new PgInfo(pgid, lastUpdate, lastComplete, logTail, lastBackfill, luv, snaps, stats,
        lastEpochStarted, lastIntervalStarted, history);
  }

  public PgInfo withStats(PgStats s) {
    return new PgInfo(pgid, lastUpdate, lastComplete, logTail, lastBackfill, lastUserVersion, purgedSnaps, s,
        lastEpochStarted, lastIntervalStarted, history);
  }

  public PgInfo withStarted(long les, long lis) {
    return new PgInfo(pgid, lastUpdate, lastComplete, logTail, lastBackfill, lastUserVersion, purgedSnaps, stats,
        les, lis, history);
  }

  public PgInfo withHistory(PgHistory h) {
    return new PgInfo(pgid, lastUpdate, lastComplete, logTail, lastBackfill, lastUserVersion, purgedSnaps, stats,
        lastEpochStarted, lastIntervalStarted, h);
  }
}
