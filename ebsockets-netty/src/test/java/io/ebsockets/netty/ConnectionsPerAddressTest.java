package io.ebsockets.netty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ebsockets.CloseReason;
import io.ebsockets.Door;
import io.ebsockets.EbsocketClient;
import io.ebsockets.EbsocketConnection;
import io.ebsockets.EbsocketServer;
import io.ebsockets.EbsocketSystem;
import io.ebsockets.Listener;
import io.ebsockets.testsupport.PumpRecorder;
import io.ebsockets.testsupport.WireClient;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code maxConnectionsPerAddress}: one address holds at most so many connections, the next
 * from it is told {@code server_full} and never reported, other addresses are unaffected, and a
 * place frees up when a connection ends. Behind a trusted proxy, the address is the client's.
 */
class ConnectionsPerAddressTest {
  private final List<AutoCloseable> toClose = new ArrayList<>();
  private EbsocketSystem system;

  @AfterEach
  void stop() throws Exception {
    for (AutoCloseable c : toClose) {
      c.close();
    }
    if (system != null) {
      system.close();
    }
  }

  private EbsocketClient client() throws IOException {
    EbsocketClient client = new EbsocketClient();
    toClose.add(client);
    client.connectTo(system.server().address());
    return client;
  }

  @Test
  void anAddressHoldsAtMostItsLimitAndOthersAreUnaffected() throws Exception {
    system = new EbsocketSystem(EbsocketServer.builder().host("127.0.0.1").port(0)
        .maxConnectionsPerAddress(2).closeTimeout(Duration.ofMillis(300)).build());
    PumpRecorder recorder = new PumpRecorder(system);
    EbsocketClient first = client();
    client();
    recorder.nextClient();
    recorder.nextClient();

    assertThatThrownBy(this::client).isInstanceOf(IOException.class)
        .hasMessageContaining("server_full")
        .hasMessageContaining("too many connections from 127.0.0.1 (expected: at most 2 per address)");

    // Another loopback address is another address.
    try (Socket other = new Socket()) {
      other.bind(new InetSocketAddress("127.0.0.2", 0));
      other.connect(system.server().address());
      other.getOutputStream().write(WireClient.frame("{\"type\":\"hi\"}"));
      EbsocketConnection fromOther = recorder.nextClient();
      assertThat(fromOther.remoteAddress().getAddress().getHostAddress()).isEqualTo("127.0.0.2");
      assertThat(recorder.nextEvent().type()).isEqualTo("hi");
    }
    recorder.nextDisconnect();

    first.close();
    recorder.nextDisconnect();
    client(); // its place is free again
    assertThat(recorder.nextClient().isOpen()).isTrue();
    assertThat(system.stats().disconnected(CloseReason.SERVER_FULL)).isZero(); // never reported
    assertThat(system.stats().turnedAway().full()).isEqualTo(1);
  }

  @Test
  void behindATrustedProxyTheLimitCountsTheClientsItNames() throws Exception {
    system = new EbsocketSystem(EbsocketServer.builder()
        .listen(Listener.webSocket("127.0.0.1", 0, "/ebs").withTrustedProxies("127.0.0.1"))
        .maxConnectionsPerAddress(1).closeTimeout(Duration.ofMillis(300)).build());
    PumpRecorder recorder = new PumpRecorder(system);
    toClose.add(WsPeer.connect(system.server().uri(Door.WEB_SOCKET),
        Map.of("X-Forwarded-For", "198.51.100.1")));
    toClose.add(WsPeer.connect(system.server().uri(Door.WEB_SOCKET),
        Map.of("X-Forwarded-For", "198.51.100.2")));
    assertThat(recorder.nextClient().remoteAddress().getAddress().getHostAddress())
        .isEqualTo("198.51.100.1");
    assertThat(recorder.nextClient().remoteAddress().getAddress().getHostAddress())
        .isEqualTo("198.51.100.2");

    WsPeer again = WsPeer.connect(system.server().uri(Door.WEB_SOCKET),
        Map.of("X-Forwarded-For", "198.51.100.1"));
    toClose.add(again);
    assertThat(again.closed().code()).isEqualTo(4007); // server_full
    assertThat(again.closed().reason()).contains("too many connections from 198.51.100.1");
    recorder.assertEmpty();
  }
}
