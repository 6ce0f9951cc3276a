package io.ebsockets;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Optional;

/**
 * The settings a server runs with: immutable, made by {@link EbsocketServer.Builder}, whose
 * setters document each default. A transport reads them when it binds. A {@link Duration#ZERO}
 * timeout or interval means "off".
 */
public final class ServerOptions {
  private final InetSocketAddress bindAddress;
  private final ConnectionOptions connection;
  private final Duration shutdownTimeout;
  private final int ioThreads;
  private final int maxConnections;
  private final int maxConnectionsPerAddress;
  private final int acceptRate;
  private final Duration retryAfter;
  private final Duration lameDuck;
  private final long maxQueuedEvents;
  private final long maxQueuedBytes;
  private final long maxPartialFrameBytes;
  private final long maxOutboundBacklogBytes;
  private final long maxOutboundMemory;
  private final ServerTls tls;
  private final java.util.List<Listener> listeners;
  private final Admission admission;
  private final Resumption resumption;

  ServerOptions(EbsocketServer.Builder b, java.util.List<Listener> listeners) {
    this.listeners = java.util.List.copyOf(listeners);
    this.bindAddress = this.listeners.get(0).bindAddress();
    this.admission = b.admission;
    this.resumption = b.resumption;
    this.connection = b.connection.build();
    this.shutdownTimeout = b.shutdownTimeout;
    this.ioThreads = b.ioThreads;
    this.maxConnections = b.maxConnections;
    this.maxConnectionsPerAddress = b.maxConnectionsPerAddress;
    this.acceptRate = b.acceptRate;
    this.retryAfter = b.retryAfter;
    this.lameDuck = b.lameDuck;
    this.maxQueuedEvents = b.maxQueuedEvents;
    this.maxQueuedBytes = b.maxQueuedBytes;
    this.maxPartialFrameBytes = b.maxPartialFrameBytes;
    this.maxOutboundBacklogBytes = b.maxOutboundBacklogBytes;
    this.maxOutboundMemory =
        b.maxOutboundMemory > 0
            ? b.maxOutboundMemory
            : Math.max(
                EbsocketServer.MIN_DEFAULT_MAX_OUTBOUND_MEMORY, Runtime.getRuntime().maxMemory() / 4);
    this.tls = b.tls;
  }

  /**
   * Returns the server's doors, in the order given to the builder.
   *
   * @return one or more listeners
   */
  public java.util.List<Listener> listeners() {
    return listeners;
  }

  /**
   * Returns how resumable sessions are kept ({@link EbsocketServer.Builder#resumption}).
   *
   * @return the policy, or empty if the server keeps no sessions (the default)
   */
  public Optional<Resumption> resumption() {
    return Optional.ofNullable(resumption);
  }

  /**
   * Returns who decides which connections are admitted.
   *
   * @return the application's hook, or empty if every connection is admitted
   */
  public Optional<Admission> admission() {
    return Optional.ofNullable(admission);
  }

  /**
   * Returns where the server's first door listens.
   *
   * @return the address to bind; a wildcard address means all interfaces, port 0 an ephemeral
   *     port
   */
  public InetSocketAddress bindAddress() {
    return bindAddress;
  }

  /**
   * Returns the server's TLS identity.
   *
   * @return the identity if the server speaks TLS; empty for plain TCP
   */
  public Optional<ServerTls> tls() {
    return Optional.ofNullable(tls);
  }

  /**
   * Returns the settings each of the server's connections runs with.
   *
   * @return the per-connection settings
   */
  public ConnectionOptions connection() {
    return connection;
  }

  /**
   * Returns the largest payload, in bytes, the server reads or writes in one frame; the same as
   * {@code connection().maxFrameLength()}.
   *
   * @return the max frame length, not counting the 4-byte length prefix
   */
  public int maxFrameLength() {
    return connection.maxFrameLength();
  }

