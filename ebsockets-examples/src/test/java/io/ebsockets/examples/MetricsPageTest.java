package io.ebsockets.examples;

import static io.ebsockets.examples.ChatLines.next;
import static io.ebsockets.examples.ChatLines.say;
import static io.ebsockets.examples.ChatLines.until;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ebsockets.EbsocketClient;
import io.ebsockets.EbsocketServer;
import io.ebsockets.EbsocketSystem;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The chat server's Prometheus page, scraped after a scripted chat: exact counts. */
class MetricsPageTest {
  private static final Duration WAIT = Duration.ofSeconds(10);

  private final ExecutorService pool = Executors.newSingleThreadExecutor();
  private final HttpClient http = HttpClient.newHttpClient();
  private EbsocketSystem system;
  private MetricsPage page;
  private Future<?> server;

  @BeforeEach
  void start() throws Exception {
    system = new EbsocketSystem(
        RoomsChatServer.defaults(EbsocketServer.builder().host("127.0.0.1").port(0)).build());
    page = MetricsPage.serve(system, "127.0.0.1", 0);
    PrintStream log = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
    server = pool.submit(() -> RoomsChatServer.run(system, log));
  }

  @AfterEach
  void stop() throws Exception {
    page.close();
    system.close();
    server.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    pool.shutdownNow();
  }

  private String scrape() throws Exception {
    HttpResponse<String> response = http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + page.port() + "/metrics")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
        type -> assertThat(type).startsWith("text/plain"));
    return response.body();
  }

  @Test
  void aScrapeAfterAChatShowsExactCounts() throws Exception {
    EbsocketClient bob = new EbsocketClient();
    try (EbsocketClient ada = new EbsocketClient()) {
      ada.connectTo(system.server().address());
      bob.connectTo(system.server().address());
      next(ada);
      next(bob);
      say(ada, "hello from ada");
      until(bob, "hello from ada");
      say(bob, "hello from bob");
      until(ada, "hello from bob");
      bob.close(); // client_closed
      await().atMost(WAIT).until(() -> system.stats().connections() == 1);

      await().atMost(WAIT).untilAsserted(() -> assertThat(scrape())
          .contains("ebsockets_connections{door=\"tcp\"} 1.0\n")
          .contains("ebsockets_connections{door=\"websocket\"} 0.0\n")
          .contains("ebsockets_connections_accepted_total 2.0\n")
          .contains("ebsockets_connections_closed_total{reason=\"client_closed\"} 1.0\n")
          .contains("ebsockets_connections_closed_total{reason=\"kicked\"} 0.0\n")
          .contains("ebsockets_events_in_total 2.0\n")
          .contains("ebsockets_protocol_errors_total 0.0\n")
          .contains("ebsockets_inbox_events 0.0\n")
          .doesNotContain("ebsockets_cluster_"));
    }
  }
}
