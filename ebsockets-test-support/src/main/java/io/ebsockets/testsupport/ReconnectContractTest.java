package io.ebsockets.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ebsockets.*;
import io.ebsockets.ConnectionChange.Kind;
import io.ebsockets.testsupport.PumpRecorder;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The reconnecting client, across real server restarts on loopback, for any transport. */
public abstract class ReconnectContractTest extends LoopbackTest {
  private static final Duration LONG = Duration.ofMinutes(5);

  private static ReconnectPolicy.Builder fastPolicy() {
    return ReconnectPolicy.builder()
        .initialDelay(Duration.ofMillis(20))
        .maxDelay(Duration.ofMillis(100));
  }

  private EbsocketClient reconnectingClient(ReconnectPolicy policy) throws IOException {
    EbsocketClient client = newClient(EbsocketClient.builder().reconnect(policy));
    client.connectTo(uri(system));
    recorder.nextClient();
    return client;
  }

  private static EbsocketEvent seq(int n) {
    return new EbsocketEvent("seq").with("n", n);
  }

  /** Pumps the client until a connection change arrives; events it meets go to {@code seen}. */
  private static ConnectionChange nextChange(EbsocketClient client, List<EbsocketEvent> seen) {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (System.nanoTime() < deadline) {
      ClientPumpResult result = client.pump(Duration.ofMillis(50));
      seen.addAll(result.events());
      if (!result.connectionChanges().isEmpty()) {
        assertThat(result.connectionChanges()).hasSize(1);
        return result.connectionChanges().get(0);
      }
    }
    throw new AssertionError("no connection change within " + WAIT);
  }

  private static ConnectionChange nextChange(EbsocketClient client) {
    return nextChange(client, new ArrayList<>());
  }

  @Test
  void aServerRestartLosesAndReordersNothingSentAfterTheDisconnect() throws Exception {
    int port = system.server().address().getPort();
    EbsocketClient client = reconnectingClient(fastPolicy().offlineBufferEvents(10_000).build());
    client.sendEvent(seq(-1));
    assertThat(recorder.nextEvent()).isEqualTo(seq(-1));

    system.close();
    ConnectionChange lost = nextChange(client);
    assertThat(lost.kind()).isEqualTo(Kind.DISCONNECTED);
    assertThat(lost.status()).map(CloseStatus::reason).contains(CloseReason.SERVER_SHUTDOWN);
    assertThat(client.isConnected()).isFalse();
    int sent = 0;
    for (; sent < 300; sent++) {
      client.sendEvent(seq(sent)); // offline: held
    }
    CompletableFuture<EbsocketEvent> heldRequest =
        client.request(new EbsocketEvent("question").with("n", 1), LONG);

    EbsocketSystem restarted =
        closeLater(new EbsocketSystem(newServer(EbsocketServer.builder(), port)));
    PumpRecorder atRestarted = new PumpRecorder(restarted);
    // Keep sending while the client reconnects: the switch from held to direct must keep order.
    ConnectionChange back = null;
    while (back == null) {
      client.sendEvent(seq(sent++));
      List<ConnectionChange> changes = client.pump(Duration.ofMillis(2)).connectionChanges();
      back = changes.isEmpty() ? null : changes.get(0);
    }
    assertThat(back.kind()).isEqualTo(Kind.RECONNECTED);
    assertThat(back.attempts()).isPositive();
    assertThat(client.isConnected()).isTrue();
    for (int i = 0; i < 100; i++) {
      client.sendEvent(seq(sent++));
    }

    atRestarted.nextClient();
    List<Integer> received = new ArrayList<>();
    while (received.size() < sent) {
      EbsocketEvent event = atRestarted.nextEvent();
      if (event.isRequest()) {
        assertThat(received).as("the held request keeps its place").hasSize(300);
        restarted.reply(event, new EbsocketEvent("answer").with("n", 2));
      } else {
        received.add(event.getInt("n"));
      }
    }
    assertThat(received).isSorted().doesNotHaveDuplicates().hasSize(sent).startsWith(0);
    assertThat(heldRequest.get(WAIT.toMillis(), TimeUnit.MILLISECONDS).getInt("n")).isEqualTo(2);
    atRestarted.assertEmpty();
  }

