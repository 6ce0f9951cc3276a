package io.ebsockets;

import io.ebsockets.spi.WireProtocol;
import java.time.Duration;

/**
 * The per-connection settings that {@link EbsocketServer.Builder} and {@link
 * EbsocketClient.Builder} share. Every setter validates its argument; a {@link Duration#ZERO}
 * interval or timeout switches that mechanism off.
 *
 * @param <B> the concrete builder, returned by each setter for chaining
 */
abstract class ConnectionSettingsBuilder<B extends ConnectionSettingsBuilder<B>> {
  final ConnectionOptions.Fields connection = new ConnectionOptions.Fields();

  abstract B self();

  /**
   * Sets the largest payload of one frame, in both directions; it is announced to the peer.
   *
   * @param maxFrameLength bytes, not counting the 4-byte length prefix; at least {@value
   *     io.ebsockets.spi.WireProtocol#MIN_MAX_FRAME_LENGTH}, the smallest a peer may announce;
   *     default {@value ConnectionOptions#DEFAULT_MAX_FRAME_LENGTH}
   * @return this builder
   * @throws IllegalArgumentException if {@code maxFrameLength} is below the minimum
   */
  public B maxFrameLength(int maxFrameLength) {
    if (maxFrameLength < WireProtocol.MIN_MAX_FRAME_LENGTH) {
      throw new IllegalArgumentException(
          "maxFrameLength: " + maxFrameLength + " (expected: at least "
              + WireProtocol.MIN_MAX_FRAME_LENGTH
              + ", the smallest a peer may announce; every control frame fits in it)");
    }
    connection.maxFrameLength = maxFrameLength;
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

  /**
   * Sets how long writes to a busy connection may be held so that they leave in fewer, larger
   * socket writes. A connection that was not flushed within the last {@code window} is flushed on
   * the next pass of its event loop; one that was is flushed when the window since its last flush
   * ends. A quiet connection (a chat at human pace, a request now and then) therefore waits for
   * nothing, while one receiving thousands of events a second is written at most once per window:
   * on a busy server most of the cost of a broadcast is the system call per connection and flush,
   * and the CPU this saves is what keeps latency low under load.
   *
   * @param window zero (flush on every pass) up to {@link
   *     ConnectionOptions#MAX_WRITE_COALESCING}; default {@link
   *     ConnectionOptions#DEFAULT_WRITE_COALESCING}
   * @return this builder
   */
  public B writeCoalescing(Duration window) {
    Checks.nonNegative(window, "window");
    if (window.compareTo(ConnectionOptions.MAX_WRITE_COALESCING) > 0) {
      throw new IllegalArgumentException(
          "window: " + window + " (expected: at most " + ConnectionOptions.MAX_WRITE_COALESCING
              + "; longer holds are latency, not coalescing)");
    }
    connection.writeCoalescing = window;
    return self();
  }

  /**
   * Limits how fast the peer may send, per connection: over {@code eventsPerSecond} events or
   * {@code bytesPerSecond} bytes of frames a second, on average, its reads are paused until it is
   * back within the limit. That is backpressure, not loss: nothing it sent is dropped, the excess
   * waits in its socket and TCP slows it down. It keeps one flooding sender to its share of a
   * server that others use too. A burst of one second's worth is allowed at once. Off by default;
   * a relay measured at full speed (the bench) runs without it.
   *
   * @param eventsPerSecond greater than zero, or 0 for no limit on events
   * @param bytesPerSecond greater than zero, or 0 for no limit on bytes
   * @return this builder
   */
  public B inboundRateLimit(int eventsPerSecond, long bytesPerSecond) {
    connection.maxInboundEventsPerSecond =
        (int) Checks.nonNegative(eventsPerSecond, "eventsPerSecond");
    connection.maxInboundBytesPerSecond = Checks.nonNegative(bytesPerSecond, "bytesPerSecond");
    return self();
  }

  /**
   * Sets how long a peer may stay over its outbound limit ({@link #maxOutboundBytes(int)})
   * before it is closed as {@code slow_consumer}. A slow consumer is a peer that stays behind,
   * not one that fell behind for a moment: a burst, or a server whose own core was what fell
   * behind, puts readers that read as fast as they are written to over the limit too, and
   * dropping them would punish the healthy for the server's load. Twice the limit closes a peer
   * at once whatever the time, so memory stays bounded.
   *
   * @param timeout zero (close as soon as it is over) or more; default {@link
   *     ConnectionOptions#DEFAULT_SLOW_CONSUMER_TIMEOUT}
   * @return this builder
   */
  public B slowConsumerTimeout(Duration timeout) {
    connection.slowConsumerTimeout = Checks.nonNegative(timeout, "timeout");
    return self();
  }
}
