package io.jpeer.bench;

import io.jpeer.net.Connection;
import io.jpeer.net.EntityName;
import io.jpeer.net.InboundMessage;
import io.jpeer.net.MessageHandler;
import io.jpeer.net.MessageRegistry;
import io.jpeer.net.Messenger;
import io.jpeer.net.MessengerConfig;
import io.jpeer.proto.osd.MOSDPing;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Two messengers on 127.0.0.1: one-way throughput of small messages on one connection, and the
 * round trip of a ping answered by the peer's handler. Prints a table.
 *
 * <p>Run: {@code mvn -q -B package -DskipTests && java -cp
 * "bench/target/bench-0.1.0-SNAPSHOT.jar:bench/target/lib/*" io.jpeer.bench.MessengerBench}
 */
public final class MessengerBench {
  private static final int TYPE = 200;
  private static final String FSID = "bench";

  public static void main(String[] args) throws Exception {
    int messages = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
    int pings = args.length > 1 ? Integer.parseInt(args[1]) : 50_000;
    MessageRegistry reg = new MessageRegistry().register(TYPE, "MOSDPing", MOSDPing.parser());
    AtomicLong received = new AtomicLong();
    CountDownLatch[] done = new CountDownLatch[1];
    long[] expected = new long[1];
    SynchronousQueue<Long> pongs = new SynchronousQueue<>();
    MessageHandler server = new MessageHandler() {
      @Override
      public void onMessage(Connection from, InboundMessage msg) {
        MOSDPing p = (MOSDPing) msg.body();
        if (p.getOp() == MOSDPing.Op.PING && p.getEpoch() == 1) {
          from.send(TYPE, 1, p.toBuilder().setOp(MOSDPing.Op.PING_REPLY).build());
        } else if (received.incrementAndGet() == expected[0]) {
          done[0].countDown();
        }
      }
    };
    MessageHandler client = (from, msg) -> {
      try {
        pongs.put(((MOSDPing) msg.body()).getStampNs());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    };
    try (Messenger a = new Messenger(EntityName.parse("osd.0"), FSID, MessengerConfig.defaults(), reg, server);
        Messenger b = new Messenger(EntityName.parse("osd.1"), FSID, MessengerConfig.defaults(), reg, client)) {
      InetSocketAddress addr = a.bind(new InetSocketAddress("127.0.0.1", 0));
      Connection c = b.connect(EntityName.parse("osd.0"), addr);
      c.send(TYPE, 1, MOSDPing.newBuilder().setOp(MOSDPing.Op.PING).setEpoch(1).build());
      pongs.poll(10, TimeUnit.SECONDS); // connected and handshaken
      MOSDPing small = MOSDPing.newBuilder().setOp(MOSDPing.Op.PING_REPLY).setEpoch(2).setFromOsd(1).build();

      // Warm up both paths, then measure.
      runThroughput(c, small, 200_000, received, done, expected);
      long[] rtt = runPings(c, 10_000, pongs);
      double perSec = runThroughput(c, small, messages, received, done, expected);
      rtt = runPings(c, pings, pongs);
      Arrays.sort(rtt);
      System.out.printf("%-44s %14s%n", "messenger benchmark (loopback, one connection)", "result");
      System.out.printf("%-44s %,14.0f%n", "one-way small messages per second", perSec);
      System.out.printf("%-44s %14.1f%n", "round trip p50 (us)", rtt[rtt.length / 2] / 1000.0);
      System.out.printf("%-44s %14.1f%n", "round trip p99 (us)", rtt[(int) (rtt.length * 0.99)] / 1000.0);
      System.out.printf("%-44s %14d%n", "messages / round trips measured", messages);
    }
  }

  private static double runThroughput(Connection c, MOSDPing msg, int n, AtomicLong received, CountDownLatch[] done,
      long[] expected) throws InterruptedException {
    received.set(0);
    expected[0] = n;
    done[0] = new CountDownLatch(1);
    long t0 = System.nanoTime();
    for (int i = 0; i < n; i++) {
      c.send(TYPE, 2, msg);
    }
    if (!done[0].await(120, TimeUnit.SECONDS)) {
      throw new IllegalStateException("only " + received.get() + " of " + n + " messages arrived");
    }
    return n / ((System.nanoTime() - t0) / 1e9);
  }

  private static long[] runPings(Connection c, int n, SynchronousQueue<Long> pongs) throws InterruptedException {
    long[] rtt = new long[n];
    for (int i = 0; i < n; i++) {
      long t0 = System.nanoTime();
      c.send(TYPE, 1, MOSDPing.newBuilder().setOp(MOSDPing.Op.PING).setEpoch(1).setStampNs(t0).build());
      Long back = pongs.poll(10, TimeUnit.SECONDS);
      if (back == null) {
        throw new IllegalStateException("ping " + i + " was not answered");
      }
      rtt[i] = System.nanoTime() - t0;
    }
    return rtt;
  }
}
