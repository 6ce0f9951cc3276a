package io.ebsockets.netty;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import org.slf4j.LoggerFactory;

/** Which of Netty's I/O transports to use: native epoll when it loads, NIO otherwise. */
enum IoKind {
  EPOLL {
    @Override
    IoHandlerFactory handlerFactory() {
      return EpollIoHandler.newFactory();
    }

    @Override
    Class<? extends ServerChannel> serverChannel() {
      return EpollServerSocketChannel.class;
    }

    @Override
    Class<? extends SocketChannel> socketChannel() {
      return EpollSocketChannel.class;
    }
  },
  NIO {
    @Override
    IoHandlerFactory handlerFactory() {
      return NioIoHandler.newFactory();
    }

    @Override
    Class<? extends ServerChannel> serverChannel() {
      return NioServerSocketChannel.class;
    }

    @Override
    Class<? extends SocketChannel> socketChannel() {
      return NioSocketChannel.class;
    }
  };

  abstract IoHandlerFactory handlerFactory();

  abstract Class<? extends ServerChannel> serverChannel();

  abstract Class<? extends SocketChannel> socketChannel();

  /** A new group of daemon threads; {@code threads} 0 takes Netty's default (2 per core). */
  EventLoopGroup newGroup(int threads, String name) {
    return new MultiThreadIoEventLoopGroup(
        threads, new DefaultThreadFactory(name, true), handlerFactory());
  }

  /** The group every client of this JVM shares; daemon threads, made on first use. */
  EventLoopGroup sharedClientGroup() {
    return this == EPOLL ? SharedEpoll.GROUP : SharedNio.GROUP;
  }

  static IoKind best() {
    if (Epoll.isAvailable()) {
      return EPOLL;
    }
    LoggerFactory.getLogger(IoKind.class)
        .debug("native epoll unavailable, using NIO: {}", Epoll.unavailabilityCause().toString());
    return NIO;
  }

  private static final class SharedEpoll {
    static final EventLoopGroup GROUP = EPOLL.newGroup(0, "ebsockets-client");
  }

  private static final class SharedNio {
    static final EventLoopGroup GROUP = NIO.newGroup(0, "ebsockets-client-nio");
  }
}
