package io.jpeer.mon;

import java.util.ArrayDeque;

/**
 * The cluster's recovery rate (objects and bytes recovered per second, as {@code ceph -s} shows
 * under io: recovery), from the growth of the primaries' running totals between their reports,
 * averaged over the last few seconds.
 */
final class RecoveryRate {
  static final long WINDOW_MILLIS = 5_000;

  /** Objects and bytes per second. */
  record Rate(double objectsPerSec, double bytesPerSec) {
    static final Rate NONE = new Rate(0, 0);

    boolean isZero() {
      return objectsPerSec == 0 && bytesPerSec == 0;
    }
  }

  /** Recovered between two reports of one PG ({@code fromMillis}, {@code toMillis}]. */
  private record Delta(long fromMillis, long toMillis, long objects, long bytes) {}

  private final ArrayDeque<Delta> deltas = new ArrayDeque<>();

  void add(long fromMillis, long toMillis, long objects, long bytes) {
    if (objects > 0 || bytes > 0) {
      deltas.add(new Delta(Math.min(fromMillis, toMillis), toMillis, objects, bytes));
    }
    prune(toMillis);
  }

  Rate at(long nowMillis) {
    prune(nowMillis);
    if (deltas.isEmpty()) {
      return Rate.NONE;
    }
    long start = nowMillis;
    long objects = 0;
    long bytes = 0;
    for (Delta d : deltas) {
      start = Math.min(start, Math.max(d.fromMillis(), nowMillis - WINDOW_MILLIS));
      objects += d.objects();
      bytes += d.bytes();
    }
    double secs = Math.max(1_000, nowMillis - start) / 1000.0; // (a burst is not a rate above its count)
    return new Rate(objects / secs, bytes / secs);
  }

  private void prune(long nowMillis) {
    while (!deltas.isEmpty() && deltas.peekFirst().toMillis() < nowMillis - WINDOW_MILLIS) {
      deltas.removeFirst();
    }
  }
}
