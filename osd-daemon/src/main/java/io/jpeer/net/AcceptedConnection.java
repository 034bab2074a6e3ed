package io.jpeer.net;

import com.google.protobuf.Message;
import io.netty.channel.Channel;
import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicLong;

/** A connection a peer opened to us; replies go back on it. */
final class AcceptedConnection implements Connection {
  private final Messenger messenger;
  private final Channel channel;
  private final EntityName peer;
  private final AtomicLong seq = new AtomicLong();

  AcceptedConnection(Messenger messenger, Channel channel, EntityName peer) {
    this.messenger = messenger;
    this.channel = channel;
    this.peer = peer;
  }

  Channel channel() {
    return channel;
  }

  @Override
  public EntityName peer() {
    return peer;
  }

  @Override
  public InetSocketAddress remoteAddress() {
    return (InetSocketAddress) channel.remoteAddress();
  }

  @Override
  public void send(int type, long epoch, Message body) {
    if (channel.isActive()) {
      messenger.stats.framesOut.incrementAndGet();
      channel.writeAndFlush(messenger.envelope(type, epoch, body, seq.incrementAndGet()), channel.voidPromise());
    }
  }

  @Override
  public boolean isOpen() {
    return channel.isActive();
  }

  @Override
  public void close() {
    channel.close();
  }
}
