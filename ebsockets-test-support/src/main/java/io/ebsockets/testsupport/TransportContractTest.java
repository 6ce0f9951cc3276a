package io.ebsockets.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.ebsockets.*;
import io.ebsockets.spi.TransportProvider;
import io.ebsockets.testsupport.PumpRecorder;
import io.ebsockets.testsupport.WireClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every transport must do for the facades, over real loopback sockets. A transport module
 * runs it by extending this class and naming its provider.
 */
public abstract class TransportContractTest extends LoopbackTest {

  // ------------------------------------------------------------------------------- the seed

  @Test
  void relayScenarioWithThreeClientsDeliversEveryMessageToEveryone() throws Exception {
    Thread relay = new Thread(this::relayUntilClosed, "relay");
    relay.start();
    List<EbsocketClient> clients = List.of(connectedClient(), connectedClient(), connectedClient());

    for (int i = 0; i < clients.size(); i++) {
      clients.get(i).sendEvent(message("hello from " + i));
      for (EbsocketClient client : clients) {
        assertThat(receive(client)).isEqualTo(message("hello from " + i));
      }
    }
    clients.get(0).sendEvent(new EbsocketEvent("periodic").with("content", "not relayed"));
    clients.get(0).sendEvent(message("last"));
    for (EbsocketClient client : clients) {
      assertThat(receive(client)).isEqualTo(message("last"));
    }

    system.close();
    relay.join(WAIT.toMillis());
    assertThat(relay.isAlive()).isFalse();
  }

  private void relayUntilClosed() {
    while (!system.isClosed()) {
      for (EbsocketEvent event : system.pump().newEvents()) {
        if (event.compareType("message")) {
          system.sendEventToClients(message(event.getAttribute("content")));
        }
      }
    }
  }

  // ---------------------------------------------------------------------------- pump results

  @Test
  void connectToReturnsOnlyOnceTheServerKnowsTheClient() {
    for (int i = 1; i <= 5; i++) {
      connectedClient();
      // No waiting: a broadcast right after connectTo must reach every client.
      assertThat(system.clients()).hasSize(i);
    }
  }

  @Test
  void aClientThatConnectsSendsAndLeavesBetweenPumpsAppearsInAllThreeLists() {
    EbsocketClient client = connectedClient();
    client.sendEvent(message("hi"));
    client.close();
    // Wait without pumping until the transport has reported the end.
    await().atMost(WAIT).until(() -> system.clients().isEmpty());

    PumpResult result = system.pump(Duration.ZERO);

    assertThat(result.newClients()).hasSize(1);
    assertThat(result.newEvents()).containsExactly(message("hi"));
    assertThat(result.disconnectedClients()).containsExactlyElementsOf(result.newClients());
    assertThat(result.newEvents().get(0).source()).contains(result.newClients().get(0));
    assertThat(result.disconnectedClients().get(0).closeStatus())
        .contains(new CloseStatus(CloseReason.CLIENT_CLOSED, ""));
  }

  @Test
  void receivedEventsKnowTheirSourceAndLocalEventsDoNot() {
    EbsocketClient first = connectedClient();
    EbsocketConnection firstConnection = recorder.nextClient();
    EbsocketClient second = connectedClient();
    EbsocketConnection secondConnection = recorder.nextClient();

    first.sendEvent(message(1));
    assertThat(recorder.nextEvent().source()).contains(firstConnection);
    second.sendEvent(message(2));
    assertThat(recorder.nextEvent().source()).contains(secondConnection);
    assertThat(firstConnection.id()).isNotEqualTo(secondConnection.id());
    assertThat(firstConnection.remoteAddress().getAddress().isLoopbackAddress()).isTrue();

    system.sendEventTo(firstConnection, message("back"));
    assertThat(receive(first).source()).isEmpty();
    recorder.assertEmpty();
  }

