package io.jpeer.core.log;

/**
 * A log operation refused the state it was given: the place where Ceph stops on an assertion. The
 * message names the operation and the reason in one line.
 */
public final class PgLogException extends RuntimeException {
  public PgLogException(String message) {
    super(message);
  }
}
