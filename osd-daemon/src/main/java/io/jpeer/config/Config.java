package io.jpeer.config;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The effective configuration of one entity ({@code mon.0}, {@code osd.3}, {@code client.admin}),
 * parsed once and immutable. Precedence, highest first: command-line overrides, {@code [TYPE.ID]},
 * {@code [TYPE]}, {@code [global]}, the option's default. Values may use {@code $id},
 * {@code $name} ("osd.3") and {@code $type}. Every key of every section is checked, so a typo
 * anywhere fails at startup.
 */
public final class Config {
  /** One effective value: typed, as printed, and where it came from. */
  public record Value(ConfigOption<?> option, Object value, String text, String source) {}

  private final String type;
  private final String id;
  private final Map<String, Value> values;

  private Config(String type, String id, Map<String, Value> values) {
    this.type = type;
    this.id = id;
    this.values = Collections.unmodifiableMap(values);
  }

  /** Defaults only (plus overrides), no file. */
  public static Config defaults(String type, String id, Map<String, String> overrides) throws ConfigException {
    return build(null, type, id, overrides);
  }

  public static Config load(Path file, String type, String id, Map<String, String> overrides) throws ConfigException {
    return build(ConfigFile.read(file), type, id, overrides);
  }

  public static Config parse(String text, String source, String type, String id, Map<String, String> overrides)
      throws ConfigException {
    return build(ConfigFile.parse(text, source), type, id, overrides);
  }

  /** Loads the config a daemon command line names: see {@link DaemonArgs}. */
  public static Config fromArgs(String type, DaemonArgs args) throws ConfigException {
    return args.conf() == null
        ? defaults(type, args.id(), args.overrides())
        : load(args.conf(), type, args.id(), args.overrides());
  }

  private static Config build(ConfigFile file, String type, String id, Map<String, String> overrides)
      throws ConfigException {
    String name = type + "." + id;
    Map<String, Value> out = new LinkedHashMap<>();
    for (ConfigOption<?> o : Options.all().values()) {
      out.put(o.name(), value(o, o.defaultText(), name, type, id, "default", "default"));
    }
    if (file != null) {
      // Check every key and value of every section, even ones for other daemons.
      for (String section : file.sectionNames()) {
        for (ConfigFile.Entry e : file.section(section).values()) {
          ConfigOption<?> o = Options.find(e.key());
          String where = file.source() + ":" + e.line();
          if (o == null) {
            throw new ConfigException(where + ": unknown key '" + e.key() + "' in [" + section + "]");
          }
          value(o, e.value(), name, type, id, where, section);
        }
      }
      // Then apply this entity's sections, lowest precedence first.
      for (String section : List.of("global", type, name)) {
        for (ConfigFile.Entry e : file.section(section).values()) {
          ConfigOption<?> o = Options.find(e.key());
          String where = file.source() + ":" + e.line();
          out.put(o.name(), value(o, e.value(), name, type, id, where, "file " + where + " [" + section + "]"));
        }
      }
    }
    for (Map.Entry<String, String> e : overrides.entrySet()) {
      ConfigOption<?> o = Options.find(e.getKey());
      if (o == null) {
        throw new ConfigException("--" + e.getKey() + ": unknown config key");
      }
      out.put(o.name(), value(o, e.getValue(), name, type, id, "--" + o.name(), "override"));
    }
    Config c = new Config(type, id, out);
    c.checkTogether(file == null ? "config" : file.source());
    return c;
  }

  private static Value value(ConfigOption<?> o, String text, String name, String type, String id,
      String where, String source) throws ConfigException {
    String expanded = text.replace("$name", name).replace("$type", type).replace("$id", id);
    try {
      Object v = o.parse(expanded);
      return new Value(o, v, o.print(v), source);
    } catch (IllegalArgumentException e) {
      throw new ConfigException(where + ": " + o.name() + ": " + e.getMessage());
    }
  }

  /** Rules that involve two keys. */
  private void checkTogether(String where) throws ConfigException {
    if (msBindPortMin() > msBindPortMax()) {
      throw new ConfigException(where + ": ms_bind_port_min " + msBindPortMin() + " > ms_bind_port_max " + msBindPortMax());
    }
    if (osdMinPgLogEntries() > osdMaxPgLogEntries()) {
      throw new ConfigException(where + ": osd_min_pg_log_entries " + osdMinPgLogEntries()
          + " > osd_max_pg_log_entries " + osdMaxPgLogEntries());
    }
    if (get(Options.OSD_POOL_DEFAULT_MIN_SIZE) > osdPoolDefaultSize()) {
      throw new ConfigException(where + ": osd_pool_default_min_size " + get(Options.OSD_POOL_DEFAULT_MIN_SIZE)
          + " > osd_pool_default_size " + osdPoolDefaultSize());
    }
  }

  /** The entity type this config is for: mon, osd or client. */
  public String type() {
    return type;
  }

  public String id() {
    return id;
  }

