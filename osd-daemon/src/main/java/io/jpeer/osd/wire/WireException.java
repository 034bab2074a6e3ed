package io.jpeer.osd.wire;

/** A well-framed message carries a value the core cannot accept; the message says which field. */
public final class WireException extends Exception {
  public WireException(String message) {
    super(message);
  }
}
