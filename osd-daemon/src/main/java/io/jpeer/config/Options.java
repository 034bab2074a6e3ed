package io.jpeer.config;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;

/** Every config key, with Ceph's name where Ceph has one. conf/cluster.conf documents them. */
public final class Options {
  private static final Map<String, ConfigOption<?>> ALL = new LinkedHashMap<>();

  public static final ConfigOption<String> FSID = add("fsid", "", Options::fsid,
      "cluster id (a UUID); daemons and clients refuse peers with another fsid");
  public static final ConfigOption<InetSocketAddress> MON_HOST = add("mon_host", "127.0.0.1:6789",
      Options::hostPort, a -> a.getHostString() + ":" + a.getPort(), "monitor address HOST:PORT");
  public static final ConfigOption<String> MON_DATA = add("mon_data", "dev/$name", Options::nonEmpty,
      "monitor data directory (map history)");
  public static final ConfigOption<Integer> MS_BIND_PORT_MIN = add("ms_bind_port_min", "6800",
      s -> intIn(s, 0, 65535), "lowest port a daemon messenger binds to (0 with max 0: any free port)");
  public static final ConfigOption<Integer> MS_BIND_PORT_MAX = add("ms_bind_port_max", "7300",
      s -> intIn(s, 0, 65535), "highest port a daemon messenger binds to");
  public static final ConfigOption<Long> MS_MAX_FRAME_SIZE = sized("ms_max_frame_size", "16M",
      1024, 1L << 30, "largest frame a messenger accepts (ours, not Ceph's)");
  public static final ConfigOption<Integer> OSD_POOL_DEFAULT_SIZE = add("osd_pool_default_size", "3",
      s -> intIn(s, 1, 10), "replicas of a new pool");
  public static final ConfigOption<Integer> OSD_POOL_DEFAULT_MIN_SIZE = add("osd_pool_default_min_size", "0",
      s -> intIn(s, 0, 10), "min_size of a new pool; 0 = size - size/2");
  public static final ConfigOption<Integer> OSD_POOL_DEFAULT_PG_NUM = add("osd_pool_default_pg_num", "32",
      s -> intIn(s, 1, 65536), "pg_num of a new pool");
  public static final ConfigOption<Duration> OSD_HEARTBEAT_INTERVAL = timed("osd_heartbeat_interval", "6",
      "how often an OSD pings its peers");
  public static final ConfigOption<Duration> MON_DEBUG_UP_THRU_DELAY = timed("mon_debug_up_thru_delay", "0",
      "testing only: hold each up_thru grant this long (to watch PGs wait in WaitUpThru)");
  public static final ConfigOption<Duration> OSD_HEARTBEAT_GRACE = timed("osd_heartbeat_grace", "20",
      "silence after which a peer is reported failed, and the monitor's wait before marking down");
  public static final ConfigOption<Integer> MON_OSD_MIN_DOWN_REPORTERS = add("mon_osd_min_down_reporters", "2",
      s -> intIn(s, 1, 1000), "distinct OSDs that must report a failure (fewer if fewer OSDs are up)");
  public static final ConfigOption<Duration> MON_OSD_DOWN_OUT_INTERVAL = timed("mon_osd_down_out_interval", "600",
      "an OSD down this long is marked out; 0 = never");
  public static final ConfigOption<Duration> MON_OSD_REPORT_TIMEOUT = timed("mon_osd_report_timeout", "900",
      "an up OSD that sent no beacon for this long is marked down");
  public static final ConfigOption<Duration> OSD_BEACON_REPORT_INTERVAL = timed("osd_beacon_report_interval", "300",
      "how often an OSD sends a beacon to the monitor");
  public static final ConfigOption<String> OSD_DATA = add("osd_data", "dev/$name", Options::nonEmpty,
      "OSD data directory (object store)");
  public static final ConfigOption<String> OSD_OBJECTSTORE = add("osd_objectstore", "rocksdb",
      s -> oneOf(s, Set.of("rocksdb", "memory")), "object store: rocksdb or memory");
  public static final ConfigOption<Boolean> OSD_DEBUG_DROP_REPOP = add("osd_debug_drop_repop", "false",
      Options::bool, "testing only: the primary logs and applies writes but never sends them to replicas");
  public static final ConfigOption<Boolean> OSD_DEBUG_NORECOVER = add("osd_debug_norecover", "false",
      Options::bool, "testing only: PGs stay in recovery_wait (Ceph's norecover flag); ops on missing objects still recover them");
  public static final ConfigOption<Integer> OSD_WARMUP_PGS = add("osd_warmup_pgs", "400",
      s -> intIn(s, 0, 100_000), "simulated PGs peered before boot to warm the JIT (0: none)");
  public static final ConfigOption<Integer> OSD_RECOVERY_MAX_ACTIVE = add("osd_recovery_max_active", "10",
      s -> intIn(s, 1, 1000), "recovery ops in flight per OSD (Ceph's osd_recovery_max_active_ssd default)");
  public static final ConfigOption<Integer> OSD_MIN_PG_LOG_ENTRIES = add("osd_min_pg_log_entries", "250",
      s -> intIn(s, 1, 10_000_000), "log entries a PG keeps at least");
  public static final ConfigOption<Integer> OSD_MAX_PG_LOG_ENTRIES = add("osd_max_pg_log_entries", "10000",
      s -> intIn(s, 1, 10_000_000), "log entries a PG keeps at most when not clean");
  public static final ConfigOption<String> LOG_LEVEL = add("log_level", "info",
      s -> oneOf(s.toLowerCase(Locale.ROOT), Set.of("error", "warn", "info", "debug", "trace")),
      "root log level: error, warn, info, debug, trace");
  public static final ConfigOption<Integer> DEBUG_OSD = add("debug_osd", "1", Options::debugLevel,
      "Ceph-style 0..20 (N or N/M); >= 10 logs io.jpeer.osd at debug, >= 20 at trace");
  public static final ConfigOption<Integer> DEBUG_MON = add("debug_mon", "1", Options::debugLevel,
      "as debug_osd, for io.jpeer.mon");
  public static final ConfigOption<Integer> DEBUG_MS = add("debug_ms", "0", Options::debugLevel,
      "as debug_osd, for io.jpeer.net");

