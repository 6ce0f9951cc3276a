package io.ebsockets.netty;

import static org.assertj.core.api.Assertions.assertThat;

import io.ebsockets.ConnectionOptions;
import io.ebsockets.EbsocketEvent;
import io.ebsockets.spi.ChannelSink;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A peer over its inbound rate limit is not read until it is back within it: backpressure on
 * the loop's clock, nothing dropped. Driven with {@code EmbeddedChannel} time.
 */
class InboundRateTest {
  private static ByteBuf frames(int count, int padding) {
    CompositeByteBuf all = ByteBufAllocator.DEFAULT.compositeBuffer(count);
    for (int i = 0; i < count; i++) {
      all.addComponent(
          true,
          EventCodec.encode(
              ByteBufAllocator.DEFAULT,
              new EbsocketEvent("chat").with("pad", "x".repeat(padding)),
              1 << 20));
    }
    return all;
  }

  private static NettyConnection connect(
      EmbeddedChannel channel, ConnectionOptions options, ChannelSink sink) {
    channel.freezeTime();
    return TestConnections.open(channel, options, false, sink);
  }

  private static void advance(EmbeddedChannel channel, int millis) {
    for (int i = 0; i < millis; i++) {
      channel.advanceTimeBy(1, TimeUnit.MILLISECONDS);
      channel.runScheduledPendingTasks();
    }
  }

  @Test
  void aPeerOverItsEventRateGetsItsEventsAtThatRateAndNothingIsDropped() {
    EmbeddedChannel channel = new EmbeddedChannel();
    TestConnections.CountingSink sink = new TestConnections.CountingSink();
    NettyConnection connection =
        connect(channel, ConnectionOptions.builder().inboundRateLimit(100, 0).build(), sink);

    channel.writeInbound(frames(100, 0)); // one second's burst: within the limit
    assertThat(sink.events).isEqualTo(100);
    assertThat(connection.isReadingPaused()).isFalse();

    // One read of 50 more: the first overdraws, the rest wait undecoded, one per 10 ms.
    channel.writeInbound(frames(50, 0));
    assertThat(sink.events).isEqualTo(101);
    assertThat(connection.heldFrames().size()).isEqualTo(49);
    assertThat(connection.isReadingPaused()).isTrue();

    advance(channel, 245);
    assertThat(sink.events).isBetween(123, 126);
    advance(channel, 300);
    assertThat(sink.events).as("nothing dropped").isEqualTo(150);
    assertThat(connection.heldFrames().size()).isZero();
    advance(channel, 20);
    assertThat(connection.isReadingPaused()).isFalse();
    assertThat(channel.finish()).as("messages left in the channel").isFalse();
  }

  @Test
  void aPeerOverItsByteRateIsPausedLikewise() {
    EmbeddedChannel channel = new EmbeddedChannel();
    TestConnections.CountingSink sink = new TestConnections.CountingSink();
    NettyConnection connection =
        connect(channel, ConnectionOptions.builder().inboundRateLimit(0, 10_000).build(), sink);

    channel.writeInbound(frames(30, 1_000)); // about 30 kB: two seconds over 10 kB/s
    assertThat(sink.events).as("the first second's worth, and one that overdraws").isEqualTo(10);
    assertThat(connection.isReadingPaused()).isTrue();
    advance(channel, 2_000);
    assertThat(sink.events).isBetween(28, 30);
    advance(channel, 500);
    assertThat(sink.events).isEqualTo(30);
    assertThat(channel.finish()).as("messages left in the channel").isFalse();
  }

  @Test
  void withoutALimitNothingIsPaused() {
    EmbeddedChannel channel = new EmbeddedChannel();
    TestConnections.CountingSink sink = new TestConnections.CountingSink();
    NettyConnection connection = connect(channel, ConnectionOptions.defaults(), sink);
    channel.writeInbound(frames(10_000, 0));
    assertThat(sink.events).isEqualTo(10_000);
    assertThat(connection.isReadingPaused()).isFalse();
    assertThat(channel.finish()).as("messages left in the channel").isFalse();
  }
}
