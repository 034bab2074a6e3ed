package io.jpeer.cli;

import io.jpeer.config.Config;
import io.jpeer.config.ConfigException;
import io.jpeer.mon.CommandReply;
import io.jpeer.mon.MonClient;
import io.jpeer.net.EntityName;
import io.jpeer.net.MessengerConfig;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * osdctl's connection to a cluster's monitor, found from {@code --mon HOST:PORT} or from the
 * cluster directory's {@code cluster.conf}; opened on first use and shared by every command of a
 * batch.
 */
final class ClusterSession implements AutoCloseable {
  /** A failure to reach or use the cluster; the message is one line. */
  static final class ClusterException extends Exception {
    final int exitCode;

    ClusterException(String message, int exitCode) {
      super(message);
      this.exitCode = exitCode;
    }
  }

  private final Path dir;
  private final String mon;
  private final Duration timeout;
  private MonClient client;
  private String where;

  ClusterSession(Path dir, String mon, Duration timeout) {
    this.dir = dir;
    this.mon = mon;
    this.timeout = timeout;
  }

  /** The directory osdctl uses when neither --dir nor --mon is given: the project's out/. */
  static Path defaultDir() {
    String env = System.getenv("JPEER_CLUSTER_DIR");
    if (env != null && !env.isBlank()) {
      return Path.of(env);
    }
    String root = System.getenv("JPEER_ROOT");
    return root != null && !root.isBlank() ? Path.of(root, "out") : Path.of("out");
  }

  private String fsid;
  private InetSocketAddress monAddr;
  /** The cluster's messenger settings (its ms_max_frame_size); defaults with --mon, which has no config. */
  private MessengerConfig messengerConfig = MessengerConfig.defaults();
  private io.jpeer.client.RadosClient rados;

  /** Finds the monitor (and fsid) from --mon or the cluster directory, once. */
  private void resolve() throws ClusterException {
    if (monAddr != null) {
      return;
    }
    if (mon != null) {
      monAddr = parseHostPort(mon);
      fsid = "";
      where = "mon at " + mon;
      return;
    }
    Path d = dir != null ? dir : defaultDir();
    Path conf = d.resolve("cluster.conf");
    if (!Files.isReadable(conf)) {
      throw new ClusterException("no cluster in " + d + " (" + conf + " not found; start one with "
          + "scripts/cluster up, or give --dir DIR or --mon HOST:PORT)", 1);
    }
    try {
      Config cfg = Config.load(conf, "client", "admin", Map.of());
      monAddr = cfg.monHost();
      fsid = cfg.fsid();
      messengerConfig = MonClient.messengerConfig(cfg);
      where = "mon at " + monAddr.getHostString() + ":" + monAddr.getPort() + " (" + conf + ")";
    } catch (ConfigException e) {
      throw new ClusterException(e.getMessage(), 2);
    }
  }

  private MonClient client() throws ClusterException {
    if (client == null) {
      resolve();
      client = new MonClient(new EntityName("client", ProcessHandle.current().pid()), fsid, monAddr,
          messengerConfig);
    }
    return client;
  }

  /** The object client for put/get/rm/ls. */
  io.jpeer.client.RadosClient rados() throws ClusterException {
    if (rados == null) {
      resolve();
      rados = new io.jpeer.client.RadosClient(new EntityName("client", ProcessHandle.current().pid() * 1000 + 1), fsid,
          monAddr, timeout.multipliedBy(3));
    }
    return rados;
  }

  static InetSocketAddress parseHostPort(String s) throws ClusterException {
    int colon = s.lastIndexOf(':');
    try {
      if (colon <= 0) {
        throw new NumberFormatException();
      }
      int port = Integer.parseInt(s.substring(colon + 1));
      if (port < 1 || port > 65535) {
        throw new NumberFormatException();
      }
      return new InetSocketAddress(s.substring(0, colon), port);
    } catch (NumberFormatException e) {
      throw new ClusterException("--mon: bad address '" + s + "' (expected HOST:PORT)", 2);
    }
  }

  /** Runs one monitor command; a reply with an error code is returned, not thrown. */
  CommandReply command(String prefix, Map<String, String> args, String format) throws ClusterException {
    MonClient c = client();
    try {
      return c.command(prefix, args, format).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      throw new ClusterException("cannot reach the " + where + ": no answer within " + timeout.toSeconds() + " s", 1);
    } catch (ExecutionException e) {
      throw new ClusterException("command '" + prefix + "' failed: " + e.getCause().getMessage(), 1);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ClusterException("interrupted", 1);
    }
  }

  @Override
  public void close() {
    if (client != null) {
      client.close();
    }
    if (rados != null) {
      rados.close();
    }
  }
}
