package io.ebsockets.netty;

import static org.assertj.core.api.Assertions.assertThat;

import io.ebsockets.CloseReason;
import io.ebsockets.CloseStatus;
import io.ebsockets.ConnectionOptions;
import io.ebsockets.EbsocketEvent;
import io.ebsockets.spi.ChannelSink;
import io.ebsockets.testsupport.WireClient;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Heartbeats on the loop's own clock, driven with {@link EmbeddedChannel#advanceTimeBy}: no wall
 * clock, no waiting. Ping after the ping interval of quiet, close after the idle timeout of
 * silence, and never for a silence this side caused by pausing its reads.
 */
class HeartbeatTest {
  private static final ConnectionOptions HEARTBEATS =
      ConnectionOptions.builder()
          .pingInterval(Duration.ofMillis(100))
          .idleTimeout(Duration.ofMillis(300))
          .build();

  /** If it pauses, stops reading after each event until told it may resume. */
  private static final class PausingSink implements ChannelSink {
    final boolean pauses;
    volatile boolean mayResume;
    volatile CloseStatus closed;

    PausingSink(boolean pauses) {
      this.pauses = pauses;
    }

    @Override
    public boolean received(EbsocketEvent event, int frameBytes) {
      return !pauses;
    }

    @Override
    public boolean readyToResume() {
      return mayResume;
    }

    @Override
    public void closed(CloseStatus status) {
      closed = status;
    }
  }

  private static NettyConnection connect(
      EmbeddedChannel channel, boolean client, ChannelSink sink) {
    channel.freezeTime();
    NettyConnection connection =
        new NettyConnection(
            1, channel, new InetSocketAddress("127.0.0.1", 1), new Settings(HEARTBEATS, client));
    Pipelines.install(channel.pipeline(), connection, new FrameBudget(1 << 20));
    connection.attach(sink);
    // The embedded channel was active before the pipeline was installed.
    channel.pipeline().fireChannelActive();
    channel.runPendingTasks();
    return connection;
  }

  private static void advance(EmbeddedChannel channel, long millis) {
    channel.advanceTimeBy(millis, TimeUnit.MILLISECONDS);
    channel.runPendingTasks(); // the tasks due by now, and the flushes they queue
    channel.runPendingTasks();
  }

  @Test
  void aConnectionWhoseReadingIsPausedIsNotTimedOutForTheSilenceThePauseCaused() {
    EmbeddedChannel channel = new EmbeddedChannel();
    PausingSink sink = new PausingSink(true);
    NettyConnection connection = connect(channel, false, sink);
    channel.writeInbound(Unpooled.wrappedBuffer(WireClient.frame("{\"type\":\"n\"}")));
    assertThat(connection.isReadingPaused()).isTrue();

    for (int i = 0; i < 9; i++) { // three idle timeouts of loop time
      advance(channel, 100);
    }
    assertThat(OutboundFrames.types(channel)).as("no ping, no close while paused").isEmpty();
    assertThat(connection.isOpen()).isTrue();

    sink.mayResume = true;
    connection.resumeReading();
    channel.runPendingTasks();
    assertThat(connection.isReadingPaused()).isFalse();
    StringBuilder written = new StringBuilder();
    for (int i = 0; i < 8 && sink.closed == null && connection.isOpen(); i++) {
      advance(channel, 50);
      written.append(' ').append(OutboundFrames.types(channel));
    }
    assertThat(written.toString().trim().replaceAll("\\s+", " "))
        .as("reading again and silent: pinged, then closed")
        .isEqualTo("ebsockets.ping ebsockets.close");
    assertThat(connection.closeStatus()).map(CloseStatus::reason)
        .contains(CloseReason.IDLE_TIMEOUT);
    assertThat(channel.finish()).as("messages left in the channel").isFalse();
  }

  @Test
  void aPeerThatAnswersEveryPingIsNeverDropped() {
    EmbeddedChannel channel = new EmbeddedChannel();
    NettyConnection connection = connect(channel, false, new PausingSink(false));
    int pings = 0;
    for (int i = 0; i < 40; i++) { // one second of loop time, ten idle timeouts at 25 ms steps
      advance(channel, 25);
      String written = OutboundFrames.types(channel);
      if (written.contains("ebsockets.ping")) {
        pings++;
        channel.writeInbound(Unpooled.wrappedBuffer(
            WireClient.frame("{\"type\":\"ebsockets.pong\",\"data\":{}}")));
      }
      assertThat(written).doesNotContain("ebsockets.close");
    }
    assertThat(pings).isGreaterThanOrEqualTo(5);
    assertThat(connection.isOpen()).isTrue();
    assertThat(channel.finish()).as("messages left in the channel").isFalse();
  }

  @Test
  void aClientAnswersAPingByItselfWithTheSameData() {
    EmbeddedChannel channel = new EmbeddedChannel();
    connect(channel, true, new PausingSink(false));
    assertThat(OutboundFrames.types(channel)).isEqualTo("ebsockets.hello");

    channel.writeInbound(Unpooled.wrappedBuffer(
        WireClient.frame("{\"type\":\"ebsockets.ping\",\"data\":{\"time\":42}}")));
    advance(channel, 2); // past the write-coalescing window the hello's flush opened

    ByteBuf pong = channel.readOutbound();
    try {
      String json = pong.toString(4, pong.readableBytes() - 4, StandardCharsets.UTF_8);
      assertThat(json).contains("\"type\":\"ebsockets.pong\"").contains("\"time\":42");
    } finally {
      pong.release();
    }
    assertThat(channel.finish()).as("messages left in the channel").isFalse();
  }
}
