package io.jpeer.net;

/** The messenger's own message types (1-99): handshake, keepalive, error. */
public final class NetMessages {
  public static final int PROTOCOL_VERSION = 1;
  public static final int HELLO = 1;
  public static final int HELLO_REPLY = 2;
  public static final int KEEPALIVE = 3;
  public static final int ERROR = 4;

  /** NetError codes. */
  public static final int ERR_WRONG_PEER = 1;

  private NetMessages() {}
}
