package io.ebsockets.netty;

import io.ebsockets.ConnectionOptions;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import io.netty.util.concurrent.Ticker;
import java.util.concurrent.TimeUnit;

/**
 * One connection's heartbeat: pings a peer that has been quiet for the ping interval, and ends
 * one that has been silent for the idle timeout. Silence this side caused, by not reading, never
 * counts. It runs on the loop's own clock ({@link Ticker}), the clock its scheduled tasks run on,
 * so that a test can drive it with {@code EmbeddedChannel.advanceTimeBy}; and it schedules
 * itself once for the next time something is due, not on a fixed tick.
 *
 * <p><b>Threads.</b> The connection's event loop only.
 */
final class Heartbeat {
  /** What the heartbeat needs of its connection. */
  interface Peer {
    /** True once the connection is closing: the heartbeat stops. */
    boolean isClosing();

    /** True while this side does not read, so silence is not the peer's. */
    boolean isReadingPaused();

    /** Sends the peer a ping. */
    void ping();

    /** The peer has been silent for the idle timeout: close it, saying so. */
    void idle(String message);
  }

  private final EventLoop loop;
  private final Ticker clock;
  private final long pingIntervalNanos;
  private final long idleTimeoutNanos;
  private final Peer peer;
  /** When bytes last arrived, on {@link #clock}. */
  private long lastReadNanos;
  /** A ping was sent since bytes last arrived. */
  private boolean pingSent;
  private ScheduledFuture<?> next;

  Heartbeat(EventLoop loop, ConnectionOptions options, Peer peer) {
    this.loop = loop;
    this.clock = LoopClock.of(loop);
    this.pingIntervalNanos = options.pingInterval().toNanos();
    this.idleTimeoutNanos = options.idleTimeout().toNanos();
    this.peer = peer;
    this.lastReadNanos = clock.nanoTime();
  }

  /** The connection is up: silence is measured from now. */
  void start() {
    lastReadNanos = clock.nanoTime();
    run();
  }

  /** Bytes arrived. */
  void readActivity() {
    lastReadNanos = clock.nanoTime();
    pingSent = false;
  }

  /** The connection is closing or closed. */
  void stop() {
    if (next != null) {
      next.cancel(false);
      next = null;
    }
  }

  /** Pings a quiet peer, closes a silent one, and schedules itself for the next due time. */
  private void run() {
    next = null;
    if (peer.isClosing()) {
      return;
    }
    long now = clock.nanoTime();
    if (peer.isReadingPaused()) {
      lastReadNanos = now; // the silence is ours, not the peer's
    }
    long quiet = now - lastReadNanos;
    if (idleTimeoutNanos > 0 && quiet >= idleTimeoutNanos) {
      peer.idle("nothing received for " + TimeUnit.NANOSECONDS.toMillis(quiet) + " ms");
      return;
    }
    if (pingIntervalNanos > 0 && quiet >= pingIntervalNanos && !pingSent) {
      peer.ping();
      pingSent = true;
    }
    long due = Long.MAX_VALUE;
    if (pingIntervalNanos > 0 && !pingSent) {
      due = Math.min(due, lastReadNanos + pingIntervalNanos - now);
    }
    if (idleTimeoutNanos > 0) {
      due = Math.min(due, lastReadNanos + idleTimeoutNanos - now);
    }
    if (due != Long.MAX_VALUE) {
      long delay = Math.max(due, TimeUnit.MILLISECONDS.toNanos(1));
      next = loop.schedule(this::run, delay, TimeUnit.NANOSECONDS);
    }
  }
}
