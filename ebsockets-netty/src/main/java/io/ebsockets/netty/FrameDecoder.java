package io.ebsockets.netty;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.util.concurrent.ScheduledFuture;
import java.nio.ByteOrder;
import java.util.concurrent.TimeUnit;

/**
 * Splits the byte stream into frames: a 4-byte unsigned big-endian length N, then N bytes of
 * payload, with 1 &lt;= N &lt;= the max frame length.
 *
 * <pre>
 * BEFORE (one read)                          AFTER (one frame)
 * +--------+------------------------+        +------------------------+
 * | 0x0029 | {"type":"message",...} |  --->  | {"type":"message",...} |
 * +--------+------------------------+        +------------------------+
 * </pre>
 *
 * <p>A bad length fails at once, when the 4 length bytes arrive, with a {@link ProtocolException}
 * ({@code empty_frame} or {@code frame_too_long}); a declared length is never allocated before
 * its bytes arrive. This is what turns away an HTTP request or a TLS ClientHello at the port:
 * their first four bytes read as a length far over any sane maximum.
 *
 * <p>It also guards partial frames: the bytes they hold count against the server's {@link
 * FrameBudget}, and a frame that has started must arrive whole within the frame timeout (time
 * while the connection's reading is paused by this side does not count).
 */
final class FrameDecoder extends LengthFieldBasedFrameDecoder {
  static final int LENGTH_BYTES = 4;

  private final int maxFrameLength;
  private final NettyConnection connection;
  private final FrameBudget budget;
  private final long frameTimeoutNanos;

  /** Bytes of partial frames held and counted against the budget. */
  private long reserved;
  /** Frames completed so far; tells the frame timer a new frame has started. */
  private long framesDecoded;
  private long framesAtPartialStart = -1;
  private long partialSince;
  private ScheduledFuture<?> frameTimer;

  /** A decoder with no budget and no frame timeout, for codec tests. */
  FrameDecoder(int maxFrameLength) {
    this(maxFrameLength, null, FrameBudget.UNLIMITED, 0);
  }

  FrameDecoder(
      int maxFrameLength, NettyConnection connection, FrameBudget budget, long frameTimeoutNanos) {
    super(
        (int) Math.min(Integer.MAX_VALUE, (long) maxFrameLength + LENGTH_BYTES),
        0,
        LENGTH_BYTES,
        0,
        LENGTH_BYTES,
        true);
    this.maxFrameLength = maxFrameLength;
    this.connection = connection;
    this.budget = budget;
    this.frameTimeoutNanos = frameTimeoutNanos;
    // A partial frame is kept as the reads that brought it, not copied into a buffer that
    // doubles as it grows: a 1 MiB frame held 2 MiB of direct memory that way, and 126 of them
    // used up a 256 MiB JVM's. Whole frames in one read are not cumulated at all, either way.
    setCumulator(COMPOSITE_CUMULATOR);
  }

  @Override
  protected long getUnadjustedFrameLength(ByteBuf buf, int offset, int length, ByteOrder order) {
    long declared = buf.getUnsignedInt(offset);
    if (declared == 0) {
      throw new ProtocolException(
          ProtocolError.EMPTY_FRAME, "frame length 0 (expected: 1 to " + maxFrameLength + ")");
    }
    if (declared > maxFrameLength) {
      throw new ProtocolException(
          ProtocolError.FRAME_TOO_LONG,
          "frame length " + declared + " (expected: 1 to " + maxFrameLength + ")"
              + (framesDecoded == 0 && looksLikeTlsHello(buf, offset)
                  ? "; the bytes are a TLS ClientHello, and this side speaks plain TCP:"
                      + " connect without TLS, or enable TLS on the server"
                  : ""));
    }
    return declared;
  }

  /** A TLS handshake record: content type 22, then major version 3. */
  private static boolean looksLikeTlsHello(ByteBuf buf, int offset) {
    return buf.getUnsignedByte(offset) == 22 && buf.getUnsignedByte(offset + 1) == 3;
  }

  @Override
  protected Object decode(ChannelHandlerContext ctx, ByteBuf in) throws Exception {
    Object frame = super.decode(ctx, in);
    if (frame != null) {
      framesDecoded++;
    }
    return frame;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
    if (connection != null && msg instanceof ByteBuf bytes) {
      connection.readActivity(bytes.readableBytes());
    }
    try {
      super.channelRead(ctx, msg);
    } finally {
      if (connection != null && !ctx.isRemoved()) {
        holdPartial(ctx, partialCost());
      }
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    release();
    super.channelInactive(ctx);
  }

  @Override
  protected void handlerRemoved0(ChannelHandlerContext ctx) {
    release();
  }

  private void release() {
    if (reserved != 0) {
      budget.adjust(-reserved);
      reserved = 0;
    }
    if (frameTimer != null) {
      frameTimer.cancel(false);
      frameTimer = null;
    }
  }

  /**
   * What the partial frame left after a read costs: its bytes, which with the composite
   * cumulator are the reads that brought them (no buffer grown by doubling behind them). The
   * capacity of the composite would also count reads already consumed and not yet discarded, and
   * a lone connection could then hold the whole budget against itself.
   */
  private int partialCost() {
    return actualReadableBytes();
  }

  /** Accounts for the partial frame left after a read, and times it. */
  private void holdPartial(ChannelHandlerContext ctx, int held) {
    long delta = held - reserved;
    reserved = held;
    if (delta != 0 && !budget.adjust(delta) && delta > 0) {
      connection.pauseForBudget();
      budget.waitFor(connection);
    }
    if (held == 0) {
      framesAtPartialStart = -1;
    } else if (framesAtPartialStart != framesDecoded) {
      framesAtPartialStart = framesDecoded; // a new frame has started
      partialSince = System.nanoTime();
      if (frameTimeoutNanos > 0 && frameTimer == null) {
        frameTimer = ctx.executor().schedule(
            () -> checkFrameTimeout(ctx), frameTimeoutNanos, TimeUnit.NANOSECONDS);
      }
    }
  }

  private void checkFrameTimeout(ChannelHandlerContext ctx) {
    frameTimer = null;
    if (framesAtPartialStart < 0 || ctx.isRemoved()) {
      return;
    }
    long now = System.nanoTime();
    if (connection.isReadingPaused()) {
      partialSince = now; // the silence is ours, not the peer's
    }
    long left = partialSince + frameTimeoutNanos - now;
    if (left > 0) {
      frameTimer = ctx.executor().schedule(() -> checkFrameTimeout(ctx), left, TimeUnit.NANOSECONDS);
      return;
    }
    connection.failed(
        new ProtocolException(
            ProtocolError.FRAME_TIMEOUT,
            "only "
                + actualReadableBytes()
                + " bytes of a frame arrived in "
                + TimeUnit.NANOSECONDS.toMillis(frameTimeoutNanos)
                + " ms (expected: a whole frame within the frame timeout)"));
  }

  /** The capacity of the buffer holding a partly received frame (diagnostics and tests). */
  int bufferedCapacity() {
    return internalBuffer().capacity();
  }
}
