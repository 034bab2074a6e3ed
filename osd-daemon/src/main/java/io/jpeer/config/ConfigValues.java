package io.jpeer.config;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parsers for the value syntaxes of the config file: durations, byte sizes, numbers, host:port. */
public final class ConfigValues {
  private static final Pattern DURATION =
      Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(ms|s|sec|m|min|h)?", Pattern.CASE_INSENSITIVE);
  private static final Pattern SIZE =
      Pattern.compile("(\\d+)\\s*([kmgt]?)(i?b?)", Pattern.CASE_INSENSITIVE);

  private ConfigValues() {}

  /** "20" (seconds, as Ceph), "1.5", "500ms", "2s", "5m", "1h". Throws IllegalArgumentException. */
  public static Duration duration(String s) {
    Matcher m = DURATION.matcher(s.trim());
    if (!m.matches()) {
      throw new IllegalArgumentException("'" + s + "' is not a duration (e.g. 20, 500ms, 2s, 5m)");
    }
    double n = Double.parseDouble(m.group(1));
    String unit = m.group(2) == null ? "s" : m.group(2).toLowerCase(Locale.ROOT);
    double millis = switch (unit) {
      case "ms" -> n;
      case "m", "min" -> n * 60_000;
      case "h" -> n * 3_600_000;
      default -> n * 1000;
    };
    if (millis > Long.MAX_VALUE / 2) {
      throw new IllegalArgumentException("'" + s + "' is too long a duration");
    }
    return Duration.ofMillis(Math.round(millis));
  }

  /** "4096", "64K", "16M", "16MiB", "1G" (binary units). Throws IllegalArgumentException. */
  public static long size(String s) {
    Matcher m = SIZE.matcher(s.trim());
    if (!m.matches()) {
      throw new IllegalArgumentException("'" + s + "' is not a size (e.g. 4096, 64K, 16M)");
    }
    long n = Long.parseLong(m.group(1));
    int shift = switch (m.group(2).toLowerCase(Locale.ROOT)) {
      case "k" -> 10;
      case "m" -> 20;
      case "g" -> 30;
      case "t" -> 40;
      default -> 0;
    };
    if (n > (Long.MAX_VALUE >> shift)) {
      throw new IllegalArgumentException("'" + s + "' is too large");
    }
    return n << shift;
  }

  public static long integer(String s) {
    try {
      return Long.parseLong(s.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("'" + s + "' is not an integer");
    }
  }

  /** Formats a duration the way it can be read back: "6s", "500ms". */
  public static String format(Duration d) {
    long ms = d.toMillis();
    return ms % 1000 == 0 ? (ms / 1000) + "s" : ms + "ms";
  }

  /** Formats a size with the largest exact binary unit: "16M". */
  public static String formatSize(long n) {
    String[] units = {"", "K", "M", "G", "T"};
    int u = 0;
    while (u < units.length - 1 && n != 0 && n % 1024 == 0) {
      n /= 1024;
      u++;
    }
    return n + units[u];
  }
}
