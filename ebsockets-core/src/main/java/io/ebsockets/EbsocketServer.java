package io.ebsockets;

import io.ebsockets.spi.ChannelSink;
import io.ebsockets.spi.ServerTransport;
import io.ebsockets.spi.TransportChannel;
import io.ebsockets.spi.TransportProvider;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * A listening server (the seed's {@code ebsocket_server}). It is bound when constructed; wrap it in
 * an {@link EbsocketSystem} to pump its connections and events.
 *
 * <pre>{@code
 * EbsocketServer server = new EbsocketServer(7982);
 * EbsocketSystem system = new EbsocketSystem(server);
 * }</pre>
 *
 * <p>Connections are accepted, and their events queued, from the moment of binding, so nothing
 * that arrives before the system is created is lost. Closing the server closes every connection.
 */
public final class EbsocketServer implements AutoCloseable {
  /** The default largest payload of one frame: 1 MiB. */
  public static final int DEFAULT_MAX_FRAME_LENGTH = ConnectionOptions.DEFAULT_MAX_FRAME_LENGTH;
  /** The default base of a {@code server_full} or {@code server_shutdown} retry hint: 1 second. */
  public static final Duration DEFAULT_RETRY_AFTER = Duration.ofSeconds(1);

  /** The default bound on {@link EbsocketSystem#close()}: 5 seconds. */
  public static final Duration DEFAULT_SHUTDOWN_TIMEOUT = Duration.ofSeconds(5);
  /** The default connection limit: 100,000, above what one process here may open. */
  public static final int DEFAULT_MAX_CONNECTIONS = 100_000;
  /** The default inbound allowance of the whole server: 100,000 events waiting to be pumped. */
  public static final long DEFAULT_MAX_QUEUED_EVENTS = 100_000;
  /** The default inbound allowance of the whole server: 64 MiB of frames waiting to be pumped. */
  public static final long DEFAULT_MAX_QUEUED_BYTES = 64L << 20;
  /** The default budget for partly received frames over all connections: 256 MiB. */
  public static final long DEFAULT_MAX_PARTIAL_FRAME_BYTES = 256L << 20;
  /**
   * The default bound on the write backlog of the whole server: 16 MiB of queued deliveries the
   * I/O threads have not yet written (about 50 ms of their work at full speed here).
   */
  public static final long DEFAULT_MAX_OUTBOUND_BACKLOG_BYTES = 16L << 20;

  /**
   * The least {@link Builder#maxOutboundMemory} is by default: 64 MiB (the default is a quarter
   * of the maximum heap, and at least this).
   */
  public static final long MIN_DEFAULT_MAX_OUTBOUND_MEMORY = 64L << 20;

  private final ServerOptions options;
  private final Inbox inbox = new Inbox();
  private final Map<TransportChannel, EbsocketConnection> connections = new ConcurrentHashMap<>();
  private final AtomicBoolean hasSystem = new AtomicBoolean();
  private final Shutdown shutdown = new Shutdown();
  private final ServerPump pump;
  private final Backpressure backpressure;
  private final Groups groups = new Groups();
  /** The connections by local id, for sends addressed by {@link ConnectionId}. */
  private final Map<Long, EbsocketConnection> byId = new ConcurrentHashMap<>();
  private final ClusterLink cluster;
  private final Delivery delivery;
  private final LongAdder eventsIn = new LongAdder();
  private final LongAdder bytesIn = new LongAdder();
  private final AtomicLong accepted = new AtomicLong();
  private final AtomicInteger open = new AtomicInteger();
  private final AtomicInteger peak = new AtomicInteger();
  /** Ended connections by reason; one counter per reason, made up front. */
  private final Map<CloseReason, LongAdder> disconnects = disconnectCounters();
  private final ServerTransport transport;
  /** Ids of the server's requests to clients: unique over all connections. */
  private final AtomicLong requestIds =
      new AtomicLong();
  private final LongAdder droppedReplies =
      new LongAdder();
  private final LongAdder refused = new LongAdder();
  private final Requests.Counters requestCounters = new Requests.Counters();

  /**
   * Binds all interfaces.
   *
   * @param port the port, or 0 for an ephemeral port (see {@link #address()})
   * @throws UncheckedIOException naming the address if it cannot be bound
   * @throws IllegalArgumentException if the port is out of range
   */
  public EbsocketServer(int port) {
    this(builder().port(port));
  }

  /**
   * Binds one address.
   *
   * @param host the host name or address to bind, e.g. {@code "127.0.0.1"}
   * @param port the port, or 0 for an ephemeral port (see {@link #address()})
   * @throws UncheckedIOException naming the address if it cannot be bound or resolved
   * @throws IllegalArgumentException if the port is out of range
   */
  public EbsocketServer(String host, int port) {
    this(builder().host(host).port(port));
  }

  private EbsocketServer(Builder builder) {
    this.options = builder.options();
    this.backpressure =
        new Backpressure(
            options.connection().maxQueuedEvents(),
            options.maxQueuedEventsTotal(),
            options.maxQueuedBytes());
    this.pump = new ServerPump(inbox, backpressure, shutdown);
    TransportProvider provider =
        builder.transport != null ? builder.transport : Transports.defaultProvider();
    String nodeId = builder.nodeId != null ? builder.nodeId : ClusterLink.defaultNodeId();
    // The node's id is claimed before the port is bound: a refused id leaves nothing behind.
    this.cluster = builder.bus == null
        ? ClusterLink.singleNode(nodeId, builder.presenceKeys, open::get)
        : ClusterLink.claim(builder.bus, nodeId, builder.presenceKeys, open::get);
    try {
      this.transport = provider.bind(options, new io.ebsockets.spi.ConnectionListener() {
        @Override
        public ChannelSink opened(TransportChannel channel) {
          return EbsocketServer.this.opened(channel);
        }

        @Override
        public void refused(Handshake handshake, String message) {
          refused.increment();
        }

        @Override
        public Health health() {
          return EbsocketServer.this.health();
        }
      });
    } catch (RuntimeException e) {
      cluster.close();
      throw e;
    }
    this.delivery =
        new Delivery(
            transport,
            cluster,
            byId,
            connections.values(),
            connections.keySet(),
            groups,
            () -> new Requests(requestIds, droppedReplies, requestCounters));
    groups.listen(cluster);
    cluster.begin(delivery, groups);
  }

  /**
   * Starts a builder, for options beyond host and port.
   *
   * @return a builder with every option at its default
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Returns the address the server is bound to (the seed's {@code server.address}).
   *
   * @return the bound address, with the actual port when port 0 was asked for
   */
  public InetSocketAddress address() {
    return transport.localAddress();
  }

  /**
   * Returns the addresses the server's doors are bound to, in the order of {@link
   * ServerOptions#listeners()}.
   *
   * @return one address per door, with the actual port when port 0 was asked for
   */
  public java.util.List<InetSocketAddress> addresses() {
    return transport.localAddresses();
  }

  /**
   * Returns the URIs a client connects to, one per door, in the order of {@link
   * ServerOptions#listeners()}: {@code ebs://127.0.0.1:7982}, {@code ws://127.0.0.1:8080/ebs}
   * ({@code ebss}/{@code wss} with TLS). A door bound to all interfaces is named by {@code
   * 127.0.0.1}.
   *
   * @return the URIs
   */
  public java.util.List<java.net.URI> uris() {
    java.util.List<InetSocketAddress> bound = addresses();
    java.util.List<Listener> listeners = options.listeners();
    java.util.List<java.net.URI> uris = new java.util.ArrayList<>(listeners.size());
    for (int i = 0; i < listeners.size(); i++) {
      uris.add(listeners.get(i).uri(bound.get(i), options.tls().isPresent()));
    }
    return java.util.List.copyOf(uris);
  }

  /**
   * Returns the URI of the server's first door of one kind.
   *
   * @param door the door
   * @return its URI
   * @throws IllegalArgumentException if the server has no such door
   */
  public java.net.URI uri(Door door) {
    java.util.List<Listener> listeners = options.listeners();
    for (int i = 0; i < listeners.size(); i++) {
      if (listeners.get(i).door() == door) {
        return uris().get(i);
      }
    }
    throw new IllegalArgumentException(
        "door " + door + " (expected: one this server listens on: " + listeners + ")");
  }

  /**
   * Returns the settings this server runs with.
   *
   * @return the options
   */
  public ServerOptions options() {
    return options;
  }

  /**
   * Shuts down, draining, within the shutdown timeout: the same as {@link EbsocketSystem#close()},
   * which says what happens when. Blocks the calling thread for at most the lame-duck period
   * (if any) plus the shutdown timeout.
   * Idempotent; a second call returns at once.
   */
  @Override
  public void close() {
    boolean lameDuck = !options.lameDuck().isZero();
    if (!shutdown.begin(lameDuck)) {
      return;
    }
    if (lameDuck) {
      transport.lameDuck(options.lameDuck());
      shutdown.draining();
    }
    long deadline = System.nanoTime() + options.shutdownTimeout().toNanos();
    transport.stopAcceptingAndReading(Duration.ofNanos(Checks.remaining(deadline)));
    inbox.wakeUp();
    if (hasSystem.get()) {
      shutdown.awaitDrained(inbox, deadline);
    }
    shutdown.closing();
    inbox.wakeUp();
    try {
      transport.close(Duration.ofNanos(Checks.remaining(deadline)));
    } finally {
      cluster.close();
      shutdown.closed();
      inbox.wakeUp();
    }
  }

  boolean isClosed() {
    return shutdown.isClosed();
  }

  ServerPump pump() {
    return pump;
  }

  /** Hands the one system the way its sends reach this server's connections. */
  Delivery attachSystem() {
    if (!hasSystem.compareAndSet(false, true)) {
      throw new IllegalStateException("this server already has an EbsocketSystem (expected: one)");
    }
    return delivery;
  }

  Inbox inbox() {
    return inbox;
  }

  Backpressure backpressure() {
    return backpressure;
  }

  private ChannelSink opened(TransportChannel channel) {
    EbsocketConnection connection =
        new EbsocketConnection(channel, backpressure, cluster.nodeId());
    accepted.incrementAndGet();
    peak.accumulateAndGet(open.incrementAndGet(), Math::max);
    connections.put(channel, connection);
    byId.put(connection.id(), connection);
    inbox.offer(new Opened(connection));
    return new EbsocketConnection.Sink(connection, this);
  }

  void disconnected(EbsocketConnection connection, CloseStatus status) {
    groups.leaveAll(connection);
    connections.remove(connection.channel());
    byId.remove(connection.id(), connection);
    open.decrementAndGet();
    disconnects.get(status.reason()).increment();
    inbox.offer(new Closed(connection));
  }

  void countIn(int frameBytes) {
    eventsIn.increment();
    bytesIn.add(frameBytes);
  }

  void droppedReply() {
    droppedReplies.increment();
  }

  Health health() {
    long backlog = transport.outboundBacklogBytes();
    return new Health(
        shutdown.state(),
        transport.isListening(),
        cluster.stats().live(),
        backlog,
        backlog >= options.maxOutboundBacklogBytes(),
        backpressure.queuedEvents());
  }

  SystemStats stats() {
    EnumMap<CloseReason, Long> byReason = new EnumMap<>(CloseReason.class);
    for (CloseReason reason : CloseReason.values()) {
      long n = disconnects.get(reason).sum();
      if (n > 0) {
        byReason.put(reason, n);
      }
    }
    return new SystemStats(
        open.get(),
        peak.get(),
        accepted.get(),
        byReason,
        eventsIn.sum(),
        bytesIn.sum(),
        transport.eventsOut(),
        transport.bytesOut(),
        backpressure.queuedEvents(),
        backpressure.queuedBytes(),
        droppedReplies.sum(),
        refused.sum(),
        cluster.stats(),
        transport.sessionStats(),
        requestCounters.stats(),
        transport.outboundBacklogBytes(),
        inbox.lagNanos(),
        transport.turnedAway());
  }

  private static Map<CloseReason, LongAdder> disconnectCounters() {
    EnumMap<CloseReason, LongAdder> counters = new EnumMap<>(CloseReason.class);
    for (CloseReason reason : CloseReason.values()) {
      counters.put(reason, new LongAdder());
    }
    return counters; // never changed after this: read and counted from any thread
  }

  /** A connection was accepted; queued in the inbox. */
  record Opened(EbsocketConnection connection) {}

  /** A connection ended; queued in the inbox. */
  record Closed(EbsocketConnection connection) {}

  /**
   * Builds a server. Every setter validates its argument; {@link #build()} checks combinations
   * and binds. A {@link Duration#ZERO} interval or timeout switches that mechanism off.
   *
   * <pre>{@code
   * EbsocketServer server = EbsocketServer.builder()
   *     .host("127.0.0.1").port(0)
   *     .maxFrameLength(64 * 1024)
   *     .idleTimeout(Duration.ofSeconds(30))
   *     .build();
   * }</pre>
   */
  public static final class Builder extends ConnectionSettingsBuilder<Builder> {
    private String host;
    private int port;
    private boolean hostOrPortSet;
    private final java.util.List<Listener> listeners = new java.util.ArrayList<>();
    Admission admission;
    Resumption resumption;
    Duration shutdownTimeout = DEFAULT_SHUTDOWN_TIMEOUT;
    int ioThreads;
    int maxConnections = DEFAULT_MAX_CONNECTIONS;
    int maxConnectionsPerAddress = Integer.MAX_VALUE;
    int acceptRate = Integer.MAX_VALUE;
    Duration retryAfter = DEFAULT_RETRY_AFTER;
    Duration lameDuck = Duration.ZERO;
    long maxQueuedEvents = DEFAULT_MAX_QUEUED_EVENTS;
    long maxQueuedBytes = DEFAULT_MAX_QUEUED_BYTES;
    long maxPartialFrameBytes = DEFAULT_MAX_PARTIAL_FRAME_BYTES;
    long maxOutboundBacklogBytes = DEFAULT_MAX_OUTBOUND_BACKLOG_BYTES;
    long maxOutboundMemory;
    ServerTls tls;
    private TransportProvider transport;
    private io.ebsockets.spi.ClusterBus bus;
    private String nodeId;
    private java.util.List<String> presenceKeys = java.util.List.of();

    private Builder() {}

    @Override
    Builder self() {
      return this;
    }

    /**
     * Sets the address to bind.
     *
     * @param host a host name or address; null (the default) binds all interfaces
     * @return this builder
     */
    public Builder host(String host) {
      this.host = host;
      this.hostOrPortSet = true;
      return this;
    }

    /**
     * Sets the port.
     *
     * @param port 0 to 65535; 0 (the default) picks an ephemeral port
     * @return this builder
     */
    public Builder port(int port) {
      this.port = Checks.inRange(port, 0, 0xFFFF, "port");
      this.hostOrPortSet = true;
      return this;
    }

    /**
     * Adds a door: the server listens there too. Without any, the server has one TCP door at
     * {@link #host}/{@link #port}; with some, those two setters may not be used.
     *
     * <pre>{@code
     * EbsocketServer.builder()
     *     .listen(Listener.tcp(7982))
     *     .listen(Listener.webSocket(8080, "/ebs"))
     *     .build();
     * }</pre>
     *
     * @param listener the door
     * @return this builder
     */
    public Builder listen(Listener listener) {
      listeners.add(Objects.requireNonNull(listener, "listener"));
      return this;
    }

    /**
     * Keeps resumable sessions: a client that asks for one ({@link
     * EbsocketClient.Builder#resumable}) and loses its connection may come back within the
     * window and carry on as the same {@link EbsocketConnection}, with nothing lost or repeated
     * either way; until the window passes, {@link EbsocketSystem#pump()} reports no disconnect.
     * Clients that do not ask are served as before. Off by default.
     *
     * @param resumption the window and the replay buffer's bounds, e.g. {@link
     *     Resumption#defaults()}
     * @return this builder
     */
    public Builder resumption(Resumption resumption) {
      this.resumption = Objects.requireNonNull(resumption, "resumption");
      return this;
    }

    /**
     * Lets the application decide who may connect: the hook sees each connection's hello (and,
     * on a WebSocket door, the upgrade's query, headers and cookies) before the connection
     * reaches the pump. Without one every connection is admitted.
     *
     * @param admission the hook; called on I/O threads, must not block
     * @return this builder
     */
    public Builder admission(Admission admission) {
      this.admission = Objects.requireNonNull(admission, "admission");
      return this;
    }

    /**
     * Sets the inbound allowance of one connection: events received but not yet pumped. A
     * connection over it is not read until the pump has taken it below half.
     *
     * @param maxQueuedEvents greater than zero; default {@value
     *     ConnectionOptions#DEFAULT_MAX_QUEUED_EVENTS}
     * @return this builder
     */
    public Builder maxQueuedEventsPerConnection(int maxQueuedEvents) {
      connection.maxQueuedEvents = Checks.positive(maxQueuedEvents, "maxQueuedEventsPerConnection");
      return this;
    }

    /**
     * Sets the inbound allowance of the whole server, in events: while more wait to be pumped,
     * connections that deliver are paused until the pump has taken it below half.
     *
     * @param maxQueuedEvents greater than zero; default {@value
     *     EbsocketServer#DEFAULT_MAX_QUEUED_EVENTS}
     * @return this builder
     */
    public Builder maxQueuedEventsTotal(long maxQueuedEvents) {
      this.maxQueuedEvents = Checks.positive(maxQueuedEvents, "maxQueuedEventsTotal");
      return this;
    }

    /**
     * Sets the inbound allowance of the whole server, in events.
     *
     * @param maxQueuedEvents greater than zero
     * @return this builder
     * @deprecated on the client builder and in {@link ConnectionOptions} this name means one
     *     connection's allowance; the server-wide total is {@link #maxQueuedEventsTotal(long)}
     *     (and one connection's, here, {@link #maxQueuedEventsPerConnection(int)})
     */
    @Deprecated(since = "0.2")
    public Builder maxQueuedEvents(long maxQueuedEvents) {
      return maxQueuedEventsTotal(maxQueuedEvents);
    }

    /**
     * Sets the inbound allowance of the whole server, in bytes of received frames.
     *
     * @param maxQueuedBytes greater than zero; default {@value
     *     EbsocketServer#DEFAULT_MAX_QUEUED_BYTES}
     * @return this builder
     */
    public Builder maxQueuedBytes(long maxQueuedBytes) {
      this.maxQueuedBytes = Checks.positive(maxQueuedBytes, "maxQueuedBytes");
      return this;
    }

    /**
     * Sets the budget for partly received frames over all connections.
     *
     * @param maxPartialFrameBytes greater than zero; default {@value
     *     EbsocketServer#DEFAULT_MAX_PARTIAL_FRAME_BYTES}
     * @return this builder
     */
    public Builder maxPartialFrameBytes(long maxPartialFrameBytes) {
      this.maxPartialFrameBytes = Checks.positive(maxPartialFrameBytes, "maxPartialFrameBytes");
      return this;
    }

    /**
     * Sets the bound on the server's write backlog: bytes of events queued for clients, over all
     * connections, that the I/O threads have not yet handed to the sockets. A send (to one
     * client or many) that finds the backlog over it waits until the I/O threads have written it
     * down to half; the pump loop then takes fewer events, the inbound allowance pauses the
     * connections that send, and TCP slows the senders down. So a server that cannot write as
     * fast as its clients send holds a bounded backlog instead of an ever-growing one, and does
     * not mistake its own slowness for its clients' ({@code slow_consumer}). Sends from the
     * server's own I/O threads never wait; any other thread may. A client that reads too slowly
     * is bounded by {@link #maxOutboundBytes(int)} instead: its bytes wait in its socket's
     * buffer, not in this backlog.
     *
     * @param maxOutboundBacklogBytes greater than zero; default {@value
     *     EbsocketServer#DEFAULT_MAX_OUTBOUND_BACKLOG_BYTES}
     * @return this builder
     */
    public Builder maxOutboundBacklogBytes(long maxOutboundBacklogBytes) {
      this.maxOutboundBacklogBytes =
          Checks.positive(maxOutboundBacklogBytes, "maxOutboundBacklogBytes");
      return this;
    }

    /**
     * Sets how much memory everything waiting to be written to clients may take, over all
     * connections together: the frames queued for each and not yet taken by its socket, counted
     * with what each costs besides its payload (Netty's buffer entry and, for a broadcast, the
     * recipient's view of the shared payload, which itself is counted once per recipient). One
     * client that stops reading is bounded by {@link #maxOutboundBytes(int)}; this bounds five
     * thousand of them, each far under that limit, which together would fill the heap. When the
     * total is over, the connections with the largest backlogs are closed as {@code
     * slow_consumer}, largest first, until it is under again (checked ten times a second while
     * anything is sent, once a second while nothing is);
     * readers that keep up are never chosen before them.
     *
     * @param maxOutboundMemory greater than zero; default a quarter of the maximum heap, at least
     *     {@value EbsocketServer#MIN_DEFAULT_MAX_OUTBOUND_MEMORY}
     * @return this builder
     */
    public Builder maxOutboundMemory(long maxOutboundMemory) {
      this.maxOutboundMemory = Checks.positive(maxOutboundMemory, "maxOutboundMemory");
      return this;
    }

    /**
     * Sets how many connections the server holds at once; the next is told {@code server_full}
     * and closed without being reported.
     *
     * @param maxConnections greater than zero; default {@value
     *     EbsocketServer#DEFAULT_MAX_CONNECTIONS}
     * @return this builder
     */
    public Builder maxConnections(int maxConnections) {
      this.maxConnections = Checks.positive(maxConnections, "maxConnections");
      return this;
    }

    /**
     * Sets how many connections one IP address may hold at once (off by default); the next from
     * it is told {@code server_full}, with a message naming the address and the limit, and
     * closed without being reported. The address is the one the application sees: behind a
     * trusted proxy on the WebSocket door, the client it names ({@link
     * Listener#withTrustedProxies}).
     *
     * @param maxConnectionsPerAddress greater than zero
     * @return this builder
     */
    public Builder maxConnectionsPerAddress(int maxConnectionsPerAddress) {
      this.maxConnectionsPerAddress =
          Checks.positive(maxConnectionsPerAddress, "maxConnectionsPerAddress");
      return this;
    }

    /**
     * Sets how many new connections a second the server takes (off by default). The rest are
     * told {@code overloaded}, with a retry hint, and closed without being reported: the server
     * still accepts their sockets (and on the WebSocket door completes the upgrade, since a
     * browser cannot read an HTTP refusal; on a TLS door that costs a full handshake per refused
     * connection), instead of letting the kernel's accept queue overflow. No window of one
     * second holds more than {@code acceptRate}: a tenth of it may come at once, and a steady
     * stream passes at 90% of it. The hints promise the turned-away clients slots in the order
     * they came, one per {@code 1/(0.9 acceptRate)} seconds, so that they come back spread out.
     *
     * @param acceptRate new connections per second, greater than zero
     * @return this builder
     */
    public Builder acceptRate(int acceptRate) {
      this.acceptRate = Checks.positive(acceptRate, "acceptRate");
      return this;
    }

    /**
     * Sets the retry hint a {@code server_full} or {@code server_shutdown} close carries: each
     * such close asks its client to wait a random time from {@code retryAfter} to twice that
     * (at shutdown with an {@link #acceptRate}, from {@code retryAfter} to {@code retryAfter}
     * plus the time 80% of the accept rate needs for every connection of the moment), so that the
     * clients do not all come back at once. Reconnecting clients wait at least the hint, plus
     * their own backoff's jitter.
     *
     * @param retryAfter greater than zero; default {@link EbsocketServer#DEFAULT_RETRY_AFTER}
     * @return this builder
     */
    public Builder retryAfter(Duration retryAfter) {
      this.retryAfter = Checks.positive(retryAfter, "retryAfter");
      return this;
    }

    /**
     * Sets the lame-duck period of a shutdown (off by default): {@link EbsocketSystem#close()}
     * first turns new connections away ({@code server_shutdown} with a retry hint), reports
     * {@link Health.State#LAME_DUCK} (503 on a health path) and closes the connections it has
     * with {@code server_shutdown}, one by one at random moments spread over the period, while
     * the pump loop keeps running; then the drain and the close as without it. {@code close()}
     * takes up to the period plus the shutdown timeout.
     *
     * @param lameDuck zero (off) or more
     * @return this builder
     */
    public Builder lameDuck(Duration lameDuck) {
      this.lameDuck = Checks.nonNegative(lameDuck, "lameDuck");
      return this;
    }

    /**
     * Sets the bound on shutting the server down.
     *
     * @param shutdownTimeout zero or more; default {@link EbsocketServer#DEFAULT_SHUTDOWN_TIMEOUT}
     * @return this builder
     */
    public Builder shutdownTimeout(Duration shutdownTimeout) {
      this.shutdownTimeout = Checks.nonNegative(shutdownTimeout, "shutdownTimeout");
      return this;
    }

    /**
     * Sets the number of I/O threads.
     *
     * @param ioThreads zero or more; 0 (the default) lets the transport choose
     * @return this builder
     */
    public Builder ioThreads(int ioThreads) {
      this.ioThreads = Checks.inRange(ioThreads, 0, 1024, "ioThreads");
      return this;
    }

    /**
     * Speaks TLS ({@link ServerTls#PROTOCOLS} only) with this identity. Off (plain TCP) by
     * default; a server speaks one or the other, never both on one port.
     *
     * @param tls the certificate chain and key
     * @return this builder
     */
    public Builder tls(ServerTls tls) {
      this.tls = Objects.requireNonNull(tls, "tls");
      return this;
    }

    /**
     * Uses this transport instead of the one found on the class path.
     *
     * @param transport the transport
     * @return this builder
     */
    public Builder transport(TransportProvider transport) {
      this.transport = Objects.requireNonNull(transport, "transport");
      return this;
    }

    /**
     * Makes the server one node of a cluster: its broadcasts, group sends and sends to clients
     * of other nodes go over this bus, and what other nodes send arrives through it (see {@link
     * EbsocketSystem}, "Clusters"). The server starts the bus when it is built, before it binds,
     * and closes it when it closes. Without one (the default) the server is a node alone and
     * nothing is published anywhere.
     *
     * <pre>{@code
     * EbsocketServer.builder()
     *     .port(7982)
     *     .cluster(RedisBus.create("redis://127.0.0.1:6379"))
     *     .build();
     * }</pre>
     *
     * @param bus the bus, e.g. {@code io.ebsockets.redis.RedisBus}; one per server
     * @return this builder
     */
    public Builder cluster(io.ebsockets.spi.ClusterBus bus) {
      this.bus = Objects.requireNonNull(bus, "bus");
      return this;
    }

    /**
     * Names this node. By default a name unique to this process is made ({@code
     * node-<pid>-<random>}), so two nodes started alike never collide. A name given here must
     * not be held by another live node of the cluster: {@link #build()} refuses it.
     *
     * @param nodeId 1 to 64 letters, digits, '.', '_' or '-'
     * @return this builder
     */
    public Builder nodeId(String nodeId) {
      this.nodeId = ConnectionId.checkNodeId(nodeId, "nodeId");
      return this;
    }

    /**
     * Names the connection attributes that {@link EbsocketSystem#presence()} publishes for each
     * group member, e.g. {@code "name"} so that a chat's {@code /who} lists nicknames across
     * nodes. Their values are taken (as strings) when a connection joins a group and by {@link
     * EbsocketSystem#updatePresence}. None by default.
     *
     * @param keys attribute names
     * @return this builder
     */
    public Builder presenceAttributes(String... keys) {
      for (String key : keys) {
        Objects.requireNonNull(key, "presence attribute");
      }
      this.presenceKeys = java.util.List.of(keys);
      return this;
    }

    private ServerOptions options() {
      if (listeners.isEmpty()) {
        return new ServerOptions(this, java.util.List.of(Listener.tcp(host, port)));
      }
      if (hostOrPortSet) {
        throw new IllegalArgumentException(
            "host/port and listen(...) both given (expected: one or the other; a listener"
                + " names its own address)");
      }
      java.util.Set<InetSocketAddress> seen = new java.util.HashSet<>();
      for (Listener l : listeners) {
        InetSocketAddress a = l.bindAddress();
        if (a.getPort() != 0 && !seen.add(a)) {
          throw new IllegalArgumentException(
              "two listeners on " + a + " (expected: one door per address and port)");
        }
      }
      return new ServerOptions(this, listeners);
    }

    /**
     * Binds the server.
     *
     * @return the listening server
     * @throws UncheckedIOException naming the address if it cannot be bound or resolved
     * @throws IllegalArgumentException if options contradict each other
     * @throws IllegalStateException if the {@link #cluster cluster bus} cannot be reached, or
     *     another live node holds this {@link #nodeId node id}. With a bus, blocks until the bus
     *     carries this node's first probe (at most 5 s more), so that the node built hears
     *     every broadcast and every send to its clients from then on
     */
    public EbsocketServer build() {
      return new EbsocketServer(this);
    }
  }
}
