package io.ebsockets.netty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ebsockets.ClientPumpResult;
import io.ebsockets.CloseReason;
import io.ebsockets.CloseStatus;
import io.ebsockets.EbsocketClient;
import io.ebsockets.EbsocketEvent;
import io.ebsockets.EbsocketServer;
import io.ebsockets.EbsocketSystem;
import io.ebsockets.PumpResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Shutdown drains: everything the server had read before {@code close()} is still pumped and
 * relayed by a loop written like the seed's, and reaches every client before {@code
 * server_shutdown}. The seed's case: 20 clients, one of them sending 2,000 numbered messages,
 * the close arriving (as from a signal hook, on another thread) while it sends.
 */
class DrainingShutdownTest {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final int CLIENTS = 20;
  private static final int MESSAGES = 2000;

  @Test
  void everyEventReadBeforeTheCloseReachesEveryClientThenServerShutdown() throws Exception {
    EbsocketSystem system =
        new EbsocketSystem(
            EbsocketServer.builder()
                .host("127.0.0.1")
                .port(0)
                .shutdownTimeout(Duration.ofSeconds(20))
                .build());
    AtomicInteger relayed = new AtomicInteger();
    CompletableFuture<Void> relay = CompletableFuture.runAsync(() -> seedLoop(system, relayed));
    List<EbsocketClient> clients = new ArrayList<>();
    List<CompletableFuture<Received>> received = new ArrayList<>();
    try {
      for (int i = 0; i < CLIENTS; i++) {
        EbsocketClient client = new EbsocketClient();
        client.connectTo(system.server().address());
        clients.add(client);
      }
      await().atMost(WAIT).until(() -> system.clients().size() == CLIENTS);
      for (EbsocketClient client : clients) {
        received.add(CompletableFuture.supplyAsync(() -> receiveUntilEnd(client)));
      }
      EbsocketClient sender = clients.get(0);
      CompletableFuture<Void> sending =
          CompletableFuture.runAsync(
              () -> {
                for (int n = 0; n < MESSAGES && sender.isConnected(); n++) {
                  try {
                    sender.sendEvent(new EbsocketEvent("message").with("content", n));
                  } catch (IllegalStateException ended) {
                    return; // the server shut down under it
                  }
                }
              });
      await().atMost(WAIT).until(() -> relayed.get() >= 200);

      CompletableFuture.runAsync(system::close).get(WAIT.toSeconds(), TimeUnit.SECONDS);
      relay.get(WAIT.toSeconds(), TimeUnit.SECONDS);
      sending.get(WAIT.toSeconds(), TimeUnit.SECONDS);

      long read = system.stats().eventsIn();
      assertThat(relayed.get()).as("relayed of the %d read", read).isEqualTo(read);
      for (CompletableFuture<Received> future : received) {
        Received r = future.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertThat(r.contents()).as("what one client received").hasSize((int) read);
        for (int n = 0; n < read; n++) {
          assertThat(r.contents().get(n)).isEqualTo(n);
        }
        assertThat(r.end()).map(CloseStatus::reason).contains(CloseReason.SERVER_SHUTDOWN);
      }
    } finally {
      system.close();
      clients.forEach(EbsocketClient::close);
    }
  }

  /** The seed's relay loop, word for word but for the counter. */
  private static void seedLoop(EbsocketSystem system, AtomicInteger relayed) {
    while (!system.isClosed()) {
      PumpResult result = system.pump();
      for (EbsocketEvent event : result.newEvents()) {
        if (event.compareType("message")) {
          Object content = event.getAttribute("content");
          system.sendEventToClients(new EbsocketEvent("message").with("content", content));
          relayed.incrementAndGet();
        }
      }
    }
  }

  private record Received(List<Object> contents, Optional<CloseStatus> end) {}

  private static Received receiveUntilEnd(EbsocketClient client) {
    List<Object> contents = new ArrayList<>();
    while (true) {
      ClientPumpResult result = client.pump(WAIT);
      for (EbsocketEvent event : result.events()) {
        contents.add(event.getAttribute("content"));
      }
      if (!result.connected()) {
        return new Received(contents, result.closeStatus());
      }
    }
  }
}
