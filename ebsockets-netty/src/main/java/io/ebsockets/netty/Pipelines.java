package io.ebsockets.netty;

import io.netty.channel.ChannelPipeline;

/** Builds a connection's pipeline, the same on both sides. */
final class Pipelines {
  private Pipelines() {}

  /**
   * Installs, in order: {@link FrameDecoder} (4-byte length framing, partial-frame budget and
   * timeout), {@link JsonEventDecoder} (payload to event) and {@link ConnectionHandler} (events
   * to the sink). Outbound frames are encoded before they reach the pipeline, so nothing
   * outbound is installed.
   */
  static void install(ChannelPipeline pipeline, NettyConnection connection, FrameBudget budget) {
    Settings settings = connection.settings();
    pipeline.addLast(
        "frames",
        new FrameDecoder(
            settings.options().maxFrameLength(),
            connection,
            budget,
            settings.options().frameTimeout().toNanos()));
    pipeline.addLast("events", JsonEventDecoder.INSTANCE);
    pipeline.addLast(ConnectionHandler.NAME, new ConnectionHandler(connection));
  }
}
