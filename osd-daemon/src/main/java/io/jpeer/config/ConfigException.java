package io.jpeer.config;

/**
 * A configuration problem: unreadable file, bad line, unknown key or bad value. The message is
 * one line naming the file (and line) or the key; daemons and commands print it and exit 2.
 */
public final class ConfigException extends Exception {
  public ConfigException(String message) {
    super(message);
  }
}
