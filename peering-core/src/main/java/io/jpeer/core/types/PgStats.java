package io.jpeer.core.types;

/** The part of pg_stat_t that peering and the log merge touch. */
public record PgStats(Eversion version, long reportedSeq, long reportedEpoch, long numObjects, long numBytes) {
  public static final PgStats EMPTY = new PgStats(Eversion.ZERO, 0, 0, 0, 0);

  public PgStats withReported(long seq, long epoch) {
    return new PgStats(version, seq, epoch, numObjects, numBytes);
  }
}
