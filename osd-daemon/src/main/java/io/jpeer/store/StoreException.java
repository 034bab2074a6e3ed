package io.jpeer.store;

/** The store cannot be opened or written; the message is one line naming the directory and why. */
public final class StoreException extends Exception {
  public StoreException(String message) {
    super(message);
  }

  public StoreException(String message, Throwable cause) {
    super(message, cause);
  }
}
