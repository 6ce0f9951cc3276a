package io.ebsockets.netty;

import io.netty.channel.EventLoop;
import io.netty.util.concurrent.AbstractScheduledEventExecutor;
import io.netty.util.concurrent.Ticker;

/**
 * The clock an event loop's scheduled tasks run on, for everything a connection times (its
 * heartbeat, its rate limit, how long it has been over its outbound limit): an {@code
 * EmbeddedChannel}'s can be driven by a test with {@code advanceTimeBy}.
 */
final class LoopClock {
  private LoopClock() {}

  static Ticker of(EventLoop loop) {
    return loop instanceof AbstractScheduledEventExecutor scheduled
        ? scheduled.ticker()
        : Ticker.systemTicker();
  }
}
