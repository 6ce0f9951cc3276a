package io.ebsockets.netty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ebsockets.CloseReason;
import io.ebsockets.EbsocketClient;
import io.ebsockets.EbsocketServer;
import io.ebsockets.EbsocketSystem;
import io.ebsockets.testsupport.NumberedChat;
import io.ebsockets.testsupport.SeedRelay;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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
    CompletableFuture<Void> relay = CompletableFuture.runAsync(() -> SeedRelay.run(system, relayed));
    List<EbsocketClient> clients = new ArrayList<>();
    try {
      for (int i = 0; i < CLIENTS; i++) {
        EbsocketClient client = new EbsocketClient();
        client.connectTo(system.server().address());
        clients.add(client);
      }
      await().atMost(WAIT).until(() -> system.clients().size() == CLIENTS);
      NumberedChat chat = NumberedChat.start(clients, MESSAGES, WAIT);
      await().atMost(WAIT).until(() -> relayed.get() >= 200);

      CompletableFuture.runAsync(system::close).get(WAIT.toSeconds(), TimeUnit.SECONDS);
      relay.get(WAIT.toSeconds(), TimeUnit.SECONDS);
      long read = system.stats().eventsIn();
      assertThat(relayed.get()).as("relayed of the %d read", read).isEqualTo(read);
      chat.assertEveryClientReceived((int) read, CloseReason.SERVER_SHUTDOWN);
    } finally {
      system.close();
      clients.forEach(EbsocketClient::close);
    }
  }
}
