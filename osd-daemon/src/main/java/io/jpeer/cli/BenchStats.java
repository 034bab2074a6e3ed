package io.jpeer.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAccumulator;
import java.util.concurrent.atomic.LongAdder;

/**
 * The counters of one {@code osdctl bench} run, shared by its worker threads, and the per-second
 * status lines and closing summary in {@code rados bench}'s shape (plus p99 latency).
 */
final class BenchStats {
  private static final double MB = 1024.0 * 1024.0;

  private final int opSize;
  private final AtomicInteger started = new AtomicInteger();
  private final AtomicInteger finished = new AtomicInteger();
  private final LongAdder totalLatencyNanos = new LongAdder();
  private final LongAccumulator maxLatency = new LongAccumulator(Math::max, 0);
  private final LongAccumulator minLatency = new LongAccumulator(Math::min, Long.MAX_VALUE);
  private volatile long lastLatencyNanos = -1;
  /** One latency list per worker (no contention); merged for the percentile at the end. */
  private final List<long[]> perWorker = new ArrayList<>();
  private final int[] perWorkerCount;
  private final long startNanos = System.nanoTime();
  private long endNanos;
  // Printer thread only: per-second history, as rados bench keeps it for its stddev.
  private final List<Double> bandwidthHistory = new ArrayList<>();
  private final List<Integer> iopsHistory = new ArrayList<>();
  private int lines;
  private int previousFinished;

  BenchStats(int opSize, int workers) {
    this.opSize = opSize;
    for (int i = 0; i < workers; i++) {
      perWorker.add(new long[1024]);
    }
    perWorkerCount = new int[workers];
  }

  long startNanos() {
    return startNanos;
  }

  void opStarted() {
    started.incrementAndGet();
  }

  /** Called by worker {@code w} only. */
  void opFinished(int w, long latencyNanos) {
    long[] l = perWorker.get(w);
    int n = perWorkerCount[w];
    if (n == l.length) {
      l = Arrays.copyOf(l, n * 2);
      perWorker.set(w, l);
    }
    l[n] = latencyNanos;
    perWorkerCount[w] = n + 1;
    totalLatencyNanos.add(latencyNanos);
    maxLatency.accumulate(latencyNanos);
    minLatency.accumulate(latencyNanos);
    lastLatencyNanos = latencyNanos;
    finished.incrementAndGet();
  }

  int finished() {
    return finished.get();
  }

  void header(PrintWriter out) {
    out.printf("%5s%8s%10s%10s%10s%10s%12s%12s%n", "sec", "Cur ops", "started", "finished", "avg MB/s", "cur MB/s",
        "last lat(s)", "avg lat(s)");
  }

  /** The line for second {@code sec}; the header again every 20 lines, as rados bench does. */
  void statusLine(PrintWriter out, int sec) {
    int done = finished.get();
    int start = started.get();
    double elapsed = (System.nanoTime() - startNanos) / 1e9;
    if (lines > 0 && lines % 20 == 0) {
      out.printf("min lat: %s max lat: %s avg lat: %s%n", secs(minLatency.get()), secs(maxLatency.get()),
          secs(avgLatencyNanos(done)));
      header(out);
    } else if (lines == 0) {
      header(out);
    }
    lines++;
    String cur;
    String last;
    if (sec == 0) {
      cur = "0";
      last = "-";
    } else {
      int ops = done - previousFinished;
      double bw = ops * (double) opSize / MB;
      bandwidthHistory.add(bw);
      iopsHistory.add(ops);
      cur = num(bw);
      last = ops == 0 || lastLatencyNanos < 0 ? "-" : secs(lastLatencyNanos);
    }
    previousFinished = done;
    double avgBw = elapsed > 0 ? done * (double) opSize / MB / elapsed : 0;
    out.printf("%5d %7d %9d %9d %9s %9s %11s %11s%n", sec, start - done, start, done, num(avgBw), cur, last,
        secs(avgLatencyNanos(done)));
    out.flush();
  }

  void end() {
    endNanos = System.nanoTime();
  }

  double totalSeconds() {
    return (endNanos - startNanos) / 1e9;
  }

