package io.ebsockets.netty;

import static org.assertj.core.api.Assertions.assertThat;

import io.ebsockets.CloseStatus;
import io.ebsockets.ConnectionOptions;
import io.ebsockets.EbsocketEvent;
import io.ebsockets.spi.ChannelSink;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The transport tells a sink {@code readComplete} once after each pass of reads that delivered
 * events — after those events, never per event, never after {@code closed} — which is what lets
 * the pump be woken once per pass.
 */
class ReadCompleteTest {
  private static ConnectionOptions options;

  @BeforeAll
  static void defaultOptions() {
    options = ConnectionOptions.defaults();
  }

  /** Records the calls in order: "event:<type>", "readComplete", "closed". */
  private static final class RecordingSink implements ChannelSink {
    final List<String> calls = new ArrayList<>();

    @Override
    public boolean received(EbsocketEvent event, int frameBytes) {
      calls.add("event:" + event.type());
      return true;
    }

    @Override
    public void readComplete() {
      calls.add("readComplete");
    }

    @Override
    public boolean readyToResume() {
      return true;
    }

    @Override
    public void closed(CloseStatus status) {
      calls.add("closed");
    }
  }

  private static EmbeddedChannel connect(RecordingSink sink) {
    EmbeddedChannel channel = new EmbeddedChannel();
    NettyConnection connection =
        new NettyConnection(
            1, channel, new InetSocketAddress("127.0.0.1", 1), new Settings(options, false));
    Pipelines.install(channel.pipeline(), connection, new FrameBudget(1 << 20));
    connection.attach(sink);
    assertThat(connection.reportsReadComplete()).isTrue();
    return channel;
  }

  /** Frames for events of the given types, in one buffer: what one socket read may return. */
  private static ByteBuf frames(String... types) {
    CompositeByteBuf all = ByteBufAllocator.DEFAULT.compositeBuffer();
    for (String type : types) {
      all.addComponent(
          true,
          EventCodec.encode(ByteBufAllocator.DEFAULT, new EbsocketEvent(type), 1 << 20));
    }
    return all;
  }

  @Test
  void onceAfterAllTheEventsOfARead() {
    RecordingSink sink = new RecordingSink();
    EmbeddedChannel channel = connect(sink);

    channel.writeInbound(frames("a", "b", "c")); // runs the loop's pending tasks afterwards
    channel.writeInbound(frames("d"));

    assertThat(sink.calls)
        .containsExactly(
            "event:a", "event:b", "event:c", "readComplete", "event:d", "readComplete");
    assertThat(channel.finish()).as("messages left in the channel").isFalse();
  }

  @Test
  void notForAReadWithoutEvents() {
    RecordingSink sink = new RecordingSink();
    EmbeddedChannel channel = connect(sink);
    ByteBuf partial = frames("whole");
    ByteBuf firstHalf = partial.readRetainedSlice(partial.readableBytes() / 2);

    channel.writeInbound(firstHalf); // half a frame: nothing delivered, nothing to complete
    assertThat(sink.calls).isEmpty();
    channel.writeInbound(partial);

    assertThat(sink.calls).containsExactly("event:whole", "readComplete");
    assertThat(channel.finish()).as("messages left in the channel").isFalse();
  }

  @Test
  void neverAfterClosed() {
    RecordingSink sink = new RecordingSink();
    EmbeddedChannel channel = connect(sink);

    // The event is delivered, then the connection ends in the same pass, before the loop runs
    // its tasks (a real close reports the end in a task queued behind readComplete's).
    channel.pipeline().fireChannelRead(frames("last"));
    channel.pipeline().fireChannelInactive();
    channel.runPendingTasks();

    assertThat(sink.calls).containsExactly("event:last", "closed");
    assertThat(channel.finish()).as("messages left in the channel").isFalse();
  }
}
