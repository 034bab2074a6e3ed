package io.jpeer.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A daemon's command line: {@code --conf FILE} (or {@code -c}), {@code --id N} (or {@code -i}),
 * then config overrides {@code --osd_heartbeat_interval=2} or {@code --osd-heartbeat-interval 2}.
 * Words that are neither are kept as positional arguments for the caller to judge.
 */
public record DaemonArgs(Path conf, String id, Map<String, String> overrides, List<String> positional) {

  public DaemonArgs {
    overrides = Collections.unmodifiableMap(new LinkedHashMap<>(overrides));
    positional = List.copyOf(positional);
  }

  /** Whether the words ask for help ({@code --help} or {@code -h}) rather than a run. */
  public static boolean wantsHelp(String[] args) {
    for (String a : args) {
      if (a.equals("--help") || a.equals("-h")) {
        return true;
      }
    }
    return false;
  }

  /** The help text of a daemon ({@code mon} or {@code osd}): its syntax and every config key. */
  public static String usage(String program) {
    StringBuilder b = new StringBuilder();
    b.append("Usage: jpeer ").append(program).append(" --conf FILE ")
        .append(program.equals("osd") ? "--id N" : "[--id N]").append(" [--KEY=VALUE | --KEY VALUE ...]\n");
    b.append(program.equals("osd") ? "Runs one OSD" : "Runs the monitor")
        .append(" until SIGTERM. Exit status 2 on bad arguments or configuration.\n\n");
    b.append("  -c, --conf FILE   ceph.conf-style configuration file\n");
    b.append("  -i, --id N        daemon id").append(program.equals("osd") ? "" : " (default 0)").append('\n');
    b.append("  -h, --help        show this help and exit\n\n");
    b.append("Config keys (any in the file, or overridden here; '-', '_' and ' ' are alike):\n");
    for (ConfigOption<?> o : Options.all().values()) {
      b.append(String.format("  --%-28s %s (default %s)%n", o.name(), o.doc(), o.defaultText().isEmpty() ? "none" : o.defaultText()));
    }
    return b.toString();
  }

  public static DaemonArgs parse(String[] args, String defaultId) throws ConfigException {
    Path conf = null;
    String id = defaultId;
    Map<String, String> overrides = new LinkedHashMap<>();
    List<String> positional = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (!a.startsWith("-") || a.equals("-")) {
        positional.add(a);
        continue;
      }
      String body = a.startsWith("--") ? a.substring(2) : a.substring(1);
      String key = body;
      String value = null;
      int eq = body.indexOf('=');
      if (eq >= 0) {
        key = body.substring(0, eq);
        value = body.substring(eq + 1);
      }
      String canon = ConfigOption.canonical(key);
      boolean known = canon.equals("conf") || canon.equals("c") || canon.equals("id") || canon.equals("i")
          || Options.find(canon) != null;
      if (!known) {
        throw new ConfigException(a + ": unknown option (config keys: " + String.join(", ", Options.names()) + ")");
      }
      if (value == null) {
        if (i + 1 >= args.length) {
          throw new ConfigException(a + ": missing value");
        }
        value = args[++i];
      }
      switch (canon) {
        case "conf", "c" -> conf = Path.of(value);
        case "id", "i" -> {
          if (value.isBlank() || !value.matches("[A-Za-z0-9_-]+")) {
            throw new ConfigException(a + ": bad id '" + value + "'");
          }
          id = value;
        }
        default -> overrides.put(canon, value);
      }
    }
    return new DaemonArgs(conf, id, overrides, positional);
  }
}
