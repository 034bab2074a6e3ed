package io.jpeer.net;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import io.jpeer.proto.net.Envelope;
import io.jpeer.proto.net.Hello;
import io.jpeer.proto.net.HelloReply;
import io.jpeer.proto.net.Keepalive;
import io.jpeer.proto.net.NetError;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.timeout.IdleStateEvent;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last pipeline stage of one connection: runs the handshake (the connecting side sends Hello,
 * the accepting side answers HelloReply), answers keepalives, and hands every other message to the
 * messenger's handler. Anything out of protocol closes this connection only.
 */
final class SessionHandler extends SimpleChannelInboundHandler<Envelope> {
  private static final Logger log = LoggerFactory.getLogger(SessionHandler.class);

  private final Messenger messenger;
  private final OutboundSession outbound; // null on the accepting side
  private Connection conn;                 // set once the handshake is done
  private EntityName peer;

  SessionHandler(Messenger messenger, OutboundSession outbound) {
    this.messenger = messenger;
    this.outbound = outbound;
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    if (outbound != null) {
      Hello hello = Hello.newBuilder().setProtocolVersion(NetMessages.PROTOCOL_VERSION)
          .setEntity(messenger.self().toString()).setFsid(messenger.fsid()).setAuthMethod("none").build();
      ctx.writeAndFlush(messenger.envelope(NetMessages.HELLO, 0, hello, 0));
    }
    ctx.fireChannelActive();
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, Envelope env) {
    messenger.stats.framesIn.incrementAndGet();
    int type = env.getType();
    if (conn == null) {
      if (outbound == null && type == NetMessages.HELLO) {
        acceptHello(ctx, env);
      } else if (outbound != null && type == NetMessages.HELLO_REPLY) {
        helloReply(ctx, env);
      } else {
        bad(ctx, "message type " + type + " before the handshake");
      }
      return;
    }
    switch (type) {
      case NetMessages.KEEPALIVE -> {
        Keepalive k = parseNet(ctx, env, Keepalive.parser());
        if (k != null && !k.getAck()) {
          ctx.writeAndFlush(messenger.envelope(NetMessages.KEEPALIVE, 0, k.toBuilder().setAck(true).build(), 0));
        }
      }
      case NetMessages.ERROR -> {
        NetError e = parseNet(ctx, env, NetError.parser());
        if (e != null) {
          log.warn("{} reports error {}: {}", peer, e.getCode(), e.getText());
        }
      }
      case NetMessages.HELLO, NetMessages.HELLO_REPLY -> bad(ctx, "a second handshake");
      default -> deliver(ctx, env);
    }
  }

  private void deliver(ChannelHandlerContext ctx, Envelope env) {
    int type = env.getType();
    if (!messenger.registry().knows(type)) {
      bad(ctx, "unknown message type " + type);
      return;
    }
    Message body;
    try {
      body = messenger.registry().parse(type, env.getPayload());
    } catch (InvalidProtocolBufferException e) {
      bad(ctx, "undecodable " + messenger.registry().name(type) + ": " + e.getMessage());
      return;
    }
    try {
      messenger.handler().onMessage(conn, new InboundMessage(type, peer, env.getEpoch(), body));
    } catch (RuntimeException e) {
      // A handler bug must not take the connection's event loop down with it.
      log.error("handler failed on {} from {}: {}", messenger.registry().name(type), peer, e.toString(), e);
    }
  }

  private <M extends Message> M parseNet(ChannelHandlerContext ctx, Envelope env,
      com.google.protobuf.Parser<M> parser) {
    try {
      return parser.parseFrom(env.getPayload());
    } catch (InvalidProtocolBufferException e) {
      bad(ctx, "undecodable messenger message type " + env.getType());
      return null;
    }
  }

  private void acceptHello(ChannelHandlerContext ctx, Envelope env) {
    Hello h = parseNet(ctx, env, Hello.parser());
    if (h == null) {
      return;
    }
    String refusal = null;
    EntityName who = null;
    try {
      who = EntityName.parse(h.getEntity());
    } catch (IllegalArgumentException e) {
      refusal = e.getMessage();
    }
    if (refusal == null && h.getProtocolVersion() != NetMessages.PROTOCOL_VERSION) {
      refusal = "protocol version " + h.getProtocolVersion() + " is not " + NetMessages.PROTOCOL_VERSION;
    }
    if (refusal == null && !h.getFsid().equals(messenger.fsid()) && !(who.isClient() && h.getFsid().isEmpty())) {
      refusal = "fsid " + h.getFsid() + " is not this cluster's " + messenger.fsid();
    }
    if (refusal == null && !h.getAuthMethod().isEmpty() && !h.getAuthMethod().equals("none")) {
      refusal = "auth method '" + h.getAuthMethod() + "' is not supported";
    }
    HelloReply.Builder reply = HelloReply.newBuilder().setEntity(messenger.self().toString())
        .setFsid(messenger.fsid());
    if (refusal != null) {
      messenger.stats.refusedHandshakes.incrementAndGet();
      log.warn("refusing connection from {} ({}): {}", remote(ctx.channel()), h.getEntity(), refusal);
      ctx.writeAndFlush(messenger.envelope(NetMessages.HELLO_REPLY, 0, reply.setAccepted(false).setReason(refusal)
          .build(), 0)).addListener(ChannelFutureListener.CLOSE);
      return;
    }
    peer = who;
    ctx.writeAndFlush(messenger.envelope(NetMessages.HELLO_REPLY, 0, reply.setAccepted(true).build(), 0));
    conn = messenger.accepted(ctx.channel(), who);
    log.debug("accepted {} from {}", who, remote(ctx.channel()));
    messenger.handler().onConnect(conn);
  }

