package io.jpeer.config;

import java.util.function.Function;

/**
 * One config key: its canonical name (Ceph's, with underscores), typed default, parser (which
 * also validates) and printer, and a line of documentation. Declared in {@link Options}.
 */
public final class ConfigOption<T> {
  private final String name;
  private final String defaultText;
  private final Function<String, T> parser;
  private final Function<T, String> printer;
  private final String doc;

  ConfigOption(String name, String defaultText, Function<String, T> parser, Function<T, String> printer, String doc) {
    this.name = name;
    this.defaultText = defaultText;
    this.parser = parser;
    this.printer = printer;
    this.doc = doc;
  }

  /** Canonical name, e.g. {@code osd_heartbeat_interval}. */
  public String name() {
    return name;
  }

  /** The default as it would be written in the file (before $-expansion). */
  public String defaultText() {
    return defaultText;
  }

  public String doc() {
    return doc;
  }

  /** Parses and validates a value; IllegalArgumentException with a short reason on bad input. */
  public T parse(String text) {
    return parser.apply(text);
  }

  public String print(Object value) {
    @SuppressWarnings("unchecked")
    T v = (T) value;
    return printer.apply(v);
  }

  /** Canonical form of a key as written: spaces, dashes and underscores are the same, case ignored. */
  public static String canonical(String key) {
    return key.trim().replaceAll("[\\s\\-_]+", "_").toLowerCase(java.util.Locale.ROOT);
  }

  @Override
  public String toString() {
    return name;
  }
}
