package io.jpeer.core.types;

/**
 * Ceph's pg_history_t. The monotone fields travel with every info, query and notify and are merged
 * by taking the maximum; the {@code same_*} fields are never merged, since each OSD computes them
 * from its own maps.
 */
public record PgHistory(
    long epochCreated,
    long epochPoolCreated,
    long lastEpochStarted,
    long lastIntervalStarted,
    long lastEpochClean,
    long lastIntervalClean,
    long sameUpSince,
    long sameIntervalSince,
    long samePrimarySince) {

  public static final PgHistory EMPTY = new PgHistory(0, 0, 0, 0, 0, 0, 0, 0, 0);

  /** A freshly created PG: every epoch field at the creation epoch, nothing started yet. */
  public static PgHistory created(long epoch) {
    return new PgHistory(epoch, epoch, 0, 0, 0, 0, epoch, epoch, epoch);
  }

  /** Result of {@link #merge}: the merged history and whether anything rose. */
  public record Merged(PgHistory history, boolean changed) {}

  public Merged merge(PgHistory o) {
    PgHistory m = new PgHistory(
        Math.max(epochCreated, o.epochCreated),
        Math.max(epochPoolCreated, o.epochPoolCreated),
        Math.max(lastEpochStarted, o.lastEpochStarted),
        Math.max(lastIntervalStarted, o.lastIntervalStarted),
        Math.max(lastEpochClean, o.lastEpochClean),
        Math.max(lastIntervalClean, o.lastIntervalClean),
        sameUpSince,
        sameIntervalSince,
        samePrimarySince);
    return new Merged(m, !m.equals(this));
  }

  public PgHistory withStarted(long les, long lis) {
    return new PgHistory(epochCreated, epochPoolCreated, les, lis, lastEpochClean, lastIntervalClean,
        sameUpSince, sameIntervalSince, samePrimarySince);
  }

  public PgHistory withClean(long lec, long lic) {
    return new PgHistory(epochCreated, epochPoolCreated, lastEpochStarted, lastIntervalStarted, lec, lic,
        sameUpSince, sameIntervalSince, samePrimarySince);
  }

  public PgHistory withSameSince(long up, long interval, long primary) {
    return new PgHistory(epochCreated, epochPoolCreated, lastEpochStarted, lastIntervalStarted,
        lastEpochClean, lastIntervalClean, up, interval, primary);
  }
}
