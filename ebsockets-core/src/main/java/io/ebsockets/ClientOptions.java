package io.ebsockets;

import java.time.Duration;

/**
 * The settings a client runs with: immutable, made by {@link EbsocketClient.Builder}. A transport
 * reads them when it connects.
 */
public final class ClientOptions {
  private final int maxFrameLength;
  private final Duration connectTimeout;
  private final Duration closeTimeout;

  ClientOptions(int maxFrameLength, Duration connectTimeout, Duration closeTimeout) {
    this.maxFrameLength = maxFrameLength;
    this.connectTimeout = connectTimeout;
    this.closeTimeout = closeTimeout;
  }

  /**
   * Returns the largest payload, in bytes, the client reads or writes in one frame.
   *
   * @return the max frame length, not counting the 4-byte length prefix
   */
  public int maxFrameLength() {
    return maxFrameLength;
  }

  /**
   * Returns how long {@link EbsocketClient#connectTo} waits for the connection to be made.
   *
   * @return the connect timeout
   */
  public Duration connectTimeout() {
    return connectTimeout;
  }

  /**
   * Returns how long {@link EbsocketClient#close()} waits for the server to close after the
   * client's last frame was sent, before the socket is closed regardless.
   *
   * @return the close timeout
   */
  public Duration closeTimeout() {
    return closeTimeout;
  }

  @Override
  public String toString() {
    return "ClientOptions{maxFrameLength="
        + maxFrameLength
        + ", connectTimeout="
        + connectTimeout
        + ", closeTimeout="
        + closeTimeout
        + '}';
  }
}
