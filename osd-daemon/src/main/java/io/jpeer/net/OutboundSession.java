package io.jpeer.net;

import com.google.protobuf.Message;
import io.jpeer.proto.net.Envelope;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This messenger's session to one peer: messages are numbered and kept in order; while the
 * connection is down or still handshaking they wait in a queue, which is sent first once the
 * (re)connection is ready. Reconnects back off exponentially between the configured bounds.
 */
final class OutboundSession implements Connection {
  private static final Logger log = LoggerFactory.getLogger(OutboundSession.class);
  /** A peer that never answers must not fill the heap: beyond this the oldest messages go. */
  private static final int MAX_QUEUED = 1_000_000;

  private final Messenger messenger;
  private final EntityName peer;
  private final AtomicLong seq = new AtomicLong();
  private final ArrayDeque<Envelope> pending = new ArrayDeque<>();
  private volatile InetSocketAddress addr;
  private Channel channel;       // guarded by this
  private boolean ready;         // handshake done on `channel`
  private boolean connecting;
  private boolean closed;
  private long backoffMs;
  private long dropped;

  OutboundSession(Messenger messenger, EntityName peer, InetSocketAddress addr) {
    this.messenger = messenger;
    this.peer = peer;
    this.addr = addr;
    this.backoffMs = messenger.config().reconnectBackoffMin().toMillis();
  }

  @Override
  public EntityName peer() {
    return peer;
  }

  @Override
  public InetSocketAddress remoteAddress() {
    return addr;
  }

  /** The peer moved (restarted on another port): reconnect there. */
  synchronized void retarget(InetSocketAddress newAddr) {
    if (newAddr.equals(addr)) {
      return;
    }
    log.debug("{} moved from {} to {}", peer, addr, newAddr);
    addr = newAddr;
    if (channel != null) {
      channel.close();
    }
  }

  @Override
  public void send(int type, long epoch, Message body) {
    Envelope env = messenger.envelope(type, epoch, body, seq.incrementAndGet());
    synchronized (this) {
      if (closed) {
        return;
      }
      if (ready && channel.isActive()) {
        messenger.stats.framesOut.incrementAndGet();
        channel.writeAndFlush(env).addListener(Messenger.logWriteFailure(peer));
        return;
      }
      if (pending.size() >= MAX_QUEUED) {
        pending.poll();
        if (++dropped % 10_000 == 1) {
          log.warn("{} at {} unreachable: {} queued messages dropped so far", peer, addr, dropped);
        }
      }
      pending.add(env);
      if (!connecting && channel == null) {
        connectLocked(0);
      }
    }
  }

  private void connectLocked(long delayMs) {
    connecting = true;
    if (delayMs <= 0) {
      doConnect();
    } else {
      messenger.group().schedule(this::doConnect, delayMs, TimeUnit.MILLISECONDS);
    }
  }

  private void doConnect() {
    ChannelFuture f;
    synchronized (this) {
      if (closed) {
        connecting = false;
        return;
      }
      f = messenger.bootstrapFor(this).connect(addr);
      channel = f.channel();
    }
    f.addListener(done -> {
      if (!done.isSuccess()) {
        log.debug("connect to {} at {} failed: {}", peer, addr, done.cause() == null ? "?" : done.cause().toString());
        closed(f.channel());
      }
    });
  }

  /** Handshake done: flush the queue in order, then send directly. */
  void ready(Channel ch) {
    synchronized (this) {
      if (closed || ch != channel) {
        ch.close();
        return;
      }
      connecting = false;
      backoffMs = messenger.config().reconnectBackoffMin().toMillis();
      while (!pending.isEmpty()) {
        messenger.stats.framesOut.incrementAndGet();
        ch.write(pending.poll()).addListener(Messenger.logWriteFailure(peer));
      }
      ch.flush();
      ready = true;
    }
  }

  void refused(String reason) {
    synchronized (this) {
      // Being refused will not fix itself quickly: wait the longest backoff before trying again.
      backoffMs = messenger.config().reconnectBackoffMax().toMillis();
    }
  }

  /** The channel closed (or never connected): reconnect if anything waits to be sent. */
  void closed(Channel ch) {
    synchronized (this) {
      if (ch != channel) {
        return;
      }
      channel = null;
      ready = false;
      connecting = false;
      if (closed || pending.isEmpty()) {
        return;
      }
      messenger.stats.reconnects.incrementAndGet();
      long delay = backoffMs;
      backoffMs = Math.min(backoffMs * 2, messenger.config().reconnectBackoffMax().toMillis());
      connectLocked(delay);
    }
  }

  /** Whether the session has a connection that finished its handshake. */
  @Override
  public synchronized boolean isOpen() {
    return ready && channel != null && channel.isActive();
  }

  @Override
  public void close() {
    Channel ch;
    synchronized (this) {
      closed = true;
      pending.clear();
      ch = channel;
    }
    if (ch != null) {
      ch.close();
    }
    messenger.forget(this);
  }
}
