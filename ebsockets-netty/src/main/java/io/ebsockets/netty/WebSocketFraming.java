package io.ebsockets.netty;

import io.ebsockets.CloseReason;
import io.ebsockets.CloseStatus;
import io.ebsockets.Door;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.compression.DecompressionException;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrameEncoder;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The WebSocket framing of wire protocol v1, on either side: one text message is one payload,
 * exactly the JSON that goes over TCP.
 *
 * <pre>
 * inbound:  TextWebSocketFrame {"type":...}  --->  ByteBuf {"type":...}   (to HeldFrames)
 * outbound: ByteBuf [length]{"type":...}     --->  TextWebSocketFrame {"type":...}
 * </pre>
 *
 * <p>Outbound frames are encoded once, with the TCP length prefix, and shared by every
 * recipient; here each recipient's view skips the prefix, so a broadcast is still encoded once
 * per framing. A binary message is a protocol error ({@code binary_message}); a frame Netty's
 * decoder rejects is {@code frame_too_long} or {@code invalid_websocket_frame}. The connection
 * becomes active (its hello, its heartbeat) only once the upgrade is complete. A close this side
 * begins ends with a close frame whose code names the reason ({@link
 * CloseReason#webSocketCloseCode()}); a close frame from the peer ends the connection with the
 * reason its code names, and is answered.
 *
 * <p><b>Threads.</b> The channel's event loop only.
 */
final class WebSocketFraming extends ChannelDuplexHandler {
  static final String NAME = "ws-framing";
  /** A close frame's reason: at most 123 bytes of UTF-8 (RFC 6455, 5.5: 125 minus the code). */
  static final int MAX_CLOSE_REASON_BYTES = 123;

  /** What a server does once a connection has upgraded. */
  interface Upgraded {
    /** Loop: the upgrade of {@code connection} is complete. */
    void upgraded(NettyConnection connection, WebSocketServerProtocolHandler.HandshakeComplete h);
  }

  /**
   * The WebSocket door's {@link Framing}: a close frame ends the output, and a broadcast's frame
   * is made once per loop ({@link #textFrame}).
   */
  static final Framing FRAMING = new WebSocketDoor(true);

  /** The same with permessage-deflate: every frame goes through Netty's extension encoder. */
  static final Framing FRAMING_DEFLATE = new WebSocketDoor(false);

  private static final class WebSocketDoor implements Framing {
    private final boolean sharesFrames;

    WebSocketDoor(boolean sharesFrames) {
      this.sharesFrames = sharesFrames;
    }

    @Override
    public Door door() {
      return Door.WEB_SOCKET;
    }

    @Override
    public boolean sharesWebSocketFrames() {
      return sharesFrames;
    }

    @Override
    public void endOutput(Channel channel, CloseStatus why) {
      WebSocketFraming framing = channel.pipeline().get(WebSocketFraming.class);
      if (framing == null || !framing.upgraded) {
        channel.close();
      } else {
        framing.sendClose(channel, why);
      }
    }

    @Override
    public void discardInbound(ChannelPipeline pipeline) {
      // After this stage, so that the peer's close frame is still seen and answered.
      if (pipeline.get(DiscardInbound.NAME) == null && pipeline.get(NAME) != null) {
        pipeline.addAfter(NAME, DiscardInbound.NAME, DiscardInbound.INSTANCE);
      }
    }
  }

  /** The first byte of an unmasked, unfragmented text frame: FIN and opcode 1. */
  private static final int FIN_TEXT = 0x81;

  /**
   * A length-prefixed frame as one unmasked WebSocket text frame (a server's frames are never
   * masked, so one such frame serves every WebSocket recipient): the header in as few bytes as
   * RFC 6455 allows, then the payload, copied once. The caller owns the result.
   */
  static ByteBuf textFrame(ByteBuf lengthPrefixed, ByteBufAllocator alloc) {
    int start = lengthPrefixed.readerIndex() + FrameDecoder.LENGTH_BYTES;
    int length = lengthPrefixed.readableBytes() - FrameDecoder.LENGTH_BYTES;
    int header = length < 126 ? 2 : length < 65_536 ? 4 : 10;
    ByteBuf frame = alloc.directBuffer(header + length);
    frame.writeByte(FIN_TEXT);
    if (length < 126) {
      frame.writeByte(length);
    } else if (length < 65_536) {
      frame.writeByte(126).writeShort(length);
    } else {
      frame.writeByte(127).writeLong(length);
    }
    return frame.writeBytes(lengthPrefixed, start, length);
  }

  private final NettyConnection connection;
  /** Server: told of the upgrade; null on a client. */
  private final Upgraded upgradedHook;
  private boolean upgraded;
  private boolean closeSent;

  WebSocketFraming(NettyConnection connection, Upgraded upgradedHook) {
    this.connection = connection;
    this.upgradedHook = upgradedHook;
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    // Not yet: the connection starts once the upgrade is complete (see userEventTriggered).
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
    if (evt instanceof WebSocketServerProtocolHandler.HandshakeComplete handshake) {
      upgraded = true;
      if (ctx.pipeline().get(HttpDoorway.class) != null) {
        ctx.pipeline().remove(HttpDoorway.class); // its work is done; its timer goes with it
      }
      connection.upgraded(ctx.pipeline().context(WebSocketFrameEncoder.class));
      if (upgradedHook != null) {
        upgradedHook.upgraded(connection, handshake);
      }
      ctx.fireChannelActive();
    } else if (evt == WebSocketClientProtocolHandler.ClientHandshakeStateEvent.HANDSHAKE_COMPLETE) {
      upgraded = true;
      ctx.fireChannelActive();
    }
    ctx.fireUserEventTriggered(evt);
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (msg instanceof TextWebSocketFrame text) {
      ByteBuf payload = text.content();
      connection.readActivity(payload.readableBytes());
      if (!payload.isReadable()) {
        text.release();
        ctx.fireExceptionCaught(
            new ProtocolException(
                ProtocolError.EMPTY_FRAME,
                "an empty text message (expected: one JSON payload per message)"));
        return;
      }
      ctx.fireChannelRead(payload); // the frame's content: ownership passes on with it
    } else if (msg instanceof BinaryWebSocketFrame binary) {
      int bytes = binary.content().readableBytes();
      binary.release();
      connection.readActivity(bytes);
      ctx.fireExceptionCaught(
          new ProtocolException(
              ProtocolError.BINARY_MESSAGE,
              "a binary message of " + bytes
                  + " bytes (expected: text messages, one JSON payload each)"));
    } else if (msg instanceof CloseWebSocketFrame close) {
      peerClose(ctx, close);
    } else if (msg instanceof WebSocketFrame other) {
      connection.readActivity(other.content().readableBytes());
      other.release(); // a pong; pings are answered by Netty's protocol handler
    } else {
      ReferenceCountUtil.release(msg);
    }
  }

  /**
   * Outbound {@code ByteBuf}s are length-prefixed frames of wire protocol v1, made into text
   * frames here. (A server's upgraded connection writes the frames it has made already below
   * this stage: {@link NettyConnection#upgraded}.)
   */
  @Override
  public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
    if (msg instanceof ByteBuf frame && !(msg instanceof WebSocketFrame)) {
      if (!upgraded || closeSent) {
        frame.release();
        promise.trySuccess(); // nothing can follow a close frame; the frame is dropped
        return;
      }
      frame.skipBytes(FrameDecoder.LENGTH_BYTES);
      ctx.write(new TextWebSocketFrame(frame), promise);
    } else {
      ctx.write(msg, promise);
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    ctx.fireExceptionCaught(translate(cause));
  }

  /** Netty's WebSocket errors as the protocol's, so that they close as every protocol error. */
  static Throwable translate(Throwable cause) {
    if (cause instanceof CorruptedWebSocketFrameException corrupt) {
      WebSocketCloseStatus status = corrupt.closeStatus();
      if (WebSocketCloseStatus.MESSAGE_TOO_BIG.equals(status)) {
        return new ProtocolException(ProtocolError.FRAME_TOO_LONG, corrupt.getMessage());
      }
      if (WebSocketCloseStatus.INVALID_PAYLOAD_DATA.equals(status)) {
        return new ProtocolException(ProtocolError.INVALID_UTF8, corrupt.getMessage());
      }
      return new ProtocolException(ProtocolError.INVALID_WEBSOCKET_FRAME, corrupt.getMessage());
    }
    if (cause instanceof TooLongFrameException tooLong) {
      return new ProtocolException(ProtocolError.FRAME_TOO_LONG, tooLong.getMessage());
    }
    for (Throwable t = cause; t != null; t = t.getCause()) {
      if (t instanceof DecompressionException inflate) {
        return new ProtocolException(
            ProtocolError.FRAME_TOO_LONG,
            "a compressed message inflates past the bound (" + inflate.getMessage() + ")");
      }
    }
    return cause;
  }

  /** Loop: ends this side's output with a close frame naming why. */
  private void sendClose(Channel channel, CloseStatus why) {
    if (closeSent) {
      return;
    }
    closeSent = true;
    channel.writeAndFlush(
        new CloseWebSocketFrame(why.reason().webSocketCloseCode(), closeReason(closeText(why))));
  }

  /**
   * A close frame's text: the message, after the retry hint if there is one ({@code "retry after
   * 2350 ms: server overloaded"}), so that a page that reads only the close frame learns it.
   */
  static String closeText(CloseStatus why) {
    if (why.retryAfter().isZero()) {
      return why.message();
    }
    String hint = RETRY_PREFIX + ControlFrame.retryAfterMillis(why) + " ms";
    return why.message().isEmpty() ? hint : hint + ": " + why.message();
  }

  private static final String RETRY_PREFIX = "retry after ";
  private static final Pattern RETRY_TEXT =
      Pattern.compile(RETRY_PREFIX + "(\\d{1,7}) ms(?:: )?(.*)", Pattern.DOTALL);

  /** The status a close frame's code and text name, its retry hint read back. */
  static CloseStatus closeStatus(CloseReason reason, String text) {
    Matcher m = RETRY_TEXT.matcher(text);
    if (m.matches()) {
      return new CloseStatus(
          reason, m.group(2), ControlHandler.retryAfter(Long.parseLong(m.group(1))));
    }
    return new CloseStatus(reason, text);
  }

  /** Loop: the peer's close frame, the answer to ours or its own close. */
  private void peerClose(ChannelHandlerContext ctx, CloseWebSocketFrame frame) {
    int code = frame.statusCode();
    String text = frame.reasonText();
    frame.release();
    if (closeSent) {
      ctx.close(); // the answer to ours: both sides are done
      return;
    }
    String unknown = code < 0 ? "" : "close code " + code + (text.isEmpty() ? "" : ": " + text);
    CloseStatus why =
        CloseReason.fromWebSocketCloseCode(code)
            .map(reason -> closeStatus(reason, text))
            .orElseGet(() -> new CloseStatus(CloseReason.PEER_CLOSED, unknown));
    connection.peerClosedWebSocket(why);
    closeSent = true;
    ctx.writeAndFlush(new CloseWebSocketFrame(code < 0 ? 1000 : code, ""))
        .addListener(ChannelFutureListener.CLOSE);
  }

  /** {@code message} cut to what a close frame carries, on a character boundary. */
  static String closeReason(String message) {
    byte[] bytes = message.getBytes(StandardCharsets.UTF_8);
    if (bytes.length <= MAX_CLOSE_REASON_BYTES) {
      return message;
    }
    int end = MAX_CLOSE_REASON_BYTES;
    while (end > 0 && (bytes[end] & 0xC0) == 0x80) {
      end--; // not in the middle of a character
    }
    return new String(bytes, 0, end, StandardCharsets.UTF_8);
  }
}
