package io.ebsockets.netty;

import io.ebsockets.Health;
import io.ebsockets.Listener;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The HTTP side of a WebSocket door, before the upgrade: answers the upgrade at the door's path
 * if the page's origin is allowed (then Netty's {@code WebSocketServerProtocolHandler} takes
 * over), serves the door's static resources on GET and its health path (200 or 503, from the
 * server's {@link Health}), and answers anything else with a plain
 * {@code 404}, without a stack trace. A connection that has not upgraded within the handshake
 * timeout is closed. Every HTTP answer closes its connection.
 *
 * <p><b>Origins</b> (cross-site WebSocket hijacking): a request without an {@code Origin} header
 * is not a browser's and is accepted; one with it is accepted if the origin names the same host
 * and port as the request's {@code Host} header, or is on the listener's list, or the listener
 * allows any; otherwise {@code 403}.
 *
 * <p><b>Threads.</b> The channel's event loop only.
 */
final class HttpDoorway extends ChannelInboundHandlerAdapter {
  static final String NAME = "doorway";

  /** What one listener serves, made once per listener and shared by its connections. */
  static final class Site {
    private final Listener listener;
    private final Map<String, ByteBuf> resources = new LinkedHashMap<>();
    private final Map<String, String> types = new LinkedHashMap<>();
    /** The server's health, for the listener's health path. */
    private final Supplier<Health> health;

    Site(Listener listener, Supplier<Health> health) {
      this.listener = listener;
      this.health = health;
      for (String path : listener.resourcePaths()) {
        byte[] body = listener.resourceBody(path).orElseThrow();
        resources.put(path, Unpooled.unreleasableBuffer(Unpooled.wrappedBuffer(body)));
        types.put(path, listener.resourceType(path).orElseThrow());
      }
    }

    Listener listener() {
      return listener;
    }

    String path() {
      return listener.path().orElseThrow();
    }

    /** Whether a page of {@code origin} may connect, asking for {@code host}. */
    boolean allows(String origin, String host) {
      String o = origin.toLowerCase(Locale.ROOT);
      if (listener.allowsAnyOrigin() || listener.allowedOrigins().contains(o)) {
        return true;
      }
      URI page;
      URI asked;
      try {
        page = new URI(o);
        String h = host == null ? "" : host.toLowerCase(Locale.ROOT);
        asked = new URI(page.getScheme() + "://" + h);
      } catch (java.net.URISyntaxException e) {
        return false;
      }
      return page.getHost() != null
          && page.getHost().equals(asked.getHost())
          && port(page) == port(asked);
    }

    private static int port(URI uri) {
      return uri.getPort() >= 0 ? uri.getPort() : "https".equals(uri.getScheme()) ? 443 : 80;
    }
  }

  private final Site door;
  private final NettyConnection connection;
  private ScheduledFuture<?> timer;

  HttpDoorway(Site door, NettyConnection connection) {
    this.door = door;
    this.connection = connection;
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    long timeout = door.listener().handshakeTimeout().toNanos();
    timer =
        ctx.executor().schedule(
            () -> {
              if (ctx.pipeline().get(HttpServerCodec.class) != null && ctx.channel().isActive()) {
                connection.failed(
                    new ProtocolException(
                        ProtocolError.FRAME_TIMEOUT,
                        "no WebSocket upgrade within "
                            + TimeUnit.NANOSECONDS.toMillis(timeout)
                            + " ms of connecting (expected: GET " + door.path()
                            + " with Upgrade: websocket)"));
              }
            },
            timeout,
            TimeUnit.NANOSECONDS);
    ctx.fireChannelActive();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    cancelTimer();
    ctx.fireChannelInactive();
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    cancelTimer();
  }

  private void cancelTimer() {
    if (timer != null) {
      timer.cancel(false);
      timer = null;
    }
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (!(msg instanceof FullHttpRequest request)) {
      ctx.fireChannelRead(msg);
      return;
    }
    try {
      if (!request.decoderResult().isSuccess()) {
        respond(ctx, HttpResponseStatus.BAD_REQUEST,
            "bad request: " + request.decoderResult().cause().getMessage());
        return;
      }
      String path = new QueryStringDecoder(request.uri()).path();
      if (path.equals(door.path())) {
        String origin = request.headers().get(HttpHeaderNames.ORIGIN);
        String host = request.headers().get(HttpHeaderNames.HOST);
        if (origin != null && !door.allows(origin, host)) {
          connection.settings().failures().peerMistake(connection,
              "WebSocket upgrade from origin " + origin + " refused (not " + host
                  + " and not on the allowed list)");
          respond(ctx, HttpResponseStatus.FORBIDDEN,
              "origin " + origin + " is not allowed to connect here");
          return;
        }
        ctx.fireChannelRead(request.retain());
        return;
      }
      if (path.equals(door.listener.healthPath().orElse(null))) {
        health(ctx, request);
        return;
      }
      ByteBuf body = door.resources.get(path);
      if (body == null) {
        respond(ctx, HttpResponseStatus.NOT_FOUND, "not found: " + path);
      } else {
        serve(ctx, request, HttpResponseStatus.OK, door.types.get(path),
            HttpHeaderValues.NO_CACHE, body.duplicate());
      }
    } finally {
      ReferenceCountUtil.release(request);
    }
  }

  /** A load balancer's health check: 200 while the server is healthy, 503 while it is not. */
  private void health(ChannelHandlerContext ctx, FullHttpRequest request) {
    Health now = door.health.get();
    serve(ctx, request,
        now.ok() ? HttpResponseStatus.OK : HttpResponseStatus.SERVICE_UNAVAILABLE,
        "application/json", HttpHeaderValues.NO_STORE,
        Unpooled.wrappedBuffer((now.toJson() + "\n").getBytes(StandardCharsets.UTF_8)));
  }

  /**
   * Answers a GET with {@code body} (takes it), a HEAD with its headers alone, and any other
   * method with {@code 405}; then closes.
   */
  private static void serve(ChannelHandlerContext ctx, FullHttpRequest request,
      HttpResponseStatus status, String contentType, CharSequence cacheControl, ByteBuf body) {
    boolean head = HttpMethod.HEAD.equals(request.method());
    if (!head && !HttpMethod.GET.equals(request.method())) {
      body.release();
      respond(ctx, HttpResponseStatus.METHOD_NOT_ALLOWED, "method " + request.method()
          + " (expected: GET)");
      return;
    }
    int length = body.readableBytes();
    ByteBuf content = body;
    if (head) {
      body.release();
      content = Unpooled.EMPTY_BUFFER;
    }
    FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, content);
    response.headers()
        .set(HttpHeaderNames.CONTENT_TYPE, contentType)
        .set(HttpHeaderNames.CONTENT_LENGTH, length)
        .set(HttpHeaderNames.CACHE_CONTROL, cacheControl)
        .set("X-Content-Type-Options", "nosniff")
        .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
    ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
  }

  private static void respond(ChannelHandlerContext ctx, HttpResponseStatus status, String text) {
    FullHttpResponse response =
        new DefaultFullHttpResponse(
            HttpVersion.HTTP_1_1,
            status,
            Unpooled.copiedBuffer(text + "\n", StandardCharsets.UTF_8));
    response.headers()
        .set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8")
        .set(HttpHeaderNames.CONTENT_LENGTH, response.content().readableBytes())
        .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
    ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
  }
}
