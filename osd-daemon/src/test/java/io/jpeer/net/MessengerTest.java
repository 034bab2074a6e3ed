package io.jpeer.net;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Message;
import io.jpeer.proto.net.Envelope;
import io.jpeer.proto.net.Hello;
import io.jpeer.proto.net.HelloReply;
import io.jpeer.proto.net.Keepalive;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Two messengers on 127.0.0.1: order, handshake refusals, bad input, reconnects, idle. */
@Timeout(60)
class MessengerTest {
  static final int TEST = 250;
  static final String FSID = "c0ffee00-0000-0000-0000-000000000001";
  private final List<Messenger> messengers = new ArrayList<>();

  static final class Recorder implements MessageHandler {
    final BlockingQueue<InboundMessage> got = new LinkedBlockingQueue<>();
    final boolean echo;

    Recorder(boolean echo) {
      this.echo = echo;
    }

    @Override
    public void onMessage(Connection from, InboundMessage msg) {
      got.add(msg);
      if (echo) {
        from.send(msg.type(), msg.epoch(), msg.body());
      }
    }
  }

  Messenger messenger(String name, String fsid, MessageHandler h, MessengerConfig cfg) {
    Messenger m = new Messenger(EntityName.parse(name), fsid, cfg,
        new MessageRegistry().register(TEST, "TestKeepalive", Keepalive.parser()), h);
    messengers.add(m);
    return m;
  }

  Messenger messenger(String name, String fsid, MessageHandler h) {
    return messenger(name, fsid, h, MessengerConfig.defaults());
  }

  @AfterEach
  void closeAll() {
    messengers.forEach(Messenger::close);
  }

  static Keepalive msg(long n) {
    return Keepalive.newBuilder().setStampNs(n).build();
  }

