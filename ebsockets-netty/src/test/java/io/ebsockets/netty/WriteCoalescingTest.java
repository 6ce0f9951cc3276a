package io.ebsockets.netty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ebsockets.ConnectionOptions;
import io.ebsockets.EbsocketEvent;
import io.ebsockets.EbsocketServer;
import io.ebsockets.spi.ChannelSink;
import io.netty.channel.embedded.EmbeddedChannel;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The write-coalescing window: a connection not flushed recently is flushed on the loop's next
 * pass; one flushed within the window waits for the window's end, and everything sent meanwhile
 * leaves in that one flush.
 */
class WriteCoalescingTest {

  private static ConnectionOptions options(Duration window) {
    return ConnectionOptions.builder().writeCoalescing(window).build();
  }

  private static final ChannelSink IGNORE = new TestConnections.CountingSink();

  private static NettyConnection connect(EmbeddedChannel channel, Duration window) {
    NettyConnection connection =
        new NettyConnection(
            1, channel, new InetSocketAddress("127.0.0.1", 1),
            new Settings(options(window), false));
    Pipelines.install(channel.pipeline(), connection, new FrameBudget(1 << 20));
    connection.attach(IGNORE);
    return connection;
  }

  /** Reads the frames that reached the socket and returns their event types in order. */
  private static String written(EmbeddedChannel channel) {
    return OutboundFrames.types(channel);
  }

  @Test
  void aBusyConnectionIsFlushedOncePerWindow() {
    EmbeddedChannel channel = new EmbeddedChannel();
    channel.freezeTime();
    NettyConnection connection = connect(channel, Duration.ofMillis(100));

    connection.send(new EbsocketEvent("first"));
    channel.runPendingTasks();
    assertThat(written(channel)).isEqualTo("first"); // not flushed lately: at once

    connection.send(new EbsocketEvent("second"));
    connection.send(new EbsocketEvent("third"));
    channel.runPendingTasks();
    assertThat(written(channel)).isEmpty(); // flushed 0 ms ago: held for the window

    channel.advanceTimeBy(100, TimeUnit.MILLISECONDS);
    channel.runScheduledPendingTasks();
    assertThat(written(channel)).isEqualTo("second third");
    assertThat(channel.finish()).as("messages left in the channel").isFalse();
  }

  @Test
  void aZeroWindowFlushesOnEveryPass() {
    EmbeddedChannel channel = new EmbeddedChannel();
    channel.freezeTime();
    NettyConnection connection = connect(channel, Duration.ZERO);

    connection.send(new EbsocketEvent("first"));
    channel.runPendingTasks();
    connection.send(new EbsocketEvent("second"));
    channel.runPendingTasks();

    assertThat(written(channel)).isEqualTo("first second");
    assertThat(channel.finish()).as("messages left in the channel").isFalse();
  }

  @Test
  void theWindowIsValidated() {
    try (EbsocketServer server = EbsocketServer.builder().port(0).build()) {
      assertThat(server.options().connection().writeCoalescing())
          .isEqualTo(ConnectionOptions.DEFAULT_WRITE_COALESCING)
          .isEqualTo(Duration.ofMillis(1));
    }
    assertThatThrownBy(() -> EbsocketServer.builder().writeCoalescing(Duration.ofMillis(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("window");
    assertThatThrownBy(() -> EbsocketServer.builder().writeCoalescing(Duration.ofMillis(101)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("at most PT0.1S");
  }
}
