package io.jpeer.mon;

/**
 * Result of a monitor command: code 0 or -errno, a one-line status for humans, and the output
 * (JSON text unless plain was asked for).
 */
public record CommandReply(long tid, int code, String status, String output) {
  public static final int EINVAL = -22;
  public static final int ENOENT = -2;
  public static final int EEXIST = -17;
  public static final int EPERM = -1;
  public static final int EAGAIN = -11;
  public static final int ETIMEDOUT = -110;

  public boolean ok() {
    return code == 0;
  }
}
