package io.ebsockets.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ebsockets.ClientPumpResult;
import io.ebsockets.CloseReason;
import io.ebsockets.ConnectionChange;
import io.ebsockets.EbsocketClient;
import io.ebsockets.EbsocketConnection;
import io.ebsockets.EbsocketEvent;
import io.ebsockets.EbsocketServer;
import io.ebsockets.EbsocketSystem;
import io.ebsockets.PumpResult;
import io.ebsockets.ReconnectPolicy;
import io.ebsockets.Resumption;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Resumable sessions over real sockets, through a {@link CuttingProxy} that resets connections
 * at random moments: nothing lost, duplicated or reordered either way across a resume, and an
 * explicit outcome when a session cannot resume. Run for each door.
 */
public abstract class ResumeContractTest extends LoopbackTest {
  /** How many connections the long test cuts. */
  protected static final int CUTS = 1_000;

  private Resumption resumption = Resumption.defaults().withReplayBuffer(100_000, 64L << 20);

  @Override
  protected EbsocketServer newServer(EbsocketServer.Builder builder, int port) {
    return super.newServer(builder.resumption(resumption), port);
  }

  /** Replaces the test's server with one keeping sessions this way. */
  private void restartServerWith(Resumption policy) {
    system.close();
    resumption = policy;
    system = closeLater(new EbsocketSystem(newServer(EbsocketServer.builder())));
  }

  private CuttingProxy proxy() throws IOException {
    URI direct = uri(system);
    return closeLater(CuttingProxy.to(new InetSocketAddress("127.0.0.1", direct.getPort())));
  }

  private URI through(CuttingProxy proxy) {
    URI direct = uri(system);
    return URI.create(direct.toString().replace(":" + direct.getPort(), ":" + proxy.port()));
  }

  private EbsocketClient resumableClient(URI to) throws IOException {
    EbsocketClient client =
        newClient(
            EbsocketClient.builder()
                .reconnect(
                    ReconnectPolicy.builder()
                        .initialDelay(Duration.ofMillis(1))
                        .maxDelay(Duration.ofMillis(20))
                        .offlineBufferEvents(100_000)
                        .build())
                .resumable(true));
    client.connectTo(to);
    return client;
  }

  /** The server's side of a test: its pump on a thread, each client stream checked. */
  private static final class ServerSide implements AutoCloseable {
    final EbsocketSystem system;
    final List<EbsocketConnection> opened = new CopyOnWriteArrayList<>();
    final List<EbsocketConnection> closed = new CopyOnWriteArrayList<>();
    final List<String> errors = new CopyOnWriteArrayList<>();
    final List<EbsocketEvent> events = new CopyOnWriteArrayList<>();
    volatile long lastFromClient;
    volatile long sentToClient;
    final boolean answer;
    private volatile boolean stop;
    private final Thread thread;

    ServerSide(EbsocketSystem system, boolean answer) {
      this.system = system;
      this.answer = answer;
      this.thread = new Thread(this::run, "test-server-pump");
      thread.setDaemon(true);
      thread.start();
    }

    @SuppressWarnings("NonAtomicVolatileUpdate") // one writer: this thread
    private void run() {
      while (!stop && !system.isClosed()) {
        PumpResult r = system.pump(Duration.ofMillis(20));
        opened.addAll(r.newClients());
        for (EbsocketEvent e : r.newEvents()) {
          events.add(e);
          if (!"c".equals(e.type())) {
            continue;
          }
          long n = ((Number) e.data().get("n")).longValue();
          if (n != lastFromClient + 1) {
            errors.add("server got " + n + " after " + lastFromClient);
          }
          lastFromClient = n;
          if (answer) {
            sentToClient++;
            system.sendEventTo(
                e.source().orElseThrow(), new EbsocketEvent("s").with("n", sentToClient));
          }
        }
        closed.addAll(r.disconnectedClients());
      }
    }

