package io.ebsockets.netty;

import io.ebsockets.CloseReason;
import io.ebsockets.CloseStatus;
import io.ebsockets.EbsocketEvent;
import io.ebsockets.ServerOptions;
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
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.internal.PlatformDependent;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A listening Netty server and its connections. */
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
  /** Set once a draining shutdown began: connections accepted from now on are turned away. */
  private volatile boolean draining;
  private final ByteBufAllocator alloc = ByteBufAllocator.DEFAULT;
  private final Settings settings;
  private final FrameBudget frameBudget;
  private final OutboundBudget outboundBudget;
  private final AtomicInteger admitted = new AtomicInteger();
  private final Channel serverChannel;
  /** Null for plain TCP. */
  private final SslContext tls;

  private NettyServerTransport(IoKind kind, ServerOptions options, ConnectionListener listener) {
    this.options = options;
    this.listener = listener;
    this.group = kind.newGroup(options.ioThreads(), "ebsockets-server");
    this.settings =
        new Settings(options.connection(), false,
            new WriteBacklog(options.maxOutboundBacklogBytes(), group));
    this.frameBudget = new FrameBudget(partialFrameBudget(options.maxPartialFrameBytes()));
    this.tls = options.tls().map(TlsContexts::server).orElse(null);
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
                    accepted(ch);
                  }
                });
    ChannelFuture bound = bootstrap.bind(options.bindAddress()).awaitUninterruptibly();
    if (!bound.isSuccess()) {
      group.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
      Throwable cause = bound.cause();
      String message = "cannot bind " + options.bindAddress() + ": " + cause.getMessage();
      throw new UncheckedIOException(
          message, cause instanceof IOException io ? io : new IOException(message, cause));
    }
    this.serverChannel = bound.channel();
    this.outboundBudget =
        new OutboundBudget(
            options.maxOutboundMemory(), connections, settings.eventsOut()::sum, group.next());
    log.debug("listening on {} ({}, {})", serverChannel.localAddress(), kind,
        tls == null ? "plain TCP" : "TLS");
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

  private void accepted(SocketChannel ch) {
    NettyConnection connection =
        new NettyConnection(nextId.getAndIncrement(), ch, ch.remoteAddress(), settings);
    SslHandler ssl = null;
    if (tls != null) {
      ssl = tls.newHandler(ch.alloc());
      ssl.setHandshakeTimeoutMillis(HANDSHAKE_TIMEOUT_MILLIS);
    }
    Pipelines.install(ch.pipeline(), connection, frameBudget, ssl);
    if (!admit()) {
      // Never reported to the application: told why, then closed.
      log.debug("{}: refused, server full at {} connections", connection, options.maxConnections());
      connection.close(
          CloseReason.SERVER_FULL,
          "server full: " + options.maxConnections() + " connections (try again later)");
      return;
    }
    connections.add(connection);
    connection.closeFuture().whenComplete((ignored, error) -> {
      connections.remove(connection);
      admitted.decrementAndGet();
    });
    if (draining) {
      connection.close(CloseReason.SERVER_SHUTDOWN, "server shutting down");
      return;
    }
    connection.attach(listener.opened(connection));
    if (closed.get()) {
      connection.close(CloseReason.SERVER_SHUTDOWN, "server shutting down");
    }
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
    return (InetSocketAddress) serverChannel.localAddress();
  }

  @Override
  public boolean sendTo(EbsocketEvent event, TransportChannel target) {
    return own(target).send(event);
  }

  @Override
  public boolean sendTo(
      EbsocketEvent event, TransportChannel target, long requestId, long replyTo) {
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
        NettyConnection connection = own(target);
        if (!connection.isOpen()) {
          continue;
        }
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
  public void stopAcceptingAndReading(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    draining = true;
    serverChannel.close().awaitUninterruptibly(timeout.toNanos(), TimeUnit.NANOSECONDS);
    CompletableFuture<?>[] stopped =
        connections.stream().map(NettyConnection::stopReading).toArray(CompletableFuture[]::new);
    try {
      CompletableFuture.allOf(stopped).get(remaining(deadline), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
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
    outboundBudget.stop();
    settings.backlog().close();
    serverChannel.close().awaitUninterruptibly();
    CompletableFuture<?>[] closing =
        connections.stream()
            .map(c -> c.close(CloseReason.SERVER_SHUTDOWN, "server shutting down"))
            .toArray(CompletableFuture[]::new);
    try {
      CompletableFuture.allOf(closing).get(remaining(deadline), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
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

  private static long remaining(long deadline) {
    return Math.max(0, deadline - System.nanoTime());
  }
}
