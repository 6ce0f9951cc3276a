package io.ebsockets.netty;

import io.ebsockets.CloseStatus;
import io.ebsockets.ConnectionOptions;
import io.ebsockets.EbsocketEvent;
import io.ebsockets.spi.ChannelSink;
import io.netty.channel.embedded.EmbeddedChannel;
import java.net.InetSocketAddress;

/** Connections on an {@link EmbeddedChannel}, wired as the transports wire them, for tests. */
final class TestConnections {
  private TestConnections() {}

  /** A sink that takes every event, counts it, and always has room. */
  static class CountingSink implements ChannelSink {
    int events;

    @Override
    public boolean received(EbsocketEvent event, int frameBytes) {
      events++;
      return true;
    }

    @Override
    public boolean readyToResume() {
      return true;
    }

    @Override
    public void closed(CloseStatus status) {}
  }

  /**
   * A connection on {@code channel} with the pipeline installed and {@code sink} attached. The
   * channel was active before the pipeline existed, so {@code channelActive} is not fired: call
   * {@code channel.pipeline().fireChannelActive()} for the hello and the heartbeat.
   */
  static NettyConnection open(
      EmbeddedChannel channel, ConnectionOptions options, boolean client, ChannelSink sink) {
    return open(channel, 1, new Settings(options, client), sink);
  }

  /** The same, with the side's settings given (a write backlog of its own, say) and an id. */
  static NettyConnection open(EmbeddedChannel channel, long id, Settings settings, ChannelSink sink) {
    NettyConnection connection =
        new NettyConnection(id, channel, new InetSocketAddress("127.0.0.1", 1), settings);
    Pipelines.install(channel.pipeline(), connection, new FrameBudget(1 << 20));
    connection.attach(sink);
    return connection;
  }
}
