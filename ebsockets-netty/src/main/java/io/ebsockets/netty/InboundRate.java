package io.ebsockets.netty;

import io.ebsockets.ConnectionOptions;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.TimeMeter;
import io.github.bucket4j.local.LocalBucket;
import io.github.bucket4j.local.SynchronizationStrategy;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.Ticker;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * One connection's inbound rate limit ({@link ConnectionOptions#maxInboundEventsPerSecond()},
 * {@link ConnectionOptions#maxInboundBytesPerSecond()}): a token bucket for events and one for
 * bytes (Bucket4j), each holding one second's worth as its burst. Every event is charged after it
 * was read, so nothing is refused; a peer that overdraws is not read ({@link ReadGate.Reason#RATE}),
 * and the frames its last read had already split off wait undecoded ({@link HeldFrames}), until
 * the buckets are back in credit.
 *
 * <p><b>Threads.</b> The connection's event loop only; the buckets run on the loop's clock, so
 * that a test can drive them with {@code EmbeddedChannel} time.
 */
final class InboundRate {
  private final EventLoop loop;
  private final Ticker clock;
  private final ReadGate gate;
  private final Runnable inCredit;
  private final LocalBucket events;
  private final LocalBucket bytes;
  /** On {@link #clock}: when the buckets are back in credit, if reading is paused for them. */
  private long creditAt;
  private boolean timerSet;

  private InboundRate(
      EventLoop loop,
      Ticker clock,
      ReadGate gate,
      Runnable inCredit,
      LocalBucket events,
      LocalBucket bytes) {
    this.loop = loop;
    this.clock = clock;
    this.gate = gate;
    this.inCredit = inCredit;
    this.events = events;
    this.bytes = bytes;
  }

  /**
   * The limit the options ask for, or null if they ask for none.
   *
   * @param gate closed for {@link ReadGate.Reason#RATE} while the peer is over its limit
   * @param inCredit run on the loop when it is back within it, after the gate has opened
   */
  static InboundRate of(
      ConnectionOptions options, EventLoop loop, ReadGate gate, Runnable inCredit) {
    Ticker clock = LoopClock.of(loop);
    int eventsPerSecond = options.maxInboundEventsPerSecond();
    long bytesPerSecond = options.maxInboundBytesPerSecond();
    if (eventsPerSecond == 0 && bytesPerSecond == 0) {
      return null;
    }
    TimeMeter meter =
        new TimeMeter() {
          @Override
          public long currentTimeNanos() {
            return clock.nanoTime();
          }

          @Override
          public boolean isWallClockBased() {
            return false;
          }
        };
    return new InboundRate(
        loop, clock, gate, inCredit, bucket(eventsPerSecond, meter), bucket(bytesPerSecond, meter));
  }

  private static LocalBucket bucket(long perSecond, TimeMeter meter) {
    if (perSecond == 0) {
      return null;
    }
    return Bucket.builder()
        .addLimit(limit -> limit.capacity(perSecond).refillGreedy(perSecond, Duration.ofSeconds(1)))
        .withCustomTimePrecision(meter)
        .withSynchronizationStrategy(SynchronizationStrategy.NONE)
        .build();
  }

  /**
   * Charges one event of {@code frameBytes}; if the peer is now over its limit, stops reading it
   * until it is back within, however many more events the same read still hands over.
   */
  void charge(int frameBytes) {
    long wait = 0;
    if (events != null) {
      wait = events.consumeIgnoringRateLimits(1);
    }
    if (bytes != null) {
      wait = Math.max(wait, bytes.consumeIgnoringRateLimits(frameBytes));
    }
    if (wait > 0) {
      creditAt = Math.max(creditAt, clock.nanoTime() + wait);
      gate.close(ReadGate.Reason.RATE);
      if (!timerSet) {
        timerSet = true;
        loop.schedule(this::reopen, wait, TimeUnit.NANOSECONDS);
      }
    }
  }

  /** True while the peer is over its limit. */
  boolean isOver() {
    return gate.holds(ReadGate.Reason.RATE);
  }

  private void reopen() {
    long left = creditAt - clock.nanoTime();
    if (left > 0) {
      loop.schedule(this::reopen, left, TimeUnit.NANOSECONDS);
      return;
    }
    timerSet = false;
    if (gate.open(ReadGate.Reason.RATE)) {
      inCredit.run();
    }
  }
}
