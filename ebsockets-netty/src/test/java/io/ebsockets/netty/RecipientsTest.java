package io.ebsockets.netty;

import static org.assertj.core.api.Assertions.assertThat;

import io.ebsockets.CloseReason;
import io.ebsockets.ConnectionOptions;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A broadcast's recipients, gathered on the sending thread, reach each event loop as one handout:
 * every recipient gets the frame once, whichever loop it is on; one that is closing by the time
 * its loop gets to it is skipped; and the write backlog the handouts charged is back to zero once
 * everything is written. Each {@link EmbeddedChannel} is a loop of its own.
 */
class RecipientsTest {
  private final WriteBacklog backlog = new WriteBacklog(1 << 20, null);
  private final Settings settings =
      new Settings(
          ConnectionOptions.builder().writeCoalescing(Duration.ZERO).build(), false, backlog);
  private final List<EmbeddedChannel> channels = new ArrayList<>();

  private NettyConnection connection() {
    EmbeddedChannel channel = new EmbeddedChannel();
    channels.add(channel);
    return TestConnections.open(
        channel, channels.size(), settings, new TestConnections.CountingSink());
  }

  @AfterEach
  void finish() {
    channels.forEach(EmbeddedChannel::finishAndReleaseAll);
  }

  @Test
  void recipientsOnSeveralLoopsEachGetTheFrameOnceAndTheBacklogReturnsToZero() {
    List<NettyConnection> connections = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      connections.add(connection());
    }
    // Five loops: the gathering has to split the recipients by loop.
    ByteBuf frame = Unpooled.copiedBuffer("one frame", StandardCharsets.UTF_8);
    Recipients recipients = Recipients.take();
    try {
      connections.forEach(recipients::add);
      assertThat(recipients.handOut(frame, backlog)).isEqualTo(5);
    } finally {
      recipients.clear();
      frame.release();
    }
    assertThat(backlog.queued()).isEqualTo(5L * "one frame".length());

    channels.forEach(EmbeddedChannel::runPendingTasks);
    for (EmbeddedChannel channel : channels) {
      ByteBuf written = channel.readOutbound();
      assertThat(written.toString(StandardCharsets.UTF_8)).isEqualTo("one frame");
      written.release();
      assertThat(channel.<ByteBuf>readOutbound()).as("once").isNull();
    }
    assertThat(backlog.queued()).isZero();
    assertThat(frame.refCnt()).as("every view released").isZero();
  }

  @Test
  void aRecipientClosingBeforeItsLoopGetsToTheHandoutIsSkippedAndUncharged() {
    NettyConnection open = connection();
    NettyConnection closing = connection();
    ByteBuf frame = Unpooled.copiedBuffer("late", StandardCharsets.UTF_8);
    Recipients recipients = Recipients.take();
    try {
      recipients.add(open);
      recipients.add(closing);
      assertThat(recipients.handOut(frame, backlog)).isEqualTo(2);
    } finally {
      recipients.clear();
      frame.release();
    }
    closing.close(CloseReason.KICKED, "bye"); // on its loop, before the handout's task
    channels.forEach(EmbeddedChannel::runPendingTasks);

    ByteBuf toOpen = channels.get(0).readOutbound();
    assertThat(toOpen.toString(StandardCharsets.UTF_8)).isEqualTo("late");
    toOpen.release();
    ByteBuf toClosing = channels.get(1).readOutbound();
    assertThat(toClosing.toString(StandardCharsets.UTF_8))
        .as("its farewell, not the frame").contains("ebsockets.close");
    toClosing.release();
    assertThat(backlog.queued()).isZero();
  }
}