  static void waitFor(String what, BooleanSupplier cond) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!cond.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what);
      }
      Thread.sleep(10);
    }
  }

  @Test
  void messagesArriveInOrderWithSenderAndEpoch() throws Exception {
    Recorder server = new Recorder(false);
    InetSocketAddress addr = messenger("osd.1", FSID, server).bind(new InetSocketAddress("127.0.0.1", 0));
    Messenger client = messenger("osd.0", FSID, new Recorder(false));
    for (int i = 0; i < 1000; i++) {
      client.send(EntityName.parse("osd.1"), addr, TEST, 7, msg(i));
    }
    for (int i = 0; i < 1000; i++) {
      InboundMessage m = server.got.poll(10, TimeUnit.SECONDS);
      assertThat(m).isNotNull();
      assertThat(((Keepalive) m.body()).getStampNs()).isEqualTo(i);
      assertThat(m.from()).isEqualTo(EntityName.parse("osd.0"));
      assertThat(m.epoch()).isEqualTo(7);
    }
  }

  @Test
  void repliesComeBackOnTheSameConnection() throws Exception {
    InetSocketAddress addr = messenger("mon.0", FSID, new Recorder(true)).bind(new InetSocketAddress("127.0.0.1", 0));
    Recorder client = new Recorder(false);
    messenger("client.9", "", client).send(EntityName.parse("mon.0"), addr, TEST, 1, msg(42));
    InboundMessage back = client.got.poll(10, TimeUnit.SECONDS);
    assertThat(back).isNotNull();
    assertThat(back.from()).isEqualTo(EntityName.parse("mon.0"));
  }

  @Test
  void daemonOfAnotherClusterIsRefused() throws Exception {
    Recorder server = new Recorder(false);
    Messenger srv = messenger("osd.1", FSID, server);
    InetSocketAddress addr = srv.bind(new InetSocketAddress("127.0.0.1", 0));
    Messenger other = messenger("osd.2", "another-fsid", new Recorder(false));
    other.send(EntityName.parse("osd.1"), addr, TEST, 1, msg(1));
    waitFor("refusal", () -> srv.stats().refusedHandshakes() >= 1 && other.stats().refusedHandshakes() >= 1);
    assertThat(server.got.poll(200, TimeUnit.MILLISECONDS)).isNull();
  }

  @Test
  void garbageClosesOnlyThatConnection() throws Exception {
    Recorder server = new Recorder(false);
    Messenger srv = messenger("osd.1", FSID, server);
    InetSocketAddress addr = srv.bind(new InetSocketAddress("127.0.0.1", 0));
    try (Socket s = new Socket("127.0.0.1", addr.getPort())) {
      OutputStream out = s.getOutputStream();
      out.write(new byte[] {0, 0, 0, 8, 1, 2, 3, 4, 5, 6, 7, (byte) 0xff});
      out.flush();
      waitFor("bad frame counted", () -> srv.stats().badFrames() >= 1);
      assertThat(s.getInputStream().read()).isEqualTo(-1); // closed by the server
    }
    try (Socket s = new Socket("127.0.0.1", addr.getPort())) {
      s.getOutputStream().write(new byte[] {0x7f, 0, 0, 0}); // 2 GB frame: over the limit
      s.getOutputStream().flush();
      waitFor("oversized frame counted", () -> srv.stats().badFrames() >= 2);
    }
    Messenger good = messenger("osd.0", FSID, new Recorder(false));
    good.send(EntityName.parse("osd.1"), addr, TEST, 1, msg(5));
    assertThat(server.got.poll(10, TimeUnit.SECONDS)).isNotNull();
  }

  @Test
  void unknownTypeAfterHandshakeClosesTheConnection() throws Exception {
    Recorder server = new Recorder(false);
    Messenger srv = messenger("osd.1", FSID, server);
    InetSocketAddress addr = srv.bind(new InetSocketAddress("127.0.0.1", 0));
    Messenger client = messenger("osd.0", FSID, new Recorder(false));
    client.send(EntityName.parse("osd.1"), addr, 299, 1, msg(1));
    waitFor("unknown type counted", () -> srv.stats().badFrames() >= 1);
    assertThat(server.got.poll(100, TimeUnit.MILLISECONDS)).isNull();
  }

  @Test
  void queuedMessagesAreDeliveredInOrderAfterTheServerRestarts() throws Exception {
    Recorder first = new Recorder(false);
    Messenger srv = messenger("osd.1", FSID, first);
    InetSocketAddress addr = srv.bind(new InetSocketAddress("127.0.0.1", 0));
    Messenger client = messenger("osd.0", FSID, new Recorder(false));
    client.send(EntityName.parse("osd.1"), addr, TEST, 1, msg(0));
    assertThat(first.got.poll(10, TimeUnit.SECONDS)).isNotNull();
    srv.close();
    waitFor("client notices", () -> !client.connect(EntityName.parse("osd.1"), addr).isOpen());
    for (int i = 1; i <= 50; i++) {
      client.send(EntityName.parse("osd.1"), addr, TEST, 1, msg(i));
    }
    Recorder second = new Recorder(false);
    messenger("osd.1", FSID, second).bind(addr);
    for (int i = 1; i <= 50; i++) {
      InboundMessage m = second.got.poll(10, TimeUnit.SECONDS);
      assertThat(m).as("message %d", i).isNotNull();
      assertThat(((Keepalive) m.body()).getStampNs()).isEqualTo(i);
    }
  }

  @Test
  void silentConnectionIsClosedAsIdle() throws Exception {
    MessengerConfig quick = MessengerConfig.defaults().withIdle(Duration.ofSeconds(60), Duration.ofMillis(300));
    Messenger srv = messenger("osd.1", FSID, new Recorder(false), quick);
    InetSocketAddress addr = srv.bind(new InetSocketAddress("127.0.0.1", 0));
    try (Socket s = new Socket("127.0.0.1", addr.getPort())) {
      waitFor("idle close", () -> srv.stats().idleClosed() >= 1);
      assertThat(s.getInputStream().read()).isEqualTo(-1);
    }
  }

  @Test
  void keepalivesKeepABusyPeerConnected() throws Exception {
    MessengerConfig quick = MessengerConfig.defaults().withIdle(Duration.ofMillis(50), Duration.ofMillis(400));
    Messenger srv = messenger("osd.1", FSID, new Recorder(false), quick);
    InetSocketAddress addr = srv.bind(new InetSocketAddress("127.0.0.1", 0));
    Messenger client = messenger("osd.0", FSID, new Recorder(false), quick);
    Connection c = client.connect(EntityName.parse("osd.1"), addr);
    c.send(TEST, 1, msg(1));
    waitFor("connected", c::isOpen);
    Thread.sleep(1000); // several idle timeouts: keepalives must hold the session open
    assertThat(c.isOpen()).isTrue();
    assertThat(srv.stats().idleClosed()).isZero();
  }

  @Test
  void entityNamesParseStrictly() {
    assertThat(EntityName.parse("osd.3").id()).isEqualTo(3);
    for (String bad : new String[] {"osd", "osd.", ".3", "osd.x", "disk.1", "osd.-1"}) {
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> EntityName.parse(bad))
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void anotherEntityAnsweringAtThePeersAddressIsRefused() throws Exception {
    // osd.5 took over the port dead osd.1 listened on: nothing meant for osd.1 may reach osd.5.
    Recorder impostor = new Recorder(false);
    Messenger osd5 = messenger("osd.5", FSID, impostor);
    InetSocketAddress stolen = osd5.bind(new InetSocketAddress("127.0.0.1", 0));
    Messenger client = messenger("osd.0", FSID, new Recorder(false));
    EntityName osd1 = EntityName.parse("osd.1");
    for (int i = 0; i < 5; i++) {
      client.send(osd1, stolen, TEST, 1, msg(i));
    }
    waitFor("the dialer refuses the wrong entity", () -> client.stats().refusedHandshakes() >= 1);
    assertThat(client.connect(osd1, stolen).isOpen()).isFalse();
    assertThat(impostor.got.poll(300, TimeUnit.MILLISECONDS)).isNull();

    // The real osd.1 comes back elsewhere: the queued messages reach it, in order.
    Recorder real = new Recorder(false);
    InetSocketAddress moved = messenger("osd.1", FSID, real).bind(new InetSocketAddress("127.0.0.1", 0));
    client.connect(osd1, moved);
    for (int i = 0; i < 5; i++) {
      InboundMessage m = real.got.poll(10, TimeUnit.SECONDS);
      assertThat(m).as("message %d", i).isNotNull();
      assertThat(((Keepalive) m.body()).getStampNs()).isEqualTo(i);
    }
    assertThat(impostor.got).isEmpty();
  }

  // ---- the accepting side's handshake, spoken by hand over a raw socket ----------------------

  static void writeFrame(DataOutputStream out, int type, Message body) throws IOException {
    byte[] env = Envelope.newBuilder().setType(type).setFrom("osd.0").setPayload(body.toByteString()).build()
        .toByteArray();
    out.writeInt(env.length);
    out.write(env);
    out.flush();
  }

  /** The next frame, or null once the peer closed the connection. */
  static Envelope readFrame(DataInputStream in) throws IOException {
    int len;
    try {
      len = in.readInt();
    } catch (EOFException e) {
      return null;
    }
    byte[] b = new byte[len];
    in.readFully(b);
    return Envelope.parseFrom(b);
  }

  /** Sends a Hello, returns the server's HelloReply and checks that the server then hangs up. */
  HelloReply refusedHello(Messenger srv, InetSocketAddress addr, Hello hello) throws Exception {
    try (Socket s = new Socket("127.0.0.1", addr.getPort())) {
      s.setSoTimeout(10_000);
      DataInputStream in = new DataInputStream(s.getInputStream());
      writeFrame(new DataOutputStream(s.getOutputStream()), NetMessages.HELLO, hello);
      Envelope reply = readFrame(in);
      assertThat(reply).isNotNull();
      assertThat(reply.getType()).isEqualTo(NetMessages.HELLO_REPLY);
      HelloReply r = HelloReply.parseFrom(reply.getPayload());
      assertThat(readFrame(in)).as("connection closed after the refusal").isNull();
      return r;
    }
  }

  static Hello.Builder hello() {
    return Hello.newBuilder().setProtocolVersion(NetMessages.PROTOCOL_VERSION).setEntity("osd.0").setFsid(FSID)
        .setAuthMethod("none");
  }

  @Test
  void protocolVersionMismatchIsRefusedWithTheReason() throws Exception {
    Recorder server = new Recorder(false);
    Messenger srv = messenger("osd.1", FSID, server);
    InetSocketAddress addr = srv.bind(new InetSocketAddress("127.0.0.1", 0));
    HelloReply r = refusedHello(srv, addr, hello().setProtocolVersion(NetMessages.PROTOCOL_VERSION + 1).build());
    assertThat(r.getAccepted()).isFalse();
    assertThat(r.getReason()).contains("protocol version " + (NetMessages.PROTOCOL_VERSION + 1));
    assertThat(srv.stats().refusedHandshakes()).isEqualTo(1);
  }

  @Test
  void badEntityNameIsRefusedWithTheReason() throws Exception {
    Messenger srv = messenger("osd.1", FSID, new Recorder(false));
    InetSocketAddress addr = srv.bind(new InetSocketAddress("127.0.0.1", 0));
    for (String bad : new String[] {"disk.3", "osd", "osd.x", ""}) {
      HelloReply r = refusedHello(srv, addr, hello().setEntity(bad).build());
      assertThat(r.getAccepted()).as(bad).isFalse();
      assertThat(r.getReason()).as(bad).contains("entity");
    }
    assertThat(srv.stats().refusedHandshakes()).isEqualTo(4);
  }

  @Test
  void frameBeforeTheHandshakeClosesTheConnection() throws Exception {
    Recorder server = new Recorder(false);
    Messenger srv = messenger("osd.1", FSID, server);
    InetSocketAddress addr = srv.bind(new InetSocketAddress("127.0.0.1", 0));
    try (Socket s = new Socket("127.0.0.1", addr.getPort())) {
      s.setSoTimeout(10_000);
      writeFrame(new DataOutputStream(s.getOutputStream()), TEST, msg(1));
      assertThat(readFrame(new DataInputStream(s.getInputStream()))).as("closed, no reply").isNull();
    }
    assertThat(srv.stats().badFrames()).isEqualTo(1);
    assertThat(server.got).isEmpty();
    // Everyone else is still served.
    messenger("osd.0", FSID, new Recorder(false)).send(EntityName.parse("osd.1"), addr, TEST, 1, msg(2));
    assertThat(server.got.poll(10, TimeUnit.SECONDS)).isNotNull();
  }
}