  @Test
  void pumpWithATimeoutReturnsAnEmptyResultOnceTheTimeoutHasPassed() {
    long start = System.nanoTime();
    PumpResult result = system.pump(Duration.ofMillis(200));
    long elapsed = System.nanoTime() - start;

    assertThat(result.isEmpty()).isTrue();
    assertThat(elapsed).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(200));
    assertThat(system.pump(Duration.ZERO).isEmpty()).isTrue();
  }

  @Test
  void interruptedPumpReturnsAnEmptyResultAndKeepsTheInterruptFlag() {
    Thread.currentThread().interrupt();
    PumpResult result = system.pump();

    assertThat(Thread.interrupted()).isTrue();
    assertThat(result.isEmpty()).isTrue();
  }

  @Test
  void pumpWakesUpForAnEventSentWhileItWaits() throws Exception {
    EbsocketClient client = connectedClient();
    recorder.nextClient();
    PumpThread<PumpResult> pumping = new PumpThread<>(system::pump);
    try {
      Future<PumpResult> waiting = pumping.start();
      pumping.awaitParked(); // the send below must wake it: it is already asleep
      client.sendEvent(message("wake up"));
      assertThat(waiting.get(WAIT.toMillis(), TimeUnit.MILLISECONDS).newEvents())
          .containsExactly(message("wake up"));
    } finally {
      pumping.stop();
    }
  }

  @Test
  void aTimedPumpKeepsItsTimeoutWhileAnotherThreadPumps() throws Exception {
    PumpThread<PumpResult> other = new PumpThread<>(system::pump);
    try {
      Future<PumpResult> waiting = other.start();
      other.awaitParked();

      // Returns empty once its own timeout has passed, though the other pump holds the loop.
      CompletableFuture<PumpResult> timed =
          CompletableFuture.supplyAsync(() -> system.pump(Duration.ofMillis(50)));
      assertThat(timed).succeedsWithin(WAIT);
      assertThat(timed.get().isEmpty()).isTrue();
      assertThat(system.pump(Duration.ZERO).isEmpty()).isTrue();

      EbsocketClient client = connectedClient();
      assertThat(waiting.get(WAIT.toMillis(), TimeUnit.MILLISECONDS).newClients()).hasSize(1);
      client.close();
    } finally {
      other.stop();
    }
  }

  @Test
  void clientPumpReturnsAtOnceWhileAnotherThreadWaitsInRecvEvent() throws Exception {
    EbsocketClient client = connectedClient();
    recorder.nextClient();
    PumpThread<Optional<EbsocketEvent>> receiver =
        new PumpThread<>(() -> client.recvEvent(WAIT.multipliedBy(2)));
    try {
      Future<Optional<EbsocketEvent>> received = receiver.start();
      receiver.awaitParked();

      CompletableFuture<ClientPumpResult> pumped = CompletableFuture.supplyAsync(client::pump);
      assertThat(pumped).succeedsWithin(WAIT);
      assertThat(pumped.get().events()).isEmpty();
      assertThat(pumped.get().connected()).isTrue();

      system.sendEventToClients(message("for the receiver"));
      assertThat(received.get(WAIT.toMillis(), TimeUnit.MILLISECONDS))
          .contains(message("for the receiver"));
    } finally {
      receiver.stop();
    }
  }

  @Test
  void anIdlePumpParksInsteadOfSpinning() {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    long cpuBefore = threads.getCurrentThreadCpuTime();
    system.pump(Duration.ofMillis(500));
    long cpuUsed = threads.getCurrentThreadCpuTime() - cpuBefore;

    // A spinning wait would burn close to the full 500 ms of CPU.
    assertThat(cpuUsed).isLessThan(TimeUnit.MILLISECONDS.toNanos(100));
  }

  // ----------------------------------------------------------------------------- order, load

  @Test
  void tenThousandEventsPerClientArriveInOrder() {
    int perClient = 10_000;
    List<EbsocketClient> clients = List.of(connectedClient(), connectedClient(), connectedClient());
    for (int n = 0; n < perClient; n++) {
      for (int c = 0; c < clients.size(); c++) {
        clients.get(c).sendEvent(new EbsocketEvent("seq").with("client", c).with("n", n));
      }
    }

    Map<Integer, Integer> next = new HashMap<>();
    Map<Integer, EbsocketConnection> sources = new HashMap<>();
    for (int i = 0; i < perClient * clients.size(); i++) {
      EbsocketEvent event = recorder.nextEvent();
      int client = event.getInt("client");
      assertThat(event.getInt("n")).isEqualTo(next.getOrDefault(client, 0));
      next.put(client, event.getInt("n") + 1);
      EbsocketConnection source = event.source().orElseThrow();
      assertThat(sources.computeIfAbsent(client, c -> source)).isSameAs(source);
    }
    assertThat(next).containsOnlyKeys(0, 1, 2).allSatisfy((c, n) -> assertThat(n).isEqualTo(perClient));

    EbsocketConnection target = sources.get(0);
    for (int n = 0; n < perClient; n++) {
      assertThat(system.sendEventTo(target, new EbsocketEvent("seq").with("n", n))).isTrue();
    }
    for (int n = 0; n < perClient; n++) {
      assertThat(receive(clients.get(0)).getInt("n")).isEqualTo(n);
    }
  }

  /** Sends to one client and broadcasts to all, interleaved, reach each client in send order. */
  @Test
  void sendsToOneAndBroadcastsInterleavedArriveInTheOrderSent() {
    EbsocketClient first = connectedClient();
    EbsocketConnection firstOnServer = recorder.nextClient();
    EbsocketClient second = connectedClient();
    recorder.nextClient();
    int events = 4_000;
    for (int n = 0; n < events; n++) {
      EbsocketEvent event = new EbsocketEvent("seq").with("n", n);
      if (n % 3 == 0) {
        assertThat(system.sendEventTo(firstOnServer, event)).isTrue();
      } else {
        assertThat(system.sendEventToClients(event)).isEqualTo(2);
      }
    }
    for (int n = 0; n < events; n++) {
      assertThat(receive(first).getInt("n")).isEqualTo(n);
      if (n % 3 != 0) {
        assertThat(receive(second).getInt("n")).isEqualTo(n);
      }
    }
  }

  @Test
  void sendsFromSeveralThreadsAtOnceArriveCompleteAndInOrderPerThread() throws Exception {
    EbsocketClient client = connectedClient();
    EbsocketConnection connection = recorder.nextClient();
    int threads = 4;
    int perThread = 2_500;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<?>> sending = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int thread = t;
        sending.add(
            pool.submit(
                () -> {
                  start.await();
                  for (int n = 0; n < perThread; n++) {
                    EbsocketEvent event = new EbsocketEvent("seq").with("t", thread).with("n", n);
                    system.sendEventTo(connection, event);
                    client.sendEvent(event);
                  }
                  return null;
                }));
      }
      start.countDown();
      for (Future<?> f : sending) {
        f.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
      }
    } finally {
      pool.shutdownNow();
    }

    int[] atClient = new int[threads];
    int[] atServer = new int[threads];
    for (int i = 0; i < threads * perThread; i++) {
      EbsocketEvent toClient = receive(client);
      assertThat(toClient.getInt("n")).isEqualTo(atClient[toClient.getInt("t")]++);
      EbsocketEvent toServer = recorder.nextEvent();
      assertThat(toServer.getInt("n")).isEqualTo(atServer[toServer.getInt("t")]++);
    }
    assertThat(atClient).containsOnly(perThread);
    assertThat(atServer).containsOnly(perThread);
    recorder.assertEmpty();
  }

  // ------------------------------------------------------------------------------ data shapes

  @Test
  void unicodeAndNestedDataRoundTripAndTheSentEventEqualsTheReceivedOne() {
    EbsocketClient client = connectedClient();
    EbsocketConnection connection = recorder.nextClient();
    List<Object> listWithNull = new ArrayList<>(List.of("a", 1, 2.5, false));
    listWithNull.add(null);
    EbsocketEvent event =
        new EbsocketEvent("shapes")
            .with("unicode", "héllo 世界 👋 \u0000 \" \\ \n")
            .with("emptyKey", Map.of("", "empty key"))
            .with("nested", Map.of("list", listWithNull, "map", Map.of("deep", Map.of("x", -1))))
            .with("int", Integer.MIN_VALUE)
            .with("long", Long.MAX_VALUE)
            .with("double", 1e-300)
            .with("wholeDouble", 3.0)
            .with("null", null)
            .with("empty", List.of())
            .with("ключ", "значение");

    client.sendEvent(event);
    EbsocketEvent atServer = recorder.nextEvent();
    assertThat(atServer).isEqualTo(event);
    assertThat(atServer.data()).containsExactlyEntriesOf(event.data());

    system.sendEventTo(connection, event);
    EbsocketEvent atClient = receive(client);
    assertThat(atClient).isEqualTo(event);
    assertThat(atClient.getAttribute("wholeDouble")).isInstanceOf(Double.class);
    assertThat(atClient.getAttribute("int")).isInstanceOf(Integer.class);
    assertThat(atClient.getAttribute("long")).isInstanceOf(Long.class);
  }

  @Test
  void anEventLongerThanTheMaxFrameLengthIsDroppedWithoutEndingTheCaller() {
    system.close();
    system = new EbsocketSystem(newServer(EbsocketServer.builder().maxFrameLength(1024)));
    closeLater(system);
    recorder = new PumpRecorder(system);
    EbsocketClient client = connectedClient(system);
    EbsocketConnection connection = recorder.nextClient();
    EbsocketEvent tooLong = message("x".repeat(2000));

    // A server's sends never throw for it (what they relay may come from a peer): not sent.
    assertThat(system.sendEventTo(connection, tooLong)).isFalse();
    assertThat(system.sendEventToClients(tooLong)).isZero();
    assertThat(system.sendEventToClientsExcept(tooLong, null)).isZero();
    assertThat(system.sendEventToGroup("nobody", tooLong)).isZero();
    system.sendEventTo(connection, message("small"));
    assertThat(receive(client)).isEqualTo(message("small"));

    EbsocketClient small = newClient(EbsocketClient.builder().maxFrameLength(1024));
    try {
      small.connectTo(uri(system));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    recorder.nextClient();
    assertThatThrownBy(() -> small.sendEvent(tooLong))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("max frame length 1024");
    small.sendEvent(message("fits"));
    assertThat(recorder.nextEvent()).isEqualTo(message("fits"));
    assertThat(small.isConnected()).isTrue();
  }

  // ------------------------------------------------------------------------------ disconnects

  @Test
  void aClientThatClosesIsReportedAsClientClosed() {
    EbsocketClient client = connectedClient();
    EbsocketConnection connection = recorder.nextClient();
    client.sendEvent(message("before close"));
    client.close();

    assertThat(recorder.nextEvent()).isEqualTo(message("before close"));
    assertThat(recorder.nextDisconnect()).isSameAs(connection);
    assertThat(connection.isOpen()).isFalse();
    assertThat(connection.closeStatus()).contains(new CloseStatus(CloseReason.CLIENT_CLOSED, ""));
    assertThat(client.isConnected()).isFalse();
    assertThat(client.closeStatus()).get().extracting(CloseStatus::reason)
        .isEqualTo(CloseReason.CLIENT_CLOSED);
    client.close();
    recorder.assertEmpty();
  }

  @Test
  void aPeerThatResetsItsSocketIsReportedAsAnIoError() {
    assumeTcpDoor();
    WireClient peer = WireClient.connect(system.server().address());
    EbsocketConnection connection = recorder.nextClient();
    peer.sendFrame("{\"type\":\"message\",\"data\":{\"content\":\"then crash\"}}");
    assertThat(recorder.nextEvent()).isEqualTo(message("then crash"));

    peer.reset();

    assertThat(recorder.nextDisconnect()).isSameAs(connection);
    assertThat(connection.closeStatus()).get().extracting(CloseStatus::reason)
        .isEqualTo(CloseReason.IO_ERROR);
    recorder.assertEmpty();
  }

  @Test
  void aPeerThatClosesWithoutSayingWhyIsReportedAsPeerClosed() {
    assumeTcpDoor();
    WireClient peer = WireClient.connect(system.server().address());
    EbsocketConnection connection = recorder.nextClient();
    peer.close();

    assertThat(recorder.nextDisconnect()).isSameAs(connection);
    assertThat(connection.closeStatus()).contains(new CloseStatus(CloseReason.PEER_CLOSED, ""));
  }

  @Test
  void aKickedClientLearnsTheReasonAndTheServerReportsIt() {
    EbsocketClient client = connectedClient();
    EbsocketConnection connection = recorder.nextClient();
    system.sendEventTo(connection, message("last words"));
    connection.close("bye now");

    assertThat(connection.isOpen()).isFalse();
    assertThat(system.sendEventTo(connection, message("too late"))).isFalse();
    assertThat(recorder.nextDisconnect()).isSameAs(connection);
    assertThat(connection.closeStatus()).contains(new CloseStatus(CloseReason.KICKED, "bye now"));

    ClientPumpResult first = client.pump(WAIT);
    List<EbsocketEvent> events = new ArrayList<>(first.events());
    ClientPumpResult result = first;
    while (result.connected()) {
      result = client.pump(WAIT);
      events.addAll(result.events());
    }
    assertThat(events).containsExactly(message("last words"));
    assertThat(result.closeStatus()).contains(new CloseStatus(CloseReason.KICKED, "bye now"));
    assertThat(client.pump().connected()).isFalse();
  }

  @Test
  void isConnectedTurnsFalseAtOnceWhileReceivedEventsRemainUnread() {
    EbsocketClient client = connectedClient();
    EbsocketConnection connection = recorder.nextClient();
    system.sendEventTo(connection, message(1));
    system.sendEventTo(connection, message(2));
    connection.close();

    await().atMost(WAIT).until(() -> !client.isConnected());
    assertThat(receive(client)).isEqualTo(message(1));
    assertThat(receive(client)).isEqualTo(message(2));
    assertThat(client.recvEvent()).isEmpty();
    assertThat(client.recvEvent(Duration.ZERO)).isEmpty();
    assertThatThrownBy(() -> client.sendEvent(message(3)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("kicked");
  }

  @Test
  void recvEventAfterTheServerClosesReturnsWhatWasSentThenEmpty() {
    EbsocketClient client = connectedClient();
    recorder.nextClient();
    for (int i = 0; i < 3; i++) {
      system.sendEventToClients(message(i));
    }
    system.close();

    for (int i = 0; i < 3; i++) {
      assertThat(receive(client)).isEqualTo(message(i));
    }
    assertThat(client.recvEvent(WAIT)).isEmpty();
    assertThat(client.isConnected()).isFalse();
    assertThat(client.closeStatus()).get().extracting(CloseStatus::reason)
        .isEqualTo(CloseReason.SERVER_SHUTDOWN);
  }

  @Test
  void recvEventWithATimeoutReturnsEmptyOnceTheTimeoutHasPassed() {
    EbsocketClient client = connectedClient();
    long start = System.nanoTime();
    Optional<EbsocketEvent> event = client.recvEvent(Duration.ofMillis(200));
    long elapsed = System.nanoTime() - start;

    assertThat(event).isEmpty();
    assertThat(elapsed).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(200));
    assertThat(client.isConnected()).isTrue();
  }

  @Test
  void interruptedRecvEventReturnsEmptyAndKeepsTheInterruptFlag() {
    EbsocketClient client = connectedClient();
    Thread.currentThread().interrupt();
    Optional<EbsocketEvent> event = client.recvEvent();

    assertThat(Thread.interrupted()).isTrue();
    assertThat(event).isEmpty();
    assertThat(client.isConnected()).isTrue();
  }

  @Test
  void clientPumpReturnsAtOnceWithWhatHasArrived() {
    EbsocketClient client = connectedClient();
    EbsocketConnection connection = recorder.nextClient();
    assertThat(client.pump()).isEqualTo(new ClientPumpResult(List.of(), true, Optional.empty()));

    system.sendEventTo(connection, message("a"));
    system.sendEventTo(connection, message("b"));
    List<EbsocketEvent> pumped = new ArrayList<>();
    await().atMost(WAIT).until(() -> pumped.addAll(client.pump().events()) && pumped.size() >= 2);
    assertThat(pumped).containsExactly(message("a"), message("b"));
  }

  // ------------------------------------------------------------------------------ sends

  @Test
  void sendEventToClientsReachesEveryConnectedClientAndCountsThem() {
    List<EbsocketClient> clients = List.of(connectedClient(), connectedClient(), connectedClient());
    for (int i = 0; i < clients.size(); i++) {
      recorder.nextClient();
    }
    assertThat(system.clients()).hasSize(3);

    assertThat(system.sendEventToClients(message("all"))).isEqualTo(3);
    for (EbsocketClient client : clients) {
      assertThat(receive(client)).isEqualTo(message("all"));
    }

    clients.get(0).close();
    recorder.nextDisconnect();
    assertThat(system.clients()).hasSize(2);
    assertThat(system.sendEventToClients(message("rest"))).isEqualTo(2);
  }

  // ------------------------------------------------------------------------------ lifecycle

  @Test
  void connectingToAPortNobodyListensOnFailsNamingTheAddress() throws IOException {
    int port;
    try (ServerSocket free = new ServerSocket(0)) {
      port = free.getLocalPort();
    }
    EbsocketClient client = newClient(EbsocketClient.builder());

    assertThatThrownBy(() -> client.connectTo("127.0.0.1", port))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("127.0.0.1:" + port);
    assertThat(client.isConnected()).isFalse();
  }

  @Test
  void bindingABusyPortFailsNamingTheAddress() {
    InetSocketAddress taken = system.server().address();

    assertThatThrownBy(
            () ->
                EbsocketServer.builder()
                    .host("127.0.0.1")
                    .port(taken.getPort())
                    .transport(transport())
                    .build())
        .isInstanceOf(UncheckedIOException.class)
        .hasMessageContaining("127.0.0.1")
        .hasMessageContaining(":" + taken.getPort());
  }

  @Test
  void aServerTakesOneSystemAndAClientConnectsOnce() throws IOException {
    assertThatThrownBy(() -> new EbsocketSystem(system.server()))
        .isInstanceOf(IllegalStateException.class);
    EbsocketClient client = connectedClient();
    assertThatThrownBy(() -> client.connectTo(uri(system)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("one connectTo per client");
  }

  @Test
  void closeIsIdempotentEverywhere() {
    EbsocketClient client = connectedClient();
    EbsocketConnection connection = recorder.nextClient();
    connection.close();
    connection.close();
    client.close();
    client.close();
    system.close();
    system.close();

    assertThat(system.isClosed()).isTrue();
    assertThat(system.pump().disconnectedClients()).containsExactly(connection);
    assertThat(system.pump().isEmpty()).isTrue();
  }
}
