package io.ebsockets.bench.load;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * One load connection. Frames are parsed where they lie in the read buffer; only load messages'
 * three numbers are extracted. Answers pings, so idle load clients are not dropped.
 */
public final class LoadClient extends ByteToMessageDecoder {

  /** Told of every frame; runs on the client's event loop and must not block. */
  public interface Listener {
    /** A load message arrived. */
    void onLoad(LoadClient client, int sender, long seq, long sendNanos, long nowNanos);

    /** Any other frame arrived (control events, foreign messages). */
    default void onOther(LoadClient client, ByteBuf payload) {}

    /** The connection ended. */
    default void onClosed(LoadClient client) {}
  }

  private final int id;
  private final Listener listener;
  private final long[] fields = new long[3];
  private volatile Channel channel;
  private volatile boolean closed;
  private long frames;

  public LoadClient(int id, Listener listener) {
    this.id = id;
    this.listener = listener;
  }

  public int id() {
    return id;
  }

  public Channel channel() {
    return channel;
  }

  public boolean isClosed() {
    return closed;
  }

  /** Frames received; read on the client's event loop. */
  public long frames() {
    return frames;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    channel = ctx.channel();
  }

  /** On the WebSocket door each text message is one payload, without a length prefix. */
  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
    if (msg instanceof io.netty.handler.codec.http.websocketx.TextWebSocketFrame text) {
      try {
        ByteBuf payload = text.content();
        payload(ctx, payload, payload.readerIndex(), payload.readableBytes(), System.nanoTime());
      } finally {
        text.release();
      }
    } else if (msg instanceof io.netty.handler.codec.http.websocketx.WebSocketFrame other) {
      other.release(); // a close frame: the channel closes next
    } else {
      super.channelRead(ctx, msg);
    }
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
    long now = System.nanoTime();
    while (in.readableBytes() >= 4) {
      int start = in.readerIndex();
      int length = in.getInt(start);
      if (in.readableBytes() < 4 + length) {
        return;
      }
      payload(ctx, in, start + 4, length, now);
      in.skipBytes(4 + length);
    }
  }

  private void payload(ChannelHandlerContext ctx, ByteBuf in, int payload, int length, long now) {
    frames++;
    if (Wire.readLoad(in, payload, length, fields)) {
      listener.onLoad(this, (int) fields[0], fields[1], fields[2], now);
    } else if (Wire.isPing(in, payload, length)) {
      String ping = in.toString(payload, length, StandardCharsets.UTF_8);
      ctx.writeAndFlush(Wire.textFrame(ctx.alloc(), ping.replace("ebsockets.ping", "ebsockets.pong")),
          ctx.voidPromise());
    } else {
      listener.onOther(this, in.slice(payload, length));
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    closed = true;
    listener.onClosed(this);
    super.channelInactive(ctx);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    ctx.close();
  }
}
