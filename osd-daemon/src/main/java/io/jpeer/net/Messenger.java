package io.jpeer.net;

import com.google.protobuf.Message;
import io.jpeer.proto.net.Envelope;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.handler.codec.LengthFieldPrepender;
import io.netty.handler.flush.FlushConsolidationHandler;
import io.netty.handler.timeout.IdleStateHandler;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The messenger: length-prefixed protobuf {@link Envelope} frames over Netty TCP, with a
 * handshake (protocol version, entity, cluster fsid), ordered per-peer sessions that reconnect
 * with backoff, keepalives and idle detection. Bad input closes the offending connection and is
 * counted; it never stops the messenger.
 *
 * <p>Pipeline, outermost first: flushConsolidation, frameDecoder, framePrepender, envelopeDecoder,
 * envelopeEncoder, idle, session.
 */
public final class Messenger implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Messenger.class);

  /** Counters, for tests and operators. */
  public record Stats(long framesIn, long framesOut, long badFrames, long refusedHandshakes, long closedForErrors,
      long idleClosed, long reconnects) {}

  private final EntityName self;
  private volatile String fsid;
  private final MessengerConfig config;
  private final MessageRegistry registry;
  private final MessageHandler handler;
  private final EventLoopGroup group;
  private final Map<EntityName, OutboundSession> sessions = new ConcurrentHashMap<>();
  private final Map<Channel, AcceptedConnection> accepted = new ConcurrentHashMap<>();
  final MessengerStats stats = new MessengerStats();
  private Channel server;
  private volatile boolean closed;

  public Messenger(EntityName self, String fsid, MessengerConfig config, MessageRegistry registry,
      MessageHandler handler) {
    this.self = self;
    this.fsid = fsid == null ? "" : fsid;
    this.config = config;
    this.registry = registry;
    this.handler = handler;
    this.group = new MultiThreadIoEventLoopGroup(config.ioThreads(), r -> {
      Thread t = new Thread(r, "ms-" + self);
      t.setDaemon(true);
      return t;
    }, NioIoHandler.newFactory());
  }

  public EntityName self() {
    return self;
  }

  /** The cluster fsid; a client that started without one learns it from its first handshake. */
  public String fsid() {
    return fsid;
  }

  void learnFsid(String f) {
    if (fsid.isEmpty()) {
      fsid = f;
    }
  }

  MessengerConfig config() {
    return config;
  }

  MessageRegistry registry() {
    return registry;
  }

  MessageHandler handler() {
    return handler;
  }

  EventLoopGroup group() {
    return group;
  }

  public Stats stats() {
    return stats.snapshot();
  }

  /** Listens on {@code addr} (port 0: any free port); returns the bound address. */
  public synchronized InetSocketAddress bind(InetSocketAddress addr) {
    if (server != null) {
      throw new IllegalStateException(self + " is already bound to " + server.localAddress());
    }
    ServerBootstrap b = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
        .childOption(ChannelOption.TCP_NODELAY, true)
        .childHandler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel ch) {
            pipeline(ch.pipeline(), null);
          }
        });
    try {
      server = b.bind(addr).syncUninterruptibly().channel();
    } catch (Exception e) {
      if (e instanceof BindException be) {
        throw new IllegalStateException("cannot bind " + addr + ": " + be.getMessage(), be);
      }
      throw new IllegalStateException("cannot bind " + addr + ": " + e, e);
    }
    InetSocketAddress bound = (InetSocketAddress) server.localAddress();
    log.info("{} listening on {}", self, bound);
    return bound;
  }

  /** Binds the first free port in [portMin, portMax] (Ceph's ms_bind_port_min/max). */
  public InetSocketAddress bindInRange(String host, int portMin, int portMax) {
    IllegalStateException last = null;
    for (int p = portMin; p <= portMax; p++) {
      try {
        return bind(new InetSocketAddress(host, p));
      } catch (IllegalStateException e) {
        last = e;
      }
    }
    throw new IllegalStateException("no free port in " + host + ":" + portMin + "-" + portMax
        + (last == null ? "" : " (last: " + last.getMessage() + ")"));
  }

  /** The session to {@code peer}, created on first use; connects lazily and keeps order. */
  public Connection connect(EntityName peer, InetSocketAddress addr) {
    if (closed) {
      throw new IllegalStateException(self + " messenger is closed");
    }
    OutboundSession s = sessions.computeIfAbsent(peer, p -> new OutboundSession(this, p, addr));
    s.retarget(addr);
    return s;
  }

  public void send(EntityName peer, InetSocketAddress addr, int type, long epoch, Message body) {
    if (!closed) {
      connect(peer, addr).send(type, epoch, body);
    }
  }

  /** The peer is known dead: drop its session and queue, and close its connections to us. */
  public void markDown(EntityName peer) {
    OutboundSession s = sessions.remove(peer);
    if (s != null) {
      s.close();
    }
    accepted.values().removeIf(c -> {
      if (c.peer().equals(peer)) {
        c.close();
        return true;
      }
      return false;
    });
  }

  void forget(OutboundSession s) {
    sessions.remove(s.peer(), s);
  }

  AcceptedConnection accepted(Channel ch, EntityName peer) {
    AcceptedConnection c = new AcceptedConnection(this, ch, peer);
    accepted.put(ch, c);
    return c;
  }

  void acceptedClosed(Channel ch) {
    accepted.remove(ch);
  }

  Bootstrap bootstrapFor(OutboundSession session) {
    return new Bootstrap().group(group).channel(NioSocketChannel.class)
        .option(ChannelOption.TCP_NODELAY, true)
        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) config.connectTimeout().toMillis())
        .handler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel ch) {
            pipeline(ch.pipeline(), session);
          }
        });
  }

  /** The named stages of every connection's pipeline (tests build the same with {@link #pipeline}). */
  void pipeline(ChannelPipeline p, OutboundSession session) {
    p.addLast("flushConsolidation", new FlushConsolidationHandler(256, true));
    p.addLast("frameDecoder", new LengthFieldBasedFrameDecoder(config.maxFrameBytes(), 0, 4, 0, 4));
    p.addLast("framePrepender", new LengthFieldPrepender(4));
    p.addLast("envelopeDecoder", EnvelopeCodec.Decoder.INSTANCE);
    p.addLast("envelopeEncoder", EnvelopeCodec.Encoder.INSTANCE);
    p.addLast("idle", new IdleStateHandler(config.idleTimeout().toMillis(), config.keepaliveInterval().toMillis(), 0,
        TimeUnit.MILLISECONDS));
    p.addLast("session", new SessionHandler(this, session));
  }

  Envelope envelope(int type, long epoch, Message body, long seq) {
    return Envelope.newBuilder().setType(type).setFrom(self.toString()).setEpoch(epoch).setSeq(seq)
        .setPayload(body.toByteString()).build();
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    sessions.values().forEach(OutboundSession::close);
    sessions.clear();
    accepted.keySet().forEach(Channel::close);
    synchronized (this) {
      if (server != null) {
        server.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
      }
    }
    group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(3, TimeUnit.SECONDS);
  }
}
