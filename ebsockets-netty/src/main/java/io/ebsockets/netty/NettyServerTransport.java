package io.ebsockets.netty;

import io.ebsockets.Admission;
import io.ebsockets.CloseReason;
import io.ebsockets.Door;
import io.ebsockets.Handshake;
import io.ebsockets.Listener;
import io.ebsockets.CloseStatus;
import io.ebsockets.EbsocketEvent;
import io.ebsockets.ServerOptions;
import io.ebsockets.TurnedAwayStats;
import io.ebsockets.spi.ConnectionListener;
import io.ebsockets.spi.ServerTransport;
import io.ebsockets.spi.TransportChannel;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.cookie.Cookie;
import io.netty.handler.codec.http.cookie.ServerCookieDecoder;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.internal.PlatformDependent;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A listening Netty server, with one or more doors (TCP, WebSocket), and its connections. */
final class NettyServerTransport implements ServerTransport {
  private static final Logger log = LoggerFactory.getLogger(NettyServerTransport.class);
  /** The accept queue; a burst of connects beyond it is refused by the kernel. */
  static final int ACCEPT_BACKLOG = 4096;
  /** How long a TLS client has to complete its handshake. */
  static final long HANDSHAKE_TIMEOUT_MILLIS = 10_000;

  private final ServerOptions options;
  private final ConnectionListener listener;
  private final EventLoopGroup group;
  private final Set<NettyConnection> connections = ConcurrentHashMap.newKeySet();
  private final AtomicLong nextId = new AtomicLong(1);
  private final AtomicBoolean closed = new AtomicBoolean();
  private final AtomicBoolean shutdownHintsSpread = new AtomicBoolean();
  /** Set once a draining shutdown began: connections accepted from now on are turned away. */
  private volatile boolean draining;
  private final ByteBufAllocator alloc = ByteBufAllocator.DEFAULT;
  private final Settings settings;
  private final FrameBudget frameBudget;
  private final OutboundBudget outboundBudget;
  private final AtomicInteger admitted = new AtomicInteger();
  /** Connections by IP address, or null without a limit per address. */
  private final ConnectionsPerAddress perAddress;
  /** One per door, in the order of the listeners. */
  private final List<Channel> serverChannels;
  /** The application's hook on hellos, or null. */
  private final Admission admission;
  /** Null for plain TCP. */
  private final SslContext tls;
  /** The resumable sessions, or null if the server keeps none. */
  private final Sessions sessions;
  /** The accept rate and the retry hints of the closes that turn clients away. */
  private final Comebacks comebacks;
  /** Connections turned away before they were admitted, by why. */
  private final LongAdder overloaded = new LongAdder();
  private final LongAdder full = new LongAdder();
  private final LongAdder shuttingDown = new LongAdder();

  private NettyServerTransport(IoKind kind, ServerOptions options, ConnectionListener listener) {
    this.options = options;
    this.listener = listener;
    this.group = kind.newGroup(options.ioThreads(), "ebsockets-server");
    this.settings =
        new Settings(options.connection(), false,
            new WriteBacklog(options.maxOutboundBacklogBytes(), group));
    this.frameBudget = new FrameBudget(partialFrameBudget(options.maxPartialFrameBytes()));
    this.admission = options.admission().orElse(null);
    this.sessions = options.resumption().map(Sessions::new).orElse(null);
    this.comebacks = new Comebacks(options);
    this.perAddress = options.maxConnectionsPerAddress() == Integer.MAX_VALUE
        ? null : new ConnectionsPerAddress(options.maxConnectionsPerAddress());
    this.tls = options.tls().map(TlsContexts::server).orElse(null);
    List<Channel> bound = new ArrayList<>();
    for (Listener door : options.listeners()) {
      try {
        bound.add(bind(kind, door));
      } catch (RuntimeException e) {
        for (Channel channel : bound) {
          channel.close().awaitUninterruptibly();
        }
        group.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
        throw e;
      }
    }
    this.serverChannels = List.copyOf(bound);
    this.outboundBudget =
        new OutboundBudget(
            options.maxOutboundMemory(), connections, settings.eventsOut()::sum, group.next());
  }

