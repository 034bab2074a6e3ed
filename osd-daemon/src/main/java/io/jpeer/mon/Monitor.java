package io.jpeer.mon;

import io.jpeer.config.Config;
import io.jpeer.map.OsdMap;
import io.jpeer.net.Connection;
import io.jpeer.net.EntityName;
import io.jpeer.net.InboundMessage;
import io.jpeer.net.MessageHandler;
import io.jpeer.net.MessageRegistry;
import io.jpeer.net.Messenger;
import io.jpeer.net.MessengerConfig;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running monitor: the {@link OsdMonitor} on its own thread behind a Messenger bound to
 * {@code mon host}. Netty event loops only hand messages over; all state lives on the monitor
 * thread. Start with {@link #start}, stop with {@link #close} (idempotent).
 */
public final class Monitor implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Monitor.class);

  private final ScheduledExecutorService thread;
  private final MonStore store;
  private final OsdMonitor mon;
  private final Messenger messenger;
  private final InetSocketAddress address;
  private final AtomicLong received = new AtomicLong();
  private volatile boolean closed;

  private Monitor(Config cfg, String id, Clock clock) throws IOException {
    this.thread = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "mon." + id);
      t.setDaemon(true);
      return t;
    });
    this.store = MonStore.open(cfg.monData());
    try {
      this.mon = onThread(() -> new OsdMonitor(cfg, store, clock, thread));
      EntityName self = new EntityName("mon", Long.parseLong(id));
      MessageRegistry reg = MonMessages.registerAll(new MessageRegistry());
      this.messenger = new Messenger(self, mon.published().fsid(), MonClient.messengerConfig(cfg), reg, new Handler());
      InetSocketAddress want = cfg.monHost();
      this.address = messenger.bind(new InetSocketAddress(want.getHostString(), want.getPort()));
    } catch (IOException | RuntimeException e) {
      thread.shutdownNow();
      store.close();
      throw e;
    }
    long period = mon.tickPeriod().toMillis();
    thread.scheduleWithFixedDelay(() -> guarded("tick", mon::tick), period, period, TimeUnit.MILLISECONDS);
    log.info("mon.{} listening on {} for cluster {} at e{}", id, address, fsid(), map().epoch());
  }

  /** Opens the store under mon data (creating the cluster at epoch 1 if empty) and listens. */
  public static Monitor start(Config cfg) throws IOException {
    return new Monitor(cfg, cfg.id(), Clock.systemUTC());
  }

  /** The address actually bound (useful with port 0). */
  public InetSocketAddress address() {
    return address;
  }

  public String fsid() {
    return mon.published().fsid();
  }

  /** The newest committed map. */
  public OsdMap map() {
    return mon.published();
  }

  /** Messages handed to the monitor thread so far (tests use it to know a message arrived). */
  public long messagesReceived() {
    return received.get();
  }

  /** Runs a task on the monitor thread and waits for it; tests use it to pause or inspect. */
  <T> T call(Callable<T> task) throws IOException {
    return onThread(task);
  }

  /** Submits a task to the monitor thread without waiting. */
  void submit(Runnable task) {
    thread.execute(() -> guarded("task", task));
  }

  /** Epochs proposed since start. */
  long proposals() throws IOException {
    return onThread(mon::proposals);
  }

  private <T> T onThread(Callable<T> task) throws IOException {
    try {
      return thread.submit(task).get(30, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      Throwable c = e.getCause();
      if (c instanceof IOException io) {
        throw io;
      }
      if (c instanceof RuntimeException re) {
        throw re;
      }
      throw new IOException(c);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted");
    } catch (TimeoutException e) {
      throw new IOException("monitor thread did not answer in 30s");
    }
  }

  private void guarded(String what, Runnable r) {
    try {
      r.run();
    } catch (RuntimeException e) {
      // One bad message or a bug in one handler must not stop the monitor.
      log.error("mon {} failed: {}", what, e.toString(), e);
    }
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    messenger.close();
    thread.shutdown();
    try {
      if (!thread.awaitTermination(5, TimeUnit.SECONDS)) {
        thread.shutdownNow();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      thread.shutdownNow();
    }
    try {
      store.close();
    } catch (IOException e) {
      log.warn("cannot release the lock on {}: {}", store.dir(), e.getMessage());
    }
    log.info("monitor stopped at e{}", mon.published().epoch());
  }

  private final class Handler implements MessageHandler {
    @Override
    public void onMessage(Connection from, InboundMessage msg) {
      received.incrementAndGet();
      if (!closed) {
        thread.execute(() -> guarded("message " + msg.type() + " from " + msg.from(), () -> mon.handle(from, msg)));
      }
    }

    @Override
    public void onDisconnect(Connection c) {
      if (!closed) {
        thread.execute(() -> guarded("disconnect", () -> mon.disconnected(c)));
      }
    }
  }
}
