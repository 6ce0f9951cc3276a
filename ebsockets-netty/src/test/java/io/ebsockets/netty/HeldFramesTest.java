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
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A sink that has no room gets no further event, not even one the last read had already split
 * off: such frames wait undecoded, and arrive in order once the sink is ready again.
 */
class HeldFramesTest {
  /** Has room for {@code room} events at a time; records what it got. */
  private static final class SmallSink implements ChannelSink {
    final List<String> got = new ArrayList<>();
    int room;

    SmallSink(int room) {
      this.room = room;
    }

    @Override
    public boolean received(EbsocketEvent event, int frameBytes) {
      got.add(event.type());
      room--;
      return true; // it says nothing here: only acceptsMore stops the next one
    }

    @Override
    public boolean acceptsMore() {
      return room > 0;
    }

    @Override
    public boolean readyToResume() {
      return room > 0;
    }

    @Override
    public void closed(CloseStatus status) {}
  }

  private static ByteBuf frames(String... types) {
    CompositeByteBuf all = ByteBufAllocator.DEFAULT.compositeBuffer();
    for (String type : types) {
      all.addComponent(
          true, EventCodec.encode(ByteBufAllocator.DEFAULT, new EbsocketEvent(type), 1 << 20));
    }
    return all;
  }

  @Test
  void framesThatArriveWhileTheSinkIsFullWaitUndecodedAndArriveInOrder() {
    EmbeddedChannel channel = new EmbeddedChannel();
    SmallSink sink = new SmallSink(2);
    NettyConnection connection =
        TestConnections.open(channel, ConnectionOptions.defaults(), false, sink);

    channel.writeInbound(frames("a", "b", "c", "d", "e"));
    assertThat(sink.got).containsExactly("a", "b");
    assertThat(connection.heldFrames().size()).isEqualTo(3);
    assertThat(connection.isReadingPaused()).isTrue();

    sink.room = 2;
    connection.resumeReading();
    channel.runPendingTasks();
    assertThat(sink.got).containsExactly("a", "b", "c", "d");
    assertThat(connection.isReadingPaused()).as("full again").isTrue();

    sink.room = 10;
    connection.resumeReading();
    channel.runPendingTasks();
    assertThat(sink.got).containsExactly("a", "b", "c", "d", "e");
    assertThat(connection.heldFrames().size()).isZero();
    assertThat(connection.isReadingPaused()).isFalse();
    assertThat(channel.finish()).as("messages left in the channel").isFalse();
  }

  @Test
  void framesStillHeldWhenTheConnectionEndsAreDeliveredAndReleased() {
    EmbeddedChannel channel = new EmbeddedChannel();
    SmallSink sink = new SmallSink(0);
    NettyConnection connection =
        TestConnections.open(channel, ConnectionOptions.defaults(), false, sink);
    ByteBuf input = frames("a", "b");
    channel.writeInbound(input);
    assertThat(connection.heldFrames().size()).isEqualTo(2);
    channel.close();
    assertThat(sink.got).as("they arrived before the end").containsExactly("a", "b");
    assertThat(connection.heldFrames().size()).isZero();
    assertThat(input.refCnt()).as("the read buffer, freed with the held frames").isZero();
    channel.finishAndReleaseAll();
  }
}
