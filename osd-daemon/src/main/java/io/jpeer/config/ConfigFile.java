package io.jpeer.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A ceph.conf-style INI file as written: sections ({@code [global]}, {@code [osd]},
 * {@code [osd.3]}, ...) of {@code key = value} lines; {@code #} and {@code ;} start comments.
 * Keys are stored canonical (spaces, dashes, underscores alike); values are not yet interpreted.
 */
public final class ConfigFile {
  private static final Pattern SECTION = Pattern.compile("global|mon|osd|client|(mon|osd|client)\\.[A-Za-z0-9_-]+");

  /** One value as written, with where it came from. */
  public record Entry(String key, String value, int line) {}

  private final String source;
  private final Map<String, Map<String, Entry>> sections;

  private ConfigFile(String source, Map<String, Map<String, Entry>> sections) {
    this.source = source;
    this.sections = sections;
  }

  public static ConfigFile read(Path file) throws ConfigException {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException | java.io.UncheckedIOException e) {
      throw new ConfigException(file + ": cannot read config file (" + reason(e) + ")");
    }
    return parse(text, file.toString());
  }

  private static String reason(Exception e) {
    if (e instanceof java.nio.file.NoSuchFileException) {
      return "no such file";
    }
    if (e instanceof java.nio.file.AccessDeniedException) {
      return "permission denied";
    }
    if (e instanceof java.nio.charset.MalformedInputException) {
      return "not UTF-8 text";
    }
    return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
  }

  /** Parses text; {@code source} names it in errors (a file name). */
  public static ConfigFile parse(String text, String source) throws ConfigException {
    Map<String, Map<String, Entry>> sections = new LinkedHashMap<>();
    Map<String, Entry> current = null;
    String[] lines = text.split("\r?\n", -1);
    for (int i = 0; i < lines.length; i++) {
      int lineNo = i + 1;
      String line = stripComment(lines[i]).trim();
      if (line.isEmpty()) {
        continue;
      }
      if (line.startsWith("[")) {
        if (!line.endsWith("]")) {
          throw new ConfigException(source + ":" + lineNo + ": bad section header '" + line + "'");
        }
        String name = line.substring(1, line.length() - 1).trim();
        if (!SECTION.matcher(name).matches()) {
          throw new ConfigException(source + ":" + lineNo + ": unknown section [" + name
              + "] (expected global, mon, osd, client, or TYPE.ID)");
        }
        current = sections.computeIfAbsent(name, k -> new LinkedHashMap<>());
        continue;
      }
      int eq = line.indexOf('=');
      if (eq <= 0) {
        throw new ConfigException(source + ":" + lineNo + ": expected 'key = value', got '" + line + "'");
      }
      if (current == null) {
        throw new ConfigException(source + ":" + lineNo + ": '" + line + "' is outside any [section]");
      }
      String key = ConfigOption.canonical(line.substring(0, eq));
      String value = unquote(line.substring(eq + 1).trim());
      current.put(key, new Entry(key, value, lineNo));
    }
    return new ConfigFile(source, sections);
  }

  private static String stripComment(String line) {
    String t = line.stripLeading();
    if (t.startsWith("#") || t.startsWith(";")) {
      return "";
    }
    // A comment after a value needs whitespace before it, so "a#b" stays a value.
    for (int i = 1; i < line.length(); i++) {
      char c = line.charAt(i);
      if ((c == '#' || c == ';') && Character.isWhitespace(line.charAt(i - 1))) {
        return line.substring(0, i);
      }
    }
    return line;
  }

  private static String unquote(String v) {
    if (v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"")) {
      return v.substring(1, v.length() - 1);
    }
    return v;
  }

  public String source() {
    return source;
  }

  /** Section names in file order. */
  public List<String> sectionNames() {
    return new ArrayList<>(sections.keySet());
  }

  /** Entries of one section (empty if absent). */
  public Map<String, Entry> section(String name) {
    return sections.getOrDefault(name, Map.of());
  }
}
