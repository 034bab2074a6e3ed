package io.jpeer.cli;

import io.jpeer.client.ClientException;
import io.jpeer.client.ClientMessages;
import io.jpeer.client.RadosClient;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code osdctl bench POOL SECONDS write|seq|rand}: Ceph's {@code rados bench}. THREADS worker
 * threads share one client, each with one op in flight. {@code write} writes new objects named as
 * rados bench names them for SECONDS, then records the run in the pool's
 * {@code benchmark_last_metadata} object; {@code seq} reads those objects in order (until done or
 * SECONDS), {@code rand} at random for SECONDS, both checking every object's content. As in Ceph,
 * {@code write} deletes its objects at the end unless given {@code --no-cleanup}.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
    description = {"Benchmark the pool as Ceph's rados bench does: write for SECONDS (deleting the objects "
        + "after, unless --no-cleanup), or read back what the last write --no-cleanup run left, in order (seq) or "
        + "at random (rand), for SECONDS or until every object is read.",
        "Unlike Ceph's, -b defaults to 4096 (Ceph: 4 MiB): this project targets 4 KiB ops."})
final class BenchCommand extends ObjectCommands.ObjectCommand {
  static final String METADATA = "benchmark_last_metadata";
  static final String PREFIX = "benchmark_data";

  enum Mode { write, seq, rand }

  @Parameters(index = "0", paramLabel = "POOL") String pool;
  @Parameters(index = "1", paramLabel = "SECONDS", description = "how long to run") int seconds;
  @Parameters(index = "2", paramLabel = "MODE", description = "write, seq or rand") Mode mode;

  @Option(names = {"-b", "--block-size"}, paramLabel = "BYTES", defaultValue = "4096",
      description = "bytes per write (and object size; default ${DEFAULT-VALUE}, Ceph's is 4194304); "
          + "reads use the size the write run recorded")
  int blockSize;

  @Option(names = {"-t", "--concurrent-ios"}, paramLabel = "THREADS", defaultValue = "16",
      description = "ops in flight at once (default ${DEFAULT-VALUE})")
  int threads;

  @Option(names = "--max-objects", paramLabel = "N", defaultValue = "0",
      description = "write: stop after N objects, or SECONDS, whichever comes first (0: no limit)")
  int maxObjects;

  @Option(names = "--no-cleanup", description = "write: keep the objects (and the run's metadata) for seq/rand")
  boolean noCleanup;

  /** What a write run left for the read runs (Ceph keeps object size, op count, pid, op size). */
  record RunMetadata(String prefix, int numObjects, int opSize) {
    byte[] encode() {
      return ("prefix=" + prefix + "\nnum_objects=" + numObjects + "\nop_size=" + opSize + "\n")
          .getBytes(StandardCharsets.UTF_8);
    }

    static RunMetadata decode(byte[] b) throws ClientException {
      Map<String, String> kv = new TreeMap<>();
      for (String line : new String(b, StandardCharsets.UTF_8).split("\n")) {
        int eq = line.indexOf('=');
        if (eq > 0) {
          kv.put(line.substring(0, eq), line.substring(eq + 1));
        }
      }
      try {
        RunMetadata m = new RunMetadata(kv.get("prefix"), Integer.parseInt(kv.get("num_objects")),
            Integer.parseInt(kv.get("op_size")));
        if (m.prefix() == null || m.numObjects() < 0 || m.opSize() <= 0) {
          throw new NumberFormatException();
        }
        return m;
      } catch (NumberFormatException e) {
        throw new ClientException(ClientMessages.EINVAL, METADATA + " is not a bench run record");
      }
    }

    String objectName(int i) {
      return BenchCommand.objectName(prefix, i);
    }
  }

  static String objectName(String prefix, int i) {
    return prefix + "_object" + i;
  }

  /** benchmark_data_HOST_PID, with the host name cut to 29 characters as Ceph's gethostname buffer does. */
  static String prefix() {
    String host;
    try {
      host = InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      host = "localhost";
    }
    if (host.length() > 29) {
      host = host.substring(0, 29);
    }
    return PREFIX + "_" + host + "_" + ProcessHandle.current().pid();
  }

