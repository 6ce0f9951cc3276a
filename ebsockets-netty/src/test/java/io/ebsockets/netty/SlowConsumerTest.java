package io.ebsockets.netty;

import static org.assertj.core.api.Assertions.assertThat;

import io.ebsockets.CloseReason;
import io.ebsockets.CloseStatus;
import io.ebsockets.ConnectionOptions;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A slow consumer is a peer that stays behind, judged over time as well as by bytes: over its
 * outbound limit for the slow-consumer timeout, or twice over at once. One that falls behind
 * for a moment and catches up is not dropped. On {@code EmbeddedChannel} time.
 */
class SlowConsumerTest {
  private static final int LIMIT = 64 << 10;

  private static NettyConnection connect(EmbeddedChannel channel) {
    channel.freezeTime();
    ConnectionOptions options =
        ConnectionOptions.builder()
            .maxFrameLength(LIMIT)
            .maxOutboundBytes(LIMIT)
            .slowConsumerTimeout(Duration.ofSeconds(1))
            .build();
    return TestConnections.open(channel, options, false, new TestConnections.CountingSink());
  }

  /** Queues bytes that the loop does not write yet: the peer is that far behind. */
  private static void behindBy(NettyConnection connection, int bytes) {
    for (int sent = 0; sent < bytes; sent += 1024) {
      connection.enqueue(Unpooled.buffer(1024).writeZero(1024));
    }
  }

  private static void advance(EmbeddedChannel channel, long millis) {
    channel.advanceTimeBy(millis, TimeUnit.MILLISECONDS);
  }

  @Test
  void aPeerThatStaysOverItsLimitForTheTimeoutIsClosed() {
    EmbeddedChannel channel = new EmbeddedChannel();
    NettyConnection connection = connect(channel);
    behindBy(connection, LIMIT + (16 << 10));
    assertThat(connection.isOpen()).as("over, but only just now").isTrue();

    advance(channel, 999);
    connection.judgeOutbound();
    assertThat(connection.isOpen()).isTrue();
    advance(channel, 2);
    connection.judgeOutbound();
    assertThat(connection.closeStatus()).map(CloseStatus::reason)
        .contains(CloseReason.SLOW_CONSUMER);
    assertThat(connection.closeStatus()).map(CloseStatus::message).get().asString()
        .contains("has been for 1001 ms");
    channel.finishAndReleaseAll();
  }

  @Test
  void aPeerThatCatchesUpInTimeStaysAndItsClockStartsAgain() {
    EmbeddedChannel channel = new EmbeddedChannel();
    NettyConnection connection = connect(channel);
    behindBy(connection, LIMIT + (16 << 10));
    advance(channel, 900);
    channel.runPendingTasks(); // the loop catches up: everything is written
    assertThat(connection.pendingOutboundBytes()).isZero();

    behindBy(connection, LIMIT + (16 << 10));
    advance(channel, 900);
    connection.judgeOutbound();
    assertThat(connection.isOpen()).as("900 ms over this time, not 1,800").isTrue();
    channel.finishAndReleaseAll();
  }

  @Test
  void aPeerTwiceOverItsLimitIsClosedAtOnce() {
    EmbeddedChannel channel = new EmbeddedChannel();
    NettyConnection connection = connect(channel);
    behindBy(connection, 2 * LIMIT + 1024);
    assertThat(connection.closeStatus()).map(CloseStatus::message).get().asString()
        .contains("twice over");
    channel.finishAndReleaseAll();
  }
}
