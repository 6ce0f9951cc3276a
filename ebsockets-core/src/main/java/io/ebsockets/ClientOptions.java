package io.ebsockets;

import java.time.Duration;
import java.util.Optional;

/**
 * The settings a client runs with: immutable, made by {@link EbsocketClient.Builder}, whose
 * setters document each default. A transport reads them when it connects.
 */
public final class ClientOptions {
  private final ConnectionOptions connection;
  private final Duration connectTimeout;
  private final ClientTls tls;
  private final long maxQueuedBytes;
  private final java.util.Map<String, Object> helloData;

  ClientOptions(
      ConnectionOptions connection,
      Duration connectTimeout,
      ClientTls tls,
      long maxQueuedBytes,
      java.util.Map<String, Object> helloData) {
    this.helloData = helloData;
    this.connection = connection;
    this.connectTimeout = connectTimeout;
    this.tls = tls;
    this.maxQueuedBytes = maxQueuedBytes;
  }

  /**
   * Returns what the application adds to the client's hello ({@link
   * EbsocketClient.Builder#helloData}).
   *
   * @return the data; empty by default
   */
  public java.util.Map<String, Object> helloData() {
    return helloData;
  }

  /**
   * Returns how much memory the events received and not yet handed out may take before the
   * client stops reading (counted as decoded, see {@link EbsocketClient.Builder#maxQueuedBytes}).
   *
   * @return bytes
   */
  public long maxQueuedBytes() {
    return maxQueuedBytes;
  }

  /**
   * Returns how the client checks a TLS server.
   *
   * @return the setting if the client speaks TLS; empty for plain TCP
   */
  public Optional<ClientTls> tls() {
    return Optional.ofNullable(tls);
  }

  /**
   * Returns the settings of the client's connection.
   *
   * @return the per-connection settings
   */
  public ConnectionOptions connection() {
    return connection;
  }

  /**
   * Returns the largest payload, in bytes, the client reads or writes in one frame; the same as
   * {@code connection().maxFrameLength()}.
   *
   * @return the max frame length, not counting the 4-byte length prefix
   */
  public int maxFrameLength() {
    return connection.maxFrameLength();
  }

  /**
   * Returns how long {@link EbsocketClient#connectTo} waits for the connection to be made and
   * welcomed by the server.
   *
   * @return the connect timeout
   */
  public Duration connectTimeout() {
    return connectTimeout;
  }

  /**
   * Returns how long {@link EbsocketClient#close()} waits for the server to close; the same as
   * {@code connection().closeTimeout()}.
   *
   * @return the close timeout
   */
  public Duration closeTimeout() {
    return connection.closeTimeout();
  }

  @Override
  public String toString() {
    return "ClientOptions{connection=" + connection + ", connectTimeout=" + connectTimeout
        + ", tls=" + (tls == null ? "off" : tls) + '}';
  }
}