  private Channel bind(IoKind kind, Listener door) {
    HttpDoorway.Site web =
        door.door() == Door.WEB_SOCKET ? new HttpDoorway.Site(door, listener::health) : null;
    ServerBootstrap bootstrap =
        new ServerBootstrap()
            .group(group)
            .channel(kind.serverChannel())
            .option(ChannelOption.SO_BACKLOG, ACCEPT_BACKLOG)
            .option(ChannelOption.SO_REUSEADDR, true)
            .childOption(ChannelOption.TCP_NODELAY, true)
            .childHandler(
                new ChannelInitializer<SocketChannel>() {
                  @Override
                  protected void initChannel(SocketChannel ch) {
                    if (web == null) {
                      acceptedTcp(ch, door);
                    } else {
                      acceptedWebSocket(ch, web);
                    }
                  }
                });
    InetSocketAddress address = door.bindAddress();
    ChannelFuture bound = bootstrap.bind(address).awaitUninterruptibly();
    if (!bound.isSuccess()) {
      Throwable cause = bound.cause();
      String message = "cannot bind " + address + " (" + door + "): " + cause.getMessage();
      throw new UncheckedIOException(
          message, cause instanceof IOException io ? io : new IOException(message, cause));
    }
    log.debug("listening on {} ({}, {}, {})", bound.channel().localAddress(), door, kind,
        tls == null ? "plain" : "TLS");
    return bound.channel();
  }

  /**
   * The partial-frame budget: as configured, but at most half of the direct memory this JVM may
   * use, where those buffers live. With 256 MiB configured and 256 MiB of direct memory, frames
   * held in buffers grown by doubling ran the JVM out of direct memory at 126 partial frames
   * (each failing with an {@code OutOfMemoryError}); with half, the other half stays for writes
   * and TLS.
   */
  static long partialFrameBudget(long configured) {
    long direct = PlatformDependent.maxDirectMemory();
    return direct > 0 ? Math.min(configured, direct / 2) : configured;
  }

  static NettyServerTransport bind(IoKind kind, ServerOptions options, ConnectionListener listener) {
    return new NettyServerTransport(kind, options, listener);
  }

  /** A TCP connection is registered at once, or behind a PROXY header once it is in. */
  private void acceptedTcp(SocketChannel ch, Listener door) {
    NettyConnection connection =
        new NettyConnection(0, ch, ch.remoteAddress(), settings); // numbered when registered
    Pipelines.install(ch.pipeline(), connection, frameBudget, tlsHandler(ch));
    if (door.proxyProtocol()) {
      ProxyHeader.install(ch.pipeline(), connection, door.handshakeTimeout().toNanos(),
          this::register);
    } else {
      register(connection);
    }
  }

  /** A WebSocket connection is registered once it has upgraded; until then it is plain HTTP. */
  private void acceptedWebSocket(SocketChannel ch, HttpDoorway.Site door) {
    Framing framing =
        door.listener().deflate() ? WebSocketFraming.FRAMING_DEFLATE : WebSocketFraming.FRAMING;
    NettyConnection connection =
        new NettyConnection(0, ch, ch.remoteAddress(), settings, framing); // numbered on upgrade
    WebSocketPipelines.installServer(ch.pipeline(), connection, door, tlsHandler(ch),
        (c, handshake) -> upgraded(c, handshake, door.listener()));
  }

  private SslHandler tlsHandler(SocketChannel ch) {
    if (tls == null) {
      return null;
    }
    SslHandler ssl = tls.newHandler(ch.alloc());
    ssl.setHandshakeTimeoutMillis(HANDSHAKE_TIMEOUT_MILLIS);
    return ssl;
  }