  @Test
  void aRequestPendingAtTheDisconnectFailsAtOnce() throws Exception {
    EbsocketClient client = reconnectingClient(fastPolicy().build());
    CompletableFuture<EbsocketEvent> pending = client.request(seq(1), LONG);
    recorder.nextEvent();

    system.close();

    assertThatThrownBy(() -> pending.get(WAIT.toMillis(), TimeUnit.MILLISECONDS))
        .cause()
        .isInstanceOf(ConnectionEndedException.class)
        .hasMessageContaining("server_shutdown");
    assertThat(nextChange(client).kind()).isEqualTo(Kind.DISCONNECTED);
  }

  @Test
  void aFullOfflineBufferRefusesMoreAndTheHeldEventsArriveAfterTheRestart() throws Exception {
    int port = system.server().address().getPort();
    EbsocketClient client = reconnectingClient(fastPolicy().offlineBufferEvents(5).build());
    system.close();
    assertThat(nextChange(client).kind()).isEqualTo(Kind.DISCONNECTED);

    for (int i = 0; i < 5; i++) {
      client.sendEvent(seq(i));
    }
    assertThatThrownBy(() -> client.sendEvent(seq(5)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("offline buffer full: 5 events")
        .hasMessageContaining("offlineBufferEvents 5");

    EbsocketSystem restarted =
        closeLater(new EbsocketSystem(newServer(EbsocketServer.builder(), port)));
    PumpRecorder atRestarted = new PumpRecorder(restarted);
    assertThat(nextChange(client).kind()).isEqualTo(Kind.RECONNECTED);
    client.sendEvent(seq(6));
    atRestarted.nextClient();
    for (int n : new int[] {0, 1, 2, 3, 4, 6}) {
      assertThat(atRestarted.nextEvent()).isEqualTo(seq(n));
    }
    atRestarted.assertEmpty();
  }

  @Test
  void closingWhileOfflineEndsTheClientAndSendThenThrows() throws Exception {
    EbsocketClient client = reconnectingClient(fastPolicy().build());
    system.close();
    assertThat(nextChange(client).kind()).isEqualTo(Kind.DISCONNECTED);
    client.sendEvent(seq(1)); // held, then discarded by close

    client.close();
    ClientPumpResult end = client.pump(WAIT);
    assertThat(end.connected()).isFalse();
    assertThat(end.closeStatus()).map(CloseStatus::reason).contains(CloseReason.CLIENT_CLOSED);
    assertThatThrownBy(() -> client.sendEvent(seq(2)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("the client has ended");
  }

  @Test
  void afterMaxAttemptsTheClientGivesUpAndEndsWithTheReason() throws Exception {
    EbsocketClient client = reconnectingClient(fastPolicy().maxAttempts(3).build());
    system.close();
    List<EbsocketEvent> ignored = new ArrayList<>();
    assertThat(nextChange(client, ignored).kind()).isEqualTo(Kind.DISCONNECTED);

    ClientPumpResult end = client.pump(WAIT);
    while (end.connected()) {
      end = client.pump(WAIT);
    }
    assertThat(end.closeStatus())
        .hasValueSatisfying(
            status -> {
              assertThat(status.reason()).isEqualTo(CloseReason.SERVER_SHUTDOWN);
              assertThat(status.message()).contains("gave up reconnecting after 3 attempts");
            });
    assertThat(client.isConnected()).isFalse();
  }

  @Test
  void aKickedClientDoesNotReconnect() throws Exception {
    EbsocketClient client = reconnectingClient(fastPolicy().build());
    client.sendEvent(seq(1));
    recorder.nextEvent().source().orElseThrow().close("banned");

    ClientPumpResult end = client.pump(WAIT);
    assertThat(end.connectionChanges()).isEmpty();
    assertThat(end.connected()).isFalse();
    assertThat(end.closeStatus()).contains(new CloseStatus(CloseReason.KICKED, "banned"));
    recorder.nextDisconnect();
    recorder.assertEmpty();
  }

  @Test
  void aFirstConnectThatFailsThrowsAsWithoutReconnection() throws Exception {
    int port = system.server().address().getPort();
    java.net.URI gone = uri(system);
    system.close();
    EbsocketClient client = newClient(EbsocketClient.builder().reconnect(fastPolicy().build()));

    assertThatThrownBy(() -> client.connectTo(gone))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("127.0.0.1:" + port);
  }
}
