package io.ebsockets;

import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * One door of a server: an address to listen on and the framing spoken there. Immutable; each
 * {@code with…} method returns a new listener. Give a server one or more with {@link
 * EbsocketServer.Builder#listen(Listener)}:
 *
 * <pre>{@code
 * EbsocketServer server = EbsocketServer.builder()
 *     .listen(Listener.tcp(7982))
 *     .listen(Listener.webSocket(8080, "/ebs").withAllowedOrigins("https://chat.example"))
 *     .build();
 * }</pre>
 *
 * <p>Every connection, whatever door it came through, is an {@link EbsocketConnection} of the
 * same {@link EbsocketSystem}, with the same limits. A server's TLS identity ({@link
 * EbsocketServer.Builder#tls}) applies to every door ({@code ebss://}, {@code wss://}).
 *
 * <p><b>The WebSocket door</b> answers an HTTP upgrade at its path, serves the static resources
 * given with {@link #withResource} on GET, and answers any other request with a plain 404. By
 * default a browser page may connect only from the same origin (its {@code Origin} header
 * names the host and port it asked for); a request without an {@code Origin} header (not a
 * browser) is accepted.
 */
public final class Listener {
  /** The default time a WebSocket client has to complete its HTTP upgrade: 10 seconds. */
  public static final Duration DEFAULT_HANDSHAKE_TIMEOUT = Duration.ofSeconds(10);

  /** A file the WebSocket door serves on GET. */
  private static final class Resource {
    private final String contentType;
    private final byte[] body;

    Resource(String contentType, byte[] body) {
      this.contentType = contentType;
      this.body = body;
    }

    String contentType() {
      return contentType;
    }

    byte[] body() {
      return body;
    }
  }

  private final Door door;
  private final String host;
  private final int port;
  private final String path;
  private final List<String> allowedOrigins;
  private final boolean anyOrigin;
  private final Duration handshakeTimeout;
  private final boolean deflate;
  private final int deflateMaxAllocation;
  private final Map<String, Resource> resources;
  /** Addresses of the proxies whose X-Forwarded-For is believed (WebSocket door only). */
  private final List<String> trustedProxies;
  /** Where the WebSocket door answers health checks, or null. */
  private final String healthPath;
  /** Whether a TCP door reads a PROXY protocol header first. */
  private final boolean proxyProtocol;

  /** A listener's settings while one is being derived from another. */
  private static final class Spec {
    Door door;
    String host;
    int port;
    String path;
    List<String> allowedOrigins = List.of();
    boolean anyOrigin;
    Duration handshakeTimeout = DEFAULT_HANDSHAKE_TIMEOUT;
    boolean deflate;
    int deflateMaxAllocation;
    Map<String, Resource> resources = Map.of();
    List<String> trustedProxies = List.of();
    String healthPath;
    boolean proxyProtocol;
  }

  private Listener(Spec spec) {
    this.door = spec.door;
    this.host = spec.host;
    this.port = spec.port;
    this.path = spec.path;
    this.allowedOrigins = spec.allowedOrigins;
    this.anyOrigin = spec.anyOrigin;
    this.handshakeTimeout = spec.handshakeTimeout;
    this.deflate = spec.deflate;
    this.deflateMaxAllocation = spec.deflateMaxAllocation;
    this.resources = spec.resources;
    this.trustedProxies = spec.trustedProxies;
    this.healthPath = spec.healthPath;
    this.proxyProtocol = spec.proxyProtocol;
  }

  /** This listener's settings, to derive another from. */
  private Spec spec() {
    Spec spec = new Spec();
    spec.door = door;
    spec.host = host;
    spec.port = port;
    spec.path = path;
    spec.allowedOrigins = allowedOrigins;
    spec.anyOrigin = anyOrigin;
    spec.handshakeTimeout = handshakeTimeout;
    spec.deflate = deflate;
    spec.deflateMaxAllocation = deflateMaxAllocation;
    spec.resources = resources;
    spec.trustedProxies = trustedProxies;
    spec.healthPath = healthPath;
    spec.proxyProtocol = proxyProtocol;
    return spec;
  }

  /** A listener like this one but for what {@code change} sets. */
  private Listener with(java.util.function.Consumer<Spec> change) {
    Spec spec = spec();
    change.accept(spec);
    return new Listener(spec);
  }

  /**
   * A TCP door on all interfaces.
   *
   * @param port 0 to 65535; 0 picks an ephemeral port
   * @return the listener
   */
  public static Listener tcp(int port) {
    return tcp(null, port);
  }

  /**
   * A TCP door on one address.
   *
   * @param host a host name or address, or null for all interfaces
   * @param port 0 to 65535; 0 picks an ephemeral port
   * @return the listener
   */
  public static Listener tcp(String host, int port) {
    Spec spec = new Spec();
    spec.door = Door.TCP;
    spec.host = host;
    spec.port = Checks.inRange(port, 0, 0xFFFF, "port");
    return new Listener(spec);
  }

  /**
   * A WebSocket door on all interfaces.
   *
   * @param port 0 to 65535; 0 picks an ephemeral port
   * @param path where the upgrade is answered, starting with {@code /}, e.g. {@code "/ebs"}
   * @return the listener
   */
  public static Listener webSocket(int port, String path) {
    return webSocket(null, port, path);
  }

  /**
   * A WebSocket door on one address.
   *
   * @param host a host name or address, or null for all interfaces
   * @param port 0 to 65535; 0 picks an ephemeral port
   * @param path where the upgrade is answered, starting with {@code /}, e.g. {@code "/ebs"}
   * @return the listener
   */
  public static Listener webSocket(String host, int port, String path) {
    Spec spec = new Spec();
    spec.door = Door.WEB_SOCKET;
    spec.host = host;
    spec.port = Checks.inRange(port, 0, 0xFFFF, "port");
    spec.path = checkPath(path, "path");
    return new Listener(spec);
  }

  /**
   * Allows browser pages from these origins besides the door's own (WebSocket door only). An
   * origin is a scheme, host and optional port, as browsers send it: {@code
   * "https://chat.example"}, {@code "http://localhost:3000"}.
   *
   * @param origins the origins
   * @return a listener that also allows them
   * @throws IllegalArgumentException if an origin is not of that form, or this is a TCP door
   */
  public Listener withAllowedOrigins(String... origins) {
    webSocketOnly("allowed origins");
    List<String> all = new java.util.ArrayList<>(allowedOrigins);
    for (String origin : origins) {
      all.add(checkOrigin(origin));
    }
    return with(spec -> spec.allowedOrigins = List.copyOf(all));
  }

  /**
   * Allows browser pages from any origin (WebSocket door only). Only for a server whose
   * connections carry nothing a page of another site must not use in the visitor's name: with
   * it, any site the visitor opens can connect with the visitor's cookies.
   *
   * @return a listener that accepts every origin
   * @throws IllegalArgumentException if this is a TCP door
   */
  public Listener withAnyOrigin() {
    webSocketOnly("any origin");
    return with(spec -> spec.anyOrigin = true);
  }

  /**
   * Sets how long a client has, from its TCP connect, to complete the HTTP upgrade (WebSocket
   * door), or to send its PROXY protocol header (TCP door with {@link #withProxyProtocol()});
   * one that has not is closed.
   *
   * @param timeout greater than zero; default {@link #DEFAULT_HANDSHAKE_TIMEOUT}
   * @return a listener with it
   * @throws IllegalArgumentException if this is a TCP door without the PROXY protocol
   */
  public Listener withHandshakeTimeout(Duration timeout) {
    if (door == Door.TCP && !proxyProtocol) {
      throw new IllegalArgumentException("handshake timeout on " + this
          + " (expected: a WebSocket door, or a TCP door withProxyProtocol() first)");
    }
    Checks.positive(timeout, "handshakeTimeout");
    return with(spec -> spec.handshakeTimeout = timeout);
  }

  /**
   * Believes the {@code X-Forwarded-For} header of upgrade requests that come from these proxies
   * (WebSocket door only; off by default): behind a load balancer, a connection's {@link
   * EbsocketConnection#remoteAddress()} is then the client the header names, the rightmost
   * address in it that is not itself one of these proxies (port 0: the header carries none). A
   * request from any other peer keeps its own address whatever its headers say, so a client
   * cannot choose the address it is known by.
   *
   * @param addresses the proxies' IP addresses, as literals ({@code "10.0.0.5"}, {@code "::1"})
   * @return a listener that trusts them
   * @throws IllegalArgumentException if this is a TCP door or an address is not an IP literal
   */
  public Listener withTrustedProxies(String... addresses) {
    webSocketOnly("trusted proxies");
    List<String> all = new java.util.ArrayList<>(trustedProxies);
    for (String address : addresses) {
      all.add(checkIpLiteral(address));
    }
    return with(spec -> spec.trustedProxies = List.copyOf(all));
  }

  /**
   * Answers plain HTTP health checks at a path (WebSocket door only; off by default): {@code GET}
   * or {@code HEAD} there returns {@code 200} while the server is {@linkplain Health#ok() healthy}
   * and {@code 503} while it is not (lame duck, draining, its bus disconnected, its backlog at the
   * bound), with {@link Health#toJson()} as the body, so that a load balancer stops sending new
   * clients to a node that is on its way out. The check is answered on the I/O thread and costs a
   * short-lived connection; no origin check applies.
   *
   * @param healthPath where, starting with {@code /}, e.g. {@code "/health"}; not the door's own
   *     path or a resource's
   * @return a listener that answers health checks there
   * @throws IllegalArgumentException if the path is not of that form, or this is a TCP door
   */
  public Listener withHealthPath(String healthPath) {
    webSocketOnly("a health path");
    checkPath(healthPath, "healthPath");
    if (healthPath.equals(path) || resources.containsKey(healthPath)) {
      throw new IllegalArgumentException("healthPath: " + healthPath
          + " (expected: another path than the door's own and its resources')");
    }
    return with(spec -> spec.healthPath = healthPath);
  }

  /**
   * Returns where this door answers health checks ({@link #withHealthPath}).
   *
   * @return the path, or empty if it answers none
   */
  public java.util.Optional<String> healthPath() {
    return java.util.Optional.ofNullable(healthPath);
  }

  /**
   * Reads a PROXY protocol header (version 1 or 2, as HAProxy and cloud load balancers send it)
   * at the start of every connection (TCP door only; off by default): a connection's {@link
   * EbsocketConnection#remoteAddress()} is then the client the header names. The connection is
   * reported only once its header is in; one without a valid header within the handshake
   * timeout is closed with {@code protocol_error}. Only for a door that nothing but the proxy can
   * reach: anyone who can connect can say any address in the header.
   *
   * @return a listener that expects the header
   * @throws IllegalArgumentException if this is a WebSocket door
   */
  public Listener withProxyProtocol() {
    if (door != Door.TCP) {
      throw new IllegalArgumentException(
          "the PROXY protocol on " + this + " (expected: a TCP door; the WebSocket door believes"
              + " X-Forwarded-For: withTrustedProxies)");
    }
    return with(spec -> spec.proxyProtocol = true);
  }

  /**
   * Tells whether this TCP door reads a PROXY protocol header first ({@link #withProxyProtocol}).
   *
   * @return true if it does
   */
  public boolean proxyProtocol() {
    return proxyProtocol;
  }

  /**
   * Returns the proxies whose {@code X-Forwarded-For} this door believes ({@link
   * #withTrustedProxies}), each normalised as {@link java.net.InetAddress#getHostAddress()}.
   *
   * @return the addresses; empty if none
   */
  public List<String> trustedProxies() {
    return trustedProxies;
  }

  /** An IP literal, normalised; never a host name (that would ask DNS). */
  private static String checkIpLiteral(String address) {
    java.util.Objects.requireNonNull(address, "address");
    if (!address.matches("[0-9.]+|[0-9a-fA-F:.]*:[0-9a-fA-F:.]*")) {
      throw new IllegalArgumentException(
          "trusted proxy: " + address + " (expected: an IP address such as 10.0.0.5 or ::1)");
    }
    try {
      return java.net.InetAddress.getByName(address).getHostAddress();
    } catch (java.net.UnknownHostException e) {
      throw new IllegalArgumentException(
          "trusted proxy: " + address + " (expected: an IP address such as 10.0.0.5 or ::1)", e);
    }
  }

  /**
   * Turns permessage-deflate on (WebSocket door only; off by default). Each connection that
   * negotiates it holds a deflater and an inflater: Netty's state costs about 300 KB per
   * connection, so 10,000 browser connections would take some 3 GB. A compressed message may
   * inflate to at most {@code maxAllocation} bytes, and the max frame length still holds for
   * what it inflates to.
   *
   * @param maxAllocation the most one message may inflate to, greater than zero
   * @return a listener that negotiates permessage-deflate
   * @throws IllegalArgumentException if this is a TCP door
   */
  public Listener withDeflate(int maxAllocation) {
    webSocketOnly("permessage-deflate");
    Checks.positive(maxAllocation, "maxAllocation");
    return with(spec -> {
      spec.deflate = true;
      spec.deflateMaxAllocation = maxAllocation;
    });
  }

  /**
   * Serves a static resource at a path on GET (WebSocket door only): a page, a script, an icon.
   * Meant for a few small files, such as a chat page and {@code /ebsockets.js}; they are held
   * in memory.
   *
   * @param resourcePath where, starting with {@code /}; not the door's own path
   * @param contentType its media type, e.g. {@code "text/html; charset=utf-8"}
   * @param body its bytes
   * @return a listener that serves it too
   * @throws IllegalArgumentException if the path is not of that form, or this is a TCP door
   */
  public Listener withResource(String resourcePath, String contentType, byte[] body) {
    webSocketOnly("static resources");
    checkPath(resourcePath, "resourcePath");
    if (resourcePath.equals(path) || resourcePath.equals(healthPath)) {
      throw new IllegalArgumentException("resourcePath: " + resourcePath
          + " (expected: another path than the door's own and its health path)");
    }
    Objects.requireNonNull(contentType, "contentType");
    Map<String, Resource> all = new LinkedHashMap<>(resources);
    all.put(resourcePath, new Resource(contentType, body.clone()));
    return with(spec -> spec.resources = java.util.Collections.unmodifiableMap(all));
  }

  /**
   * Serves a text resource; see {@link #withResource(String, String, byte[])}.
   *
   * @param resourcePath where, starting with {@code /}
   * @param contentType its media type; {@code "; charset=utf-8"} is added unless it names one
   * @param text its text, sent as UTF-8
   * @return a listener that serves it too
   */
  public Listener withResource(String resourcePath, String contentType, String text) {
    String type =
        contentType.toLowerCase(Locale.ROOT).contains("charset")
            ? contentType
            : contentType + "; charset=utf-8";
    return withResource(resourcePath, type, text.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * Serves the browser client, {@code ebsockets.js} (an ES module of wire protocol v1 over
   * WebSocket), at {@code /ebsockets.js}, and its TypeScript declarations at {@code
   * /ebsockets.d.ts} (WebSocket door only). The module is the one in this jar, so it always
   * matches the server's version; its {@code VERSION} export says which.
   *
   * <pre>{@code
   * <script type="module">
   *   import { EbsocketClient } from "/ebsockets.js";
   *   const client = new EbsocketClient("/ebs");
   *   await client.connect();
   * </script>
   * }</pre>
   *
   * @return a listener that serves them too
   * @throws IllegalArgumentException if this is a TCP door
   */
  public Listener withJavaScriptClient() {
    webSocketOnly("the JavaScript client");
    return withResource(JS_MODULE_PATH, "text/javascript", JavaScriptClient.module())
        .withResource("/ebsockets.d.ts", "application/typescript", JavaScriptClient.declarations());
  }

  /** Where {@link #withJavaScriptClient()} serves the module. */
  public static final String JS_MODULE_PATH = "/ebsockets.js";

  /**
   * Returns the framing spoken at this door.
   *
   * @return the door
   */
  public Door door() {
    return door;
  }

  /**
   * Returns the address to bind.
   *
   * @return the address; a wildcard address means all interfaces, port 0 an ephemeral port
   * @throws java.io.UncheckedIOException if the host cannot be resolved
   */
  public InetSocketAddress bindAddress() {
    InetSocketAddress address =
        host == null ? new InetSocketAddress(port) : new InetSocketAddress(host, port);
    if (address.isUnresolved()) {
      throw new java.io.UncheckedIOException(
          new java.net.UnknownHostException(
              "cannot bind " + host + ":" + port + ": unknown host"));
    }
    return address;
  }

  /**
   * Returns the path a WebSocket door answers the upgrade at.
   *
   * @return the path, e.g. {@code "/ebs"}; empty for a TCP door
   */
  public java.util.Optional<String> path() {
    return java.util.Optional.ofNullable(path);
  }

  /**
   * Returns the origins allowed besides the door's own.
   *
   * @return the origins, as given
   */
  public List<String> allowedOrigins() {
    return allowedOrigins;
  }

  /**
   * Returns whether every origin is allowed ({@link #withAnyOrigin()}).
   *
   * @return true if so
   */
  public boolean allowsAnyOrigin() {
    return anyOrigin;
  }

  /**
   * Returns how long a WebSocket client has to complete its upgrade.
   *
   * @return the timeout
   */
  public Duration handshakeTimeout() {
    return handshakeTimeout;
  }

  /**
   * Returns whether permessage-deflate is negotiated.
   *
   * @return true if {@link #withDeflate(int)} turned it on
   */
  public boolean deflate() {
    return deflate;
  }

  /**
   * Returns the most one compressed message may inflate to.
   *
   * @return the bound, or 0 if deflate is off
   */
  public int deflateMaxAllocation() {
    return deflateMaxAllocation;
  }

  /**
   * Returns the paths of the static resources served on GET.
   *
   * @return the paths, in the order given
   */
  public java.util.Set<String> resourcePaths() {
    return resources.keySet();
  }

  /**
   * Returns the body of a static resource, for a transport to serve.
   *
   * @param resourcePath the path asked for
   * @return the body, or empty if nothing is served there
   */
  public java.util.Optional<byte[]> resourceBody(String resourcePath) {
    Resource r = resources.get(resourcePath);
    return r == null ? java.util.Optional.empty() : java.util.Optional.of(r.body().clone());
  }

  /**
   * Returns the media type of a static resource, for a transport to serve.
   *
   * @param resourcePath the path asked for
   * @return its media type, or empty if nothing is served there
   */
  public java.util.Optional<String> resourceType(String resourcePath) {
    Resource r = resources.get(resourcePath);
    return r == null ? java.util.Optional.empty() : java.util.Optional.of(r.contentType());
  }

  /**
   * Returns the URI a client connects to at an address this listener is bound to.
   *
   * @param bound the bound address (a wildcard address is written as {@code 127.0.0.1})
   * @param tls whether the server speaks TLS
   * @return e.g. {@code ebs://127.0.0.1:7982} or {@code ws://127.0.0.1:8080/ebs}
   */
  public URI uri(InetSocketAddress bound, boolean tls) {
    String h = bound.getAddress() == null || bound.getAddress().isAnyLocalAddress()
        ? "127.0.0.1"
        : bound.getAddress().getHostAddress();
    if (h.contains(":")) {
      h = "[" + h + "]";
    }
    return URI.create(door.scheme(tls) + "://" + h + ":" + bound.getPort()
        + (path == null ? "" : path));
  }

  private void webSocketOnly(String what) {
    if (door != Door.WEB_SOCKET) {
      throw new IllegalArgumentException(
          what + " on a " + door + " listener (expected: a WebSocket listener)");
    }
  }

  private static String checkPath(String p, String name) {
    Objects.requireNonNull(p, name);
    if (!p.startsWith("/") || p.contains("?") || p.contains("#") || p.contains(" ")) {
      throw new IllegalArgumentException(
          name + ": '" + p + "' (expected: a path starting with /, without query or spaces)");
    }
    return p;
  }

  private static String checkOrigin(String origin) {
    Objects.requireNonNull(origin, "origin");
    URI uri;
    try {
      uri = new URI(origin);
    } catch (java.net.URISyntaxException e) {
      uri = null;
    }
    if (uri == null || uri.getScheme() == null || uri.getHost() == null
        || (uri.getPath() != null && !uri.getPath().isEmpty())) {
      throw new IllegalArgumentException(
          "origin: '" + origin + "' (expected: scheme://host[:port], e.g. https://chat.example)");
    }
    return origin.toLowerCase(Locale.ROOT);
  }

  @Override
  public String toString() {
    return door == Door.TCP
        ? "tcp " + (host == null ? "*" : host) + ":" + port
        : "webSocket " + (host == null ? "*" : host) + ":" + port + path;
  }
}