  private void upgraded(NettyConnection connection,
      WebSocketServerProtocolHandler.HandshakeComplete handshake, Listener door) {
    if (!door.trustedProxies().isEmpty()) {
      ForwardedFor.client(connection.remoteAddress(), handshake.requestHeaders(),
          door.trustedProxies()).ifPresent(connection::forwardedFor);
    }
    if (admission != null) {
      keepUpgradeRequest(connection, handshake); // for the hook, and only then: it costs memory
    }
    register(connection);
  }

  private static void keepUpgradeRequest(
      NettyConnection connection, WebSocketServerProtocolHandler.HandshakeComplete handshake) {
    Map<String, List<String>> headers = new LinkedHashMap<>();
    for (Map.Entry<String, String> h : handshake.requestHeaders()) {
      headers.computeIfAbsent(h.getKey(), k -> new ArrayList<>()).add(h.getValue());
    }
    Map<String, String> cookies = new LinkedHashMap<>();
    for (String header : handshake.requestHeaders().getAll(HttpHeaderNames.COOKIE)) {
      for (Cookie c : ServerCookieDecoder.LAX.decode(header)) {
        cookies.putIfAbsent(c.name(), c.value());
      }
    }
    connection.upgradeRequest(
        new NettyConnection.UpgradeRequest(handshake.requestUri(), headers, cookies));
  }

  /** Loop: a connection of any door is up; counts it, and reports it or waits for its hello. */
  private void register(NettyConnection connection) {
    connection.numberIfUnnumbered(nextId::getAndIncrement);
    if (!draining) {
      CloseStatus overloaded = comebacks.admit(System.nanoTime());
      if (overloaded != null) { // never reported to the application: told when to come back
        log.debug("{}: turned away, over the accept rate", connection);
        this.overloaded.increment();
        connection.close(overloaded);
        return;
      }
    }
    if (!admit()) {
      // Never reported to the application: told why, then closed.
      log.debug("{}: refused, server full at {} connections", connection, options.maxConnections());
      full.increment();
      connection.close(comebacks.full(
          "server full: " + options.maxConnections() + " connections (try again later)"));
      return;
    }
    java.net.InetAddress from = perAddress == null ? null : addressOf(connection);
    if (from != null && !perAddress.admit(from)) {
      admitted.decrementAndGet();
      log.debug("{}: refused, {} holds {} connections", connection, from,
          options.maxConnectionsPerAddress());
      full.increment();
      connection.close(comebacks.full("too many connections from "
          + from.getHostAddress() + " (expected: at most " + options.maxConnectionsPerAddress()
          + " per address)"));
      return;
    }
    connections.add(connection);
    connection.closeFuture().whenComplete((ignored, error) -> {
      connections.remove(connection);
      admitted.decrementAndGet();
      if (from != null) {
        perAddress.release(from);
      }
    });
    if (draining) {
      shuttingDown.increment();
      connection.close(comebacks.shutdown());
      return;
    }
    if (admission != null || sessions != null) {
      connection.admitOnHello(this::admitHello);
    } else {
      connection.attach(listener.opened(connection));
    }
    if (closed.get()) {
      connection.close(comebacks.shutdown());
    }
  }

  /**
   * Loop: the application's hook decides on a connection's hello; an admitted one that asks for
   * a resumable session gets one, new or resumed.
   */
  private boolean admitHello(NettyConnection connection, Map<String, Object> hello) {
    if (admission != null && !admittedByHook(connection, hello)) {
      return false;
    }
    if (sessions != null && hello.get("resume") instanceof Map<?, ?> resume) {
      connection.welcomeMembers(Map.of("session", sessions.admit(connection, resume, listener)));
    } else {
      connection.attach(listener.opened(connection));
    }
    return true;
  }

  private boolean admittedByHook(NettyConnection connection, Map<String, Object> hello) {
    NettyConnection.UpgradeRequest upgrade = connection.upgradeRequest();
    Handshake handshake =
        new Handshake(
            connection.door(),
            connection.remoteAddress(),
            hello,
            upgrade == null ? null : upgrade.uri(),
            upgrade == null ? Map.of() : upgrade.headers(),
            upgrade == null ? Map.of() : upgrade.cookies());
    Admission.Verdict verdict;
    try {
      verdict = Objects.requireNonNull(admission.decide(handshake), "the admission's verdict");
    } catch (RuntimeException e) {
      log.warn("{}: the admission hook failed; the connection is refused", connection, e);
      verdict = Admission.Verdict.refuse("admission failed");
    }
    if (verdict.admitted()) {
      return true;
    }
    listener.refused(handshake, verdict.message());
    connection.close(CloseReason.UNAUTHORIZED, verdict.message());
    return false;
  }

