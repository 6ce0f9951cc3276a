package io.ebsockets.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.ebsockets.EbsocketServer;
import io.ebsockets.EbsocketSystem;
import io.netty.pkitesting.CertificateBuilder;
import io.netty.pkitesting.X509Bundle;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.PipedReader;
import java.io.PipedWriter;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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
    int port = system.server().address().getPort();
    String screen = chat(Args.parse(), port, "hello relay");

    assertThat(screen)
        .contains("Connecting to 127.0.0.1:" + port)
        .contains("\rhello relay\nsend event >>> ") // over the prompt, which comes back after it
        .contains("Disconnected: client_closed");
    assertThat(screen.split("hello relay", -1)).as("printed once").hasSize(2);
    await().atMost(WAIT).until(() -> serverOutput().contains("(client_closed)"));
    assertThat(serverOutput()).contains("New event: EbsocketEvent<message>{content=hello relay}");
  }

  @Test
  void chatClientWithTlsTalksToARelayServerWithTls(@TempDir Path dir) throws Exception {
    X509Bundle ca =
        new CertificateBuilder().subject("CN=test CA").setIsCertificateAuthority(true).ecp256()
            .buildSelfSigned();
    X509Bundle server =
        new CertificateBuilder().subject("CN=localhost").addSanIpAddress("127.0.0.1").ecp256()
            .addExtendedKeyUsageServerAuth().buildIssuedBy(ca);
    Path chain = Files.writeString(dir.resolve("chain.pem"), server.getCertificatePathPEM());
    Path key = Files.writeString(dir.resolve("key.pem"), server.getPrivateKeyPEM());
    Path trust = Files.writeString(dir.resolve("ca.pem"), ca.getCertificatePEM());
    EbsocketSystem tlsSystem =
        Args.parse("--host", "127.0.0.1", "--port", "0", "--tls-cert", chain.toString(),
            "--tls-key", key.toString()).serverSystem();
    Future<?> tlsRelay = threads.submit(() -> RelayServer.run(tlsSystem, System.out));
    int port = tlsSystem.server().address().getPort();
    try {
      String screen = chat(Args.parse("--tls-trust", trust.toString(), "--reconnect"), port,
          "hello over TLS");
      assertThat(screen).contains("\rhello over TLS\n").contains("Disconnected: client_closed");
      assertThatThrownBy(() -> chat(Args.parse(), port, "plain"))
          .hasRootCauseInstanceOf(java.io.IOException.class)
          .rootCause()
          .hasMessageContaining("tls_required");
    } finally {
      tlsSystem.close();
      tlsRelay.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  @Test
  void requestReplyDemoAsksAndAnswersBothWays() throws Exception {
    String printed = printedBy(RequestReplyDemo::run);
    assertThat(printed)
        .containsPattern("client: the server's clock says \\d{13}")
        .contains("server: the client says its name is alice");
  }

  @Test
  void reconnectDemoDeliversWhatWasHeldAfterTheRestartInOrder() throws Exception {
    String printed = printedBy(ReconnectDemo::run);
    assertThat(printed)
        .contains("client: lost the server (server_shutdown")
        .contains("client: reconnected after")
        .containsSubsequence("got: held 1", "got: held 2", "got: held 3");
  }

  @Test
  void resumeDemoLosesNothingAcrossTheCutAndTheServerSeesNoDisconnect() throws Exception {
    String printed = printedBy(ResumeDemo::run);
    assertThat(printed)
        .contains("client: DISCONNECTED (io_error")
        .contains("client: RESUMED after")
        .contains("server got [1, 2, 3, 4, 5, 6]; clients seen: 1, disconnects: 0, resumes: 1")
        .contains("client got [echo 1, echo 2, echo 3, news 1, echo 4, echo 5, echo 6]");
  }

  @Test
  void tlsEchoEchoesOverTls(@TempDir Path dir) throws Exception {
    // Like `openssl req -x509`: self-signed, so it is its own CA, trusted as it is.
    X509Bundle self =
        new CertificateBuilder().subject("CN=localhost").addSanIpAddress("127.0.0.1").ecp256()
            .setIsCertificateAuthority(true).addExtendedKeyUsageServerAuth().buildSelfSigned();
    Path cert = Files.writeString(dir.resolve("cert.pem"), self.getCertificatePEM());
    Path key = Files.writeString(dir.resolve("key.pem"), self.getPrivateKeyPEM());

    String printed = printedBy(out -> TlsEcho.run(cert, key, cert, out));
    assertThat(printed).contains("echoed over TLS: EbsocketEvent<message>{content=hello over TLS}");
  }

  /** Something that prints. */
  private interface Printer {
    void run(PrintStream out) throws Exception;
  }

  private static String printedBy(Printer printer) throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    printer.run(new PrintStream(bytes, true, StandardCharsets.UTF_8));
    return bytes.toString(StandardCharsets.UTF_8);
  }

  /** Runs ChatClient with these options, types one line, waits for it to come back, ends input. */
  private String chat(Args options, int port, String line) throws Exception {
    PipedWriter keyboard = new PipedWriter();
    BufferedReader typed = new BufferedReader(new PipedReader(keyboard));
    ByteArrayOutputStream screen = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(screen, true, StandardCharsets.UTF_8);
    Future<?> client = threads.submit(() -> {
      ChatClient.run(options.clientBuilder(), "127.0.0.1", port, List.of(), typed, out, false);
      return null;
    });
    try (PrintWriter typing = new PrintWriter(keyboard, true)) {
      typing.println(line);
      await().atMost(WAIT).until(() -> client.isDone() || screen.toString(StandardCharsets.UTF_8)
          .contains("\r" + line + "\n"));
    } // end of input closes the client
    client.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    return screen.toString(StandardCharsets.UTF_8);
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
