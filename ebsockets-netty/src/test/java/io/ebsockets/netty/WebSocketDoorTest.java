package io.ebsockets.netty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ebsockets.Admission;
import io.ebsockets.CloseReason;
import io.ebsockets.CloseStatus;
import io.ebsockets.Door;
import io.ebsockets.EbsocketClient;
import io.ebsockets.EbsocketConnection;
import io.ebsockets.EbsocketEvent;
import io.ebsockets.EbsocketServer;
import io.ebsockets.EbsocketSystem;
import io.ebsockets.Listener;
import io.ebsockets.testsupport.PumpRecorder;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The WebSocket door over loopback, with the JDK's WebSocket client as an independent peer: the
 * mapping of payloads to text messages, every bad input answered as docs/PROTOCOL.md says with a
 * bystander unaffected, the HTTP side (origins, other paths, resources, the handshake timeout),
 * admission, and TCP and WebSocket clients sharing one system.
 */
class WebSocketDoorTest {
  private final List<AutoCloseable> toClose = new ArrayList<>();

  @AfterEach
  void closeAll() throws Exception {
    for (AutoCloseable c : toClose) {
      c.close();
    }
  }

  private EbsocketSystem server(EbsocketServer.Builder builder) {
    EbsocketSystem system =
        new EbsocketSystem(builder.closeTimeout(Duration.ofMillis(300)).maxFrameLength(4096).build());
    toClose.add(system);
    return system;
  }

  private EbsocketSystem webSocketServer() {
    return server(EbsocketServer.builder().listen(Listener.webSocket("127.0.0.1", 0, "/ebs")));
  }

  private WsPeer peer(EbsocketSystem system) throws Exception {
    return peer(system, Map.of());
  }

  private WsPeer peer(EbsocketSystem system, Map<String, String> headers) throws Exception {
    WsPeer peer = WsPeer.connect(system.server().uri(Door.WEB_SOCKET), headers);
    toClose.add(peer);
    return peer;
  }

  private EbsocketClient client(URI uri) throws IOException {
    EbsocketClient client = EbsocketClient.builder().closeTimeout(Duration.ofMillis(300)).build();
    toClose.add(client);
    client.connectTo(uri);
    return client;
  }

