package io.ebsockets.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ebsockets.EbsocketServer;
import io.ebsockets.EbsocketSystem;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.PipedReader;
import java.io.PipedWriter;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The examples, driven end to end over loopback. */
class ExamplesTest {
  private static final Duration WAIT = Duration.ofSeconds(20);

  private final ByteArrayOutputStream serverBytes = new ByteArrayOutputStream();
  private final ExecutorService threads = Executors.newCachedThreadPool();
  private EbsocketSystem system;
  private Future<?> relay;

  @BeforeEach
  void startRelay() {
    system = new EbsocketSystem(new EbsocketServer("127.0.0.1", 0));
    PrintStream out = new PrintStream(serverBytes, true, StandardCharsets.UTF_8);
    relay = threads.submit(() -> RelayServer.run(system, out));
  }

  @AfterEach
  void stop() throws Exception {
    system.close();
    relay.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    threads.shutdownNow();
  }

  private String serverOutput() {
    synchronized (serverBytes) {
      return serverBytes.toString(StandardCharsets.UTF_8);
    }
  }

  @Test
  void chatDemoPrintsTheConversationEveryClientHeard() throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    List<String> heard = ChatDemo.run(new PrintStream(bytes, true, StandardCharsets.UTF_8));

    assertThat(heard).hasSize(4).first().isEqualTo("alice: hi all, the relay works");
    String printed = bytes.toString(StandardCharsets.UTF_8);
    assertThat(printed)
        .contains("bob hears < alice: hi all, the relay works")
        .contains("carol hears < bob: hello alice! 👋")
        .contains("[server] Client disconnected");
  }

  @Test
  void chatClientSendsTypedLinesAndPrintsWhatTheRelaySendsBack() throws Exception {
    PipedWriter keyboard = new PipedWriter();
    BufferedReader typed = new BufferedReader(new PipedReader(keyboard));
    ByteArrayOutputStream screen = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(screen, true, StandardCharsets.UTF_8);
    int port = system.server().address().getPort();
    Future<?> client = threads.submit(() -> {
      ChatClient.run("127.0.0.1", port, typed, out);
      return null;
    });

    PrintWriter typing = new PrintWriter(keyboard, true);
    typing.println("hello relay");
    await().atMost(WAIT).until(() -> screen.toString(StandardCharsets.UTF_8).contains(
        "Received: EbsocketEvent<message>{content=hello relay}"));
    keyboard.close(); // end of input closes the client
    client.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);

    assertThat(screen.toString(StandardCharsets.UTF_8))
        .contains("Connecting to 127.0.0.1:" + port)
        .contains("\nhello relay\n")
        .contains("Disconnected: client_closed");
    await().atMost(WAIT).until(() -> serverOutput().contains("(client_closed)"));
    assertThat(serverOutput()).contains("New event: EbsocketEvent<message>{content=hello relay}");
  }

  @Test
  void periodicClientsEventsReachTheServerButAreNotRelayed() throws Exception {
    ByteArrayOutputStream screen = new ByteArrayOutputStream();
    PeriodicClient.run(
        "127.0.0.1",
        system.server().address().getPort(),
        Duration.ofMillis(50),
        2,
        new PrintStream(screen, true, StandardCharsets.UTF_8));

    await().atMost(WAIT).until(() -> serverOutput().contains("(client_closed)"));
    assertThat(serverOutput())
        .contains("New event: EbsocketEvent<periodic>{content=periodic send 1}")
        .contains("New event: EbsocketEvent<periodic>{content=periodic send 2}");
    assertThat(screen.toString(StandardCharsets.UTF_8)).doesNotContain("Received:");
  }
}
