package io.jpeer.testing;

import io.jpeer.config.Config;
import io.jpeer.map.OsdMap;
import io.jpeer.mon.CommandReply;
import io.jpeer.mon.MonClient;
import io.jpeer.mon.Monitor;
import io.jpeer.net.EntityName;
import io.jpeer.net.MessengerConfig;
import io.jpeer.osd.OsdDaemon;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * A monitor and N OSDs in this JVM, on 127.0.0.1 ephemeral ports, with their data in a temporary
 * directory and short heartbeat timers. Always close it (try-with-resources): every daemon stops.
 */
public final class MiniCluster implements AutoCloseable {
  public static final String FSID = "5eed0000-0000-4000-8000-00000000c0de";

  private final Path dir;
  private final Monitor mon;
  private final Map<Integer, OsdDaemon> osds = new TreeMap<>();
  private final MonClient admin;
  private io.jpeer.client.RadosClient rados;

  private final Map<String, String> extra;

  private MiniCluster(Path dir, Monitor mon, Map<String, String> extra) {
    this.extra = extra;
    this.dir = dir;
    this.mon = mon;
    this.admin = new MonClient(new EntityName("client", 1), FSID, mon.address(), MessengerConfig.defaults());
  }

  public static MiniCluster start(Path dir, int numOsds) throws Exception {
    return start(dir, numOsds, Map.of());
  }

  /** As {@link #start(Path, int)}, with config overrides for every daemon. */
  public static MiniCluster start(Path dir, int numOsds, Map<String, String> extra) throws Exception {
    Map<String, String> monCfg = common(dir, "127.0.0.1:0");
    monCfg.putAll(extra);
    Monitor mon = Monitor.start(Config.defaults("mon", "0", monCfg));
    MiniCluster c = new MiniCluster(dir, mon, extra);
    try {
      for (int i = 0; i < numOsds; i++) {
        c.startOsd(i);
      }
      c.waitFor("all OSDs up", () -> c.map().numUpOsds() == numOsds, c::describe);
    } catch (Exception | AssertionError e) {
      c.close();
      throw e;
    }
    return c;
  }

  private static Map<String, String> common(Path dir, String monHost) {
    Map<String, String> o = new HashMap<>();
    o.put("fsid", FSID);
    o.put("mon_host", monHost);
    o.put("mon_data", dir.resolve("mon.0").toString());
    o.put("osd_heartbeat_interval", "0.2");
    o.put("osd_heartbeat_grace", "1");
    o.put("osd_beacon_report_interval", "1");
    o.put("ms_bind_port_min", "0");
    o.put("ms_bind_port_max", "0");
    return o;
  }

  private Config osdConfig(int id) throws Exception {
    Map<String, String> o = common(dir, "127.0.0.1:" + mon.address().getPort());
    o.put("osd_data", dir.resolve("osd." + id).toString());
    o.putAll(extra);
    return Config.defaults("osd", Integer.toString(id), o);
  }

  /** Starts (or restarts from its data directory) osd.id. */
  public OsdDaemon startOsd(int id) throws Exception {
    OsdDaemon d = OsdDaemon.start(osdConfig(id));
    osds.put(id, d);
    return d;
  }

  /** Stops osd.id abruptly: no goodbye to the monitor, as a crash. */
  public void killOsd(int id) {
    OsdDaemon d = osds.remove(id);
    if (d != null) {
      d.close();
    }
  }

  /** Stops osd.id cleanly (it marks itself down first). */
  public void stopOsd(int id) {
    OsdDaemon d = osds.remove(id);
    if (d != null) {
      d.stop(Duration.ofSeconds(5));
    }
  }

  public OsdDaemon osd(int id) {
    return osds.get(id);
  }

  public Monitor mon() {
    return mon;
  }

  public OsdMap map() {
    return mon.map();
  }

  public String monAddress() {
    return "127.0.0.1:" + mon.address().getPort();
  }

  /** An object client for this cluster (closed with the cluster). */
  public io.jpeer.client.RadosClient client() {
    if (rados == null) {
      rados = new io.jpeer.client.RadosClient(new EntityName("client", 2), FSID, mon.address(), Duration.ofSeconds(30));
    }
    return rados;
  }

  /** Creates pool rbd with one PG of 3 copies (min_size 2) and writes one object: the PG is active. */
  public io.jpeer.core.types.PgId onePgPool() throws Exception {
    command("pool create", Map.of("pool", "rbd", "pg_num", "1", "size", "3", "min_size", "2"));
    client().put("rbd", "warm", "up".getBytes(java.nio.charset.StandardCharsets.UTF_8));
    OsdMap m = map();
    return m.objectToPg(m.poolByName("rbd").orElseThrow().id(), "warm");
  }

  public CommandReply command(String prefix, Map<String, String> args) throws Exception {
    return admin.command(prefix, args).get(10, TimeUnit.SECONDS);
  }

  /** Polls {@code cond} until true or 20 s pass; the failure names what was seen. */
  public void waitFor(String what, BooleanSupplier cond, Supplier<Object> seen) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (!cond.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what + "; cluster: " + seen.get());
      }
      Thread.sleep(10);
    }
  }

  /** Every OSD's state, for failure messages. */
  public String describe() {
    StringBuilder sb = new StringBuilder("map " + mon.map());
    osds.forEach((id, d) -> sb.append("\n  osd.").append(id).append(" at ").append(d.addr()).append(" map e")
        .append(d.map() == null ? "-" : d.map().epoch()));
    return sb.toString();
  }

  @Override
  public void close() {
    if (rados != null) {
      rados.close();
    }
    osds.values().forEach(OsdDaemon::close);
    osds.clear();
    admin.close();
    mon.close();
  }
}
