package io.ebsockets.netty;

import static org.assertj.core.api.Assertions.assertThat;

import io.ebsockets.CloseReason;
import io.ebsockets.CloseStatus;
import io.ebsockets.ConnectionOptions;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The server-wide outbound budget: when what all connections have waiting is over it, the ones
 * with the largest backlogs are closed as {@code slow_consumer}, largest first, until it is
 * under; the small ones (readers that keep up) stay. What a frame costs is counted, not only its
 * payload: many tiny frames weigh what they really take.
 */
class OutboundBudgetTest {
  private final List<EmbeddedChannel> channels = new ArrayList<>();

  private NettyConnection connection() {
    EmbeddedChannel channel = new StuckChannel();
    channels.add(channel);
    return TestConnections.open(
        channel,
        // each write flushed in the loop's next pass
        ConnectionOptions.builder().writeCoalescing(Duration.ZERO).build(),
        false,
        new TestConnections.CountingSink());
  }

  /**
   * Sends {@code count} frames of {@code bytes} each, and lets the loop write them to a socket
   * that takes none, so they wait.
   */
  private void queue(NettyConnection connection, int count, int bytes) {
    for (int i = 0; i < count; i++) {
      ByteBuf frame = Unpooled.buffer(bytes).writeZero(bytes);
      connection.handOut(frame);
    }
    channels.forEach(EmbeddedChannel::runPendingTasks);
  }

  @Test
  void theLargestBacklogsAreClosedFirstUntilTheTotalIsUnderTheBudget() {
    List<NettyConnection> all = new ArrayList<>();
    NettyConnection reader = connection();
    queue(reader, 10, 100); // a reader that keeps up: a few frames between flushes
    all.add(reader);
    List<NettyConnection> laggards = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      NettyConnection laggard = connection();
      queue(laggard, 1_000 + 100 * i, 50); // far under maxOutboundBytes, each of them
      laggards.add(laggard);
      all.add(laggard);
    }
    long oneLaggard = laggards.get(0).outboundCost();
    assertThat(oneLaggard)
        .as("1,000 frames of 50 bytes cost more than 50 kB")
        .isGreaterThan(1_000L * (50 + OutboundQueue.QUEUED_FRAME_OVERHEAD) - 1);

    long budget = 13 * oneLaggard / 2;
    OutboundBudget sweeper = new OutboundBudget(budget, all, () -> 0L, channels.get(0).eventLoop());
    long total = sweeper.sweep();
    sweeper.stop();

    assertThat(total).isGreaterThan(budget);
    List<Integer> closed = new ArrayList<>();
    for (int i = 0; i < laggards.size(); i++) {
      if (!laggards.get(i).isOpen()) {
        closed.add(i);
      }
    }
    assertThat(closed).as("the largest, until under").containsExactly(5, 6, 7, 8, 9);
    assertThat(laggards.get(9).closeStatus()).map(CloseStatus::reason)
        .isEqualTo(Optional.of(CloseReason.SLOW_CONSUMER));
    assertThat(laggards.get(9).closeStatus()).map(CloseStatus::message).get().asString()
        .contains("over the server's budget of " + budget);
    assertThat(reader.isOpen()).as("the reader").isTrue();
    long left = all.stream().filter(NettyConnection::isOpen)
        .mapToLong(NettyConnection::outboundCost).sum();
    assertThat(left).isLessThanOrEqualTo(budget);
    channels.forEach(EmbeddedChannel::finishAndReleaseAll);
  }

  @Test
  void underTheBudgetNobodyIsClosed() {
    List<NettyConnection> all = List.of(connection(), connection());
    queue(all.get(0), 100, 100);
    OutboundBudget sweeper =
        new OutboundBudget(1 << 20, all, () -> 0L, channels.get(0).eventLoop());
    sweeper.sweep();
    sweeper.stop();
    assertThat(all).allMatch(NettyConnection::isOpen);
    channels.forEach(EmbeddedChannel::finishAndReleaseAll);
  }

  /**
   * While nothing is sent the sweep runs once in ten ticks (idle servers stay idle); the tick
   * after a send sweeps.
   */
  @Test
  void aTickSweepsAfterASendAndOtherwiseOnceInTenTicks() {
    NettyConnection laggard = connection();
    queue(laggard, 1_000, 50);
    AtomicLong sent = new AtomicLong();
    OutboundBudget sweeper =
        new OutboundBudget(1_000, List.of(laggard), sent::get, channels.get(0).eventLoop());
    sweeper.stop();
    for (int i = 1; i < OutboundBudget.IDLE_TICKS; i++) {
      sweeper.tick();
    }
    assertThat(laggard.isOpen()).as("nine quiet ticks, no sweep").isTrue();
    sweeper.tick();
    assertThat(laggard.isOpen()).as("the tenth sweeps").isFalse();

    NettyConnection next = connection();
    queue(next, 1_000, 50);
    OutboundBudget again =
        new OutboundBudget(1_000, List.of(next), sent::get, channels.get(0).eventLoop());
    again.stop();
    again.tick();
    assertThat(next.isOpen()).as("quiet tick").isTrue();
    sent.incrementAndGet();
    again.tick();
    assertThat(next.isOpen()).as("the tick after a send sweeps").isFalse();
    channels.forEach(EmbeddedChannel::finishAndReleaseAll);
  }
}
