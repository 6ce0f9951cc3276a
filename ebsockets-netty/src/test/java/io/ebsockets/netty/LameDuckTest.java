package io.ebsockets.netty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.ebsockets.CloseReason;
import io.ebsockets.CloseStatus;
import io.ebsockets.ConnectionEndedException;
import io.ebsockets.Door;
import io.ebsockets.EbsocketClient;
import io.ebsockets.EbsocketConnection;
import io.ebsockets.EbsocketEvent;
import io.ebsockets.EbsocketServer;
import io.ebsockets.EbsocketSystem;
import io.ebsockets.Health;
import io.ebsockets.Listener;
import io.ebsockets.PumpResult;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * A shutdown with a lame-duck period: health turns 503 at once, new clients are turned away
 * with {@code server_shutdown} and a hint, the clients are closed spread over the period (each
 * told when to come back) while the pump loop keeps relaying, and the drain still holds:
 * everything read is relayed.
 */
class LameDuckTest {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final Duration PERIOD = Duration.ofSeconds(2);
  private static final int CLIENTS = 20;
  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void healthSays503NewcomersAreTurnedAwayAndClosesSpreadOverThePeriod() throws Exception {
    EbsocketSystem system = new EbsocketSystem(EbsocketServer.builder()
        .listen(Listener.tcp("127.0.0.1", 0))
        .listen(Listener.webSocket("127.0.0.1", 0, "/ebs").withHealthPath("/health"))
        .lameDuck(PERIOD).retryAfter(Duration.ofSeconds(1))
        .closeTimeout(Duration.ofMillis(300)).shutdownTimeout(Duration.ofSeconds(10)).build());
    URI health = URI.create(system.server().uri(Door.WEB_SOCKET).toString()
        .replace("ws://", "http://").replace("/ebs", "/health"));
    Map<Long, Long> disconnectedAt = new ConcurrentHashMap<>();
    AtomicLong relayed = new AtomicLong();
    CompletableFuture<Void> loop = CompletableFuture.runAsync(() -> {
      while (!system.isClosed()) {
        PumpResult result = system.pump(Duration.ofMillis(50));
        for (EbsocketConnection gone : result.disconnectedClients()) {
          disconnectedAt.put(gone.id(), System.nanoTime());
        }
        for (EbsocketEvent event : result.newEvents()) {
          system.sendEventToClients(new EbsocketEvent("relayed", event.data()));
          relayed.incrementAndGet();
        }
      }
    });
    List<EbsocketClient> clients = new ArrayList<>();
    try {
      for (int i = 0; i < CLIENTS; i++) {
        EbsocketClient client = new EbsocketClient();
        if (i % 2 == 0) {
          client.connectTo(system.server().addresses().get(0));
        } else {
          client.connectTo(system.server().uri(Door.WEB_SOCKET));
        }
        clients.add(client);
      }
      await().atMost(WAIT).until(() -> system.clients().size() == CLIENTS);
      HttpResponse<String> serving = get(health);
      assertThat(serving.statusCode()).isEqualTo(200);
      assertThat(serving.body()).contains("\"status\":\"serving\"", "\"ok\":true");
      HttpResponse<String> head = http.send(HttpRequest.newBuilder(health)
          .method("HEAD", HttpRequest.BodyPublishers.noBody()).timeout(WAIT).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(head.statusCode()).isEqualTo(200);
      assertThat(head.body()).isEmpty();
      assertThat(head.headers().firstValueAsLong("content-length"))
          .hasValue(serving.body().getBytes(java.nio.charset.StandardCharsets.UTF_8).length);
      assertThat(http.send(HttpRequest.newBuilder(health)
          .POST(HttpRequest.BodyPublishers.ofString("x")).timeout(WAIT).build(),
          HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(405);

      long closeBegan = System.nanoTime();
      CompletableFuture<Void> closing = CompletableFuture.runAsync(system::close);
      await().atMost(WAIT).until(() -> get(health).statusCode() == 503);
      assertThat(get(health).body()).contains("\"status\":\"lame_duck\"", "\"draining\":true");
      Health duck = system.health();
      assertThat(duck.state()).isEqualTo(Health.State.LAME_DUCK);
      assertThat(duck.listening()).isTrue();

      EbsocketClient late = new EbsocketClient();
      assertThatThrownBy(() -> late.connectTo(system.server().addresses().get(0)))
          .isInstanceOfSatisfying(ConnectionEndedException.class, e -> {
            assertThat(e.status().reason()).isEqualTo(CloseReason.SERVER_SHUTDOWN);
            assertThat(e.status().retryHint()).isPresent();
          });
      assertThat(system.stats().turnedAway().shuttingDown()).isEqualTo(1);
      for (EbsocketClient client : clients) { // the loop still relays for those still here
        if (client.isConnected()) {
          client.sendEvent(new EbsocketEvent("during"));
        }
      }

      closing.get(WAIT.toSeconds(), TimeUnit.SECONDS);
      loop.get(WAIT.toSeconds(), TimeUnit.SECONDS);
      assertThat(relayed.get()).as("relayed of those read").isEqualTo(system.stats().eventsIn());
      assertThat(relayed.get()).isPositive();
      for (EbsocketClient client : clients) {
        await().atMost(WAIT).until(() -> client.closeStatus().isPresent());
        CloseStatus status = client.closeStatus().orElseThrow();
        assertThat(status.reason()).isEqualTo(CloseReason.SERVER_SHUTDOWN);
        assertThat(status.retryAfter())
            .isBetween(Duration.ofSeconds(1), Duration.ofSeconds(2)); // base to twice it
      }
      assertThat(disconnectedAt).hasSize(CLIENTS);
      long first = disconnectedAt.values().stream().mapToLong(Long::longValue).min().orElseThrow();
      long last = disconnectedAt.values().stream().mapToLong(Long::longValue).max().orElseThrow();
      // 20 moments drawn over 2 s: closer than 1 s together with odds of about 1 in 25,000
      assertThat(Duration.ofNanos(last - first)).isGreaterThan(PERIOD.dividedBy(2));
      assertThat(Duration.ofNanos(last - closeBegan)).isLessThan(PERIOD.plusSeconds(2));
      assertThat(system.health().state()).isEqualTo(Health.State.CLOSED);
      assertThat(system.health().ok()).isFalse();
    } finally {
      system.close();
      clients.forEach(EbsocketClient::close);
    }
  }

  @Test
  void theLameDuckLastsItsPeriodEvenWithNoClientLeftSoTheBalancerSeesIt() throws Exception {
    EbsocketSystem system = new EbsocketSystem(EbsocketServer.builder()
        .listen(Listener.webSocket("127.0.0.1", 0, "/ebs").withHealthPath("/health"))
        .lameDuck(PERIOD).closeTimeout(Duration.ofMillis(300)).build());
    URI health = URI.create(system.server().uri(Door.WEB_SOCKET).toString()
        .replace("ws://", "http://").replace("/ebs", "/health"));
    try {
      long began = System.nanoTime();
      CompletableFuture<Void> closing = CompletableFuture.runAsync(system::close);
      await().atMost(WAIT).until(() -> system.health().state() == Health.State.LAME_DUCK);
      assertThat(get(health).statusCode()).isEqualTo(503);
      closing.get(WAIT.toSeconds(), TimeUnit.SECONDS);
      assertThat(Duration.ofNanos(System.nanoTime() - began)).isGreaterThanOrEqualTo(PERIOD);
    } finally {
      system.close();
    }
  }

  private HttpResponse<String> get(URI uri) throws Exception {
    return http.send(HttpRequest.newBuilder(uri).timeout(WAIT).build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
