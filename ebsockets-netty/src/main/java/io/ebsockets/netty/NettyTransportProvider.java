package io.ebsockets.netty;

import io.ebsockets.ClientOptions;
import io.ebsockets.ServerOptions;
import io.ebsockets.spi.ChannelSink;
import io.ebsockets.spi.ClientTransport;
import io.ebsockets.spi.ConnectionListener;
import io.ebsockets.spi.ServerTransport;
import io.ebsockets.spi.TransportProvider;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import io.ebsockets.ClientTls;
import io.ebsockets.Door;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import io.ebsockets.CloseReason;
import io.ebsockets.CloseStatus;

/**
 * The Netty transport, found by {@link java.util.ServiceLoader} when {@code ebsockets-netty} is on
 * the class path. Uses native epoll when it loads and NIO otherwise. Applications do not need to
 * name this class.
 */
public final class NettyTransportProvider implements TransportProvider {
  private final IoKind kind;

  /** Creates the provider; picks native epoll if it is available. */
  public NettyTransportProvider() {
    this(IoKind.best());
  }

  NettyTransportProvider(IoKind kind) {
    this.kind = kind;
  }

  @Override
  public ServerTransport bind(ServerOptions options, ConnectionListener listener) {
    return NettyServerTransport.bind(kind, options, listener);
  }

  @Override
  public ClientTransport connect(InetSocketAddress address, ClientOptions options, ChannelSink sink)
      throws IOException {
    return connectTcp(address, options.tls().map(TlsContexts::client).orElse(null), options, sink);
  }

  private ClientTransport connectTcp(
      InetSocketAddress address, SslContext tls, ClientOptions options, ChannelSink sink)
      throws IOException {
    return connect(address, address, options, sink, Framing.TCP,
        (ch, connection) -> Pipelines.install(ch.pipeline(), connection, FrameBudget.UNLIMITED,
            tlsHandler(tls, ch, address, options)));
  }

  @Override
  public ClientTransport connect(URI uri, ClientOptions options, ChannelSink sink)
      throws IOException {
    Door door = Door.ofScheme(uri.getScheme());
    boolean secure = Door.isTlsScheme(uri.getScheme());
    int port = uri.getPort() >= 0 ? uri.getPort() : secure ? 443 : 80;
    InetSocketAddress address = new InetSocketAddress(uri.getHost(), port);
    if (address.isUnresolved()) {
      throw new IOException("cannot connect to " + uri + ": unknown host");
    }
    SslContext tls =
        secure ? TlsContexts.client(options.tls().orElseGet(ClientTls::systemTrust)) : null;
    if (door == Door.TCP) {
      return connectTcp(address, tls, options, sink);
    }
    URI target = uri.getPath() == null || uri.getPath().isEmpty()
        ? URI.create(uri.toString() + "/")
        : uri;
    return connect(uri, address, options, sink, WebSocketFraming.FRAMING,
        (ch, connection) -> WebSocketPipelines.installClient(
            ch.pipeline(), connection, target, tlsHandler(tls, ch, address, options),
            options.connectTimeout().toMillis()));
  }

  private static SslHandler tlsHandler(
      SslContext tls, SocketChannel ch, InetSocketAddress address, ClientOptions options) {
    if (tls == null) {
      return null;
    }
    SslHandler ssl = tls.newHandler(ch.alloc(), address.getHostString(), address.getPort());
    ssl.setHandshakeTimeoutMillis(Math.max(1, options.connectTimeout().toMillis()));
    return ssl;
  }

  /** Installs a client connection's pipeline. */
  private interface Installer {
    void install(SocketChannel ch, NettyConnection connection);
  }

  private ClientTransport connect(
      Object where,
      InetSocketAddress address,
      ClientOptions options,
      ChannelSink sink,
      Framing framing,
      Installer installer)
      throws IOException {
    AtomicReference<NettyConnection> made = new AtomicReference<>();
    Bootstrap bootstrap =
        new Bootstrap()
            .group(kind.sharedClientGroup())
            .channel(kind.socketChannel())
            .option(ChannelOption.TCP_NODELAY, true)
            .option(
                ChannelOption.CONNECT_TIMEOUT_MILLIS,
                (int) Math.min(Integer.MAX_VALUE, Math.max(1, options.connectTimeout().toMillis())))
            .handler(
                new ChannelInitializer<SocketChannel>() {
                  @Override
                  protected void initChannel(SocketChannel ch) {
                    NettyConnection connection =
                        new NettyConnection(
                            1, ch, address, new Settings(options.connection(), true), framing);
                    connection.helloData(options.helloData());
                    connection.attach(sink);
                    installer.install(ch, connection);
                    made.set(connection);
                  }
                });
    long deadline = System.nanoTime() + options.connectTimeout().toNanos();
    ChannelFuture connected = bootstrap.connect(address);
    try {
      connected.await();
    } catch (InterruptedException e) {
      connected.cancel(false);
      connected.channel().close();
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while connecting to " + where);
    }
    if (!connected.isSuccess()) {
      Throwable cause = connected.cause();
      throw new IOException("cannot connect to " + where + ": " + reason(cause), cause);
    }
    NettyConnection connection = made.get();
    awaitWelcome(connection, where, deadline);
    return connection;
  }

  /**
   * Why a connect failed, in the words of the system call and without Netty's wrapping:
   * {@code "Connection refused"}, not {@code "finishConnect(..) failed with error(-111):
   * Connection refused: /127.0.0.1:1"}.
   */
  static String reason(Throwable cause) {
    String message = String.valueOf(cause.getMessage());
    message = message.replaceFirst("^[A-Za-z]+\\(\\.\\.\\) failed with error\\(-?\\d+\\): ", "");
    int address = message.lastIndexOf(": /");
    return address > 0 ? message.substring(0, address) : message;
  }

  /**
   * Waits for the server's {@code ebsockets.welcome}: once it is in, the server has accepted the
   * connection and knows it, so a broadcast sent the moment the client's connect returns reaches
   * it.
   */
  private static void awaitWelcome(NettyConnection connection, Object address, long deadline)
      throws IOException {
    try {
      connection.welcomed().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      connection.forceClose(new CloseStatus(CloseReason.CLIENT_CLOSED, "interrupted while connecting"));
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while waiting for the welcome of " + address);
    } catch (ExecutionException e) {
      String message =
          "cannot connect to " + address + ": the connection ended before the server's welcome ("
              + connection.closeStatus().map(Object::toString).orElse("no reason given") + ")";
      if (connection.closeStatus().isPresent()) { // with it, a retry hint reaches the client
        io.ebsockets.ConnectionEndedException ended =
            new io.ebsockets.ConnectionEndedException(message, connection.closeStatus().get());
        ended.initCause(e.getCause());
        throw ended;
      }
      throw new IOException(message, e.getCause());
    } catch (TimeoutException e) {
      connection.forceClose(new CloseStatus(CloseReason.CLIENT_CLOSED, "no welcome"));
      throw new IOException(
          "cannot connect to " + address
              + ": no ebsockets.welcome within the connect timeout (expected: an ebsockets server)");
    }
  }

  @Override
  public String toString() {
    return "NettyTransportProvider(" + kind + ")";
  }
}
