package io.ebsockets;

import io.ebsockets.spi.ClientTransport;
import io.ebsockets.spi.TransportChannel;
import io.ebsockets.spi.TransportProvider;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * A client (the seed's {@code ebsocket_client}): connects once, sends events, and receives them
 * with {@link #recvEvent()} or {@link #pump()}.
 *
 * <pre>{@code
 * try (EbsocketClient client = new EbsocketClient()) {
 *   client.connectTo("127.0.0.1", 7982);
 *   client.sendEvent(new EbsocketEvent("message").with("content", "hi"));
 *   client.recvEvent().ifPresent(System.out::println);
 * }
 * }</pre>
 *
 * <p><b>Lifecycle.</b> New, then connected after {@link #connectTo}, then ended when either side
 * closes. Events that arrived before the end are still handed out by {@code recvEvent} and {@code
 * pump} before they report it. A client connects at most once: to connect again, make a new one,
 * or build it with {@link Builder#reconnect} and it reconnects by itself after an unexpected
 * disconnect, holding what is sent meanwhile (see {@link ReconnectPolicy}); it then ends only when
 * closed or when it gives up.
 *
 * <p><b>Request/reply.</b> {@link #request} sends an event the server answers with {@link
 * EbsocketSystem#reply}; the server's requests arrive as events whose {@link
 * EbsocketEvent#isRequest()} is true, answered with {@link #reply}.
 *
 * <p><b>Threads.</b> Every method is safe from any thread. Receiving calls are serialised, and
 * each keeps its own timeout: {@link #pump()} never waits for a thread in {@link #recvEvent()},
 * and a timed call waits for one at most as long as its timeout. All
 * clients of a JVM share one small pool of daemon I/O threads, so a program with many clients
 * starts few threads and can exit without closing them.
 */
public final class EbsocketClient implements AutoCloseable {
  /** The default connect timeout: 10 seconds. */
  public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);
  /** The default of {@link Builder#maxQueuedBytes}: 64 MiB. */
  public static final long DEFAULT_MAX_QUEUED_BYTES = 64L << 20;
  /** The most events one {@link #pump()} returns; the rest come with the next pump, at once. */
  public static final int MAX_PUMP_BATCH = EbsocketSystem.MAX_PUMP_BATCH;

  private final ClientOptions options;
  private final TransportProvider provider;
  private final ClientLink link;
  private final ClientReceiver receiver;
  private final LongAdder droppedReplies = new LongAdder();
  private final Requests requests;
  private final AtomicBoolean connecting = new AtomicBoolean();
  private final AtomicBoolean closed = new AtomicBoolean();
  private final AtomicBoolean endQueued = new AtomicBoolean();
  private volatile CloseStatus endStatus;

  /** Creates a client with default options; nothing is connected yet. */
  public EbsocketClient() {
    this(builder());
  }

  private EbsocketClient(Builder builder) {
    this.options =
        new ClientOptions(
            builder.connection.build(), builder.connectTimeout, builder.tls, builder.maxQueuedBytes,
            builder.helloData);
    this.provider = builder.transport;
    this.link = new ClientLink(options, builder.reconnect, builder.resumable, new LinkClient());
    this.receiver =
        new ClientReceiver(
            options.connection().maxQueuedEvents(), options.maxQueuedBytes(), MAX_PUMP_BATCH);
    this.requests = new Requests(new AtomicLong(), droppedReplies);
  }

  /**
   * Starts a builder, for options.
   *
   * @return a builder with every option at its default
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Returns the settings this client runs with.
   *
   * @return the options
   */
  public ClientOptions options() {
    return options;
  }

  // ------------------------------------------------------------------------------ connecting

  /**
   * Connects to a server, blocking until connected or the connect timeout has passed.
   *
   * @param host the server's host name or address
   * @param port the server's port
   * @throws IOException naming the address if it cannot connect; {@link
   *     java.io.InterruptedIOException} if interrupted (the interrupt flag stays set)
   * @throws IllegalStateException if this client is already connected or closed
   */
  public void connectTo(String host, int port) throws IOException {
    Objects.requireNonNull(host, "host");
    Checks.inRange(port, 1, 0xFFFF, "port");
    connectTo(new InetSocketAddress(host, port));
  }

  /**
   * Connects to a server, blocking until connected or the connect timeout has passed. A
   * reconnecting client reconnects only after a connection was made: a first connect that fails
   * throws, as without reconnection.
   *
   * @param address the server's address
   * @throws IOException naming the address if it cannot connect; {@link
   *     java.io.InterruptedIOException} if interrupted (the interrupt flag stays set)
   * @throws IllegalStateException if this client is already connected or closed
   */
  public void connectTo(InetSocketAddress address) throws IOException {
    Objects.requireNonNull(address, "address");
    if (address.isUnresolved()) {
      throw new IOException("cannot connect to " + address + ": unknown host");
    }
    TransportProvider p = provider != null ? provider : Transports.defaultProvider();
    connect(address, sink -> p.connect(address, options, sink));
  }

  /**
   * Connects to a server named by a URI, blocking until connected or the connect timeout has
   * passed. The scheme picks the door: {@code ebs://host:port} (TCP), {@code ebss://} (TCP with
   * TLS), {@code ws://host:port/path} (WebSocket), {@code wss://} (WebSocket with TLS). A TLS
   * scheme uses the builder's {@link Builder#tls(ClientTls)}, or the JVM's trusted certificates
   * if none was given. Reconnects, if on, go to the same URI.
   *
   * <pre>{@code
   * client.connectTo(URI.create("ws://127.0.0.1:8080/ebs"));
   * }</pre>
   *
   * @param uri where to connect; the port is required for {@code ebs}/{@code ebss}, and
   *     defaults to 80/443 for {@code ws}/{@code wss}
   * @throws IOException naming the URI if it cannot connect; {@link
   *     java.io.InterruptedIOException} if interrupted (the interrupt flag stays set)
   * @throws IllegalArgumentException if the scheme is not one of the four, or the URI has no
   *     host (or no port where one is required), or the scheme is plain while the builder
   *     configured TLS
   * @throws IllegalStateException if this client is already connected or closed
   */
  public void connectTo(URI uri) throws IOException {
    connect(uri, dialFor(uri));
  }

  /**
   * Connects to the first of several servers that answers, blocking until connected or every one
   * has failed (each within the connect timeout), and fails over between them when reconnecting:
   * after a server sent this client away ({@code server_shutdown}, {@code server_full}, {@code
   * overloaded}, ...) or an attempt failed, the next attempt goes to the next endpoint, in the
   * order given and round again; after a network failure, first to the same one (where a
   * resumable session can resume). The reconnect policy's backoff, plus the server's retry hint,
   * paces the attempts whichever endpoint they go to. Each URI is as for {@link
   * #connectTo(URI)}; the doors may differ.
   *
   * <pre>{@code
   * client.connectTo(List.of(URI.create("ws://node-a:8080/ebs"), URI.create("ws://node-b:8080/ebs")));
   * }</pre>
   *
   * @param endpoints one or more URIs, tried in this order
   * @throws IOException naming every endpoint and why it failed, if none could be reached; {@link
   *     java.io.InterruptedIOException} if interrupted (the interrupt flag stays set)
   * @throws IllegalArgumentException if the list is empty or a URI is not one {@link
   *     #connectTo(URI)} takes
   * @throws IllegalStateException if this client is already connected or closed
   */
  public void connectTo(List<URI> endpoints) throws IOException {
    Objects.requireNonNull(endpoints, "endpoints");
    if (endpoints.isEmpty()) {
      throw new IllegalArgumentException("endpoints: [] (expected: at least one URI)");
    }
    List<ClientLink.Dial> dials = new java.util.ArrayList<>(endpoints.size());
    for (URI uri : endpoints) {
      dials.add(dialFor(uri));
    }
    Failover failover = new Failover(endpoints, dials);
    List<String> failures = new java.util.ArrayList<>();
    IOException last = null;
    for (int i = 0; i < failover.size(); i++) {
      URI at = failover.nextEndpoint();
      try {
        connect(failover, failover);
        return;
      } catch (java.io.InterruptedIOException e) {
        throw e;
      } catch (IOException e) {
        failures.add(e.getMessage());
        last = e;
        if (failover.nextEndpoint().equals(at)) {
          failover.refused();
        }
      }
    }
    throw new IOException("cannot connect to any of " + endpoints + ": "
        + String.join("; ", failures), last);
  }

  /** Checks a URI and makes the dial that connects there. */
  private ClientLink.Dial dialFor(URI uri) {
    Objects.requireNonNull(uri, "uri");
    Door door = Door.ofScheme(uri.getScheme());
    if (uri.getHost() == null) {
      throw new IllegalArgumentException("uri: " + uri + " (expected: a host, e.g. "
          + door.scheme(false) + "://127.0.0.1:7982" + (door == Door.WEB_SOCKET ? "/ebs" : "")
          + ")");
    }
    if (door == Door.TCP && uri.getPort() < 0) {
      throw new IllegalArgumentException(
          "uri: " + uri + " (expected: a port, e.g. " + uri.getScheme() + "://" + uri.getHost()
              + ":7982)");
    }
    if (!Door.isTlsScheme(uri.getScheme()) && options.tls().isPresent()) {
      throw new IllegalArgumentException(
          "uri: " + uri + " is plain while the client is configured for TLS (expected: "
              + door.scheme(true) + "://)");
    }
    TransportProvider p = provider != null ? provider : Transports.defaultProvider();
    return sink -> p.connect(uri, options, sink);
  }

  private void connect(Object where, ClientLink.Dial dial) throws IOException {
    if (closed.get()) {
      throw new IllegalStateException("client is closed (expected: a new EbsocketClient)");
    }
    if (!connecting.compareAndSet(false, true)) {
      throw new IllegalStateException(
          "client already connected to "
              + (link.address() != null ? link.address() : "a server")
              + " (expected: one connectTo per client; make a new EbsocketClient to connect again)");
    }
    ClientTransport t;
    try {
      t = link.connect(where, dial);
    } catch (IOException | RuntimeException e) {
      forgetFailedAttempt();
      throw e;
    }
    if (closed.get()) {
      closeQuietly(t, options);
    }
  }

  private void forgetFailedAttempt() {
    receiver.discardEverything();
    connecting.set(false);
  }

  /**
   * Tells whether the client is connected.
   *
   * @return false before {@link #connectTo}, while reconnecting, and as soon as the client has
   *     ended, even while received events remain unread
   */
  public boolean isConnected() {
    ClientTransport t = link.transport();
    return t != null && t.isOpen() && !link.isOffline() && !endQueued.get();
  }

  // ---------------------------------------------------------------------------------- sending

  /**
   * Queues an event for the server. Returns without waiting for the write. A reconnecting client
   * that is offline holds the event and sends it after reconnecting, before anything newer.
   *
   * @param event the event
   * @throws IllegalStateException if not connected; with reconnection on, only before {@link
   *     #connectTo}, once ended, or when the offline buffer is full
   * @throws IllegalArgumentException if the encoded event is longer than the max frame length;
   *     nothing is sent
   */
  public void sendEvent(EbsocketEvent event) {
    Objects.requireNonNull(event, "event");
    send(event, 0, 0);
  }

  /**
   * Sends a request the server answers with {@link EbsocketSystem#reply}. Returns at once.
   *
   * <p>The future completes on one of the library's callback threads (a small fork/join pool),
   * never on an I/O thread: a callback may wait for another reply with {@code join()} or {@code
   * get()}; other long blocking work belongs on an executor of your own. It fails with a
   * {@link java.util.concurrent.TimeoutException} if no
   * reply comes within {@code timeout}, and with a {@link ConnectionEndedException} at once if
   * the connection ends first (a reconnecting client that is offline holds the request, and its
   * timeout runs meanwhile).
   *
   * <pre>{@code
   * EbsocketEvent time = client.request(new EbsocketEvent("time"), Duration.ofSeconds(2)).join();
   * }</pre>
   *
   * @param event the request
   * @param timeout how long to wait for the reply; greater than zero
   * @return completed with the reply
   * @throws IllegalStateException as {@link #sendEvent}
   * @throws IllegalArgumentException as {@link #sendEvent}
   */
  public CompletableFuture<EbsocketEvent> request(EbsocketEvent event, Duration timeout) {
    Objects.requireNonNull(event, "event");
    Checks.positive(timeout, "timeout");
    CompletableFuture<EbsocketEvent> future = new CompletableFuture<>();
    Object peer = link.address();
    long id = requests.start(event, timeout, future, peer != null ? peer : "a server");
    try {
      send(event, id, 0);
    } catch (RuntimeException e) {
      requests.fail(id, e);
      throw e;
    }
    return future;
  }

  /**
   * Answers a request the server sent with {@link EbsocketSystem#request}. Returns at once.
   *
   * @param request an event this client received whose {@link EbsocketEvent#isRequest()} is true
   * @param response the answer
   * @throws IllegalArgumentException if {@code request} is not a received request, or the encoded
   *     response is longer than the max frame length
   * @throws IllegalStateException as {@link #sendEvent}
   */
  public void reply(EbsocketEvent request, EbsocketEvent response) {
    Objects.requireNonNull(request, "request");
    Objects.requireNonNull(response, "response");
    if (!request.isRequest() || request.sourceOrNull() != null) {
      throw new IllegalArgumentException(
          "request: " + request + " is not a received request (expected: an event from pump() or"
              + " recvEvent() whose isRequest() is true)");
    }
    send(response, 0, request.requestId());
  }

  /**
   * Returns how many replies matched no pending request of this client (unknown, already
   * answered, or timed out) and were dropped.
   *
   * @return the count
   */
  public long droppedReplies() {
    return droppedReplies.sum();
  }

  private void send(EbsocketEvent event, long requestId, long replyTo) {
    link.send(event, requestId, replyTo);
  }

  // ------------------------------------------------------------------------------------ ending

  /** A transport thread: the connection ended; reconnect if the policy says so, else end. */
  private void connectionLost(CloseStatus status) {
    if (!link.reconnectsAfter(status)) {
      end(status);
      return;
    }
    if (!link.resumes()) {
      requests.failAll(status); // a resumable session keeps them: the reply may still come
    }
    receiver.change(ConnectionChange.disconnected(status));
  }

  private void end(CloseStatus status) {
    if (!endQueued.compareAndSet(false, true)) {
      return;
    }
    endStatus = status;
    requests.end(status);
    link.ended();
    receiver.ended(status);
  }

  /** What the link needs of this client. */
  private final class LinkClient implements ClientLink.Client {
    @Override
    public ClientLink.Attempt newAttempt() {
      return new Sink();
    }

    @Override
    public CloseStatus endStatus() {
      return endQueued.get() ? endStatus : null;
    }

    @Override
    public boolean isClosed() {
      return closed.get();
    }

    @Override
    public void reconnected(
        int attempts, ConnectionChange.Kind outcome, java.util.List<EbsocketEvent> handedBack) {
      if (outcome == ConnectionChange.Kind.RECONNECTED) {
        receiver.change(ConnectionChange.reconnected(attempts));
        return;
      }
      if (outcome != ConnectionChange.Kind.RESUMED) {
        requests.failAll(
            new CloseStatus(
                CloseReason.PEER_CLOSED,
                "the server no longer had this client's session ("
                    + outcome.name().toLowerCase(java.util.Locale.ROOT)
                    + "); the request may or may not have reached it"));
      }
      receiver.change(ConnectionChange.sessionCameBack(outcome, attempts, handedBack));
    }

    @Override
    public void gaveUp(CloseStatus status) {
      end(status);
    }
  }

  // -------------------------------------------------------------------------------- receiving

  /**
   * Waits for the next event.
   *
   * @return the event; empty once the client has ended and every event received before the end
   *     was handed out, or if the thread was interrupted (the flag stays set)
   * @throws IllegalStateException if {@link #connectTo} was never called
   */
  public Optional<EbsocketEvent> recvEvent() {
    return recvEvent(Long.MAX_VALUE);
  }

  /**
   * Waits at most {@code timeout} for the next event.
   *
   * @param timeout how long to wait, including for another thread that is receiving; {@link
   *     Duration#ZERO} does not wait
   * @return the event; empty on timeout, on interrupt, or once the client has ended and every
   *     event was handed out
   * @throws IllegalStateException if {@link #connectTo} was never called
   */
  public Optional<EbsocketEvent> recvEvent(Duration timeout) {
    return recvEvent(Checks.toNanos(Checks.nonNegative(timeout, "timeout")));
  }

  private Optional<EbsocketEvent> recvEvent(long timeoutNanos) {
    requireConnectCalled();
    return receiver.next(timeoutNanos);
  }

  /**
   * Returns at once with the events received so far (the seed's client {@code pump}). If another
   * thread is receiving at that moment ({@link #recvEvent()} or a waiting pump), it returns an
   * empty result at once rather than wait for that thread.
   *
   * @return the events, whether the client is still on and, once not, why
   */
  public ClientPumpResult pump() {
    return pump(0L);
  }

  /**
   * Waits at most {@code timeout} for the first event (or change, or the end), then returns
   * everything received so far.
   *
   * @param timeout how long to wait, including for another thread that is receiving; {@link
   *     Duration#ZERO} does not wait
   * @return the events, whether the client is still on and, once not, why; the events are empty
   *     on timeout or interrupt
   */
  public ClientPumpResult pump(Duration timeout) {
    return pump(Checks.toNanos(Checks.nonNegative(timeout, "timeout")));
  }

  private ClientPumpResult pump(long timeoutNanos) {
    return receiver.pump(
        timeoutNanos,
        () -> link.transport() != null,
        () -> endStatus,
        () ->
            new ClientPumpResult(
                List.of(),
                link.transport() != null && !endQueued.get(),
                Optional.empty(),
                List.of()));
  }

  /**
   * Returns why the connection ended.
   *
   * @return the status, as {@link #closeStatus()}
   * @deprecated it returns a {@link CloseStatus}, not a {@link CloseReason}: use {@link
   *     #closeStatus()}, the same value under the name the SPI uses
   */
  @Deprecated(since = "0.2")
  public Optional<CloseStatus> closeReason() {
    return closeStatus();
  }

  /**
   * Returns why the connection ended: its {@link CloseStatus}, a reason and a message.
   *
   * @return why the client ended, or while a reconnecting client is offline why it lost the
   *     connection; empty while connected or before {@link #connectTo}
   */
  public Optional<CloseStatus> closeStatus() {
    CloseStatus end = endStatus;
    if (end != null) {
      return Optional.of(end);
    }
    ClientTransport t = link.transport();
    return t == null ? Optional.empty() : t.closeStatus();
  }

  /**
   * Closes the connection ({@link CloseReason#CLIENT_CLOSED}): what was already sent is written
   * first, then the server is told. Blocks until the server has closed too, or the close timeout
   * has passed. A reconnecting client stops reconnecting and discards what it held. Idempotent.
   */
  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      link.stopReconnecting();
      ClientTransport t = link.transport();
      if (t != null) {
        closeQuietly(t, options);
      }
      if (t != null || connecting.get()) {
        end(new CloseStatus(CloseReason.CLIENT_CLOSED, ""));
      }
    }
  }

  /** Closes a connection, waiting for the close handshake up to the close timeout. */
  static void closeQuietly(ClientTransport t, ClientOptions options) {
    try {
      t.close(CloseReason.CLIENT_CLOSED, "")
          .get(Checks.toNanos(options.closeTimeout()) + TimeUnit.SECONDS.toNanos(1),
              TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      // The transport closes the socket regardless once the close timeout has passed.
    }
  }

  private void requireConnectCalled() {
    if (link.transport() == null && endStatus == null) {
      throw new IllegalStateException("not connected (expected: connectTo first)");
    }
  }

  /**
   * One connection's events and end, queued on a transport thread. A connection that ends before
   * it was made current is not "lost": whoever was making it sees that and decides.
   */
  private final class Sink extends EventSink implements ClientLink.Attempt {
    private static final int NEW = 0;
    private static final int ESTABLISHED = 1;
    private static final int ENDED_EARLY = 2;

    private final AtomicInteger state = new AtomicInteger(NEW);
    private volatile Backpressure.Account account;
    private volatile TransportChannel channel;
    /** What the welcome said of a resumable session; null until then, or if it said nothing. */
    private volatile ClientSession.Welcome welcome;
    /** The transport calls {@link #readComplete()}: queue quietly, wake the consumer once a pass. */
    private volatile boolean batched;

    @Override
    public boolean establish() {
      return state.compareAndSet(NEW, ESTABLISHED);
    }

    @Override
    public ClientSession.Welcome welcome() {
      return welcome;
    }

    @Override
    public java.util.Map<String, Object> helloMembers() {
      ClientSession session = link.session();
      return session == null ? java.util.Map.of() : session.helloMembers();
    }

    @Override
    public void control(String type, java.util.Map<String, Object> data) {
      ClientSession session = link.session();
      if (session == null) {
        return;
      }
      if ("ebsockets.welcome".equals(type)) {
        ClientSession.Welcome w = ClientSession.Welcome.of(data);
        if (w != null) {
          session.welcomed(w);
          welcome = w;
        }
      } else if (ClientSession.ACK.equals(type)) {
        session.acked(data.get("received"));
      }
    }

    @Override
    public void attached(TransportChannel channel) {
      this.channel = channel;
      account = receiver.account(channel);
      batched = channel.reportsReadComplete();
      receiver.attached(account);
    }

    @Override
    EbsocketConnection source() {
      return null; // a client's events come from the server it is connected to
    }

    @Override
    boolean deliver(EbsocketEvent received, int frameBytes, long replyTo) {
      ClientSession session = link.session();
      if (session != null && welcome != null) {
        session.countReceived(channel);
      }
      if (replyTo != 0) {
        requests.replied(replyTo, received); // completes a future; never queued
        return true;
      }
      return receiver.received(received, account, !batched);
    }

    @Override
    public void readComplete() {
      ClientSession session = link.session();
      if (session != null && welcome != null) {
        session.passEnded(channel);
      }
      receiver.passEnded(account);
    }

    @Override
    public boolean readyToResume() {
      return receiver.readyToResume(account);
    }

    @Override
    public boolean acceptsMore() {
      return receiver.acceptsMore(account);
    }

    @Override
    public void closed(CloseStatus status) {
      receiver.forget(account);
      if (!state.compareAndSet(NEW, ENDED_EARLY)) {
        connectionLost(status);
      }
    }
  }

  /**
   * Builds a client. Every setter validates its argument; {@link #build()} checks combinations.
   * A {@link Duration#ZERO} interval or timeout switches that mechanism off.
   */
  public static final class Builder extends ConnectionSettingsBuilder<Builder> {
    private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
    private long maxQueuedBytes = DEFAULT_MAX_QUEUED_BYTES;
    private TransportProvider transport;
    private ReconnectPolicy reconnect;
    private boolean resumable;
    private ClientTls tls;
    private Map<String, Object> helloData = Map.of();

    private Builder() {}

    @Override
    Builder self() {
      return this;
    }

    /**
     * Sets how long {@link EbsocketClient#connectTo} waits for the connection and the server's
     * welcome.
     *
     * @param connectTimeout greater than zero; default {@link #DEFAULT_CONNECT_TIMEOUT}
     * @return this builder
     */
    public Builder connectTimeout(Duration connectTimeout) {
      this.connectTimeout = Checks.positive(connectTimeout, "connectTimeout");
      return this;
    }

    /**
     * Sets the inbound allowance: events received but not yet taken by {@code recvEvent} or
     * {@code pump}. Over it the connection is not read until half of them have been taken.
     *
     * @param maxQueuedEvents greater than zero; default {@value
     *     ConnectionOptions#DEFAULT_MAX_QUEUED_EVENTS}
     * @return this builder
     */
    public Builder maxQueuedEvents(int maxQueuedEvents) {
      connection.maxQueuedEvents = Checks.positive(maxQueuedEvents, "maxQueuedEvents");
      return this;
    }

    /**
     * Sets how much memory received events not yet handed out by {@code recvEvent} or {@code
     * pump} may take before the client stops reading (TCP then holds the server back), as the
     * transport counts it: what the events cost decoded, at least their frames' size. Without
     * it, a server relaying large events of many tiny values to a client that reads slowly
     * could fill the client's heap long before {@link #maxQueuedEvents} events were queued.
     *
     * @param maxQueuedBytes greater than zero; default {@value
     *     EbsocketClient#DEFAULT_MAX_QUEUED_BYTES}
     * @return this builder
     */
    public Builder maxQueuedBytes(long maxQueuedBytes) {
      this.maxQueuedBytes = Checks.positive(maxQueuedBytes, "maxQueuedBytes");
      return this;
    }

    /**
     * Speaks TLS to the server ({@link ServerTls#PROTOCOLS} only), checking its certificate as
     * {@code tls} says. Off (plain TCP) by default.
     *
     * @param tls which certificates to trust, e.g. {@link ClientTls#systemTrust()}
     * @return this builder
     */
    public Builder tls(ClientTls tls) {
      this.tls = Objects.requireNonNull(tls, "tls");
      return this;
    }

    /**
     * Adds data to the client's {@code ebsockets.hello}, for the server's admission hook ({@link
     * Admission}): a token, a user name. Sent on every connect and reconnect, over either door.
     *
     * <pre>{@code
     * EbsocketClient.builder().helloData(Map.of("token", token)).build();
     * }</pre>
     *
     * @param data members as an event's data takes them; not {@code version} or {@code
     *     maxFrameLength}, which the protocol's hello has already
     * @return this builder
     * @throws IllegalArgumentException if a member is reserved or not a valid event value
     */
    public Builder helloData(Map<String, ?> data) {
      for (String reserved : new String[] {"version", "maxFrameLength"}) {
        if (data.containsKey(reserved)) {
          throw new IllegalArgumentException(
              "helloData: the member '" + reserved
                  + "' is the protocol's own (expected: other names)");
        }
      }
      this.helloData = new EbsocketEvent("hello", data).data();
      return this;
    }

    /**
     * Switches reconnection on: after an unexpected disconnect the client reconnects by itself,
     * with backoff, holding events sent meanwhile. Off by default.
     *
     * @param policy the backoff and the offline buffer, e.g. {@link ReconnectPolicy#defaults()}
     * @return this builder
     */
    public Builder reconnect(ReconnectPolicy policy) {
      this.reconnect = Objects.requireNonNull(policy, "policy");
      return this;
    }

    /**
     * Asks the server for a resumable session ({@link EbsocketServer.Builder#resumption}): when
     * the connection drops and the client reconnects within the server's window, the session
     * resumes, and every event either side sent meanwhile, in flight or held, is delivered once
     * and in order; pending requests stay pending. How each reconnect came back is reported in
     * {@link ClientPumpResult#connectionChanges()}: {@link ConnectionChange.Kind#RESUMED}, or
     * {@link ConnectionChange.Kind#SESSION_EXPIRED} / {@link ConnectionChange.Kind#SESSION_UNKNOWN}
     * with the events the lost session never acknowledged. Sent events are kept until the server
     * acknowledges them, at most the reconnect policy's {@link
     * ReconnectPolicy#offlineBufferEvents()}. A server that keeps no sessions serves the client as
     * a plain reconnecting one. Off by default; needs {@link #reconnect}.
     *
     * @param resumable true to ask for a session
     * @return this builder
     */
    public Builder resumable(boolean resumable) {
      this.resumable = resumable;
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
     * Creates the client; it is not connected yet.
     *
     * @return the client
     * @throws IllegalArgumentException if options contradict each other
     */
    public EbsocketClient build() {
      if (resumable && reconnect == null) {
        throw new IllegalArgumentException(
            "resumable(true) without reconnect (expected: a ReconnectPolicy too, so that the"
                + " client comes back to resume)");
      }
      return new EbsocketClient(this);
    }
  }
}