    @Override
    public void close() {
      stop = true;
      try {
        thread.join(TimeUnit.SECONDS.toMillis(5));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  @Test
  void aThousandCutsWhileBothDirectionsAreBusyLoseNothingRepeatNothingReorderNothing()
      throws Exception {
    CuttingProxy proxy = proxy();
    EbsocketClient client = resumableClient(through(proxy));
    Map<ConnectionChange.Kind, Integer> changes = new EnumMap<>(ConnectionChange.Kind.class);
    List<String> clientErrors = new ArrayList<>();
    long sent = 0;
    long got = 0;
    try (ServerSide server = new ServerSide(system, true)) {
      proxy.arm(1, 24_000);
      while (proxy.cuts() < CUTS) {
        if (sent - got < 200) {
          client.sendEvent(new EbsocketEvent("c").with("n", ++sent).with("pad", "x".repeat(40)));
        }
        got = take(client.pump(sent - got < 200 ? Duration.ZERO : Duration.ofMillis(5)), got,
            changes, clientErrors);
      }
      proxy.disarm();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while ((got < sent || server.lastFromClient < sent) && System.nanoTime() < deadline) {
        got = take(client.pump(Duration.ofMillis(20)), got, changes, clientErrors);
      }
      assertThat(clientErrors).as("server to client").isEmpty();
      assertThat(server.errors).as("client to server").isEmpty();
      assertThat(server.lastFromClient).as("client's events the server got").isEqualTo(sent);
      assertThat(got).as("server's events the client got").isEqualTo(sent);
      assertThat(server.opened).as("one client, resumed, never a new one").hasSize(1);
      assertThat(server.closed).as("no disconnect reported").isEmpty();
      assertThat(changes).doesNotContainKeys(
          ConnectionChange.Kind.SESSION_EXPIRED, ConnectionChange.Kind.SESSION_UNKNOWN,
          ConnectionChange.Kind.RECONNECTED);
      assertThat(changes.getOrDefault(ConnectionChange.Kind.RESUMED, 0)).isPositive();
      assertThat(server.opened.get(0).resumes())
          .isGreaterThanOrEqualTo(changes.get(ConnectionChange.Kind.RESUMED));
      assertThat(proxy.cuts()).isGreaterThanOrEqualTo(CUTS);
    }
  }

  /** Checks the server's stream in one pump's events; returns the last number received. */
  private static long take(ClientPumpResult r, long last, Map<ConnectionChange.Kind, Integer> changes,
      List<String> errors) {
    long got = last;
    for (EbsocketEvent e : r.events()) {
      long n = ((Number) e.data().get("n")).longValue();
      if (n != got + 1) {
        errors.add("client got " + n + " after " + got);
      }
      got = n;
    }
    for (ConnectionChange c : r.connectionChanges()) {
      changes.merge(c.kind(), 1, Integer::sum);
    }
    return got;
  }

  /** Pumps the client until a change of that kind comes; returns it. */
  private static ConnectionChange awaitChange(EbsocketClient client, ConnectionChange.Kind kind,
      List<EbsocketEvent> events) {
    List<ConnectionChange> seen = new ArrayList<>();
    await().atMost(WAIT).until(() -> {
      ClientPumpResult r = client.pump(Duration.ofMillis(20));
      events.addAll(r.events());
      seen.addAll(r.connectionChanges());
      return seen.stream().anyMatch(c -> c.kind() == kind);
    });
    return seen.stream().filter(c -> c.kind() == kind).findFirst().orElseThrow();
  }

  @Test
  void aReplayBufferThatOverflowsExpiresTheSessionAndSaysSoOnBothSides() throws Exception {
    restartServerWith(Resumption.defaults().withReplayBuffer(10, 1L << 20));
    CuttingProxy proxy = proxy();
    EbsocketClient client = resumableClient(through(proxy));
    try (ServerSide server = new ServerSide(system, false)) {
      await().atMost(WAIT).until(() -> server.opened.size() == 1);
      EbsocketConnection connection = server.opened.get(0);
      proxy.cutNow(true);
      client.sendEvent(new EbsocketEvent("c").with("n", 1)); // held: the server never sees it
      for (int i = 1; i <= 11; i++) {
        system.sendEventTo(connection, new EbsocketEvent("s").with("n", i));
      }
      await().atMost(WAIT).until(() -> server.closed.contains(connection));
      // Over its bounds before or after the server saw the cut: expired either way.
      assertThat(connection.closeStatus().orElseThrow().message())
          .contains("session expired").contains("replay buffer over its bounds");
      proxy.admit();
      ConnectionChange expired =
          awaitChange(client, ConnectionChange.Kind.SESSION_EXPIRED, new ArrayList<>());
      assertThat(expired.unacknowledged())
          .containsExactly(new EbsocketEvent("c").with("n", 1));
      await().atMost(WAIT).until(() -> server.opened.size() == 2);
      assertThat(server.events).isEmpty(); // handed back, not sent again blindly
    }
  }

  @Test
  void aSessionNotResumedWithinItsWindowExpires() throws Exception {
    restartServerWith(Resumption.defaults().withWindow(Duration.ofMillis(300)));
    CuttingProxy proxy = proxy();
    EbsocketClient client = resumableClient(through(proxy));
    try (ServerSide server = new ServerSide(system, false)) {
      await().atMost(WAIT).until(() -> server.opened.size() == 1);
      EbsocketConnection connection = server.opened.get(0);
      proxy.cutNow(true);
      await().atMost(WAIT).until(() -> server.closed.contains(connection));
      assertThat(connection.closeStatus().orElseThrow().reason()).isEqualTo(CloseReason.IO_ERROR);
      assertThat(connection.closeStatus().orElseThrow().message())
          .contains("session expired: not resumed within");
      proxy.admit();
      awaitChange(client, ConnectionChange.Kind.SESSION_EXPIRED, new ArrayList<>());
      await().atMost(WAIT).until(() -> server.opened.size() == 2);
    }
  }

  @Test
  void aServerRestartIsAnUnknownSessionAndHandsBackWhatWasNotAcknowledged() throws Exception {
    int port = uri(system).getPort();
    EbsocketClient client = resumableClient(uri(system));
    recorder.nextClient();
    system.close();
    system = closeLater(new EbsocketSystem(newServer(EbsocketServer.builder(), port)));
    client.sendEvent(new EbsocketEvent("c").with("n", 1));
    ConnectionChange unknown =
        awaitChange(client, ConnectionChange.Kind.SESSION_UNKNOWN, new ArrayList<>());
    // Sent while offline or in flight: the new server may never have seen it; not resent.
    assertThat(unknown.unacknowledged()).containsExactly(new EbsocketEvent("c").with("n", 1));
    client.sendEvent(new EbsocketEvent("c").with("n", 2));
    PumpRecorder fresh = new PumpRecorder(system);
    fresh.nextClient();
    assertThat(fresh.nextEvent()).isEqualTo(new EbsocketEvent("c").with("n", 2));
  }

  @Test
  void requestsPendingInBothDirectionsSurviveAResume() throws Exception {
    CuttingProxy proxy = proxy();
    EbsocketClient client = resumableClient(through(proxy));
    EbsocketConnection connection = recorder.nextClient();

    CompletableFuture<EbsocketEvent> fromClient =
        client.request(new EbsocketEvent("time"), Duration.ofSeconds(20));
    EbsocketEvent request = recorder.nextEvent();
    CompletableFuture<EbsocketEvent> fromServer =
        system.request(connection, new EbsocketEvent("name"), Duration.ofSeconds(20));
    EbsocketEvent serverRequest =
        client.recvEvent(WAIT).orElseThrow(() -> new AssertionError("no request"));

    proxy.cutNow(true);
    system.reply(request, new EbsocketEvent("time").with("millis", 42));
    client.reply(serverRequest, new EbsocketEvent("name").with("is", "ada"));
    proxy.admit();

    assertThat(fromClient.get(WAIT.toMillis(), TimeUnit.MILLISECONDS).data())
        .containsEntry("millis", 42);
    assertThat(fromServer.get(WAIT.toMillis(), TimeUnit.MILLISECONDS).data())
        .containsEntry("is", "ada");
    awaitChange(client, ConnectionChange.Kind.RESUMED, new ArrayList<>());
    assertThat(connection.resumes()).isEqualTo(1);
    assertThat(connection.isOpen()).isTrue();
  }
}
