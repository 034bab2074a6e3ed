package io.jpeer.net;

import com.google.protobuf.Message;
import java.net.InetSocketAddress;

/** One peer's session: send keeps order; a closed connection drops what is sent to it. */
public interface Connection {
  EntityName peer();

  InetSocketAddress remoteAddress();

  void send(int type, long epoch, Message body);

  boolean isOpen();

  void close();
}
