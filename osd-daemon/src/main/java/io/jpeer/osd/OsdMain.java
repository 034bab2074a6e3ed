package io.jpeer.osd;

import io.jpeer.config.Config;
import io.jpeer.config.ConfigException;
import io.jpeer.config.DaemonArgs;
import io.jpeer.config.LogLevels;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;

/**
 * {@code jpeer osd --conf FILE --id N [--key=value ...]}: runs one OSD until SIGTERM (which marks
 * it down at the monitor first). Exit 2 with one line for bad arguments, config or data directory.
 */
public final class OsdMain {
  private OsdMain() {}

  public static int run(String[] args) {
    Config cfg;
    try {
      DaemonArgs a = DaemonArgs.parse(args, null);
      if (!a.positional().isEmpty()) {
        System.err.println("osd: unexpected argument '" + a.positional().get(0)
            + "' (usage: jpeer osd --conf FILE --id N [--key=value ...])");
        return 2;
      }
      if (a.id() == null || !a.id().matches("\\d+")) {
        System.err.println("osd: --id N is required (a number)");
        return 2;
      }
      cfg = Config.fromArgs("osd", a);
    } catch (ConfigException e) {
      System.err.println("osd: " + e.getMessage());
      return 2;
    }
    LogLevels.apply(cfg);
    OsdDaemon osd;
    try {
      osd = OsdDaemon.start(cfg);
    } catch (OsdStartException e) {
      System.err.println("osd." + cfg.id() + ": " + e.getMessage());
      return 2;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      osd.stop(Duration.ofSeconds(2));
      stopped.countDown();
    }, "osd-shutdown"));
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return 0;
  }
}
