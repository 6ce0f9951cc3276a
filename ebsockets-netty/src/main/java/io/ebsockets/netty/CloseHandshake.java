package io.ebsockets.netty;

import io.ebsockets.CloseReason;
import io.ebsockets.CloseStatus;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceFieldUpdater;

/**
 * One connection's close: who decided it and why, and the handshake that follows (docs/
 * PROTOCOL.md, "Closing"). Whoever decides first (the application, the peer's {@code
 * ebsockets.close}/{@code ebsockets.error}, a protocol error, a timeout, an I/O error) sets the
 * {@link CloseStatus}; later decisions are ignored. A close this side initiates writes what was
 * queued (or drops it, for a peer too slow to take it), then the farewell frame, flushes, ends
 * the output (a half-close on TCP, a close frame on WebSocket: {@link Framing}), and closes when
 * the peer closes or after the close timeout: a plain close with unread input would send a reset
 * that destroys the last frame.
 *
 * <p>The same handshake serves every framing of the protocol: it only needs the channel and what
 * its {@link Parts} do.
 *
 * <p><b>Threads.</b> {@link #close}, {@link #force} and the status from any thread; the rest on
 * the channel's event loop.
 */
final class CloseHandshake {
  /** What the rest of the connection does when it closes. */
  interface Parts {
    /**
     * From now on inbound is discarded, but read (the peer's end of stream is how this side
     * learns it is done), and no more pings are sent.
     */
    void stopAndDiscard();

    /** Writes what was queued before the farewell, or drops it if the peer could not keep up. */
    void finishOutbound(boolean drop);

    /** The farewell is written: ends this side's output as the framing does ({@link Framing}). */
    void endOutput(CloseStatus why);
  }

  private final Channel channel;
  private final Duration closeTimeout;
  private final Parts parts;
  /**
   * Who decided the close and why, or null; a field of this object rather than an {@code
   * AtomicReference} beside it, since a broadcast reads it for every recipient (one cache line
   * fewer each).
   */
  private volatile CloseStatus status;

  private static final AtomicReferenceFieldUpdater<CloseHandshake, CloseStatus> STATUS =
      AtomicReferenceFieldUpdater.newUpdater(CloseHandshake.class, CloseStatus.class, "status");
  /** Loop: a close is under way; inbound is discarded and nothing more is written. */
  private boolean closing;
  /** Loop: closes the socket if the peer does not within the close timeout. */
  private ScheduledFuture<?> timer;

  CloseHandshake(Channel channel, Duration closeTimeout, Parts parts) {
    this.channel = channel;
    this.closeTimeout = closeTimeout;
    this.parts = parts;
  }

  /** Any thread: why the connection closes, or null while nobody has decided it. */
  CloseStatus status() {
    return status;
  }

  /** Loop: true once a close is under way. */
  boolean isClosing() {
    return closing;
  }

  /** Any thread: decides the close, if nobody has yet; true if this was the decision. */
  boolean decide(CloseStatus why) {
    return STATUS.compareAndSet(this, null, why);
  }

  /** Any thread: decides the close and, if this was the decision, starts the handshake. */
  void close(CloseStatus why, ControlFrame farewell) {
    if (!decide(why)) {
      return;
    }
    if (channel.eventLoop().inEventLoop()) {
      begin(farewell);
    } else {
      try {
        channel.eventLoop().execute(() -> begin(farewell));
      } catch (RejectedExecutionException e) {
        channel.close();
      }
    }
  }

  /** Any thread: closes at once, without a handshake (a broken socket, a shutdown out of time). */
  void force(CloseStatus why) {
    decide(why);
    channel.close();
  }

  /** Loop: the peer announced its close; it shuts its output down, and this side closes on EOF. */
  void peerClosing(CloseStatus why) {
    decide(why);
    if (!closing) {
      startClosing();
    }
  }

  /** Loop: the socket is closed. Returns the status the connection ended with. */
  CloseStatus ended() {
    closing = true;
    if (timer != null) {
      timer.cancel(false);
    }
    decide(new CloseStatus(CloseReason.PEER_CLOSED, ""));
    return status;
  }

  /** Loop: stops reading, writes what was queued and the farewell, then ends the output. */
  private void begin(ControlFrame farewell) {
    if (closing) {
      return;
    }
    startClosing();
    if (!channel.isActive()) {
      channel.close();
      return;
    }
    parts.finishOutbound(status.reason() == CloseReason.SLOW_CONSUMER);
    ByteBuf bytes;
    try {
      bytes = EventCodec.encode(channel.alloc(), farewell);
    } catch (OutOfMemoryError e) {
      channel.close(); // not even the farewell fits: the close is all there is
      return;
    }
    ChannelFuture written = channel.writeAndFlush(bytes);
    written.addListener(
        f -> {
          if (f.isSuccess()) {
            parts.endOutput(status);
          } else {
            channel.close();
          }
        });
  }

  /** Loop: from now on inbound is dropped and the socket closes by the close timeout at most. */
  private void startClosing() {
    closing = true;
    parts.stopAndDiscard();
    timer =
        channel.eventLoop().schedule(
            () -> {
              channel.close();
            },
            closeTimeout.toNanos(),
            TimeUnit.NANOSECONDS);
  }
}
