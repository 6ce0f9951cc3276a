package io.ebsockets.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ebsockets.CloseReason;
import io.ebsockets.EbsocketClient;
import io.ebsockets.testsupport.NumberedChat;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The seed's relay in a process of its own, stopped by SIGTERM while a client sends 2,000
 * numbered messages to 20 clients: its shutdown hook ({@code closeOnJvmShutdown}) drains, so
 * every message the relay had pumped (it prints each) reaches every client, then {@code
 * server_shutdown}.
 */
class RelayServerSigtermTest {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final Pattern HOSTING = Pattern.compile("Server hosting on : (.+):(\\d+)");

  @Test
  void sigtermRelaysEverythingAlreadyReadThenSaysServerShutdown() throws Exception {
    Process relay =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                RelayServer.class.getName(),
                "--host",
                "127.0.0.1",
                "--port",
                "0")
            .redirectErrorStream(true)
            .start();
    List<EbsocketClient> clients = new ArrayList<>();
    try {
      BufferedReader out =
          new BufferedReader(new InputStreamReader(relay.getInputStream(), StandardCharsets.UTF_8));
      int port = hostingPort(out);
      AtomicInteger printedEvents = new AtomicInteger();
      CompletableFuture<Void> reading =
          CompletableFuture.runAsync(() -> countEvents(out, printedEvents));
      for (int i = 0; i < 20; i++) {
        EbsocketClient client = new EbsocketClient();
        client.connectTo("127.0.0.1", port);
        clients.add(client);
      }
      NumberedChat chat = NumberedChat.start(clients, 2000, WAIT);
      await().atMost(WAIT).until(() -> printedEvents.get() >= 200);

      relay.toHandle().destroy(); // SIGTERM (Process.destroy would also close its output)
      assertThat(relay.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
      reading.get(WAIT.toSeconds(), TimeUnit.SECONDS);

      // Every message the relay pumped (it prints each) reached every client, then the reason.
      chat.assertEveryClientReceived(printedEvents.get(), CloseReason.SERVER_SHUTDOWN);
    } finally {
      relay.destroyForcibly();
      clients.forEach(EbsocketClient::close);
    }
  }

  private static int hostingPort(BufferedReader out) throws Exception {
    String line;
    while ((line = out.readLine()) != null) {
      Matcher m = HOSTING.matcher(line);
      if (m.find()) {
        return Integer.parseInt(m.group(2));
      }
    }
    throw new AssertionError("the relay ended without saying where it hosts");
  }

  private static void countEvents(BufferedReader out, AtomicInteger events) {
    try {
      String line;
      while ((line = out.readLine()) != null) {
        if (line.startsWith("New event: ")) {
          events.incrementAndGet();
        }
      }
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
