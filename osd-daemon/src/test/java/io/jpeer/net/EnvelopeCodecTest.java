package io.jpeer.net;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import io.jpeer.proto.net.Envelope;
import io.jpeer.proto.net.Hello;
import io.jpeer.proto.net.HelloReply;
import io.jpeer.proto.net.Keepalive;
import io.jpeer.proto.net.NetError;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.handler.codec.LengthFieldPrepender;
import io.netty.handler.codec.TooLongFrameException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The frame codec stages on an EmbeddedChannel: every wire message survives encode then decode
 * byte for byte; oversized and undecodable frames are rejected.
 */
@Timeout(30)
class EnvelopeCodecTest {
  static EmbeddedChannel codec(int maxFrame) {
    return new EmbeddedChannel(new LengthFieldBasedFrameDecoder(maxFrame, 0, 4, 0, 4), new LengthFieldPrepender(4),
        EnvelopeCodec.Decoder.INSTANCE, EnvelopeCodec.Encoder.INSTANCE);
  }

  /** Every registered message type of every daemon and client, plus the messenger's own. */
  static MessageRegistry everyRegistered() {
    return io.jpeer.client.ClientMessages.registerAll(io.jpeer.osd.OsdMessages.registerAll(
        io.jpeer.mon.MonMessages.registerAll(new MessageRegistry())));
  }

  /**
   * Every message type that travels, each with every field set (nested messages, repeated and map
   * fields included), so a field lost in transit would show. The domain types come from the
   * registries themselves: a newly registered message is covered without touching this test.
   */
  static List<Message> everyMessage() throws Exception {
    List<Message> all = new ArrayList<>(List.of(Hello.getDefaultInstance(), HelloReply.getDefaultInstance(),
        Keepalive.getDefaultInstance(), NetError.getDefaultInstance()));
    MessageRegistry reg = everyRegistered();
    for (int type : reg.types()) {
      all.add(reg.parse(type, com.google.protobuf.ByteString.EMPTY).getDefaultInstanceForType());
    }
    return all.stream().map(EnvelopeCodecTest::filled).toList();
  }

  static Message filled(Message proto) {
    return fill(proto.newBuilderForType(), new int[] {1}, 0).build();
  }

  /** Nesting this deep stops (recursive message types would otherwise never end). */
  private static final int MAX_DEPTH = 6;

  /** Sets every field of b to a value distinct from the others; repeated fields get two elements. */
  private static Message.Builder fill(Message.Builder b, int[] counter, int depth) {
    for (FieldDescriptor f : b.getDescriptorForType().getFields()) {
      if (f.getJavaType() == FieldDescriptor.JavaType.MESSAGE && depth >= MAX_DEPTH) {
        continue;
      }
      int copies = f.isRepeated() ? 2 : 1;
      for (int i = 0; i < copies; i++) {
        Object v = f.getJavaType() == FieldDescriptor.JavaType.MESSAGE
            ? fill(b.newBuilderForField(f), counter, depth + 1).build()
            : scalar(f, ++counter[0]);
        if (f.isRepeated()) {
          b.addRepeatedField(f, v);
        } else {
          b.setField(f, v);
        }
      }
    }
    return b;
  }

  private static Object scalar(FieldDescriptor f, int n) {
    return switch (f.getJavaType()) {
      case INT -> n;
      case LONG -> (long) n * 1_000_000_007L;
      case BOOLEAN -> true;
      case STRING -> "v" + n;
      case BYTE_STRING -> com.google.protobuf.ByteString.copyFromUtf8("b" + n);
      case DOUBLE -> n + 0.5;
      case FLOAT -> n + 0.25f;
      case ENUM -> f.getEnumType().getValues().get(f.getEnumType().getValues().size() - 1);
      case MESSAGE -> throw new IllegalArgumentException(f.getFullName() + " is a message");
    };
  }

  /** Names the first field of m (recursively) left at its default, or null if all are set. */
  static String unsetField(Message m, int depth) {
    for (FieldDescriptor f : m.getDescriptorForType().getFields()) {
      boolean message = f.getJavaType() == FieldDescriptor.JavaType.MESSAGE;
      if (message && depth >= MAX_DEPTH) {
        continue;
      }
      if (f.getRealContainingOneof() != null) {
        if (!m.hasOneof(f.getRealContainingOneof())) {
          return f.getFullName();
        }
        continue; // one member of a oneof is all that can be set
      }
      if (f.isRepeated() ? m.getRepeatedFieldCount(f) == 0 : !m.hasField(f)) {
        return f.getFullName();
      }
      if (message && !f.isMapField()) {
        Message sub = (Message) (f.isRepeated() ? m.getRepeatedField(f, 0) : m.getField(f));
        String inner = unsetField(sub, depth + 1);
        if (inner != null) {
          return inner;
        }
      }
    }
    return null;
  }

  @Test
  void everyRegisteredTypeIsCoveredWithEveryFieldSet() throws Exception {
    List<Message> all = everyMessage();
    MessageRegistry reg = everyRegistered();
    assertThat(all).hasSize(4 + reg.types().size());
    // The registered message names (the registry's own words) all appear among the types tested.
    java.util.Set<String> tested = new java.util.HashSet<>();
    all.forEach(m -> tested.add(m.getDescriptorForType().getName()));
    for (String expected : new String[] {"MOSDOp", "MOSDOpReply", "MOSDRepOp", "MOSDRepOpReply", "MOSDPGQuery",
        "MOSDPGNotify", "MOSDPGLog", "MOSDPGInfo", "MOSDPing", "MOSDMap", "MMonCommand"}) {
      assertThat(tested).contains(expected);
    }
    for (Message m : all) {
      assertThat(unsetField(m, 0)).as(m.getDescriptorForType().getName()).isNull();
    }
  }

  @Test
  void everyMessageRoundTripsThroughTheFrameCodec() throws Exception {
    EmbeddedChannel out = codec(1 << 20);
    EmbeddedChannel in = codec(1 << 20);
    int type = 1;
    for (Message m : everyMessage()) {
      Envelope env = Envelope.newBuilder().setType(type++).setFrom("osd.3").setEpoch(42).setSeq(7)
          .setPayload(m.toByteString()).build();
      assertThat(out.writeOutbound(env)).isTrue();
      for (Object buf = out.readOutbound(); buf != null; buf = out.readOutbound()) {
        in.writeInbound(buf);
      }
      Envelope back = in.readInbound();
      assertThat(back).isEqualTo(env);
      assertThat(m.getParserForType().parseFrom(back.getPayload())).as(m.getDescriptorForType().getName())
          .isEqualTo(m);
    }
  }

  @Test
  void oversizedFrameIsRejected() {
    EmbeddedChannel in = codec(1024);
    ByteBuf big = Unpooled.buffer();
    big.writeInt(4096).writeZero(4096);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> in.writeInbound(big))
        .isInstanceOf(TooLongFrameException.class);
  }

  @Test
  void undecodableFrameIsRejected() {
    EmbeddedChannel in = codec(1024);
    ByteBuf junk = Unpooled.buffer();
    junk.writeInt(3).writeByte(0xff).writeByte(0xff).writeByte(0xff);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> in.writeInbound(junk))
        .isInstanceOf(DecoderException.class).hasMessageContaining("undecodable envelope");
  }
}
