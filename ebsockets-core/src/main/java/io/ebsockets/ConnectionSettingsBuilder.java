package io.ebsockets;

import java.time.Duration;

/**
 * The per-connection settings that {@link EbsocketServer.Builder} and {@link
 * EbsocketClient.Builder} share. Every setter validates its argument; a {@link Duration#ZERO}
 * interval or timeout switches that mechanism off.
 *
 * @param <B> the concrete builder, returned by each setter for chaining
 */
abstract class ConnectionSettingsBuilder<B extends ConnectionSettingsBuilder<B>> {
  final ConnectionOptions.Builder connection = new ConnectionOptions.Builder();

  abstract B self();

  /**
   * Sets the largest payload of one frame, in both directions; it is announced to the peer.
   *
   * @param maxFrameLength bytes, not counting the 4-byte length prefix; default {@value
   *     ConnectionOptions#DEFAULT_MAX_FRAME_LENGTH}
   * @return this builder
   */
  public B maxFrameLength(int maxFrameLength) {
    connection.maxFrameLength = Checks.positive(maxFrameLength, "maxFrameLength");
    return self();
  }

  /**
   * Sets how long a closing connection waits for its peer to close after the farewell frame.
   *
   * @param closeTimeout greater than zero; default {@link ConnectionOptions#DEFAULT_CLOSE_TIMEOUT}
   * @return this builder
   */
  public B closeTimeout(Duration closeTimeout) {
    connection.closeTimeout = Checks.positive(closeTimeout, "closeTimeout");
    return self();
  }

  /**
   * Sets how long a connection may receive nothing before this side pings the peer.
   *
   * @param pingInterval zero (off) or more; default {@link ConnectionOptions#DEFAULT_PING_INTERVAL}
   * @return this builder
   */
  public B pingInterval(Duration pingInterval) {
    connection.pingInterval = Checks.nonNegative(pingInterval, "pingInterval");
    return self();
  }

  /**
   * Sets how long a connection may receive nothing before the peer is taken for dead and the
   * connection closed ({@link CloseReason#IDLE_TIMEOUT}).
   *
   * @param idleTimeout zero (off) or more; default {@link ConnectionOptions#DEFAULT_IDLE_TIMEOUT}
   * @return this builder
   */
  public B idleTimeout(Duration idleTimeout) {
    connection.idleTimeout = Checks.nonNegative(idleTimeout, "idleTimeout");
    return self();
  }

  /**
   * Sets how long a started frame has to arrive whole.
   *
   * @param frameTimeout zero (off) or more; default {@link ConnectionOptions#DEFAULT_FRAME_TIMEOUT}
   * @return this builder
   */
  public B frameTimeout(Duration frameTimeout) {
    connection.frameTimeout = Checks.nonNegative(frameTimeout, "frameTimeout");
    return self();
  }

  /**
   * Sets the outbound limit: bytes queued for the peer but not yet written. A peer that reads
   * too slowly to stay under it is closed with {@link CloseReason#SLOW_CONSUMER}.
   *
   * @param maxOutboundBytes at least the max frame length; default {@value
   *     ConnectionOptions#DEFAULT_MAX_OUTBOUND_BYTES}
   * @return this builder
   */
  public B maxOutboundBytes(int maxOutboundBytes) {
    connection.maxOutboundBytes = Checks.positive(maxOutboundBytes, "maxOutboundBytes");
    return self();
  }
}
