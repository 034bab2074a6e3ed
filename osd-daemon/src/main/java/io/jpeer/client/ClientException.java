package io.jpeer.client;

/** A client operation failed; the message is one line (ENOENT, no such pool, timed out...). */
public final class ClientException extends Exception {
  private final int code;

  public ClientException(int code, String message) {
    super(message);
    this.code = code;
  }

  public int code() {
    return code;
  }
}