  private Options() {}

  /** Every option by canonical name, in declaration order. */
  public static Map<String, ConfigOption<?>> all() {
    return Collections.unmodifiableMap(ALL);
  }

  /** The option of a key as written (any spelling), or null. */
  public static ConfigOption<?> find(String key) {
    return ALL.get(ConfigOption.canonical(key));
  }

  private static <T> ConfigOption<T> add(String name, String def, Function<String, T> parser, String doc) {
    return add(name, def, parser, String::valueOf, doc);
  }

  private static <T> ConfigOption<T> add(String name, String def, Function<String, T> parser,
      Function<T, String> printer, String doc) {
    ConfigOption<T> o = new ConfigOption<>(name, def, parser, printer, doc);
    ALL.put(name, o);
    return o;
  }

  private static ConfigOption<Duration> timed(String name, String def, String doc) {
    return add(name, def, ConfigValues::duration, ConfigValues::format, doc);
  }

  private static ConfigOption<Long> sized(String name, String def, long min, long max, String doc) {
    return add(name, def, s -> {
      long n = ConfigValues.size(s);
      if (n < min || n > max) {
        throw new IllegalArgumentException("'" + s + "' not in " + ConfigValues.formatSize(min)
            + ".." + ConfigValues.formatSize(max));
      }
      return n;
    }, ConfigValues::formatSize, doc);
  }

  private static boolean bool(String s) {
    if (!s.equals("true") && !s.equals("false")) {
      throw new IllegalArgumentException("'" + s + "' is not true or false");
    }
    return Boolean.parseBoolean(s);
  }

  static int intIn(String s, int min, int max) {
    long n = ConfigValues.integer(s);
    if (n < min || n > max) {
      throw new IllegalArgumentException("'" + s.trim() + "' not in " + min + ".." + max);
    }
    return (int) n;
  }

  private static String nonEmpty(String s) {
    if (s.isBlank()) {
      throw new IllegalArgumentException("must not be empty");
    }
    return s.trim();
  }

  private static String oneOf(String s, Set<String> allowed) {
    String v = s.trim();
    if (!allowed.contains(v)) {
      throw new IllegalArgumentException("'" + v + "' is not one of " + new java.util.TreeSet<>(allowed));
    }
    return v;
  }

  private static String fsid(String s) {
    String v = s.trim();
    if (!v.isEmpty()) {
      try {
        UUID.fromString(v);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("'" + v + "' is not a UUID");
      }
    }
    return v;
  }

  private static int debugLevel(String s) {
    String v = s.trim();
    int slash = v.indexOf('/');
    String first = slash < 0 ? v : v.substring(0, slash);
    if (slash >= 0) {
      intIn(v.substring(slash + 1), 0, 20);
    }
    return intIn(first, 0, 20);
  }

  /** HOST:PORT (IPv6 as [addr]:port); the address is not resolved here. */
  static InetSocketAddress hostPort(String s) {
    String v = s.trim();
    // Ceph writes mon host as "v2:1.2.3.4:3300"; accept and drop a v1:/v2: prefix.
    if (v.startsWith("v1:") || v.startsWith("v2:")) {
      v = v.substring(3);
    }
    int colon = v.lastIndexOf(':');
    if (colon <= 0 || colon == v.length() - 1) {
      throw new IllegalArgumentException("'" + s.trim() + "' is not HOST:PORT");
    }
    String host = v.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    int port;
    try {
      port = intIn(v.substring(colon + 1), 0, 65535); // 0: any free port (tests)
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("'" + s.trim() + "' is not HOST:PORT (bad port)");
    }
    return InetSocketAddress.createUnresolved(host, port);
  }

  /** Keys in the order of {@link #all()}. */
  public static List<String> names() {
    return List.copyOf(ALL.keySet());
  }
}