  private static java.net.InetAddress addressOf(NettyConnection connection) {
    InetSocketAddress address = connection.remoteAddress();
    return address == null ? null : address.getAddress();
  }

  private boolean admit() {
    int now;
    do {
      now = admitted.get();
      if (now >= options.maxConnections()) {
        return false;
      }
    } while (!admitted.compareAndSet(now, now + 1));
    return true;
  }


  @Override
  public InetSocketAddress localAddress() {
    return (InetSocketAddress) serverChannels.get(0).localAddress();
  }

  @Override
  public List<InetSocketAddress> localAddresses() {
    List<InetSocketAddress> addresses = new ArrayList<>(serverChannels.size());
    for (Channel channel : serverChannels) {
      addresses.add((InetSocketAddress) channel.localAddress());
    }
    return List.copyOf(addresses);
  }

  @Override
  public boolean sendTo(EbsocketEvent event, TransportChannel target) {
    return sendTo(event, target, 0, 0);
  }

  @Override
  public boolean sendTo(
      EbsocketEvent event, TransportChannel target, long requestId, long replyTo) {
    if (target instanceof ServerSession session) {
      return session.isOpen() && session.anchor().encodeAndSend(event, requestId, replyTo);
    }
    return own(target).send(event, requestId, replyTo);
  }

  @Override
  public int send(EbsocketEvent event, Iterable<? extends TransportChannel> targets) {
    settings.backlog().awaitRoom();
    ByteBuf frame = EventCodec.encode(alloc, event, options.maxFrameLength());
    int frameBytes = frame.readableBytes();
    int payload = frameBytes - FrameDecoder.LENGTH_BYTES;
    Recipients recipients = Recipients.take();
    int queued;
    try {
      for (TransportChannel target : targets) {
        if (!target.isOpen()) {
          continue;
        }
        NettyConnection connection = own(target);
        if (payload > connection.peerMaxFrameLength()) {
          log.debug("{}: skipped a {}-byte {} event over the peer's max frame length {}",
              connection, payload, event.type(), connection.peerMaxFrameLength());
          continue;
        }
        recipients.add(connection);
      }
      queued = recipients.handOut(frame, settings.backlog());
    } finally {
      recipients.clear();
      frame.release();
    }
    if (queued > 0) {
      settings.eventsOut().add(queued);
      settings.bytesOut().add((long) queued * frameBytes);
    }
    return queued;
  }

  private static NettyConnection own(TransportChannel target) {
    if (target instanceof NettyConnection connection) {
      return connection;
    }
    if (target instanceof ServerSession session) {
      return session.anchor(); // its loop numbers the session's frames
    }
    throw new IllegalArgumentException(
        "target: " + target + " (expected: a connection of this Netty transport)");
  }

  @Override
  public long eventsOut() {
    return settings.eventsOut().sum();
  }

  @Override
  public long bytesOut() {
    return settings.bytesOut().sum();
  }

  @Override
  public long outboundBacklogBytes() {
    return settings.backlog().queued();
  }

  @Override
  public io.ebsockets.SessionStats sessionStats() {
    return sessions == null ? io.ebsockets.SessionStats.none() : sessions.stats();
  }

  /**
   * Once, at the first step of a shutdown: its hints are spread over what the accept rate needs
   * for the connections of the moment.
   */
  private void spreadShutdownHints() {
    if (shutdownHintsSpread.compareAndSet(false, true)) {
      comebacks.shuttingDown(connections.size());
    }
  }

  @Override
  public TurnedAwayStats turnedAway() {
    return new TurnedAwayStats(overloaded.sum(), full.sum(), shuttingDown.sum());
  }

