package io.ebsockets.netty;

import io.ebsockets.CloseReason;
import io.ebsockets.CloseStatus;
import io.ebsockets.ConnectionOptions;
import io.ebsockets.spi.WireProtocol;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.util.Map;

/**
 * The control frames of wire protocol v1, as a pipeline stage of their own: says hello (client)
 * and answers it (server), learns the peer's max frame length, answers pings, and turns a peer's
 * {@code ebsockets.close} or {@code ebsockets.error} into the connection's close. Application
 * events pass through.
 *
 * <pre>
 * FrameDecoder -&gt; JsonEventDecoder -&gt; ControlHandler -&gt; ConnectionHandler
 * </pre>
 *
 * <p>It also holds each side to its own frames (docs/PROTOCOL.md, "Control events"): a hello is
 * the client's, at most one, before any event; a welcome is the server's, one, in answer to the
 * hello. A known control frame from the wrong side or out of turn is {@code unexpected_control};
 * a hello or welcome that announces less than {@link WireProtocol#MIN_MAX_FRAME_LENGTH} is {@code
 * invalid_data}. Unknown {@code ebsockets.*} types are ignored, as later versions may add some.
 *
 * <p><b>Threads.</b> The channel's event loop only.
 */
final class ControlHandler extends ChannelInboundHandlerAdapter {
  static final String NAME = "control";

  /** What the control frames do to their connection. */
  interface Peer {
    /** True once the connection is closing: nothing more is answered. */
    boolean isClosing();

    /** Queues one control frame for the peer. */
    void sendControl(ControlFrame frame);

    /** Queues one control frame, already encoded; takes ownership of it. */
    void sendEncoded(ByteBuf frame);

    /** The peer announced the longest frame it reads. */
    void announced(int maxFrameLength);

    /** The longest frame the peer reads, as it announced (or the protocol's default). */
    int peerMaxFrameLength();

    /** The server's welcome arrived (client side). */
    void welcomed();

    /** The peer said it is closing, and why. */
    void peerClosing(CloseStatus why);

    /**
     * Server: the client's hello (or, if it sent none, empty data before its first event)
     * arrived; whether the connection is admitted. A refused connection is being closed.
     */
    boolean admit(Map<String, Object> hello);

    /** Client: what the application and the sink add to its hello. */
    Map<String, Object> helloData();

    /** Server: what the admission adds to the welcome (a resumable session's). */
    Map<String, Object> welcomeMembers();

    /** A control frame this stage does not act on itself: a welcome (client), an ack, later types. */
    void control(ControlFrame frame);
  }

  private final boolean client;
  private final ConnectionOptions options;
  private final Peer peer;
  /** Server: a hello or an event has been read, so a hello is out of turn from now on. */
  private boolean started;
  /** Client: the welcome has been read. */
  private boolean welcomeRead;

  ControlHandler(boolean client, ConnectionOptions options, Peer peer) {
    this.client = client;
    this.options = options;
    this.peer = peer;
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    if (client) {
      peer.sendControl(ControlFrame.hello(options.maxFrameLength(), peer.helloData()));
    }
    ctx.fireChannelActive();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (msg instanceof ControlFrame control) {
      if (!peer.isClosing()) {
        received(ctx, control);
      }
    } else {
      if (!started && !client) {
        started = true;
        if (!peer.admit(Map.of())) {
          io.netty.util.ReferenceCountUtil.release(msg);
          return;
        }
      }
      started = true;
      ctx.fireChannelRead(msg);
    }
  }

