package io.ebsockets.netty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ebsockets.CloseReason;
import io.ebsockets.ConnectionChange;
import io.ebsockets.Door;
import io.ebsockets.EbsocketClient;
import io.ebsockets.EbsocketEvent;
import io.ebsockets.EbsocketServer;
import io.ebsockets.EbsocketSystem;
import io.ebsockets.Listener;
import io.ebsockets.ReconnectPolicy;
import io.ebsockets.testsupport.PumpRecorder;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A client given several endpoints connects to the first that answers and, when a server sends
 * it away, fails over to the next with the same backoff (and the server's hint); the doors may
 * differ.
 */
class FailoverTest {
  private final List<AutoCloseable> toClose = new ArrayList<>();

  @AfterEach
  void stop() throws Exception {
    for (int i = toClose.size() - 1; i >= 0; i--) {
      toClose.get(i).close();
    }
  }

  private EbsocketSystem server(Listener door) {
    EbsocketSystem system = new EbsocketSystem(EbsocketServer.builder().listen(door)
        .retryAfter(Duration.ofMillis(200)).closeTimeout(Duration.ofMillis(300)).build());
    toClose.add(system);
    return system;
  }

  private EbsocketClient client() {
    EbsocketClient client = EbsocketClient.builder()
        .reconnect(ReconnectPolicy.builder().initialDelay(Duration.ofMillis(10))
            .maxDelay(Duration.ofMillis(50)).build())
        .build();
    toClose.add(client);
    return client;
  }

  private static URI nobodyListening() throws IOException {
    try (ServerSocket free = new ServerSocket(0)) {
      return URI.create("ebs://127.0.0.1:" + free.getLocalPort());
    }
  }

  @Test
  void aShutdownSendsTheClientToTheNextEndpointAndWhatItSendsArrivesThere() throws Exception {
    EbsocketSystem a = server(Listener.tcp("127.0.0.1", 0));
    EbsocketSystem b = server(Listener.webSocket("127.0.0.1", 0, "/ebs"));
    PumpRecorder atA = new PumpRecorder(a);
    PumpRecorder atB = new PumpRecorder(b);
    EbsocketClient client = client();
    client.connectTo(List.of(a.server().uri(Door.TCP), b.server().uri(Door.WEB_SOCKET)));
    atA.nextClient();

    a.close();
    atB.nextClient();
    client.sendEvent(new EbsocketEvent("after").with("n", 1));
    assertThat(atB.nextEvent()).isEqualTo(new EbsocketEvent("after").with("n", 1));
    List<ConnectionChange> changes = client.pump(Duration.ofSeconds(5)).connectionChanges();
    assertThat(changes.get(0).status().orElseThrow().reason())
        .isEqualTo(CloseReason.SERVER_SHUTDOWN);
  }

  @Test
  void theFirstConnectTriesEachEndpointInTurn() throws Exception {
    EbsocketSystem b = server(Listener.tcp("127.0.0.1", 0));
    PumpRecorder atB = new PumpRecorder(b);
    EbsocketClient client = client();
    client.connectTo(List.of(nobodyListening(), b.server().uri(Door.TCP)));
    atB.nextClient();
    assertThat(client.isConnected()).isTrue();
  }

  @Test
  void whenNoneAnswersTheErrorNamesEveryEndpoint() throws Exception {
    URI first = nobodyListening();
    URI second = nobodyListening();
    EbsocketClient client = client();
    assertThatThrownBy(() -> client.connectTo(List.of(first, second)))
        .isInstanceOf(IOException.class)
        .hasMessageStartingWith("cannot connect to any of [" + first + ", " + second + "]")
        .hasMessageContaining("cannot connect to /127.0.0.1:" + second.getPort() + ": Connection refused");
    assertThatThrownBy(() -> client().connectTo(List.<URI>of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("endpoints: [] (expected: at least one URI)");
  }
}