  /** "osd.3". */
  public String name() {
    return type + "." + id;
  }

  @SuppressWarnings("unchecked")
  public <T> T get(ConfigOption<T> option) {
    return (T) values.get(option.name()).value();
  }

  /** Where the effective value came from: "default", "override" or "file PATH:LINE [section]". */
  public String source(ConfigOption<?> option) {
    return values.get(option.name()).source();
  }

  /** Every effective value by canonical name, in declaration order. */
  public Map<String, Value> values() {
    return values;
  }

  /** {@code config show}: one line per key, "name = value  (source)". */
  public List<String> show() {
    int w = values.keySet().stream().mapToInt(String::length).max().orElse(0);
    List<String> lines = new ArrayList<>();
    for (Value v : values.values()) {
      lines.add(String.format("%-" + w + "s = %s  (%s)", v.option().name(), v.text(), v.source()));
    }
    return lines;
  }

  /** {@code config show} as JSON-ready data: name -> {value, source}. */
  public Map<String, Map<String, String>> showMap() {
    Map<String, Map<String, String>> m = new LinkedHashMap<>();
    values.forEach((k, v) -> m.put(k, Map.of("value", v.text(), "source", v.source())));
    return m;
  }

  // ---- typed getters ------------------------------------------------------------------------

  public String fsid() {
    return get(Options.FSID);
  }

  /** The monitor address, unresolved (resolve when connecting). */
  public InetSocketAddress monHost() {
    return get(Options.MON_HOST);
  }

  public Path monData() {
    return Path.of(get(Options.MON_DATA));
  }

  public int msBindPortMin() {
    return get(Options.MS_BIND_PORT_MIN);
  }

  public int msBindPortMax() {
    return get(Options.MS_BIND_PORT_MAX);
  }

  public long msMaxFrameSize() {
    return get(Options.MS_MAX_FRAME_SIZE);
  }

  public int osdPoolDefaultSize() {
    return get(Options.OSD_POOL_DEFAULT_SIZE);
  }

  /** Effective default min_size: the key, or size - size/2 when it is 0. */
  public int osdPoolDefaultMinSize() {
    int m = get(Options.OSD_POOL_DEFAULT_MIN_SIZE);
    int size = osdPoolDefaultSize();
    return m == 0 ? size - size / 2 : m;
  }

  public int osdPoolDefaultPgNum() {
    return get(Options.OSD_POOL_DEFAULT_PG_NUM);
  }

  public Duration osdHeartbeatInterval() {
    return get(Options.OSD_HEARTBEAT_INTERVAL);
  }

  /** Fault injection for tests: how long the monitor holds an up_thru grant. */
  public Duration monDebugUpThruDelay() {
    return get(Options.MON_DEBUG_UP_THRU_DELAY);
  }

  public Duration osdHeartbeatGrace() {
    return get(Options.OSD_HEARTBEAT_GRACE);
  }

  public int monOsdMinDownReporters() {
    return get(Options.MON_OSD_MIN_DOWN_REPORTERS);
  }

  public Duration monOsdDownOutInterval() {
    return get(Options.MON_OSD_DOWN_OUT_INTERVAL);
  }

  public Duration monOsdReportTimeout() {
    return get(Options.MON_OSD_REPORT_TIMEOUT);
  }

  public Duration osdBeaconReportInterval() {
    return get(Options.OSD_BEACON_REPORT_INTERVAL);
  }

  public Path osdData() {
    return Path.of(get(Options.OSD_DATA));
  }

  /** "rocksdb" or "memory". */
  public String osdObjectstore() {
    return get(Options.OSD_OBJECTSTORE);
  }

  /** Fault injection for tests: writes stay on the primary (divergent entries on demand). */
  public boolean osdDebugDropRepop() {
    return get(Options.OSD_DEBUG_DROP_REPOP);
  }

  /** Fault injection for tests: no background recovery (PGs stay in recovery_wait). */
  public boolean osdDebugNorecover() {
    return get(Options.OSD_DEBUG_NORECOVER);
  }

  /** Simulated PGs an OSD peers on a private bus before it boots, so its first real peering runs compiled. */
  public int osdWarmupPgs() {
    return get(Options.OSD_WARMUP_PGS);
  }

  public int osdRecoveryMaxActive() {
    return get(Options.OSD_RECOVERY_MAX_ACTIVE);
  }

  public int osdMinPgLogEntries() {
    return get(Options.OSD_MIN_PG_LOG_ENTRIES);
  }

  public int osdMaxPgLogEntries() {
    return get(Options.OSD_MAX_PG_LOG_ENTRIES);
  }

  public String logLevel() {
    return get(Options.LOG_LEVEL);
  }

  public int debugOsd() {
    return get(Options.DEBUG_OSD);
  }

  public int debugMon() {
    return get(Options.DEBUG_MON);
  }

  public int debugMs() {
    return get(Options.DEBUG_MS);
  }
}
