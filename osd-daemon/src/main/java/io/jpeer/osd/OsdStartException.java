package io.jpeer.osd;

/** The OSD cannot start; the message is one line naming what is wrong. */
public final class OsdStartException extends Exception {
  public OsdStartException(String message) {
    super(message);
  }
}
