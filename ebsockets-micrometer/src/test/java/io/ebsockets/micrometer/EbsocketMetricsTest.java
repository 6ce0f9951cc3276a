package io.ebsockets.micrometer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ebsockets.Door;
import io.ebsockets.EbsocketClient;
import io.ebsockets.EbsocketConnection;
import io.ebsockets.EbsocketEvent;
import io.ebsockets.EbsocketServer;
import io.ebsockets.EbsocketSystem;
import io.ebsockets.Listener;
import io.ebsockets.testsupport.PumpRecorder;
import io.ebsockets.testsupport.WireClient;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The meters after a scripted scenario over real sockets, on both doors: exact counts of
 * connections, closes by reason, events in and out, and bounded tags only.
 */
class EbsocketMetricsTest {
  private static final Duration WAIT = Duration.ofSeconds(10);

  private final List<EbsocketClient> clients = new ArrayList<>();
  private final MeterRegistry registry = new SimpleMeterRegistry();
  private EbsocketSystem system;

  @AfterEach
  void stop() {
    clients.forEach(EbsocketClient::close);
    if (system != null) {
      system.close();
    }
  }

  private EbsocketClient connect(Door door) throws Exception {
    EbsocketClient client = new EbsocketClient();
    clients.add(client);
    client.connectTo(system.server().uri(door));
    return client;
  }

  private double value(String name, String... tags) {
    Meter meter = registry.find(name).tags(tags).meter();
    assertThat(meter).as(name + " " + String.join("=", tags)).isNotNull();
    return meter.measure().iterator().next().getValue();
  }

  /** Waits until the meter shows {@code expected}: the binder reads a snapshot up to 100 ms old. */
  private void awaitValue(double expected, String name, String... tags) {
    await().atMost(WAIT).untilAsserted(() -> assertThat(value(name, tags)).isEqualTo(expected));
  }

