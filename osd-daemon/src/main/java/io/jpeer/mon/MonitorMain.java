package io.jpeer.mon;

import io.jpeer.config.Config;
import io.jpeer.config.ConfigException;
import io.jpeer.config.DaemonArgs;
import io.jpeer.config.LogLevels;
import java.io.IOException;
import java.util.concurrent.CountDownLatch;

/**
 * {@code jpeer mon --conf FILE [--id 0] [--key=value ...]}: runs the monitor until SIGTERM or
 * SIGINT. Exit 2 on bad configuration or arguments (one line on stderr), 1 if it cannot start.
 */
public final class MonitorMain {
  private MonitorMain() {}

  public static int run(String[] args) {
    Config cfg;
    try {
      DaemonArgs a = DaemonArgs.parse(args, "0");
      if (!a.positional().isEmpty()) {
        System.err.println("mon: unexpected argument '" + a.positional().get(0)
            + "' (usage: jpeer mon --conf FILE [--id N] [--key=value ...])");
        return 2;
      }
      if (!a.id().matches("\\d+")) {
        System.err.println("mon: --id must be a number, got '" + a.id() + "'");
        return 2;
      }
      cfg = Config.fromArgs("mon", a);
    } catch (ConfigException e) {
      System.err.println("mon: " + e.getMessage());
      return 2;
    }
    LogLevels.apply(cfg);
    Monitor mon;
    try {
      mon = Monitor.start(cfg);
    } catch (IOException | RuntimeException e) {
      System.err.println("mon." + cfg.id() + ": cannot start: " + e.getMessage());
      return 1;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      mon.close();
      stopped.countDown();
    }, "mon-shutdown"));
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return 0;
  }
}