  /** Object N's content: rados bench's "I'm the Nth op!" line, then 'z' to the op size. */
  static byte[] contents(int i, int size) {
    byte[] b = new byte[size];
    Arrays.fill(b, (byte) 'z');
    byte[] head = String.format("I'm the %16dth op!", i).getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(head, 0, b, 0, Math.min(head.length, size));
    return b;
  }

  /** One op of the run on the object of index i; throws to stop the run. */
  @FunctionalInterface
  interface BenchOp {
    void run(int i) throws ClientException;
  }

  @Override
  void run(RadosClient rados, PrintWriter out) throws ClientException, IOException {
    if (seconds <= 0) {
      throw new IOException("SECONDS must be a positive number of seconds, not " + seconds);
    }
    if (threads <= 0) {
      throw new IOException("-t THREADS must be at least 1, not " + threads);
    }
    if (blockSize <= 0) {
      throw new IOException("-b BYTES must be at least 1, not " + blockSize);
    }
    if (maxObjects < 0) {
      throw new IOException("--max-objects N must be 0 (no limit) or more, not " + maxObjects);
    }
    Osdctl root = (Osdctl) spec.root().userObject();
    if (!root.format().equals("plain")) {
      throw new IOException("only plain output (rados bench's), not " + root.format());
    }
    rados.checkPool(pool);
    try {
      if (mode == Mode.write) {
        write(rados, out);
      } else {
        read(rados, out);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ClientException(ClientMessages.EIO, "interrupted");
    }
  }

  private void write(RadosClient rados, PrintWriter out) throws ClientException, InterruptedException {
    String prefix = prefix();
    out.println("hints = 1");
    out.println("Maintaining " + threads + " concurrent writes of " + blockSize + " bytes to objects of size "
        + blockSize + " for up to " + seconds + " seconds or " + maxObjects + " objects");
    out.println("Object prefix: " + prefix);
    AtomicInteger next = new AtomicInteger();
    BenchStats stats = new BenchStats(blockSize, threads);
    long stop = stats.startNanos() + TimeUnit.SECONDS.toNanos(seconds);
    // Object numbers are handed out in order while time remains, so a finished run wrote exactly 0..N-1.
    int limit = maxObjects == 0 ? Integer.MAX_VALUE : maxObjects;
    run(out, stats, () -> {
      if (System.nanoTime() >= stop) {
        return -1;
      }
      int i = next.getAndIncrement();
      return i < limit ? i : -1;
    },
        i -> rados.put(pool, objectName(prefix, i), contents(i, blockSize)));
    stats.summary(out, true);
    int written = stats.finished();
    rados.put(pool, METADATA, new RunMetadata(prefix, written, blockSize).encode());
    if (!noCleanup) {
      cleanUp(rados, out, prefix, written);
    }
  }

  private void cleanUp(RadosClient rados, PrintWriter out, String prefix, int count)
      throws ClientException, InterruptedException {
    out.println("Cleaning up (deleting benchmark objects)");
    long t0 = System.nanoTime();
    AtomicInteger next = new AtomicInteger();
    AtomicInteger removed = new AtomicInteger();
    runWorkers(new BenchStats(1, threads), () -> {
      int i = next.getAndIncrement();
      return i < count ? i : -1;
    }, i -> {
      try {
        rados.remove(pool, objectName(prefix, i));
        removed.incrementAndGet();
      } catch (ClientException e) {
        if (e.code() != ClientMessages.ENOENT) { // already gone (removed by hand): nothing to clean
          throw e;
        }
      }
    });
    rados.remove(pool, METADATA);
    out.println("Removed " + removed.get() + " object" + (removed.get() == 1 ? "" : "s"));
    out.println("Clean up completed and total clean up time :" + BenchStats.num((System.nanoTime() - t0) / 1e9));
  }

  private void read(RadosClient rados, PrintWriter out) throws ClientException, InterruptedException {
    RunMetadata meta;
    try {
      meta = RunMetadata.decode(rados.get(pool, METADATA));
    } catch (ClientException e) {
      if (e.code() == ClientMessages.ENOENT) {
        throw new ClientException(e.code(), "Must write data before running a read benchmark! (no " + METADATA
            + " in pool '" + pool + "': run bench " + pool + " N write --no-cleanup first)");
      }
      throw e;
    }
    int n = meta.numObjects();
    if (n == 0) {
      throw new ClientException(ClientMessages.ENOENT, "the last write run wrote no objects");
    }
    out.println("hints = 1");
    BenchStats stats = new BenchStats(meta.opSize(), threads);
    long stop = stats.startNanos() + TimeUnit.SECONDS.toNanos(seconds);
    AtomicInteger next = new AtomicInteger();
    AtomicInteger wrong = new AtomicInteger();
    IndexSource source = mode == Mode.seq
        ? () -> {
          if (System.nanoTime() >= stop) {
            return -1;
          }
          int i = next.getAndIncrement();
          return i < n ? i : -1;
        }
        : () -> System.nanoTime() < stop ? ThreadLocalRandom.current().nextInt(n) : -1;
    PrintWriter err = spec.commandLine().getErr();
    run(out, stats, source, i -> {
      byte[] got = rados.get(pool, meta.objectName(i));
      if (!Arrays.equals(got, contents(i, meta.opSize()))) {
        wrong.incrementAndGet();
        synchronized (err) {
          err.println(meta.objectName(i) + " is not correct!");
          err.flush();
        }
      }
    });
    stats.summary(out, false);
    if (wrong.get() > 0) {
      throw new ClientException(ClientMessages.EIO, wrong.get() + " of " + stats.finished()
          + " reads returned the wrong content");
    }
  }

  /** The next object index for a worker, or -1 to stop. */
  @FunctionalInterface
  interface IndexSource {
    int next();
  }

  /** Runs the workers with a status line every second; ends with every started op finished. */
  private void run(PrintWriter out, BenchStats stats, IndexSource source, BenchOp op)
      throws ClientException, InterruptedException {
    Thread printer = new Thread(() -> {
      int sec = 0;
      long t0 = stats.startNanos();
      try {
        while (!Thread.currentThread().isInterrupted()) {
          stats.statusLine(out, sec);
          sec++;
          long wake = t0 + TimeUnit.SECONDS.toNanos(sec);
          TimeUnit.NANOSECONDS.sleep(Math.max(0, wake - System.nanoTime()));
        }
      } catch (InterruptedException e) {
        // the run is over: the summary follows
      }
    }, "bench-status");
    printer.setDaemon(true);
    printer.start();
    try {
      runWorkers(stats, source, op);
    } finally {
      printer.interrupt();
      printer.join();
    }
  }

  /** THREADS threads, each taking indexes from source until -1; the first failure stops them all. */
  private void runWorkers(BenchStats stats, IndexSource source, BenchOp op)
      throws ClientException, InterruptedException {
    AtomicReference<ClientException> failed = new AtomicReference<>();
    List<Thread> workers = new ArrayList<>();
    for (int w = 0; w < threads; w++) {
      int worker = w;
      Thread t = new Thread(() -> {
        while (failed.get() == null) {
          int i = source.next();
          if (i < 0) {
            return;
          }
          stats.opStarted();
          long t0 = System.nanoTime();
          try {
            op.run(i);
          } catch (ClientException e) {
            failed.compareAndSet(null, e);
            return;
          } catch (RuntimeException e) {
            failed.compareAndSet(null, new ClientException(ClientMessages.EIO, e.toString()));
            return;
          }
          stats.opFinished(worker, System.nanoTime() - t0);
        }
      }, "bench-" + w);
      t.setDaemon(true);
      workers.add(t);
    }
    workers.forEach(Thread::start);
    for (Thread t : workers) {
      t.join();
    }
    stats.end();
    if (failed.get() != null) {
      throw failed.get();
    }
  }
}
