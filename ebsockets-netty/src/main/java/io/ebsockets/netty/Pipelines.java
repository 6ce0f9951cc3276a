package io.ebsockets.netty;

import io.netty.channel.ChannelPipeline;
import io.netty.handler.ssl.SslHandler;

/** Builds a connection's pipeline, the same on both sides. */
final class Pipelines {
  /** The name of the {@code SslHandler}, on either door. */
  static final String TLS = "tls";

  private Pipelines() {}

  /**
   * Installs, in order: {@link ReadGate} (outbound: no read while a reason to pause holds),
   * {@link FrameDecoder} (4-byte length framing, partial-frame budget and
   * timeout), {@link HeldFrames} (frames wait there while the sink has no room), {@link
   * JsonEventDecoder} (payload to event), {@link ControlHandler} (the
   * library's own frames) and {@link ConnectionHandler} (events to the sink). Outbound frames
   * are encoded before they reach the pipeline, so the gate is the only outbound stage.
   */
  static void install(ChannelPipeline pipeline, NettyConnection connection, FrameBudget budget) {
    install(pipeline, connection, budget, null);
  }

  /**
   * Installs the same, behind {@link TlsGuard} and {@code tls} when {@code tls} is not null.
   */
  static void install(
      ChannelPipeline pipeline, NettyConnection connection, FrameBudget budget, SslHandler tls) {
    Settings settings = connection.settings();
    pipeline.addLast(ReadGate.NAME, connection.readGate());
    if (tls != null) {
      pipeline.addLast(TlsGuard.NAME, new TlsGuard(connection));
      pipeline.addLast(TLS, tls);
    }
    pipeline.addLast(
        "frames",
        new FrameDecoder(
            settings.options().maxFrameLength(),
            connection,
            budget,
            settings.options().frameTimeout().toNanos()));
    addProtocol(pipeline, connection);
  }

  /**
   * Installs the stages every door shares, after its framing: {@link HeldFrames}, {@link
   * JsonEventDecoder}, {@link ControlHandler}, {@link ConnectionHandler}.
   */
  static void addProtocol(ChannelPipeline pipeline, NettyConnection connection) {
    Settings settings = connection.settings();
    pipeline.addLast(HeldFrames.NAME, connection.heldFrames());
    pipeline.addLast("events", JsonEventDecoder.INSTANCE);
    pipeline.addLast(
        ControlHandler.NAME,
        new ControlHandler(settings.client(), settings.options(), connection.controlPeer()));
    pipeline.addLast(ConnectionHandler.NAME, new ConnectionHandler(connection));
  }
}