  /** rados bench's summary; {@code write} names the write lines, else the read ones. */
  void summary(PrintWriter out, boolean write) {
    int done = finished.get();
    double t = totalSeconds();
    double bw = t > 0 ? done * (double) opSize / MB / t : 0;
    long[] all = sortedLatencies();
    String w = write ? "%-24s%s%n" : "%-22s%s%n";
    out.printf(w, "Total time run:", num(t));
    out.printf(w, write ? "Total writes made:" : "Total reads made:", done);
    out.printf(w, write ? "Write size:" : "Read size:", opSize);
    out.printf(w, "Object size:", opSize);
    out.printf(w, "Bandwidth (MB/sec):", num(bw));
    if (write) {
      out.printf(w, "Stddev Bandwidth:", num(stddev(bandwidthHistory)));
      out.printf(w, "Max bandwidth (MB/sec):", num(bandwidthHistory.stream().mapToDouble(d -> d).max().orElse(0)));
      out.printf(w, "Min bandwidth (MB/sec):", num(bandwidthHistory.stream().mapToDouble(d -> d).min().orElse(0)));
    }
    out.printf(w, "Average IOPS:", t > 0 ? (int) (done / t) : 0);
    out.printf(w, "Stddev IOPS:", num(stddev(iopsHistory)));
    out.printf(w, "Max IOPS:", iopsHistory.stream().mapToInt(i -> i).max().orElse(0));
    out.printf(w, "Min IOPS:", iopsHistory.stream().mapToInt(i -> i).min().orElse(0));
    out.printf(w, "Average Latency(s):", secs(avgLatencyNanos(done)));
    if (write) {
      out.printf(w, "Stddev Latency(s):", secs(stddevNanos(all)));
    }
    out.printf(w, "Max latency(s):", secs(all.length == 0 ? 0 : all[all.length - 1]));
    out.printf(w, "Min latency(s):", secs(all.length == 0 ? 0 : all[0]));
    // Beyond rados bench: the tail, which an average hides.
    out.printf(w, "p99 latency(s):", secs(percentile(all, 0.99)));
    out.flush();
  }

  private long avgLatencyNanos(int done) {
    return done == 0 ? 0 : totalLatencyNanos.sum() / done;
  }

  /** Every latency recorded; call after the workers have stopped. */
  long[] sortedLatencies() {
    int n = 0;
    for (int c : perWorkerCount) {
      n += c;
    }
    long[] all = new long[n];
    int at = 0;
    for (int w = 0; w < perWorker.size(); w++) {
      System.arraycopy(perWorker.get(w), 0, all, at, perWorkerCount[w]);
      at += perWorkerCount[w];
    }
    Arrays.sort(all);
    return all;
  }

  /** Nearest-rank percentile of sorted values (0 when there are none). */
  static long percentile(long[] sorted, double p) {
    if (sorted.length == 0) {
      return 0;
    }
    int rank = (int) Math.ceil(p * sorted.length);
    return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
  }

  /** Sample standard deviation (n - 1), 0 below two samples, as rados bench's. */
  static double stddev(List<? extends Number> v) {
    if (v.size() < 2) {
      return 0;
    }
    double mean = v.stream().mapToDouble(Number::doubleValue).average().orElse(0);
    double sq = v.stream().mapToDouble(x -> (x.doubleValue() - mean) * (x.doubleValue() - mean)).sum();
    return Math.sqrt(sq / (v.size() - 1));
  }

  private static long stddevNanos(long[] v) {
    if (v.length < 2) {
      return 0;
    }
    double mean = Arrays.stream(v).average().orElse(0);
    double sq = Arrays.stream(v).mapToDouble(x -> (x - mean) * (x - mean)).sum();
    return (long) Math.sqrt(sq / (v.length - 1));
  }

  static String secs(long nanos) {
    return String.format(java.util.Locale.ROOT, "%.6f", nanos / 1e9);
  }

  static String num(double d) {
    String s = String.format(java.util.Locale.ROOT, "%.4f", d);
    return s.replaceAll("0+$", "").replaceAll("\\.$", "");
  }
}
