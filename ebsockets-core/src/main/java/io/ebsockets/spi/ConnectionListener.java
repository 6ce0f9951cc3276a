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
}
