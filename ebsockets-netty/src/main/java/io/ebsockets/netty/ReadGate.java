package io.ebsockets.netty;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;

/**
 * Why a connection is not being read, and the one switch that follows from it: the channel is
 * read ({@code autoRead}) only while no reason holds. The reasons are independent — the sink's
 * inbound allowance is used up, the server's partial-frame budget is, the peer is over its rate
 * limit, or a draining shutdown has stopped reading for good — and each is lifted on its own.
 *
 * <p>It is also the pipeline's first stage, because {@code autoRead} alone does not stop reads: a
 * decoder that produced nothing from a read asks for another ({@code ByteToMessageDecoder} calls
 * {@code ctx.read()} when {@code autoRead} is off), so a connection paused in the middle of a
 * frame went on reading to the frame's end, and 300 partial 1 MiB frames held 200 MiB against a
 * 128 MiB budget. Here a read asked for while a reason holds is not passed on; reopening the gate
 * turns {@code autoRead} back on, which reads again.
 *
 * <p><b>Threads.</b> The channel's event loop only.
 */
final class ReadGate extends ChannelOutboundHandlerAdapter {
  static final String NAME = "read-gate";

  /** A reason to stop reading. */
  enum Reason {
    /** The sink's inbound allowance is used up (inbound backpressure). */
    SINK,
    /** This connection's partial frame took the server over its partial-frame budget. */
    BUDGET,
    /** The server is draining before it shuts down: what was read is all there will be. */
    SHUTDOWN,
    /** The peer sent faster than its inbound rate limit; lifted when it is back within it. */
    RATE
  }

  private final Channel channel;
  /** One bit per {@link Reason} that holds. */
  private int holding;

  ReadGate(Channel channel) {
    this.channel = channel;
  }

  /** Stops reading for this reason; false if it already held. */
  boolean close(Reason reason) {
    int bit = bit(reason);
    if ((holding & bit) != 0) {
      return false;
    }
    holding |= bit;
    apply();
    return true;
  }

  /** Lifts this reason; reading resumes if no other holds. False if it did not hold. */
  boolean open(Reason reason) {
    int bit = bit(reason);
    if ((holding & bit) == 0) {
      return false;
    }
    holding &= ~bit;
    apply();
    return true;
  }

  /** Lifts every reason: a closing connection must read on, to see the peer's end. */
  void openAll() {
    holding = 0;
    apply();
  }

  boolean holds(Reason reason) {
    return (holding & bit(reason)) != 0;
  }

  /** True while any reason holds. */
  boolean isClosed() {
    return holding != 0;
  }

  /** Passes a read request on only while no reason holds. */
  @Override
  public void read(ChannelHandlerContext ctx) {
    if (holding == 0) {
      ctx.read();
    }
  }

  private static int bit(Reason reason) {
    return switch (reason) {
      case SINK -> 1;
      case BUDGET -> 2;
      case SHUTDOWN -> 4;
      case RATE -> 8;
    };
  }

  private void apply() {
    channel.config().setAutoRead(holding == 0);
  }
}
