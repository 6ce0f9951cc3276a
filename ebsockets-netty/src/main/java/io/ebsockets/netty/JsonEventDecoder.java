package io.ebsockets.netty;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToMessageDecoder;
import java.util.List;

/**
 * Turns each frame into an event or a control frame.
 *
 * <pre>
 * FrameDecoder --ByteBuf--&gt; JsonEventDecoder --EbsocketEvent | ControlFrame--&gt; ConnectionHandler
 * </pre>
 *
 * <p>Stateless, so one instance serves every channel. A bad payload fails with a {@link
 * ProtocolException}; the frame is released either way.
 */
@Sharable
final class JsonEventDecoder extends MessageToMessageDecoder<ByteBuf> {
  static final JsonEventDecoder INSTANCE = new JsonEventDecoder();

  private JsonEventDecoder() {
    super(ByteBuf.class);
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf frame, List<Object> out) {
    out.add(EventCodec.decode(frame));
  }
}
