package io.ebsockets;

import java.net.InetSocketAddress;
import java.time.Duration;

/**
 * The settings a server runs with: immutable, made by {@link EbsocketServer.Builder}. A transport
 * reads them when it binds.
 */
public final class ServerOptions {
  private final InetSocketAddress bindAddress;
  private final int maxFrameLength;
  private final Duration closeTimeout;
  private final Duration shutdownTimeout;
  private final int ioThreads;

  ServerOptions(
      InetSocketAddress bindAddress,
      int maxFrameLength,
      Duration closeTimeout,
      Duration shutdownTimeout,
      int ioThreads) {
    this.bindAddress = bindAddress;
    this.maxFrameLength = maxFrameLength;
    this.closeTimeout = closeTimeout;
    this.shutdownTimeout = shutdownTimeout;
    this.ioThreads = ioThreads;
  }

  /**
   * Returns where the server listens.
   *
   * @return the address to bind; a wildcard address means all interfaces, port 0 an ephemeral
   *     port
   */
  public InetSocketAddress bindAddress() {
    return bindAddress;
  }

  /**
   * Returns the largest payload, in bytes, the server reads or writes in one frame.
   *
   * @return the max frame length, not counting the 4-byte length prefix
   */
  public int maxFrameLength() {
    return maxFrameLength;
  }

  /**
   * Returns how long a closing connection waits for its peer to close after the last frame was
   * sent and its output was shut down, before the socket is closed regardless.
   *
   * @return the close timeout
   */
  public Duration closeTimeout() {
    return closeTimeout;
  }

  /**
   * Returns how long {@link EbsocketSystem#close()} may take to flush and close every connection.
   *
   * @return the shutdown bound
   */
  public Duration shutdownTimeout() {
    return shutdownTimeout;
  }

  /**
   * Returns the number of I/O threads the server's transport runs.
   *
   * @return the thread count, or 0 for the transport's default
   */
  public int ioThreads() {
    return ioThreads;
  }

  @Override
  public String toString() {
    return "ServerOptions{bindAddress="
        + bindAddress
        + ", maxFrameLength="
        + maxFrameLength
        + ", closeTimeout="
        + closeTimeout
        + ", shutdownTimeout="
        + shutdownTimeout
        + ", ioThreads="
        + ioThreads
        + '}';
  }
}
