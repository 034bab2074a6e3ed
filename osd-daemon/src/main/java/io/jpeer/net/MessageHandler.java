package io.jpeer.net;

/**
 * Receives messages. Called on Netty event-loop threads: implementations must hand work to
 * their own threads quickly and never block.
 */
public interface MessageHandler {
  void onMessage(Connection from, InboundMessage msg);

  default void onConnect(Connection c) {}

  default void onDisconnect(Connection c) {}
}
