package io.ebsockets;

import io.ebsockets.spi.ChannelSink;
import io.ebsockets.spi.ClientTransport;
import io.ebsockets.spi.TransportChannel;
import io.ebsockets.spi.TransportProvider;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;

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
 * pump} before they report it. A client connects at most once: to connect again, make a new one.
 *
 * <p><b>Threads.</b> Every method is safe from any thread; receiving calls are serialised. All
 * clients of a JVM share one small pool of daemon I/O threads, so a program with many clients
 * starts few threads and can exit without closing them.
 */
public final class EbsocketClient implements AutoCloseable {
  /** The default connect timeout: 10 seconds. */
  public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);
  /** The most events one {@link #pump()} returns; the rest come with the next pump, at once. */
  public static final int MAX_PUMP_BATCH = 65_536;

  private final ClientOptions options;
  private final TransportProvider provider;
  private final Inbox inbox = new Inbox();
  private final Backpressure backpressure;
  /** Counts this client's queued events; set once connected. */
  private volatile Backpressure.Account account;
  private final ReentrantLock receiveLock = new ReentrantLock();
  private final AtomicBoolean connecting = new AtomicBoolean();
  private final AtomicBoolean closed = new AtomicBoolean();
  private volatile ClientTransport transport;
  private volatile CloseStatus endStatus;
  /** Set once the end was handed out; guarded by receiveLock. */
  private boolean endDelivered;

  /** Creates a client with default options; nothing is connected yet. */
  public EbsocketClient() {
    this(builder());
  }

  private EbsocketClient(Builder builder) {
    this.options = new ClientOptions(builder.connection.build(), builder.connectTimeout);
    this.provider = builder.transport;
    this.backpressure =
        new Backpressure(options.connection().maxQueuedEvents(), Long.MAX_VALUE, Long.MAX_VALUE);
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
   * Connects to a server, blocking until connected or the connect timeout has passed.
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
    if (closed.get()) {
      throw new IllegalStateException("client is closed (expected: a new EbsocketClient)");
    }
    if (!connecting.compareAndSet(false, true)) {
      throw new IllegalStateException(
          "client already connected to "
              + (transport != null ? transport.remoteAddress() : "a server")
              + " (expected: one connectTo per client; make a new EbsocketClient to connect again)");
    }
    TransportProvider chosen = provider != null ? provider : Transports.defaultProvider();
    try {
      transport = chosen.connect(address, options, new Sink());
    } catch (IOException | RuntimeException e) {
      forgetFailedAttempt();
      throw e;
    }
    if (closed.get()) {
      close(transport);
    }
  }

  /** A connection refused after it was made (server full) may have queued its end: drop it. */
  private void forgetFailedAttempt() {
    receiveLock.lock();
    try {
      while (inbox.poll() != null) {
        // discard
      }
      endStatus = null;
      account = null;
    } finally {
      receiveLock.unlock();
    }
    connecting.set(false);
  }

  /**
   * Tells whether the client is connected.
   *
   * @return false before {@link #connectTo} and as soon as the connection has ended, even while
   *     received events remain unread
   */
  public boolean isConnected() {
    ClientTransport t = transport;
    return t != null && t.isOpen();
  }

  /**
   * Queues an event for the server. Returns without waiting for the write.
   *
   * @param event the event
   * @throws IllegalStateException if not connected
   * @throws IllegalArgumentException if the encoded event is longer than the max frame length;
   *     nothing is sent
   */
  public void sendEvent(EbsocketEvent event) {
    Objects.requireNonNull(event, "event");
    ClientTransport t = transport;
    if (t == null) {
      throw new IllegalStateException("not connected (expected: connectTo first)");
    }
    if (!t.send(event)) {
      throw new IllegalStateException(
          "not connected: the connection has ended ("
              + t.closeStatus().map(CloseStatus::toString).orElse("closing")
              + ")");
    }
  }

  /**
   * Waits for the next event.
   *
   * @return the event; empty once the connection has ended and every event received before the
   *     end was handed out, or if the thread was interrupted (the flag stays set)
   * @throws IllegalStateException if {@link #connectTo} was never called
   */
  public Optional<EbsocketEvent> recvEvent() {
    return recvEvent(Long.MAX_VALUE);
  }

  /**
   * Waits at most {@code timeout} for the next event.
   *
   * @param timeout how long to wait; {@link Duration#ZERO} does not wait
   * @return the event; empty on timeout, on interrupt, or once the connection has ended and
   *     every event was handed out
   * @throws IllegalStateException if {@link #connectTo} was never called
   */
  public Optional<EbsocketEvent> recvEvent(Duration timeout) {
    return recvEvent(Checks.toNanos(Checks.nonNegative(timeout, "timeout")));
  }

  private Optional<EbsocketEvent> recvEvent(long timeoutNanos) {
    requireConnectCalled();
    long deadline = System.nanoTime() + timeoutNanos;
    receiveLock.lock();
    try {
      while (!endDelivered) {
        Object item = inbox.poll();
        if (item instanceof EbsocketEvent event) {
          handedOut(event);
          backpressure.resumeEligible();
          return Optional.of(event);
        }
        if (item instanceof Ended) {
          endDelivered = true;
          break;
        }
        long left = timeoutNanos == Long.MAX_VALUE ? Long.MAX_VALUE : deadline - System.nanoTime();
        if (!inbox.await(left, () -> false)) {
          break;
        }
      }
      return Optional.empty();
    } finally {
      receiveLock.unlock();
    }
  }

  /**
   * Returns at once with the events received so far (the seed's client {@code pump}).
   *
   * @return the events, whether still connected and, once not, why
   */
  public ClientPumpResult pump() {
    return pump(0L);
  }

  /**
   * Waits at most {@code timeout} for the first event (or the end), then returns everything
   * received so far.
   *
   * @param timeout how long to wait; {@link Duration#ZERO} does not wait
   * @return the events, whether still connected and, once not, why; the events are empty on
   *     timeout or interrupt
   */
  public ClientPumpResult pump(Duration timeout) {
    return pump(Checks.toNanos(Checks.nonNegative(timeout, "timeout")));
  }

  private ClientPumpResult pump(long timeoutNanos) {
    receiveLock.lock();
    try {
      List<EbsocketEvent> events = new ArrayList<>();
      if (!endDelivered && transport != null && inbox.await(timeoutNanos, () -> false)) {
        Object item;
        for (int n = 0; n < MAX_PUMP_BATCH && (item = inbox.poll()) != null; n++) {
          if (item instanceof EbsocketEvent event) {
            events.add(event);
            handedOut(event);
          } else if (item instanceof Ended) {
            endDelivered = true;
            break;
          }
        }
      }
      backpressure.resumeEligible();
      boolean connected = transport != null && !endDelivered;
      return new ClientPumpResult(
          events, connected, connected ? Optional.empty() : Optional.ofNullable(endStatus));
    } finally {
      receiveLock.unlock();
    }
  }

  /**
   * Returns why the connection ended.
   *
   * @return the reason and message; empty while connected or before {@link #connectTo}
   */
  public Optional<CloseStatus> closeReason() {
    ClientTransport t = transport;
    return t == null ? Optional.empty() : t.closeStatus();
  }

  /**
   * Closes the connection ({@link CloseReason#CLIENT_CLOSED}): what was already sent is written
   * first, then the server is told. Blocks until the server has closed too, or the close timeout
   * has passed. Idempotent.
   */
  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      ClientTransport t = transport;
      if (t != null) {
        close(t);
      }
    }
  }

  private void close(ClientTransport t) {
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
    if (transport == null && endStatus == null) {
      throw new IllegalStateException("not connected (expected: connectTo first)");
    }
  }

  private void handedOut(EbsocketEvent event) {
    Backpressure.Account a = account;
    if (a != null) {
      backpressure.handedOut(a, event.frameBytes());
    }
  }

  /** The end of the connection, queued behind the events that came before it. */
  private record Ended(CloseStatus status) {}

  /** Queues the connection's events and end, on a transport thread. */
  private final class Sink implements ChannelSink {
    @Override
    public void attached(TransportChannel channel) {
      account = backpressure.account(channel);
    }

    @Override
    public boolean received(EbsocketEvent event, int frameBytes) {
      inbox.offer(event.received(null, frameBytes));
      return backpressure.received(account, frameBytes);
    }

    @Override
    public boolean readyToResume() {
      return backpressure.readyToResume(account);
    }

    @Override
    public void closed(CloseStatus status) {
      Backpressure.Account a = account;
      if (a != null) {
        backpressure.forget(a);
      }
      endStatus = status;
      inbox.offer(new Ended(status));
    }
  }

  /**
   * Builds a client. Every setter validates its argument; {@link #build()} checks combinations.
   * A {@link Duration#ZERO} interval or timeout switches that mechanism off.
   */
  public static final class Builder extends ConnectionSettingsBuilder<Builder> {
    private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
    private TransportProvider transport;

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
      return new EbsocketClient(this);
    }
  }
}
