package io.ebsockets.bench.load;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;

/**
 * Opens many load connections on one event-loop group. Used by the soak tool and the load
 * scenarios; runs in its own JVM, never inside Maven's.
 */
public final class LoadEngine implements AutoCloseable {
  private final EventLoopGroup group;
  private final boolean epoll = Epoll.isAvailable();
  private final InetSocketAddress server;
  /** The WebSocket door's path, or null for the TCP door. */
  private final String webSocketPath;
  /** Whether each client asks for a resumable session and acknowledges what it receives. */
  private boolean sessions;

  public LoadEngine(InetSocketAddress server, int threads) {
    this(server, threads, null);
  }

  /** Load connections to a server process, through the door it was started with. */
  public static LoadEngine of(ServerProcess server, int threads) {
    LoadEngine engine = new LoadEngine(server.address(), threads, server.webSocketPath());
    engine.sessions = server.sessions();
    return engine;
  }

  /**
   * @param webSocketPath null for TCP; else the clients upgrade to WebSocket at this path and
   *     each payload is one text message (Netty's client codec, masking included)
   */
  public LoadEngine(InetSocketAddress server, int threads, String webSocketPath) {
    this.server = server;
    this.webSocketPath = webSocketPath;
    this.group = new MultiThreadIoEventLoopGroup(threads, new DefaultThreadFactory("load", true),
        epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
  }

  public EventLoopGroup group() {
    return group;
  }

  /**
   * Connects one client and waits for it.
   *
   * @param receiveBuffer 0 for a normal client; otherwise the socket receive buffer of a client
   *     that never reads (a stalled consumer)
   */
  public LoadClient connect(LoadClient client, int receiveBuffer) throws IOException {
    Bootstrap bootstrap = new Bootstrap()
        .group(group)
        .channel(epoll ? EpollSocketChannel.class : NioSocketChannel.class)
        .option(ChannelOption.TCP_NODELAY, true)
        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 30_000)
        .handler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel ch) {
            if (webSocketPath != null) {
              WebSocketLoad.install(ch.pipeline(), URI.create(
                  "ws://" + server.getHostString() + ":" + server.getPort() + webSocketPath));
            }
            ch.pipeline().addLast(client);
          }
        });
    if (receiveBuffer > 0) {
      bootstrap.option(ChannelOption.SO_RCVBUF, receiveBuffer);
      bootstrap.option(ChannelOption.AUTO_READ, false);
    }
    ChannelFuture f = bootstrap.connect(server).awaitUninterruptibly();
    if (!f.isSuccess()) {
      throw new IOException("cannot connect to " + server + ": " + f.cause(), f.cause());
    }
    if (webSocketPath != null) {
      WebSocketLoad.awaitUpgrade(f.channel(), server);
    }
    if (sessions) {
      client.askForSession();
    }
    return client;
  }

  /** Connects {@code count} clients, at most {@code perSecond} a second (the accept queue is finite). */
  public LoadClient[] connectMany(int count, int perSecond, IntFunction<LoadClient> make)
      throws IOException {
    LoadClient[] clients = new LoadClient[count];
    long start = System.nanoTime();
    for (int i = 0; i < count; i++) {
      long due = start + TimeUnit.SECONDS.toNanos(1) * i / perSecond;
      long wait = due - System.nanoTime();
      if (wait > 0) {
        java.util.concurrent.locks.LockSupport.parkNanos(wait);
      }
      clients[i] = connect(make.apply(i), 0);
    }
    return clients;
  }

  public static void closeAll(LoadClient... clients) {
    for (LoadClient client : clients) {
      Channel channel = client.channel();
      if (channel != null) {
        channel.close();
      }
    }
  }

  @Override
  public void close() {
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
  }
}
