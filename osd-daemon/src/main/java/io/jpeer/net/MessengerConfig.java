package io.jpeer.net;

import java.time.Duration;

/**
 * Messenger settings. Keepalives go out after {@code keepaliveInterval} without writes; a
 * connection that has heard nothing for {@code idleTimeout} is closed.
 */
public record MessengerConfig(
    int maxFrameBytes,
    Duration connectTimeout,
    Duration reconnectBackoffMin,
    Duration reconnectBackoffMax,
    Duration idleTimeout,
    Duration keepaliveInterval,
    int ioThreads) {

  public static final int DEFAULT_MAX_FRAME = 16 * 1024 * 1024;

  public static MessengerConfig defaults() {
    return new MessengerConfig(DEFAULT_MAX_FRAME, Duration.ofSeconds(3), Duration.ofMillis(50),
        Duration.ofSeconds(2), Duration.ofSeconds(30), Duration.ofSeconds(5), 2);
  }

  public MessengerConfig withMaxFrameBytes(int v) {
    return new MessengerConfig(v, connectTimeout, reconnectBackoffMin, reconnectBackoffMax, idleTimeout,
        keepaliveInterval, ioThreads);
  }

  public MessengerConfig withIdle(Duration keepalive, Duration idle) {
    return new MessengerConfig(maxFrameBytes, connectTimeout, reconnectBackoffMin, reconnectBackoffMax, idle,
        keepalive, ioThreads);
  }
}
