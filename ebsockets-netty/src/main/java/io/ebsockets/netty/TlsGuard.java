package io.ebsockets.netty;

import io.ebsockets.CloseReason;
import io.ebsockets.CloseStatus;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;

/**
 * Sits in front of the {@code SslHandler} of a TLS connection and looks at the first byte the peer
 * sends, then steps aside. Every TLS record starts with a content type from 20 to 23 (a ClientHello
 * with 22); a plain ebsockets frame starts with the high byte of its length, almost always 0. So a
 * peer without TLS is told so at once, on both sides, instead of failing later with a garbled
 * handshake.
 *
 * <pre>
 * TlsGuard -&gt; SslHandler -&gt; FrameDecoder -&gt; JsonEventDecoder -&gt; ConnectionHandler
 * </pre>
 *
 * <p>On a server, a plain client gets an {@code ebsockets.error} ({@code tls_required}) in plain
 * text, which it can read, and is closed. On a client, a plain server is closed with a status that
 * says it does not speak TLS.
 */
final class TlsGuard extends ChannelInboundHandlerAdapter {
  static final String NAME = "tls-guard";
  private static final int FIRST_TLS_CONTENT_TYPE = 20;
  private static final int LAST_TLS_CONTENT_TYPE = 23;

  private final NettyConnection connection;

  TlsGuard(NettyConnection connection) {
    this.connection = connection;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (!(msg instanceof ByteBuf bytes) || !bytes.isReadable()) {
      ctx.fireChannelRead(msg);
      return;
    }
    int first = bytes.getUnsignedByte(bytes.readerIndex());
    if (first >= FIRST_TLS_CONTENT_TYPE && first <= LAST_TLS_CONTENT_TYPE) {
      ctx.pipeline().remove(this);
      ctx.fireChannelRead(msg);
      return;
    }
    String seen = ByteBufUtil.hexDump(bytes, bytes.readerIndex(), Math.min(8, bytes.readableBytes()));
    ReferenceCountUtil.release(msg);
    if (connection.settings().client()) {
      plainServer(seen);
    } else {
      plainClient(ctx, seen);
    }
  }

  private void plainServer(String seen) {
    connection.forceClose(
        new CloseStatus(
            CloseReason.PROTOCOL_ERROR,
            "the server does not speak TLS (expected: a TLS server; it sent plain bytes " + seen
                + "..., so connect without TLS)"));
  }

  private void plainClient(ChannelHandlerContext ctx, String seen) {
    String message = "this server speaks TLS only (expected: a TLS ClientHello, got " + seen + "...)";
    connection.settings().failures().peerMistake(connection, "a client without TLS at a TLS port");
    CloseStatus status =
        new CloseStatus(
            CloseReason.PROTOCOL_ERROR,
            ProtocolError.TLS_REQUIRED.wireName() + ": a client without TLS at a TLS port");
    // Written from here, in front of the SslHandler: in plain text, which that client reads.
    ByteBuf error =
        EventCodec.encode(ctx.alloc(), ControlFrame.error(ProtocolError.TLS_REQUIRED, message));
    ctx.writeAndFlush(error)
        .addListener((ChannelFutureListener) f -> connection.forceClose(status));
  }
}
