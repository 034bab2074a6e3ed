package io.jpeer.net;

import com.google.protobuf.InvalidProtocolBufferException;
import io.jpeer.proto.net.Envelope;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufInputStream;
import io.netty.buffer.ByteBufOutputStream;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.MessageToByteEncoder;
import io.netty.handler.codec.MessageToMessageDecoder;
import java.io.IOException;
import java.util.List;

/** Stateless codecs between one length-delimited frame and one {@link Envelope}. */
final class EnvelopeCodec {
  private EnvelopeCodec() {}

  /** Frame bytes to Envelope; an undecodable frame is a {@link CorruptedFrameException}. */
  @Sharable
  static final class Decoder extends MessageToMessageDecoder<ByteBuf> {
    static final Decoder INSTANCE = new Decoder();

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf frame, List<Object> out) {
      try (ByteBufInputStream in = new ByteBufInputStream(frame)) {
        out.add(Envelope.parseFrom(in));
      } catch (InvalidProtocolBufferException e) {
        throw new CorruptedFrameException("undecodable envelope: " + e.getMessage());
      } catch (IOException e) {
        throw new CorruptedFrameException("unreadable frame: " + e.getMessage());
      }
    }
  }

  @Sharable
  static final class Encoder extends MessageToByteEncoder<Envelope> {
    static final Encoder INSTANCE = new Encoder();

    @Override
    protected void encode(ChannelHandlerContext ctx, Envelope env, ByteBuf out) throws IOException {
      env.writeTo(new ByteBufOutputStream(out));
    }
  }
}
