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
  /** Loop: the connection is upgraded, and the bytes are WebSocket frames. */
  private boolean webSocket;
  /**
   * Loop: events received in a resumable session ({@link #askForSession}), acknowledged every
   * {@link #ackEvery} as the library's clients do; -1 without a session.
   */
  private long sessionReceived = -1;
  /** Loop: how many events to acknowledge at once, as the welcome asks (32 until it has). */
  private int ackEvery = 32;

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

  /**
   * Any thread, once, before anything else is sent: says hello asking for a resumable session,
   * and from then on acknowledges the server's events as a resumable client does.
   */
  public void askForSession() {
    channel.eventLoop().execute(() -> {
      sessionReceived = 0;
      channel.writeAndFlush(Wire.textFrame(channel.alloc(),
          "{\"type\":\"ebsockets.hello\",\"data\":{\"version\":1,\"resume\":{}}}"),
          channel.voidPromise());
    });
  }

  /**
   * Loop: from now on the bytes are a server's WebSocket frames (unmasked, unfragmented), one
   * payload per text frame.
   */
  void parseWebSocketFrames() {
    webSocket = true;
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
    if (webSocket) {
      decodeWebSocket(ctx, in, now);
      return;
    }
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

  private void decodeWebSocket(ChannelHandlerContext ctx, ByteBuf in, long now) {
    while (in.readableBytes() >= 2) {
      int start = in.readerIndex();
      int opcode = in.getByte(start) & 0x0F;
      int first = in.getByte(start + 1) & 0x7F;
      int header = first < 126 ? 2 : first == 126 ? 4 : 10;
      if (in.readableBytes() < header) {
        return;
      }
      long length = first < 126 ? first
          : first == 126 ? in.getUnsignedShort(start + 2) : in.getLong(start + 2);
      if (in.readableBytes() < header + length) {
        return;
      }
      if (opcode == 1) {
        payload(ctx, in, start + header, (int) length, now);
      } else if (opcode == 8) {
        ctx.close();
      }
      in.skipBytes(header + (int) length);
    }
  }

  private void payload(ChannelHandlerContext ctx, ByteBuf in, int payload, int length, long now) {
    frames++;
    if (Wire.readLoad(in, payload, length, fields)) {
      if (sessionReceived >= 0 && ++sessionReceived % ackEvery == 0) {
        ctx.writeAndFlush(Wire.textFrame(ctx.alloc(),
            "{\"type\":\"ebsockets.ack\",\"data\":{\"received\":" + sessionReceived + "}}"),
            ctx.voidPromise());
      }
      listener.onLoad(this, (int) fields[0], fields[1], fields[2], now);
    } else if (Wire.isPing(in, payload, length)) {
      String ping = in.toString(payload, length, StandardCharsets.UTF_8);
      ctx.writeAndFlush(Wire.textFrame(ctx.alloc(), ping.replace("ebsockets.ping", "ebsockets.pong")),
          ctx.voidPromise());
    } else {
      if (sessionReceived >= 0) {
        readAckEvery(in.toString(payload, length, StandardCharsets.UTF_8));
      }
      listener.onOther(this, in.slice(payload, length));
    }
  }

  /** Takes the count a welcome asks to acknowledge at once ({@code session.ackEvery}). */
  private void readAckEvery(String frame) {
    java.util.regex.Matcher m = ACK_EVERY_MEMBER.matcher(frame);
    if (frame.contains("\"ebsockets.welcome\"") && m.find()) {
      ackEvery = Integer.parseInt(m.group(1));
    }
  }

  private static final java.util.regex.Pattern ACK_EVERY_MEMBER =
      java.util.regex.Pattern.compile("\"ackEvery\":(\\d+)");

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