  /**
   * Returns how long a closing connection waits for its peer to close; the same as {@code
   * connection().closeTimeout()}.
   *
   * @return the close timeout
   */
  public Duration closeTimeout() {
    return connection.closeTimeout();
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

  /**
   * Returns how many connections the server holds at once; the next one is told {@code
   * server_full} and closed.
   *
   * @return the connection limit
   */
  public int maxConnections() {
    return maxConnections;
  }

  /**
   * Returns how many connections one IP address may hold at once ({@link Integer#MAX_VALUE}:
   * no limit); the next one from it is told {@code server_full} and closed.
   *
   * @return the limit per address
   */
  public int maxConnectionsPerAddress() {
    return maxConnectionsPerAddress;
  }

  /**
   * Returns how many new connections a second the server takes ({@link
   * EbsocketServer.Builder#acceptRate}); the rest are told {@code overloaded}.
   *
   * @return connections per second; {@link Integer#MAX_VALUE} means no limit
   */
  public int acceptRate() {
    return acceptRate;
  }

  /**
   * Returns the base of the retry hint of {@code server_full} and {@code server_shutdown} closes
   * ({@link EbsocketServer.Builder#retryAfter}).
   *
   * @return greater than zero
   */
  public Duration retryAfter() {
    return retryAfter;
  }

  /**
   * Returns the lame-duck period of a shutdown ({@link EbsocketServer.Builder#lameDuck}).
   *
   * @return zero (off) or more
   */
  public Duration lameDuck() {
    return lameDuck;
  }

  /**
   * Returns how many received events, over all connections, may wait for {@link
   * EbsocketSystem#pump()} before connections that deliver more are paused.
   *
   * @return the global event allowance
   */
  public long maxQueuedEventsTotal() {
    return maxQueuedEvents;
  }

  /**
   * Returns the server-wide event allowance.
   *
   * @return the same as {@link #maxQueuedEventsTotal()}
   * @deprecated {@link ConnectionOptions#maxQueuedEvents()} is one connection's allowance under
   *     the same name; use {@link #maxQueuedEventsTotal()}
   */
  @Deprecated(since = "0.2")
  public long maxQueuedEvents() {
    return maxQueuedEventsTotal();
  }

  /**
   * Returns how many bytes of received frames, over all connections, may wait for {@link
   * EbsocketSystem#pump()} before connections that deliver more are paused.
   *
   * @return the global byte allowance
   */
  public long maxQueuedBytes() {
    return maxQueuedBytes;
  }

  /**
   * Returns how many bytes of partly received frames all connections together may hold; a
   * connection that needs more waits, unread, until others complete their frames.
   *
   * @return the budget for partial frames
   */
  public long maxPartialFrameBytes() {
    return maxPartialFrameBytes;
  }

  /**
   * Returns how many bytes of events queued for clients, over all connections, the server's I/O
   * threads may be behind on (queued by sends, not yet handed to the sockets) before a sending
   * application thread waits for them to catch up to half.
   *
   * @return the bound on the server's write backlog
   */
  public long maxOutboundBacklogBytes() {
    return maxOutboundBacklogBytes;
  }

  /**
   * Returns how much memory everything waiting to be written to clients may take, over all
   * connections together; over it, the connections with the largest backlogs are closed as
   * {@code slow_consumer} until it is under again (see {@link
   * EbsocketServer.Builder#maxOutboundMemory}).
   *
   * @return bytes, counted with what each queued frame costs besides its payload
   */
  public long maxOutboundMemory() {
    return maxOutboundMemory;
  }

  @Override
  public String toString() {
    return "ServerOptions{bindAddress=" + bindAddress
        + ", connection=" + connection
        + ", shutdownTimeout=" + shutdownTimeout
        + ", ioThreads=" + ioThreads
        + ", maxConnections=" + maxConnections
        + ", maxQueuedEvents=" + maxQueuedEvents
        + ", maxQueuedBytes=" + maxQueuedBytes
        + ", maxPartialFrameBytes=" + maxPartialFrameBytes
        + ", maxOutboundBacklogBytes=" + maxOutboundBacklogBytes
        + ", maxOutboundMemory=" + maxOutboundMemory
        + ", tls=" + (tls == null ? "off" : tls)
        + '}';
  }
}
