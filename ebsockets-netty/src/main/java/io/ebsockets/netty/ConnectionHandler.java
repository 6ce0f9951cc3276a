package io.ebsockets.netty;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.util.ReferenceCountUtil;

/**
 * The last handler of a connection's pipeline: hands application events to the connection's sink,
 * failures to the connection, and reports the start and the end.
 *
 * <pre>
 * FrameDecoder -&gt; JsonEventDecoder -&gt; ControlHandler -&gt; ConnectionHandler -&gt; NettyConnection
 *   -&gt; ChannelSink
 * </pre>
 */
final class ConnectionHandler extends ChannelInboundHandlerAdapter {
  static final String NAME = "connection";

  private final NettyConnection connection;

  ConnectionHandler(NettyConnection connection) {
    this.connection = connection;
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    connection.active();
    ctx.fireChannelActive();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (connection.isClosing()) {
      ReferenceCountUtil.release(msg);
    } else if (msg instanceof DecodedEvent decoded) {
      connection.received(decoded);
    } else {
      ReferenceCountUtil.release(msg);
    }
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    connection.writabilityChanged();
    ctx.fireChannelWritabilityChanged();
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
    if (evt instanceof SslHandshakeCompletionEvent handshake && !handshake.isSuccess()) {
      connection.failed(handshake.cause());
    }
    ctx.fireUserEventTriggered(evt);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    connection.failed(cause);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    connection.inactive();
    ctx.fireChannelInactive();
  }
}
