package io.jpeer.config;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import org.slf4j.LoggerFactory;

/** Applies log_level and the Ceph-style debug_* keys to logback at daemon startup. */
public final class LogLevels {
  private LogLevels() {}

  public static void apply(Config cfg) {
    if (!(LoggerFactory.getILoggerFactory() instanceof ch.qos.logback.classic.LoggerContext)) {
      return; // another slf4j backend: its own configuration rules
    }
    if (System.getProperty("jpeer.log.level") == null) {
      root().setLevel(Level.toLevel(cfg.logLevel(), Level.INFO));
    }
    set("io.jpeer.osd", cfg.debugOsd());
    set("io.jpeer.mon", cfg.debugMon());
    set("io.jpeer.net", cfg.debugMs());
  }

  private static Logger root() {
    return (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
  }

  private static void set(String logger, int debug) {
    if (debug >= 20) {
      ((Logger) LoggerFactory.getLogger(logger)).setLevel(Level.TRACE);
    } else if (debug >= 10) {
      ((Logger) LoggerFactory.getLogger(logger)).setLevel(Level.DEBUG);
    }
  }
}