  @Test
  void aTextMessageIsOnePayloadBothWays() throws Exception {
    EbsocketSystem system = webSocketServer();
    PumpRecorder recorder = new PumpRecorder(system);
    WsPeer peer = peer(system);

    Map<String, Object> welcome = peer.hello("{\"maxFrameLength\":2048}");
    assertThat(welcome).containsEntry("version", 1).containsEntry("maxFrameLength", 4096);
    EbsocketConnection connection = recorder.nextClient();
    assertThat(connection.door()).isEqualTo(Door.WEB_SOCKET);

    String[] shapes = {
      "{\"type\":\"empty\"}",
      "{\"type\":\"nulls\",\"data\":null}",
      "{\"type\":\"all\",\"data\":{\"s\":\"h\u00e9llo \ud83d\ude00\",\"i\":-7,\"l\":9007199254740991,"
          + "\"d\":1.5,\"b\":true,\"n\":null,\"a\":[1,\"x\",[]],\"o\":{\"deep\":{\"er\":{}}}}}",
    };
    for (String shape : shapes) {
      peer.send(shape);
      EbsocketEvent event = recorder.nextEvent();
      system.sendEventTo(connection, event);
      Map<String, Object> echoed = peer.readOfType(event.type());
      assertThat(new EbsocketEvent(event.type(), dataOf(echoed))).isEqualTo(event);
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> dataOf(Map<String, Object> payload) {
    Object data = payload.get("data");
    return data == null ? Map.of() : (Map<String, Object>) data;
  }

  @Test
  void badInputIsAnsweredAsDocumentedAndABystanderCarriesOn() throws Exception {
    EbsocketSystem system = webSocketServer();
    PumpRecorder recorder = new PumpRecorder(system);
    EbsocketClient bystander = client(system.server().uri(Door.WEB_SOCKET));
    EbsocketConnection bystanderConnection = recorder.nextClient();

    record Case(String name, String code, ThrowingSend send) {}
    List<Case> cases = List.of(
        new Case("binary", "binary_message", p -> p.sendBinary(new byte[] {1, 2, 3})),
        new Case("oversized", "frame_too_long",
            p -> p.send("{\"type\":\"big\",\"data\":{\"s\":\"" + "x".repeat(5000) + "\"}}")),
        new Case("bad JSON", "invalid_json", p -> p.send("{\"type\":")),
        new Case("not an object", "not_an_object", p -> p.send("[1,2]")));
    for (Case c : cases) {
      WsPeer peer = peer(system);
      peer.hello("{}");
      EbsocketConnection bad = recorder.nextClient();
      c.send().send(peer);

      Map<String, Object> error = peer.readOfType("ebsockets.error");
      assertThat(dataOf(error)).as(c.name()).containsEntry("code", c.code());
      WsPeer.Closed closed = peer.closed();
      assertThat(closed.code()).as(c.name()).isEqualTo(CloseReason.PROTOCOL_ERROR.webSocketCloseCode());
      assertThat(closed.reason()).as(c.name()).startsWith(c.code() + ":");
      assertThat(closed.reason().getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(123);
      assertThat(recorder.nextDisconnect()).isSameAs(bad);
      assertThat(bad.closeStatus()).get().extracting(CloseStatus::reason)
          .isEqualTo(CloseReason.PROTOCOL_ERROR);

      system.sendEventToClients(new EbsocketEvent("still").with("after", c.name()));
      assertThat(bystander.recvEvent(WsPeer.WAIT)).contains(
          new EbsocketEvent("still").with("after", c.name()));
    }
    assertThat(bystanderConnection.isOpen()).isTrue();
    assertThat(system.stats().protocolErrors()).isEqualTo(cases.size());
  }

  @FunctionalInterface
  interface ThrowingSend {
    void send(WsPeer peer) throws Exception;
  }

  @Test
  void aKickIsACloseFrameWithTheReasonsCodeAfterTheCloseEvent() throws Exception {
    EbsocketSystem system = webSocketServer();
    PumpRecorder recorder = new PumpRecorder(system);
    WsPeer peer = peer(system);
    peer.hello("{}");
    EbsocketConnection connection = recorder.nextClient();

    system.sendEventTo(connection, new EbsocketEvent("last"));
    connection.close("flooding the lobby");

    assertThat(peer.readOfType("last")).isNotNull();
    assertThat(dataOf(peer.readOfType("ebsockets.close")))
        .containsEntry("reason", "kicked").containsEntry("message", "flooding the lobby");
    assertThat(peer.closed()).isEqualTo(new WsPeer.Closed(4005, "flooding the lobby"));
    assertThat(recorder.nextDisconnect()).isSameAs(connection);
  }

  @Test
  void originsAreCheckedAndOtherPathsGetAPlain404() throws Exception {
    EbsocketSystem system = server(EbsocketServer.builder().listen(
        Listener.webSocket("127.0.0.1", 0, "/ebs").withAllowedOrigins("https://chat.example")));
    PumpRecorder recorder = new PumpRecorder(system);
    URI uri = system.server().uri(Door.WEB_SOCKET);
    String self = "http://127.0.0.1:" + uri.getPort();

    peer(system, Map.of("Origin", self)).hello("{}");
    recorder.nextClient();
    peer(system, Map.of("Origin", "https://chat.example")).hello("{}");
    recorder.nextClient();
    assertThatThrownBy(() -> peer(system, Map.of("Origin", "https://evil.example")))
        .hasStackTraceContaining("403");
    HttpResponse<String> forbidden = get(uri.resolve("/ebs"), "https://evil.example", true);
    assertThat(forbidden.statusCode()).isEqualTo(403);
    assertThat(forbidden.body()).contains("origin https://evil.example is not allowed");

    HttpResponse<String> other = get(URI.create(self + "/admin?x=1"), null, false);
    assertThat(other.statusCode()).isEqualTo(404);
    assertThat(other.headers().firstValue("content-type")).contains("text/plain; charset=utf-8");
    assertThat(other.body()).isEqualTo("not found: /admin\n");
    recorder.assertEmpty();
  }

  private static HttpResponse<String> get(URI uri, String origin, boolean upgrade)
      throws IOException, InterruptedException {
    // A raw request: the JDK's HttpClient will not send Upgrade or a chosen Origin itself.
    try (Socket socket = new Socket(uri.getHost(), uri.getPort())) {
      String request = "GET " + uri.getRawPath()
          + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery()) + " HTTP/1.1\r\n"
          + "Host: " + uri.getHost() + ":" + uri.getPort() + "\r\n"
          + (origin == null ? "" : "Origin: " + origin + "\r\n")
          + (upgrade
              ? String.join("\r\n", "Upgrade: websocket", "Connection: Upgrade",
                  "Sec-WebSocket-Version: 13", "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==", "")
              : "")
          + "\r\n";
      OutputStream out = socket.getOutputStream();
      out.write(request.getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = socket.getInputStream();
      String response = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      return RawResponse.parse(response);
    }
  }

  @Test
  void theDoorServesItsResourcesAndTheJavaScriptClientOfThisVersion() throws Exception {
    EbsocketSystem system = server(EbsocketServer.builder().listen(
        Listener.webSocket("127.0.0.1", 0, "/ebs")
            .withResource("/", "text/html", "<h1>chat</h1>")
            .withJavaScriptClient()));
    URI base = system.server().uri(Door.WEB_SOCKET).resolve("/");
    HttpClient http = HttpClient.newHttpClient();

    HttpResponse<String> page = http.send(
        HttpRequest.newBuilder(URI.create("http://" + base.getHost() + ":" + base.getPort() + "/"))
            .build(), HttpResponse.BodyHandlers.ofString());
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.headers().firstValue("content-type")).contains("text/html; charset=utf-8");
    assertThat(page.body()).isEqualTo("<h1>chat</h1>");

    HttpResponse<String> module = http.send(
        HttpRequest.newBuilder(URI.create(
            "http://" + base.getHost() + ":" + base.getPort() + Listener.JS_MODULE_PATH)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(module.statusCode()).isEqualTo(200);
    assertThat(module.headers().firstValue("content-type")).contains("text/javascript; charset=utf-8");
    assertThat(module.body()).contains("export class EbsocketClient")
        .doesNotContain("@EBSOCKETS_VERSION@")
        .contains("export const VERSION = \"" + System.getProperty("project.version", "0.1.0-SNAPSHOT") + "\"");
  }

  @Test
  void aConnectionThatNeverUpgradesIsClosedAfterTheHandshakeTimeout() throws Exception {
    EbsocketSystem system = server(EbsocketServer.builder().listen(
        Listener.webSocket("127.0.0.1", 0, "/ebs").withHandshakeTimeout(Duration.ofMillis(300))));
    URI uri = system.server().uri(Door.WEB_SOCKET);
    try (Socket silent = new Socket(uri.getHost(), uri.getPort())) {
      silent.setSoTimeout((int) WsPeer.WAIT.toMillis());
      assertThat(silent.getInputStream().read()).isEqualTo(-1); // closed, never answered
    }
  }

  @Test
  void tcpAndWebSocketClientsShareOneSystemAndSeeTheSameEventsInOrder() throws Exception {
    EbsocketSystem system = server(EbsocketServer.builder()
        .listen(Listener.tcp("127.0.0.1", 0))
        .listen(Listener.webSocket("127.0.0.1", 0, "/ebs")));
    PumpRecorder recorder = new PumpRecorder(system);
    assertThat(system.server().uris()).hasSize(2);
    EbsocketClient tcp = client(system.server().uri(Door.TCP));
    EbsocketConnection tcpConnection = recorder.nextClient();
    EbsocketClient ws = client(system.server().uri(Door.WEB_SOCKET));
    EbsocketConnection wsConnection = recorder.nextClient();
    assertThat(tcpConnection.door()).isEqualTo(Door.TCP);
    assertThat(wsConnection.door()).isEqualTo(Door.WEB_SOCKET);
    system.join(tcpConnection, "room");
    system.join(wsConnection, "room");

    for (int i = 0; i < 200; i++) {
      system.sendEventToGroup("room", new EbsocketEvent("line").with("n", i));
    }
    for (int i = 0; i < 200; i++) {
      EbsocketEvent expected = new EbsocketEvent("line").with("n", i);
      assertThat(tcp.recvEvent(WsPeer.WAIT)).contains(expected);
      assertThat(ws.recvEvent(WsPeer.WAIT)).contains(expected);
    }
    assertThat(system.stats().connections()).isEqualTo(2);
  }

  @Test
  void theAdmissionHookSeesTheHelloAndTheQueryAndRefusesWithUnauthorized() throws Exception {
    Admission tokenRequired = h -> "s3cret".equals(
            h.helloValue("token").orElse(h.queryParameter("token").orElse("")))
        ? Admission.Verdict.admit()
        : Admission.Verdict.refuse("a valid token is required");
    EbsocketSystem system = server(EbsocketServer.builder()
        .listen(Listener.tcp("127.0.0.1", 0))
        .listen(Listener.webSocket("127.0.0.1", 0, "/ebs"))
        .admission(tokenRequired));
    PumpRecorder recorder = new PumpRecorder(system);

    EbsocketClient viaHello = EbsocketClient.builder().helloData(Map.of("token", "s3cret")).build();
    toClose.add(viaHello);
    viaHello.connectTo(system.server().uri(Door.TCP));
    recorder.nextClient();
    WsPeer viaQuery = WsPeer.connect(URI.create(system.server().uri(Door.WEB_SOCKET) + "?token=s3cret"));
    toClose.add(viaQuery);
    viaQuery.hello("{}");
    recorder.nextClient();

    for (URI uri : system.server().uris()) {
      EbsocketClient refused = EbsocketClient.builder().helloData(Map.of("token", "guess")).build();
      toClose.add(refused);
      assertThatThrownBy(() -> refused.connectTo(uri))
          .isInstanceOf(IOException.class)
          .hasMessageContaining("unauthorized")
          .hasMessageContaining("a valid token is required");
    }
    WsPeer refusedPeer = peer(system);
    refusedPeer.send("{\"type\":\"ebsockets.hello\",\"data\":{\"token\":\"nope\"}}");
    assertThat(dataOf(refusedPeer.readOfType("ebsockets.close")))
        .containsEntry("reason", "unauthorized");
    assertThat(refusedPeer.closed()).isEqualTo(new WsPeer.Closed(4009, "a valid token is required"));

    assertThat(system.stats().refused()).isEqualTo(3);
    assertThat(system.stats().connections()).isEqualTo(2);
    recorder.assertEmpty();
  }

  /**
   * A broadcast reaches WebSocket recipients as one WebSocket frame per loop, shorter or longer
   * than the length-prefixed frame the backlog was charged for (a 2-, 4- or 10-byte header
   * instead of 4 bytes): once everything is written the count is back to zero, for each size.
   */
  @Test
  void theWriteBacklogSettlesToZeroWithWebSocketRecipientsOfEveryHeaderSize() throws Exception {
    List<NettyConnection> connections = new java.util.concurrent.CopyOnWriteArrayList<>();
    NettyTransportProvider netty = new NettyTransportProvider(IoKind.NIO);
    io.ebsockets.spi.TransportProvider recording = new io.ebsockets.spi.TransportProvider() {
      @Override
      public io.ebsockets.spi.ServerTransport bind(
          io.ebsockets.ServerOptions options, io.ebsockets.spi.ConnectionListener listener) {
        return netty.bind(options, channel -> {
          connections.add((NettyConnection) channel);
          return listener.opened(channel);
        });
      }

      @Override
      public io.ebsockets.spi.ClientTransport connect(java.net.InetSocketAddress address,
          io.ebsockets.ClientOptions options, io.ebsockets.spi.ChannelSink sink)
          throws IOException {
        return netty.connect(address, options, sink);
      }
    };
    EbsocketSystem system = new EbsocketSystem(EbsocketServer.builder()
        .listen(Listener.tcp("127.0.0.1", 0))
        .listen(Listener.webSocket("127.0.0.1", 0, "/ebs"))
        .transport(recording)
        .build());
    toClose.add(system);
    PumpRecorder recorder = new PumpRecorder(system);
    EbsocketClient tcp = client(system.server().uri(Door.TCP));
    recorder.nextClient();
    List<EbsocketClient> browsers = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      browsers.add(client(system.server().uri(Door.WEB_SOCKET)));
      recorder.nextClient();
    }

    int[] sizes = {10, 100, 1_000, 70_000}; // headers of 2, 2, 4 and 10 bytes
    for (int size : sizes) {
      EbsocketEvent event = new EbsocketEvent("sized").with("pad", "p".repeat(size));
      for (int i = 0; i < 20; i++) {
        system.sendEventToClients(event);
      }
      for (EbsocketClient c : browsers) {
        for (int i = 0; i < 20; i++) {
          assertThat(c.recvEvent(WsPeer.WAIT)).contains(event);
        }
      }
      for (int i = 0; i < 20; i++) {
        assertThat(tcp.recvEvent(WsPeer.WAIT)).contains(event);
      }
      WriteBacklog backlog = connections.get(0).settings().backlog();
      org.awaitility.Awaitility.await().atMost(WsPeer.WAIT).until(() -> backlog.queued() == 0);
    }
  }

  @Test
  void aWsUriWithoutAWebSocketDoorFailsNamingIt() {
    EbsocketSystem system = server(EbsocketServer.builder().host("127.0.0.1").port(0));
    assertThatThrownBy(() -> system.server().uri(Door.WEB_SOCKET))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("WEB_SOCKET");
    EbsocketClient client = EbsocketClient.builder().connectTimeout(Duration.ofSeconds(2)).build();
    toClose.add(client);
    URI wrong = URI.create("ws://127.0.0.1:" + system.server().address().getPort() + "/ebs");
    assertThatThrownBy(() -> client.connectTo(wrong))
        .isInstanceOf(IOException.class)
        .hasMessageContaining(wrong.toString());
  }

  /** A parsed raw HTTP response, enough for these tests. */
  private record RawResponse(int statusCode, Map<String, String> heads, String body)
      implements HttpResponse<String> {
    static RawResponse parse(String raw) {
      int end = raw.indexOf("\r\n\r\n");
      String[] lines = raw.substring(0, end).split("\r\n");
      int status = Integer.parseInt(lines[0].split(" ")[1]);
      Map<String, String> heads = new java.util.TreeMap<>(String.CASE_INSENSITIVE_ORDER);
      for (int i = 1; i < lines.length; i++) {
        int colon = lines[i].indexOf(':');
        heads.put(lines[i].substring(0, colon).trim(), lines[i].substring(colon + 1).trim());
      }
      return new RawResponse(status, heads, raw.substring(end + 4));
    }

    @Override
    public java.net.http.HttpHeaders headers() {
      Map<String, List<String>> map = new java.util.TreeMap<>(String.CASE_INSENSITIVE_ORDER);
      heads.forEach((k, v) -> map.put(k, List.of(v)));
      return java.net.http.HttpHeaders.of(map, (a, b) -> true);
    }

    @Override
    public HttpRequest request() {
      throw new UnsupportedOperationException();
    }

    @Override
    public java.util.Optional<HttpResponse<String>> previousResponse() {
      return java.util.Optional.empty();
    }

    @Override
    public java.util.Optional<javax.net.ssl.SSLSession> sslSession() {
      return java.util.Optional.empty();
    }

    @Override
    public URI uri() {
      throw new UnsupportedOperationException();
    }

    @Override
    public HttpClient.Version version() {
      return HttpClient.Version.HTTP_1_1;
    }
  }
}
