package io.ebsockets.netty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ebsockets.Door;
import io.ebsockets.EbsocketServer;
import io.ebsockets.EbsocketSystem;
import io.ebsockets.Listener;
import io.ebsockets.testsupport.PumpRecorder;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The WebSocket door behind a load balancer: the client a trusted proxy names in {@code
 * X-Forwarded-For} becomes the connection's address; anyone else's header is ignored.
 */
class ForwardedForTest {
  private EbsocketSystem system;

  @AfterEach
  void stop() {
    if (system != null) {
      system.close();
    }
  }

  private InetSocketAddress addressSeen(Listener door, String forwardedFor) throws Exception {
    system = new EbsocketSystem(EbsocketServer.builder().listen(door)
        .closeTimeout(Duration.ofMillis(300)).build());
    PumpRecorder recorder = new PumpRecorder(system);
    WsPeer peer = WsPeer.connect(system.server().uri(Door.WEB_SOCKET),
        Map.of("X-Forwarded-For", forwardedFor));
    try {
      return recorder.nextClient().remoteAddress();
    } finally {
      peer.close();
      system.close();
    }
  }

  @Test
  void aTrustedProxysHeaderNamesTheClient() throws Exception {
    InetSocketAddress seen = addressSeen(
        Listener.webSocket("127.0.0.1", 0, "/ebs").withTrustedProxies("127.0.0.1"),
        "203.0.113.9, 198.51.100.23");
    assertThat(seen.getAddress().getHostAddress()).isEqualTo("198.51.100.23");
  }

  @Test
  void anUntrustedPeersHeaderIsIgnored() throws Exception {
    InetSocketAddress seen = addressSeen(Listener.webSocket("127.0.0.1", 0, "/ebs"),
        "198.51.100.23");
    assertThat(seen.getAddress().isLoopbackAddress()).isTrue();
  }

  @Test
  void theRightmostHopThatIsNotATrustedProxyIsTheClient() {
    HttpHeaders headers = new DefaultHttpHeaders()
        .add("X-Forwarded-For", "6.6.6.6, 198.51.100.23")
        .add("X-Forwarded-For", "10.0.0.7");
    InetSocketAddress proxy = new InetSocketAddress("10.0.0.5", 40000);
    List<String> trusted = List.of("10.0.0.5", "10.0.0.7");
    assertThat(ForwardedFor.client(proxy, headers, trusted).map(a -> a.getAddress().getHostAddress()))
        .contains("198.51.100.23");
    assertThat(ForwardedFor.client(new InetSocketAddress("10.0.0.6", 1), headers, trusted))
        .as("not a trusted proxy").isEmpty();
    assertThat(ForwardedFor.client(proxy,
        new DefaultHttpHeaders().add("X-Forwarded-For", "evil.example, 10.0.0.7"), trusted))
        .as("a host name is not an address").isEqualTo(Optional.empty());
    assertThat(ForwardedFor.client(proxy, new DefaultHttpHeaders(), trusted)).isEmpty();
  }

  @Test
  void aTrustedProxyMustBeAnIpAddressOnAWebSocketDoor() {
    assertThatThrownBy(() -> Listener.webSocket(0, "/ebs").withTrustedProxies("lb.example"))
        .hasMessage("trusted proxy: lb.example (expected: an IP address such as 10.0.0.5 or ::1)");
    assertThatThrownBy(() -> Listener.tcp(0).withTrustedProxies("10.0.0.5"))
        .hasMessageContaining("expected: a WebSocket listener");
  }
}