  private void received(ChannelHandlerContext ctx, ControlFrame control) {
    switch (control.type()) {
      case ControlFrame.PING -> pong(ctx, control);
      case ControlFrame.HELLO -> {
        if (client) {
          unexpected(ctx, "a server sends no ebsockets.hello (expected: ebsockets.welcome)");
        } else if (started) {
          unexpected(ctx, "ebsockets.hello after the first frame (expected: at most one, first)");
        } else if (announce(ctx, control)) {
          started = true;
          if (!peer.admit(control.data())) {
            return;
          }
          peer.sendControl(
              ControlFrame.welcome(
                  options.maxFrameLength(),
                  options.pingInterval().toMillis(),
                  options.idleTimeout().toMillis(),
                  peer.welcomeMembers()));
        }
      }
      case ControlFrame.WELCOME -> {
        if (!client) {
          unexpected(ctx, "a client sends no ebsockets.welcome (expected: ebsockets.hello)");
        } else if (welcomeRead) {
          unexpected(ctx, "a second ebsockets.welcome (expected: one, in answer to the hello)");
        } else if (announce(ctx, control)) {
          welcomeRead = true;
          peer.control(control);
          peer.welcomed();
        }
      }
      case ControlFrame.CLOSE -> peer.peerClosing(closeStatus(control));
      case ControlFrame.ERROR -> peer.peerClosing(
          new CloseStatus(
              CloseReason.PROTOCOL_ERROR,
              "peer reported "
                  + control.string("code", "an error")
                  + ": "
                  + control.string("message", "")));
      case ControlFrame.PONG -> {
        // The read itself was the news (the heartbeat saw it).
      }
      default -> peer.control(control); // an ack, and control types of later versions

    }
  }

  /** Takes the max frame length a hello or welcome announces; false if it is below the floor. */
  private boolean announce(ChannelHandlerContext ctx, ControlFrame control) {
    int announced = control.positiveInt("maxFrameLength", WireProtocol.DEFAULT_MAX_FRAME_LENGTH);
    if (announced < WireProtocol.MIN_MAX_FRAME_LENGTH) {
      ctx.fireExceptionCaught(
          new ProtocolException(
              ProtocolError.INVALID_DATA,
              control.type() + " announces maxFrameLength " + announced
                  + " (expected: at least " + WireProtocol.MIN_MAX_FRAME_LENGTH + ")"));
      return false;
    }
    peer.announced(announced);
    return true;
  }

  /** Echoes a ping's data, or sends a bare pong if the echo would not fit the peer's frames. */
  private void pong(ChannelHandlerContext ctx, ControlFrame ping) {
    ByteBuf pong = EventCodec.encode(ctx.alloc(), new ControlFrame(ControlFrame.PONG, ping.data()));
    if (pong.readableBytes() - Integer.BYTES <= peer.peerMaxFrameLength()) {
      peer.sendEncoded(pong);
    } else {
      pong.release();
      peer.sendControl(new ControlFrame(ControlFrame.PONG, Map.of()));
    }
  }

  private static void unexpected(ChannelHandlerContext ctx, String message) {
    ctx.fireExceptionCaught(new ProtocolException(ProtocolError.UNEXPECTED_CONTROL, message));
  }

  private static CloseStatus closeStatus(ControlFrame control) {
    String wireReason = control.string("reason", "");
    String message = control.string("message", "");
    java.time.Duration retryAfter = retryAfter(control.data().get("retryAfter"));
    return CloseReason.fromWireName(wireReason)
        .map(reason -> new CloseStatus(reason, message, retryAfter))
        .orElseGet(
            () ->
                new CloseStatus(
                    CloseReason.PEER_CLOSED,
                    message.isEmpty() ? wireReason : wireReason + ": " + message));
  }

  /**
   * A close's {@code retryAfter} (ms): a whole number from 0 to {@link #MAX_RETRY_AFTER_MILLIS};
   * anything else is ignored (a hint is advice, not a reason to fail the close).
   */
  static java.time.Duration retryAfter(Object value) {
    if (value instanceof Number n && (n instanceof Integer || n instanceof Long)) {
      long millis = n.longValue();
      if (millis > 0) {
        return java.time.Duration.ofMillis(Math.min(millis, MAX_RETRY_AFTER_MILLIS));
      }
    }
    return java.time.Duration.ZERO;
  }

  /** The longest hint a client heeds: an hour. A longer one is read as an hour. */
  static final long MAX_RETRY_AFTER_MILLIS = 3_600_000;
}
