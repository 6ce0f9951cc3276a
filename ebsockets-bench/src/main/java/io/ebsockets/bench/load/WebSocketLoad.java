package io.ebsockets.bench.load;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrameDecoder;
import io.netty.util.AttributeKey;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Load connections through a WebSocket door: Netty's client codec upgrades and frames (masking
 * every client frame, as RFC 6455 requires), and the frames the load tool writes with their TCP
 * length prefix go out as one text message each, the prefix skipped. Once upgraded, {@link
 * LoadClient} reads the server's frames itself, in place.
 */
final class WebSocketLoad extends ChannelOutboundHandlerAdapter {
  private static final AttributeKey<CompletableFuture<Void>> UPGRADED =
      AttributeKey.valueOf("ebsockets.load.upgraded");

  static void install(ChannelPipeline pipeline, URI uri) {
    CompletableFuture<Void> upgraded = new CompletableFuture<>();
    pipeline.channel().attr(UPGRADED).set(upgraded);
    pipeline.addLast(new HttpClientCodec());
    pipeline.addLast(new HttpObjectAggregator(8192));
    pipeline.addLast(new WebSocketClientProtocolHandler(WebSocketClientProtocolConfig.newBuilder()
        .webSocketUri(uri)
        .maxFramePayloadLength(1 << 20)
        .handshakeTimeoutMillis(30_000)
        .build()) {
      @Override
      public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt == ClientHandshakeStateEvent.HANDSHAKE_COMPLETE) {
          // From now on the load client parses the server's frames where they lie (they are
          // unmasked and never fragmented): Netty's decoder, with a frame object and a UTF-8
          // check per frame, kept the one load core at 100% at 1.8M deliveries/s, where the
          // server used 60% of its core.
          ctx.pipeline().remove(WebSocketFrameDecoder.class);
          ctx.pipeline().get(LoadClient.class).parseWebSocketFrames();
          upgraded.complete(null);
        } else if (evt == ClientHandshakeStateEvent.HANDSHAKE_TIMEOUT) {
          upgraded.completeExceptionally(new IOException("WebSocket upgrade timed out"));
        }
        super.userEventTriggered(ctx, evt);
      }
    });
    pipeline.addLast(new WebSocketLoad());
  }

  /** Waits until the upgrade of a connected channel is complete. */
  static void awaitUpgrade(Channel channel, InetSocketAddress server) throws IOException {
    try {
      channel.attr(UPGRADED).get().get(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while upgrading to " + server, e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IOException("no WebSocket upgrade from " + server + ": " + e, e);
    }
  }

  @Override
  public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
    if (msg instanceof ByteBuf frame && !(msg instanceof WebSocketFrame)) {
      frame.skipBytes(4);
      ctx.write(new TextWebSocketFrame(frame), promise);
    } else {
      ctx.write(msg, promise);
    }
  }
}
