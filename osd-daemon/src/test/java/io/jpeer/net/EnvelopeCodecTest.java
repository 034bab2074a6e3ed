package io.jpeer.net;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import io.jpeer.proto.mon.MMonCommand;
import io.jpeer.proto.mon.MMonCommandReply;
import io.jpeer.proto.mon.MMonGetMap;
import io.jpeer.proto.mon.MMonSubscribe;
import io.jpeer.proto.mon.MOSDAlive;
import io.jpeer.proto.mon.MOSDBeacon;
import io.jpeer.proto.mon.MOSDBoot;
import io.jpeer.proto.mon.MOSDFailure;
import io.jpeer.proto.mon.MOSDMap;
import io.jpeer.proto.mon.MOSDMarkMeDown;
import io.jpeer.proto.mon.MOSDMarkMeDownAck;
import io.jpeer.proto.mon.MOSDPGTemp;
import io.jpeer.proto.mon.MPGStats;
import io.jpeer.proto.net.Envelope;
import io.jpeer.proto.net.Hello;
import io.jpeer.proto.net.HelloReply;
import io.jpeer.proto.net.Keepalive;
import io.jpeer.proto.net.NetError;
import io.jpeer.proto.osd.MOSDPing;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.handler.codec.LengthFieldPrepender;
import io.netty.handler.codec.TooLongFrameException;
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

  /** Every message type that travels, each with all its scalar fields set to non-defaults. */
  static List<Message> everyMessage() {
    return List.of(
        Hello.getDefaultInstance(), HelloReply.getDefaultInstance(), Keepalive.getDefaultInstance(),
        NetError.getDefaultInstance(), MOSDBoot.getDefaultInstance(), MMonSubscribe.getDefaultInstance(),
        MOSDMap.getDefaultInstance(), MMonGetMap.getDefaultInstance(), MOSDBeacon.getDefaultInstance(),
        MOSDFailure.getDefaultInstance(), MOSDMarkMeDown.getDefaultInstance(), MOSDMarkMeDownAck.getDefaultInstance(),
        MOSDAlive.getDefaultInstance(), MOSDPGTemp.getDefaultInstance(), MPGStats.getDefaultInstance(),
        MMonCommand.getDefaultInstance(), MMonCommandReply.getDefaultInstance(), MOSDPing.getDefaultInstance())
        .stream().map(EnvelopeCodecTest::filled).toList();
  }

  /** Sets every singular scalar field, so a field lost in transit would show. */
  static Message filled(Message proto) {
    Message.Builder b = proto.newBuilderForType();
    int n = 1;
    for (FieldDescriptor f : proto.getDescriptorForType().getFields()) {
      if (f.isRepeated() || f.isMapField()) {
        continue;
      }
      n++;
      switch (f.getJavaType()) {
        case INT -> b.setField(f, n);
        case LONG -> b.setField(f, (long) n * 1_000_000_007L);
        case BOOLEAN -> b.setField(f, true);
        case STRING -> b.setField(f, "v" + n);
        case BYTE_STRING -> b.setField(f, com.google.protobuf.ByteString.copyFromUtf8("b" + n));
        case DOUBLE -> b.setField(f, n + 0.5);
        case FLOAT -> b.setField(f, n + 0.25f);
        case ENUM -> b.setField(f, f.getEnumType().getValues().get(f.getEnumType().getValues().size() - 1));
        default -> { }
      }
    }
    return b.build();
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
