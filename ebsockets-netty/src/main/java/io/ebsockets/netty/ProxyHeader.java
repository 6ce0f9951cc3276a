package io.ebsockets.netty;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.haproxy.HAProxyCommand;
import io.netty.handler.codec.haproxy.HAProxyMessage;
import io.netty.handler.codec.haproxy.HAProxyMessageDecoder;
import io.netty.handler.codec.haproxy.HAProxyProtocolException;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A TCP door behind a proxy that speaks the PROXY protocol ({@link
 * io.ebsockets.Listener#withProxyProtocol()}): Netty's {@link HAProxyMessageDecoder} reads the
 * header (version 1 or 2) at the head of the pipeline; this handler makes the client it names
 * the connection's address, then registers the connection and steps aside, so the application
 * and the admission hook see the client, never the proxy. A {@code LOCAL} header (the proxy's own
 * health check) keeps the proxy's address. A connection whose header does not come within the
 * handshake timeout is told {@code invalid_proxy_header} and closed; one that starts with
 * something else is closed at once by the decoder (and logged with the same code). Neither is
 * ever reported.
 *
 * <p><b>Threads.</b> The channel's event loop only.
 */
final class ProxyHeader extends ChannelInboundHandlerAdapter {
  static final String NAME = "proxy-header";

  private final NettyConnection connection;
  private final long timeoutNanos;
  private final Consumer<NettyConnection> register;
  private ScheduledFuture<?> timer;

  private ProxyHeader(
      NettyConnection connection, long timeoutNanos, Consumer<NettyConnection> register) {
    this.connection = connection;
    this.timeoutNanos = timeoutNanos;
    this.register = register;
  }

  /** Puts the decoder and this handler at the head of a connection's installed pipeline. */
  static void install(ChannelPipeline pipeline, NettyConnection connection, long timeoutNanos,
      Consumer<NettyConnection> register) {
    pipeline.addFirst(NAME, new ProxyHeader(connection, timeoutNanos, register));
    pipeline.addFirst("proxy-decoder", new HAProxyMessageDecoder());
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    timer = ctx.executor().schedule(() -> connection.failed(new ProtocolException(
            ProtocolError.INVALID_PROXY_HEADER,
            "no PROXY protocol header within " + TimeUnit.NANOSECONDS.toMillis(timeoutNanos)
                + " ms of connecting (expected: the proxy's header first)")),
        timeoutNanos, TimeUnit.NANOSECONDS);
    ctx.fireChannelActive();
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    if (timer != null) {
      timer.cancel(false);
    }
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (!(msg instanceof HAProxyMessage header)) {
      ctx.fireChannelRead(msg);
      return;
    }
    try {
      if (header.command() == HAProxyCommand.PROXY && header.sourceAddress() != null) {
        int port = header.sourcePort();
        ForwardedFor.ipLiteral(header.sourceAddress()) // the decoder has checked it is one
            .ifPresent(client -> connection.forwardedFor(new InetSocketAddress(client, port)));
      }
    } finally {
      ReferenceCountUtil.release(header);
    }
    ctx.pipeline().remove(this);
    register.accept(connection);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (cause instanceof HAProxyProtocolException bad) {
      // The decoder has closed the connection already: this is for the log and the counters.
      Throwable inner = bad.getCause() instanceof HAProxyProtocolException c ? c : bad;
      connection.failed(new ProtocolException(ProtocolError.INVALID_PROXY_HEADER,
          "PROXY protocol header: " + inner.getMessage()
              + " (expected: a version 1 or 2 header first, e.g. PROXY TCP4 ...)"));
    } else {
      ctx.fireExceptionCaught(cause);
    }
  }
}
