package io.ebsockets.netty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ebsockets.CloseReason;
import io.ebsockets.CloseStatus;
import io.ebsockets.ConnectionChange;
import io.ebsockets.ConnectionEndedException;
import io.ebsockets.Door;
import io.ebsockets.EbsocketClient;
import io.ebsockets.EbsocketServer;
import io.ebsockets.EbsocketSystem;
import io.ebsockets.Listener;
import io.ebsockets.ReconnectPolicy;
import io.ebsockets.testsupport.PumpRecorder;
import io.ebsockets.testsupport.WireClient;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The accept rate turns the excess away with {@code overloaded} and a retry hint, on both doors
 * (1013 on WebSocket, the hint in the close frame's text); a shutdown's close carries a hint and
 * a reconnecting client waits at least that long before it comes back.
 */
class AcceptRateTest {
  private final List<AutoCloseable> toClose = new ArrayList<>();

  @AfterEach
  void stop() throws Exception {
    for (int i = toClose.size() - 1; i >= 0; i--) {
      toClose.get(i).close();
    }
  }

  private EbsocketSystem system(EbsocketServer.Builder builder) {
    EbsocketSystem system = new EbsocketSystem(builder.closeTimeout(Duration.ofMillis(300))
        .shutdownTimeout(Duration.ofSeconds(2)).build());
    toClose.add(system);
    return system;
  }

  @Test
  void overTheRateTheTcpDoorSaysOverloadedWithAHintAndNeverReportsIt() throws Exception {
    EbsocketSystem system = system(EbsocketServer.builder().host("127.0.0.1").port(0)
        .acceptRate(1)); // one a second, no burst
    PumpRecorder recorder = new PumpRecorder(system);
    EbsocketClient first = new EbsocketClient();
    toClose.add(first);
    first.connectTo(system.server().address());
    recorder.nextClient();

    WireClient second = WireClient.connect(system.server().address());
    toClose.add(second);
    Map<String, Object> close = second.readFrameOfType("ebsockets.close");
    @SuppressWarnings("unchecked")
    Map<String, Object> data = (Map<String, Object>) close.get("data");
    assertThat(data).containsEntry("reason", "overloaded");
    assertThat(data.get("message").toString()).contains("taking 1 new connections a second");
    assertThat(((Number) data.get("retryAfter")).longValue()).isBetween(1L, 1_112L);
    assertThat(second.endOfStream()).isTrue();

    EbsocketClient third = new EbsocketClient();
    toClose.add(third);
    assertThatThrownBy(() -> third.connectTo(system.server().address()))
        .isInstanceOfSatisfying(ConnectionEndedException.class, e -> {
          assertThat(e.status().reason()).isEqualTo(CloseReason.OVERLOADED);
          // promised the slot after the second's: two intervals of 1/0.9 s on at most
          assertThat(e.status().retryHint()).hasValueSatisfying(
              hint -> assertThat(hint).isBetween(Duration.ofMillis(1), Duration.ofMillis(2_223)));
        });
    recorder.assertEmpty();
    assertThat(system.stats().turnedAway())
        .isEqualTo(new io.ebsockets.TurnedAwayStats(2, 0, 0));
    assertThat(system.stats().accepted()).isEqualTo(1);
  }

  @Test
  void overTheRateTheWebSocketDoorUpgradesThenClosesWith1013AndTheHint() throws Exception {
    EbsocketSystem system = system(EbsocketServer.builder()
        .listen(Listener.webSocket("127.0.0.1", 0, "/ebs")).acceptRate(1));
    PumpRecorder recorder = new PumpRecorder(system);
    WsPeer first = WsPeer.connect(system.server().uri(Door.WEB_SOCKET));
    toClose.add(first);
    first.send("{\"type\":\"hi\"}");
    recorder.nextClient();
    assertThat(recorder.nextEvent().type()).isEqualTo("hi");

    WsPeer second = WsPeer.connect(system.server().uri(Door.WEB_SOCKET));
    toClose.add(second);
    @SuppressWarnings("unchecked")
    Map<String, Object> data =
        (Map<String, Object>) second.readOfType("ebsockets.close").get("data");
    assertThat(data).containsEntry("reason", "overloaded");
    long hint = ((Number) data.get("retryAfter")).longValue();
    WsPeer.Closed closed = second.closed();
    assertThat(closed.code()).isEqualTo(1013); // Try Again Later
    assertThat(closed.reason()).isEqualTo("retry after " + hint + " ms: server overloaded:"
        + " taking 1 new connections a second");
    recorder.assertEmpty();
  }

  @Test
  void aReconnectingClientWaitsAtLeastTheShutdownsHint() throws Exception {
    EbsocketSystem first = new EbsocketSystem(EbsocketServer.builder().host("127.0.0.1").port(0)
        .retryAfter(Duration.ofSeconds(1)).closeTimeout(Duration.ofMillis(300)).build());
    InetSocketAddress address = first.server().address();
    PumpRecorder firstRecorder = new PumpRecorder(first);
    EbsocketClient client = EbsocketClient.builder()
        .reconnect(ReconnectPolicy.builder().initialDelay(Duration.ofMillis(1))
            .maxDelay(Duration.ofMillis(1)).build())
        .build();
    toClose.add(client);
    client.connectTo(address);
    firstRecorder.nextClient();

    long closedAt = System.nanoTime();
    first.close();
    EbsocketSystem second = system(EbsocketServer.builder().host("127.0.0.1")
        .port(address.getPort()));
    PumpRecorder secondRecorder = new PumpRecorder(second);
    secondRecorder.nextClient();
    long backAfter = System.nanoTime() - closedAt;

    ConnectionChange lost = client.pump(Duration.ofSeconds(5)).connectionChanges().get(0);
    CloseStatus status = lost.status().orElseThrow();
    assertThat(status.reason()).isEqualTo(CloseReason.SERVER_SHUTDOWN);
    Duration hint = status.retryHint().orElseThrow();
    assertThat(hint).isBetween(Duration.ofSeconds(1), Duration.ofSeconds(2));
    assertThat(Duration.ofNanos(backAfter)).isGreaterThanOrEqualTo(hint);
  }
}