  private void helloReply(ChannelHandlerContext ctx, Envelope env) {
    HelloReply r = parseNet(ctx, env, HelloReply.parser());
    if (r == null) {
      return;
    }
    if (!r.getAccepted()) {
      messenger.stats.refusedHandshakes.incrementAndGet();
      log.warn("{} at {} refused our connection: {}", outbound.peer(), remote(ctx.channel()), r.getReason());
      outbound.refused(r.getReason());
      ctx.close();
      return;
    }
    String impostor = wrongPeer(r.getEntity());
    if (impostor != null) {
      // Someone else now listens where the dialed peer used to (e.g. osd.5 took dead osd.1's
      // port): talking to it would hide osd.1's death. Treat the peer as unreachable.
      messenger.stats.refusedHandshakes.incrementAndGet();
      log.warn("{} at {}: {}; closing", outbound.peer(), remote(ctx.channel()), impostor);
      outbound.refused(impostor);
      ctx.writeAndFlush(messenger.envelope(NetMessages.ERROR, 0, NetError.newBuilder()
          .setCode(NetMessages.ERR_WRONG_PEER).setText("dialed " + outbound.peer() + ", not " + r.getEntity())
          .build(), 0)).addListener(ChannelFutureListener.CLOSE);
      return;
    }
    if (!messenger.fsid().isEmpty() && !r.getFsid().equals(messenger.fsid())) {
      messenger.stats.refusedHandshakes.incrementAndGet();
      log.warn("{} at {} belongs to cluster {}, not {}; closing", outbound.peer(), remote(ctx.channel()),
          r.getFsid(), messenger.fsid());
      outbound.refused("fsid mismatch");
      ctx.close();
      return;
    }
    messenger.learnFsid(r.getFsid());
    peer = outbound.peer();
    conn = outbound;
    outbound.ready(ctx.channel());
    messenger.handler().onConnect(conn);
  }

  /** Why the answering entity is not the one this session dialed, or null if it is. */
  private String wrongPeer(String answered) {
    EntityName who;
    try {
      who = EntityName.parse(answered);
    } catch (IllegalArgumentException e) {
      return "the reply names no valid entity: " + e.getMessage();
    }
    return who.equals(outbound.peer()) ? null : "answered as " + who + ", not the dialed " + outbound.peer();
  }

  private void bad(ChannelHandlerContext ctx, String why) {
    messenger.stats.badFrames.incrementAndGet();
    log.warn("closing connection from {}{}: {}", remote(ctx.channel()), peer == null ? "" : " (" + peer + ")", why);
    ctx.close();
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
    if (evt instanceof IdleStateEvent e) {
      switch (e.state()) {
        case READER_IDLE -> {
          messenger.stats.idleClosed.incrementAndGet();
          log.info("closing idle connection to {}{}", remote(ctx.channel()), peer == null ? "" : " (" + peer + ")");
          ctx.close();
        }
        case WRITER_IDLE -> {
          if (conn != null) {
            ctx.writeAndFlush(messenger.envelope(NetMessages.KEEPALIVE, 0,
                Keepalive.newBuilder().setStampNs(System.nanoTime()).build(), 0));
          }
        }
        default -> { }
      }
      return;
    }
    ctx.fireUserEventTriggered(evt);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    if (outbound != null) {
      outbound.closed(ctx.channel());
    } else {
      messenger.acceptedClosed(ctx.channel());
    }
    if (conn != null) {
      try {
        messenger.handler().onDisconnect(conn);
      } catch (RuntimeException e) {
        log.error("onDisconnect failed for {}: {}", peer, e.toString(), e);
      }
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (cause instanceof TooLongFrameException || cause instanceof DecoderException) {
      bad(ctx, cause instanceof TooLongFrameException ? "frame too large (" + cause.getMessage() + ")"
          : String.valueOf(cause.getCause() != null ? cause.getCause().getMessage() : cause.getMessage()));
      return;
    }
    if (cause instanceof IOException) {
      log.debug("connection to {} failed: {}", remote(ctx.channel()), cause.toString());
    } else {
      messenger.stats.closedForErrors.incrementAndGet();
      log.warn("closing connection to {} after an error: {}", remote(ctx.channel()), cause.toString());
    }
    ctx.close();
  }

  static String remote(Channel ch) {
    SocketAddress a = ch.remoteAddress();
    return a instanceof InetSocketAddress i ? i.getHostString() + ":" + i.getPort() : String.valueOf(a);
  }
}
