package io.ebsockets.spi;

/**
 * Told by a {@link ServerTransport} of each connection it accepts.
 *
 * <p>Called on a transport thread, before any event of that connection is delivered; must not
 * block.
 */
@FunctionalInterface
public interface ConnectionListener {

  /**
   * A connection was accepted.
   *
   * @param channel the new connection
   * @return where the transport delivers that connection's events and its end
   */
  ChannelSink opened(TransportChannel channel);

  /**
   * A connection was refused by the server's {@link io.ebsockets.Admission} hook; it is being
   * closed with {@code unauthorized} and was never {@linkplain #opened opened}. The default
   * does nothing.
   *
   * @param handshake what the client presented
   * @param message the refusal's message
   */
  default void refused(io.ebsockets.Handshake handshake, String message) {}

  /**
   * Returns the server's health, for a transport that answers health checks ({@link
   * io.ebsockets.Listener#withHealthPath}). Called on a transport thread; cheap, never blocks.
   * The default says serving.
   *
   * @return the server's health now
   */
  default io.ebsockets.Health health() {
    return new io.ebsockets.Health(io.ebsockets.Health.State.SERVING, true, true, 0, false, 0);
  }
}
