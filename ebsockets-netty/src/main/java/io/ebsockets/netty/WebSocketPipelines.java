package io.ebsockets.netty;

import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.handler.codec.http.websocketx.WebSocketVersion;
import io.netty.handler.codec.http.websocketx.extensions.compression.WebSocketServerCompressionHandler;
import io.netty.handler.ssl.SslHandler;
import java.net.URI;

/**
 * Builds a WebSocket connection's pipeline. After the framing stage it is the TCP pipeline's
 * ({@link Pipelines}): the same {@link HeldFrames}, {@link JsonEventDecoder}, {@link
 * ControlHandler} and {@link ConnectionHandler}, so both doors share one implementation of the
 * protocol.
 *
 * <pre>
 * server: ReadGate [tls] HttpServerCodec HttpObjectAggregator HttpDoorway [deflate]
 *         WebSocketServerProtocolHandler WebSocketFrameAggregator WebSocketFraming ...
 * client: ReadGate [tls] HttpClientCodec HttpObjectAggregator
 *         WebSocketClientProtocolHandler WebSocketFrameAggregator WebSocketFraming ...
 * </pre>
 *
 * <p>Netty's WebSocket decoder checks a frame's declared length against the max frame length
 * before it buffers the frame, and the aggregator does the same for a message in fragments.
 */
final class WebSocketPipelines {
  /** The longest request line, headers and body of an upgrade request. */
  static final int MAX_INITIAL_LINE = 4096;
  static final int MAX_HEADERS = 8192;
  static final int MAX_HTTP_BODY = 8192;

  private WebSocketPipelines() {}

  static void installServer(
      ChannelPipeline pipeline,
      NettyConnection connection,
      HttpDoorway.Site door,
      SslHandler tls,
      WebSocketFraming.Upgraded upgraded) {
    int maxFrame = connection.settings().options().maxFrameLength();
    addHttp(pipeline, connection, tls,
        new HttpServerCodec(MAX_INITIAL_LINE, MAX_HEADERS, MAX_HTTP_BODY));
    pipeline.addLast(HttpDoorway.NAME, new HttpDoorway(door, connection));
    if (door.listener().deflate()) {
      int maxAllocation = door.listener().deflateMaxAllocation();
      pipeline.addLast("ws-deflate", new WebSocketServerCompressionHandler(maxAllocation));
    }
    pipeline.addLast(
        "ws",
        new WebSocketServerProtocolHandler(
            WebSocketServerProtocolConfig.newBuilder()
                .websocketPath(door.path())
                .checkStartsWith(true) // with a query; HttpDoorway has matched the path exactly
                .handleCloseFrames(false)
                .sendCloseFrame(null)
                .dropPongFrames(true)
                .handshakeTimeoutMillis(door.listener().handshakeTimeout().toMillis())
                .decoderConfig(decoderConfig(maxFrame, door.listener().deflate()))
                .build()));
    addCommon(pipeline, connection, maxFrame, upgraded);
  }

  static void installClient(
      ChannelPipeline pipeline,
      NettyConnection connection,
      URI uri,
      SslHandler tls,
      long timeoutMillis) {
    int maxFrame = connection.settings().options().maxFrameLength();
    addHttp(pipeline, connection, tls,
        new HttpClientCodec(MAX_INITIAL_LINE, MAX_HEADERS, MAX_HTTP_BODY));
    pipeline.addLast(
        "ws",
        new WebSocketClientProtocolHandler(
            WebSocketClientProtocolConfig.newBuilder()
                .webSocketUri(uri)
                .version(WebSocketVersion.V13)
                .allowExtensions(false)
                .maxFramePayloadLength(maxFrame)
                .handleCloseFrames(false)
                .sendCloseFrame(null)
                .dropPongFrames(true)
                .handshakeTimeoutMillis(Math.max(1, timeoutMillis))
                .generateOriginHeader(false)
                .build()));
    addCommon(pipeline, connection, maxFrame, null);
  }

  /** The stages below the upgrade, the same on both sides but for the HTTP codec. */
  private static void addHttp(
      ChannelPipeline pipeline,
      NettyConnection connection,
      SslHandler tls,
      io.netty.channel.ChannelHandler httpCodec) {
    pipeline.addLast(ReadGate.NAME, connection.readGate());
    if (tls != null) {
      pipeline.addLast(Pipelines.TLS, tls);
    }
    pipeline.addLast("http", httpCodec);
    pipeline.addLast("http-aggregator", new HttpObjectAggregator(MAX_HTTP_BODY));
  }

  private static WebSocketDecoderConfig decoderConfig(int maxFrame, boolean extensions) {
    return WebSocketDecoderConfig.newBuilder()
        .maxFramePayloadLength(maxFrame)
        .allowExtensions(extensions)
        .closeOnProtocolViolation(false)
        .withUTF8Validator(false) // JsonEventDecoder checks UTF-8, as on TCP (invalid_utf8)
        .build();
  }

  private static void addCommon(
      ChannelPipeline pipeline,
      NettyConnection connection,
      int maxFrame,
      WebSocketFraming.Upgraded upgraded) {
    pipeline.addLast("ws-aggregator", new WebSocketFrameAggregator(maxFrame));
    pipeline.addLast(WebSocketFraming.NAME, new WebSocketFraming(connection, upgraded));
    Pipelines.addProtocol(pipeline, connection);
  }
}
