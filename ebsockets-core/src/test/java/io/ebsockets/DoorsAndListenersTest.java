package io.ebsockets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The doors' public names: schemes, listeners, close codes, handshakes; their errors. */
class DoorsAndListenersTest {

  @Test
  void schemesNameTheirDoorAndAnUnknownOneSaysWhichAreKnown() {
    assertThat(Door.ofScheme("ebs")).isEqualTo(Door.TCP);
    assertThat(Door.ofScheme("EBSS")).isEqualTo(Door.TCP);
    assertThat(Door.ofScheme("ws")).isEqualTo(Door.WEB_SOCKET);
    assertThat(Door.isTlsScheme("wss")).isTrue();
    assertThat(Door.isTlsScheme("ebs")).isFalse();
    assertThatThrownBy(() -> Door.ofScheme("http"))
        .hasMessage("scheme 'http' (expected: ebs, ebss, ws or wss)");
  }

  @Test
  void aClientRefusesAUriItCannotUseBeforeConnecting() {
    EbsocketClient client = new EbsocketClient();
    assertThatThrownBy(() -> client.connectTo(URI.create("http://127.0.0.1:80/")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("expected: ebs");
    assertThatThrownBy(() -> client.connectTo(URI.create("ebs://127.0.0.1")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("expected: a port");
    client.close();
  }

  @Test
  void listenersCheckTheirArgumentsAndNameTheirUris() {
    assertThatThrownBy(() -> Listener.webSocket(8080, "ebs"))
        .hasMessageContaining("expected: a path starting with /");
    assertThatThrownBy(() -> Listener.tcp(7982).withAllowedOrigins("https://x.example"))
        .hasMessageContaining("expected: a WebSocket listener");
    assertThatThrownBy(() -> Listener.webSocket(8080, "/ebs").withAllowedOrigins("chat.example"))
        .hasMessageContaining("expected: scheme://host[:port]");
    assertThatThrownBy(() -> Listener.webSocket(8080, "/ebs").withResource("/ebs", "text/plain", "x"))
        .hasMessageContaining("another path than the door's own");

    Listener web = Listener.webSocket(8080, "/ebs").withResource("/", "text/html", "<p>hi");
    assertThat(web.resourceType("/")).contains("text/html; charset=utf-8");
    assertThat(web.uri(new InetSocketAddress(8080), true)).isEqualTo(URI.create("wss://127.0.0.1:8080/ebs"));
    assertThat(Listener.tcp(7982).uri(new InetSocketAddress(7982), false))
        .isEqualTo(URI.create("ebs://127.0.0.1:7982"));
  }

  @Test
  void aBuilderTakesHostAndPortOrListenersNotBoth() {
    assertThatThrownBy(() -> EbsocketServer.builder().port(7982).listen(Listener.tcp(7983)).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("host/port and listen(...) both given");
  }

  @Test
  void theProxyProtocolIsForTcpDoorsAndAHealthPathForWebSocketOnes() {
    Listener proxied = Listener.tcp(7982).withProxyProtocol()
        .withHandshakeTimeout(Duration.ofSeconds(3));
    assertThat(proxied.proxyProtocol()).isTrue();
    assertThat(proxied.handshakeTimeout()).isEqualTo(Duration.ofSeconds(3));
    assertThatThrownBy(() -> Listener.tcp(7982).withHandshakeTimeout(Duration.ofSeconds(3)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("expected: a WebSocket door, or a TCP door withProxyProtocol()");
    assertThat(Listener.webSocket(8080, "/ebs").withHealthPath("/health").healthPath())
        .contains("/health");
    assertThatThrownBy(() -> Listener.webSocket(8080, "/ebs").withHealthPath("/ebs"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("healthPath: /ebs (expected: another path");
    assertThatThrownBy(() -> Listener.tcp(7982).withHealthPath("/health"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void closeCodesAreOnePerReasonAndRoundTrip() {
    for (CloseReason reason : CloseReason.values()) {
      if (reason != CloseReason.OVERLOADED) {
        assertThat(reason.webSocketCloseCode()).isBetween(4000, 4999);
      }
      assertThat(CloseReason.fromWebSocketCloseCode(reason.webSocketCloseCode())).contains(reason);
    }
    assertThat(CloseReason.UNAUTHORIZED.webSocketCloseCode()).isEqualTo(4009);
    assertThat(CloseReason.OVERLOADED.webSocketCloseCode()).isEqualTo(1013); // "Try Again Later"
    assertThat(CloseReason.fromWebSocketCloseCode(1000)).isEmpty();
  }

  @Test
  void aHandshakeDecodesItsQueryAndFindsHeadersInAnyCase() {
    Handshake h = new Handshake(Door.WEB_SOCKET, new InetSocketAddress("127.0.0.1", 5000),
        Map.of("token", "t", "n", 1), "/ebs?token=a%20b&x=1&x=2&flag",
        Map.of("Cookie", List.of("sid=1"), "User-Agent", List.of("test")), Map.of("sid", "1"));
    assertThat(h.path()).isEqualTo("/ebs");
    assertThat(h.queryParameter("token")).contains("a b");
    assertThat(h.query().get("x")).containsExactly("1", "2");
    assertThat(h.queryParameter("flag")).contains("");
    assertThat(h.header("user-agent")).contains("test");
    assertThat(h.helloValue("token")).contains("t");
    assertThat(h.helloValue("n")).isEmpty();
    assertThat(h.cookies()).containsEntry("sid", "1");
  }
}
