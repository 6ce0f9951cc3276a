package io.ebsockets.netty;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.util.ArrayDeque;

/**
 * Holds whole frames undecoded while the sink is over its allowance ({@link
 * io.ebsockets.spi.ChannelSink#acceptsMore()}), and hands them on, in order, once it has room.
 *
 * <pre>
 * FrameDecoder -&gt; HeldFrames -&gt; JsonEventDecoder -&gt; ControlHandler -&gt; ConnectionHandler
 * </pre>
 *
 * <p>Pausing reads alone is not enough: a connection whose event arrives while the server is
 * over its inbound allowance would still hand over that one event, and a thousand connections a
 * thousand events, each of which may decode to many times its size. Asked before decoding, the
 * allowance is overshot by at most one event per I/O thread. Frames held here are the ones the
 * last read had already split off, bytes the peer sent before it was paused. When the connection
 * ends they are handed on, room or not: they arrived before the end.
 *
 * <p><b>Threads.</b> The channel's event loop only.
 */
final class HeldFrames extends ChannelInboundHandlerAdapter {
  static final String NAME = "held";

  private final NettyConnection connection;
  private final ArrayDeque<ByteBuf> held = new ArrayDeque<>(2);
  private ChannelHandlerContext ctx;

  HeldFrames(NettyConnection connection) {
    this.connection = connection;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (held.isEmpty() && connection.acceptsMore()) {
      ctx.fireChannelRead(msg);
    } else {
      held.add((ByteBuf) msg);
    }
  }

  /** The sink has room again: hands on what was held, for as long as it keeps having room. */
  void release() {
    while (!held.isEmpty() && !ctx.isRemoved() && connection.acceptsMore()) {
      ctx.fireChannelRead(held.poll());
    }
  }

  /** How many frames are held; for tests. */
  int size() {
    return held.size();
  }

  /**
   * The connection ended: what it held was read before the end, so it is handed on, room or
   * not (events that arrived before the end are delivered, and a farewell behind them read).
   */
  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    releaseAll();
    ctx.fireChannelInactive();
  }

  /**
   * Hands on everything held, room or not: the connection stops reading for good (a draining
   * shutdown, which must deliver what was read before it) or has ended.
   */
  void releaseAll() {
    ByteBuf frame;
    while ((frame = held.poll()) != null) {
      ctx.fireChannelRead(frame);
    }
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    discard();
  }

  private void discard() {
    ByteBuf frame;
    while ((frame = held.poll()) != null) {
      frame.release();
    }
  }
}