  @Test
  void connectionsTurnedAwayAreCountedByReasonAndHealthIsAGauge() throws Exception {
    system = new EbsocketSystem(EbsocketServer.builder()
        .listen(Listener.tcp("127.0.0.1", 0)).maxConnections(1)
        .closeTimeout(Duration.ofMillis(300)).build());
    new EbsocketMetrics(system).bindTo(registry);
    connect(Door.TCP);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> connect(Door.TCP))
        .hasMessageContaining("server_full");
    awaitValue(1, "ebsockets.connections.turned.away", "reason", "server_full");
    assertThat(value("ebsockets.connections.turned.away", "reason", "overloaded")).isZero();
    assertThat(value("ebsockets.connections.turned.away", "reason", "server_shutdown")).isZero();
    assertThat(value("ebsockets.connections.accepted")).isEqualTo(1);
    assertThat(value("ebsockets.health")).isEqualTo(1);
  }

  @Test
  void aScriptedScenarioShowsExactCountsWithBoundedTags() throws Exception {
    system = new EbsocketSystem(EbsocketServer.builder()
        .listen(Listener.tcp("127.0.0.1", 0))
        .listen(Listener.webSocket("127.0.0.1", 0, "/ebs"))
        .closeTimeout(Duration.ofMillis(300))
        .build());
    new EbsocketMetrics(system, Tags.of("node", "test")).bindTo(registry);
    PumpRecorder recorder = new PumpRecorder(system);

    EbsocketClient tcp1 = connect(Door.TCP);
    EbsocketClient tcp2 = connect(Door.TCP);
    connect(Door.WEB_SOCKET);
    EbsocketConnection first = recorder.nextClient();
    recorder.nextClient();
    EbsocketConnection third = recorder.nextClient();
    awaitValue(2, "ebsockets.connections", "door", "tcp");
    awaitValue(1, "ebsockets.connections", "door", "websocket");

    for (EbsocketClient c : clients) {
      c.sendEvent(new EbsocketEvent("m").with("n", 1));
      c.sendEvent(new EbsocketEvent("m").with("n", 2));
    }
    for (int i = 0; i < 6; i++) {
      recorder.nextEvent();
    }
    system.sendEventToClients(new EbsocketEvent("all"));
    system.sendEventTo(first, new EbsocketEvent("one"));
    awaitValue(6, "ebsockets.events.in");
    awaitValue(4, "ebsockets.events.out");

    // Two requests to the first client: one answered, one left to time out.
    java.util.concurrent.CompletableFuture<EbsocketEvent> answered =
        system.request(first, new EbsocketEvent("q"), Duration.ofSeconds(10));
    EbsocketEvent question = tcp1.recvEvent(WAIT).orElseThrow();
    while (!question.isRequest()) {
      question = tcp1.recvEvent(WAIT).orElseThrow();
    }
    tcp1.reply(question, new EbsocketEvent("a"));
    answered.get(WAIT.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
    system.request(first, new EbsocketEvent("unanswered"), Duration.ofMillis(50))
        .exceptionally(e -> null);
    awaitValue(2, "ebsockets.requests.sent");
    awaitValue(1, "ebsockets.requests.timeouts");
    assertThat(value("ebsockets.requests.failed")).isZero();
    assertThat(registry.find("ebsockets.requests").functionTimer().count()).isEqualTo(1);
    assertThat(value("ebsockets.pump.lag")).isZero(); // nothing waits in the inbox
    assertThat(value("ebsockets.outbound.backlog")).isNotNegative();
    assertThat(value("ebsockets.bytes.in")).isPositive();
    assertThat(value("ebsockets.bytes.out")).isPositive();

    third.close("testing");
    tcp2.close();
    recorder.nextDisconnect();
    recorder.nextDisconnect();
    try (WireClient bad = WireClient.connect(system.server().address())) {
      bad.sendFrame("{\"type\":\"\"}"); // an empty type: a protocol error
      recorder.nextClient();
      recorder.nextDisconnect();
    }

    awaitValue(4, "ebsockets.connections.accepted");
    awaitValue(1, "ebsockets.connections", "door", "tcp");
    awaitValue(0, "ebsockets.connections", "door", "websocket");
    awaitValue(1, "ebsockets.connections.closed", "reason", "kicked");
    awaitValue(1, "ebsockets.connections.closed", "reason", "client_closed");
    awaitValue(1, "ebsockets.connections.closed", "reason", "protocol_error");
    awaitValue(1, "ebsockets.protocol.errors");
    assertThat(value("ebsockets.slow.consumers")).isZero();
    assertThat(value("ebsockets.connections.peak")).isEqualTo(3);
    assertThat(value("ebsockets.inbox.events")).isZero();
    assertThat(value("ebsockets.sessions.kept")).isZero();
    assertThat(tcp1.isConnected()).isTrue();

    assertThat(registry.find("ebsockets.cluster.live").meter()).as("no bus, no cluster meters")
        .isNull();
    for (Meter meter : registry.getMeters()) {
      assertThat(meter.getId().getName()).matches("ebsockets(\\.[a-z]+)+");
      assertThat(meter.getId().getTags()).allSatisfy(tag ->
          assertThat(tag.getKey()).isIn("node", "door", "reason"));
    }
  }

  @Test
  void aPumpLoopThatFallsBehindShowsItsLagAndNoneOnceItCatchesUp() throws Exception {
    system = new EbsocketSystem(EbsocketServer.builder()
        .host("127.0.0.1")
        .port(0)
        .closeTimeout(Duration.ofMillis(300))
        .build());
    new EbsocketMetrics(system).bindTo(registry);
    EbsocketClient client = connect(Door.TCP);
    for (int i = 0; i < 10; i++) {
      client.sendEvent(new EbsocketEvent("m").with("n", i));
    }
    // Nobody pumps: the oldest event's wait grows until the loop takes it.
    await().atMost(WAIT).until(() -> system.stats().queuedEvents() == 10);
    await().atMost(WAIT).until(() -> system.stats().pumpLagNanos() >= 200_000_000L);
    await().atMost(WAIT).untilAsserted(
        () -> assertThat(value("ebsockets.pump.lag")).isGreaterThanOrEqualTo(0.2));

    int taken = 0;
    while (taken < 10) {
      taken += system.pump(WAIT).newEvents().size();
    }
    assertThat(system.stats().pumpLagNanos()).isZero();
    awaitValue(0, "ebsockets.pump.lag");
  }
}