  @Override
  public boolean isListening() {
    for (Channel channel : serverChannels) {
      if (!channel.isActive()) {
        return false;
      }
    }
    return true;
  }

  @Override
  public void lameDuck(Duration period) {
    spreadShutdownHints();
    draining = true; // from now on a new connection is told server_shutdown, with a hint
    List<NettyConnection> open = new ArrayList<>(connections);
    log.info("lame duck: closing {} connections over {} ms", open.size(), period.toMillis());
    long periodNanos = period.toNanos();
    CompletableFuture<?>[] closing = new CompletableFuture<?>[open.size() + 1];
    // The whole period, even once every connection is closed: a load balancer needs that long
    // of 503s to take the node out of rotation.
    CompletableFuture<Void> periodOver = new CompletableFuture<>();
    group.schedule(() -> periodOver.complete(null), periodNanos, TimeUnit.NANOSECONDS);
    closing[open.size()] = periodOver;
    for (int i = 0; i < open.size(); i++) {
      NettyConnection connection = open.get(i);
      long at = (long) (ThreadLocalRandom.current().nextDouble() * periodNanos);
      group.schedule(() -> connection.close(comebacks.shutdown()), at, TimeUnit.NANOSECONDS);
      closing[i] = connection.closeFuture();
    }
    if (!awaitAll(closing, periodNanos + options.connection().closeTimeout().toNanos())) {
      log.debug("lame duck: {} connections still closing after the period", connections.size());
    }
  }

  @Override
  public void stopAcceptingAndReading(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    spreadShutdownHints();
    draining = true;
    for (Channel channel : serverChannels) {
      channel.close().awaitUninterruptibly(Math.max(0, remaining(deadline)), TimeUnit.NANOSECONDS);
    }
    CompletableFuture<?>[] stopped =
        connections.stream().map(NettyConnection::stopReading).toArray(CompletableFuture[]::new);
    if (!awaitAll(stopped, remaining(deadline))) {
      log.debug("shutdown: not every connection had stopped reading in time");
    }
  }

  @Override
  public void close() {
    close(options.shutdownTimeout());
  }

  @Override
  public void close(Duration timeout) {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    long deadline = System.nanoTime() + timeout.toNanos();
    spreadShutdownHints();
    if (sessions != null) {
      // From now on a lost connection ends its session, and a disconnected one ends now.
      sessions.close(new CloseStatus(CloseReason.SERVER_SHUTDOWN, "server shutting down"));
    }
    outboundBudget.stop();
    settings.backlog().close();
    for (Channel channel : serverChannels) {
      channel.close().awaitUninterruptibly();
    }
    CompletableFuture<?>[] closing =
        connections.stream()
            .map(c -> c.close(comebacks.shutdown()))
            .toArray(CompletableFuture[]::new);
    if (!awaitAll(closing, remaining(deadline))) {
      log.debug("shutdown timeout passed with {} connections open", connections.size());
    }
    CloseStatus late = new CloseStatus(CloseReason.SERVER_SHUTDOWN, "server shutting down");
    for (NettyConnection connection : connections) {
      connection.forceClose(late);
    }

    group.shutdownGracefully(0, Math.max(1, remaining(deadline)), TimeUnit.NANOSECONDS)
        .awaitUninterruptibly(Math.max(1, remaining(deadline)) + TimeUnit.SECONDS.toNanos(1),
            TimeUnit.NANOSECONDS);
  }

  /**
   * Waits up to {@code nanos} for every one of {@code futures}; false if they were not all done
   * in time, or the thread was interrupted (its flag is set again).
   */
  private static boolean awaitAll(CompletableFuture<?>[] futures, long nanos) {
    try {
      CompletableFuture.allOf(futures).get(nanos, TimeUnit.NANOSECONDS);
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    } catch (ExecutionException | TimeoutException e) {
      return false;
    }
  }

  private static long remaining(long deadline) {
    return Math.max(0, deadline - System.nanoTime());
  }
}
