package io.ebsockets.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.ebsockets.*;
import io.ebsockets.testsupport.WireClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

/** Request/reply in both directions, over real loopback sockets, for any transport. */
public abstract class RequestReplyContractTest extends LoopbackTest {
  private static final Duration LONG = Duration.ofMinutes(5);

  private static EbsocketEvent answer(EbsocketEvent request) {
    return new EbsocketEvent("answer").with("n", request.getInt("n") * 2);
  }

  private static EbsocketEvent question(int n) {
    return new EbsocketEvent("question").with("n", n);
  }

  private static <T> T get(CompletableFuture<T> future) throws Exception {
    return future.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
  }

  @Test
  void aClientRequestIsAnsweredFromThePumpLoop() throws Exception {
    EbsocketClient client = connectedClient();
    recorder.nextClient();

    CompletableFuture<EbsocketEvent> reply = client.request(question(21), LONG);
    EbsocketEvent request = recorder.nextEvent();
    assertThat(request.isRequest()).isTrue();
    assertThat(request).isEqualTo(question(21));
    assertThat(system.reply(request, answer(request))).isTrue();

    assertThat(get(reply)).isEqualTo(new EbsocketEvent("answer").with("n", 42));
    recorder.assertEmpty();
    assertThat(client.pump().events()).as("a reply never reaches the pump").isEmpty();
  }

  @Test
  void aServerRequestIsAnsweredByTheClientFromItsOwnPump() throws Exception {
    EbsocketClient client = connectedClient();
    EbsocketConnection connection = recorder.nextClient();

    CompletableFuture<EbsocketEvent> reply = system.request(connection, question(5), LONG);
    EbsocketEvent request = receive(client);
    assertThat(request.isRequest()).isTrue();
    client.reply(request, answer(request));

    assertThat(get(reply)).isEqualTo(new EbsocketEvent("answer").with("n", 10));
    recorder.assertEmpty();
  }

  @Test
  void futuresCompleteOnACallbackThreadSoACallbackMayBlockOnAnotherRequest() throws Exception {
    EbsocketClient client = connectedClient();
    recorder.nextClient();

    CompletableFuture<EbsocketEvent> chained =
        client.request(question(1), LONG)
            .thenApply(first -> client.request(question(first.getInt("n")), LONG).join());
    for (int i = 0; i < 2; i++) {
      EbsocketEvent request = recorder.nextEvent();
      system.reply(request, answer(request));
    }
    assertThat(get(chained).getInt("n")).isEqualTo(4);
    CompletableFuture<String> thread = new CompletableFuture<>();
    client.request(question(1), LONG).thenRun(() -> thread.complete(Thread.currentThread().getName()));
    EbsocketEvent request = recorder.nextEvent();
    system.reply(request, answer(request));
    assertThat(get(thread)).startsWith("ebsockets-callback-");
  }

  @Test
  void manyRequestsInFlightEachGetTheirOwnReplyWhateverTheOrderOfAnswers() throws Exception {
    EbsocketClient client = connectedClient();
    recorder.nextClient();
    int count = 2_000;
    List<CompletableFuture<EbsocketEvent>> replies = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      replies.add(client.request(question(i), LONG));
    }
    List<EbsocketEvent> requests = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      requests.add(recorder.nextEvent());
    }
    for (int i = count - 1; i >= 0; i--) {
      system.reply(requests.get(i), answer(requests.get(i)));
    }
    for (int i = 0; i < count; i++) {
      assertThat(get(replies.get(i)).getInt("n")).isEqualTo(2 * i);
    }
    assertThat(client.droppedReplies()).isZero();
    long callbackThreads =
        Thread.getAllStackTraces().keySet().stream()
            .filter(t -> t.getName().startsWith("ebsockets-callback-"))
            .count();
    assertThat(callbackThreads).as("a burst of replies queues, not a thread each").isLessThan(16);
  }

  @Test
  void aRequestWithNoReplyTimesOutWithAClearMessageAndALateReplyIsCountedAndDropped()
      throws Exception {
    EbsocketClient client = connectedClient();
    recorder.nextClient();

    CompletableFuture<EbsocketEvent> reply = client.request(question(1), Duration.ofMillis(200));
    EbsocketEvent request = recorder.nextEvent();
    assertThatThrownBy(() -> get(reply))
        .isInstanceOf(ExecutionException.class)
        .cause()
        .isInstanceOf(TimeoutException.class)
        .hasMessageContaining("request question #")
        .hasMessageContaining("no reply within 200 ms");

    system.reply(request, answer(request));
    await().atMost(WAIT).until(() -> client.droppedReplies() == 1);
    client.sendEvent(message("still connected"));
    assertThat(recorder.nextEvent()).isEqualTo(message("still connected"));
  }

  @Test
  void evenATimeoutTooShortToSendWithinFailsTheFuture() throws Exception {
    EbsocketClient client = connectedClient();
    recorder.nextClient();
    for (int i = 0; i < 100; i++) {
      CompletableFuture<EbsocketEvent> reply = client.request(question(i), Duration.ofNanos(1));
      assertThatThrownBy(() -> get(reply)).cause().isInstanceOf(TimeoutException.class);
    }
  }

  @Test
  void aServerRequestTimesOutAndALateReplyIsCountedInTheStats() throws Exception {
    EbsocketClient client = connectedClient();
    EbsocketConnection connection = recorder.nextClient();

    CompletableFuture<EbsocketEvent> reply =
        system.request(connection, question(1), Duration.ofMillis(200));
    EbsocketEvent request = receive(client);
    assertThatThrownBy(() -> get(reply)).cause().isInstanceOf(TimeoutException.class);

    client.reply(request, answer(request));
    await().atMost(WAIT).until(() -> system.stats().droppedReplies() == 1);
    recorder.assertEmpty();
  }

  @Test
  void aDisconnectFailsEveryPendingRequestOfThatConnectionAtOnce() throws Exception {
    EbsocketClient client = connectedClient();
    EbsocketConnection connection = recorder.nextClient();
    List<CompletableFuture<EbsocketEvent>> fromClient = new ArrayList<>();
    List<CompletableFuture<EbsocketEvent>> fromServer = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      fromClient.add(client.request(question(i), LONG));
      fromServer.add(system.request(connection, question(i), LONG));
    }
    for (int i = 0; i < 10; i++) {
      recorder.nextEvent();
    }

    connection.close("bye");

    for (CompletableFuture<EbsocketEvent> pending : fromClient) {
      assertThatThrownBy(() -> get(pending))
          .cause()
          .isInstanceOfSatisfying(
              ConnectionEndedException.class,
              e -> assertThat(e.status()).isEqualTo(new CloseStatus(CloseReason.KICKED, "bye")))
          .hasMessageContaining("the connection ended before the reply (kicked: bye)");
    }
    for (CompletableFuture<EbsocketEvent> pending : fromServer) {
      assertThatThrownBy(() -> get(pending))
          .cause()
          .isInstanceOf(ConnectionEndedException.class);
    }
    recorder.nextDisconnect();
  }

  @Test
  void aRequestToAClientThatIsGoneFailsAtOnceAndOneAfterCloseThrows() throws Exception {
    EbsocketClient client = connectedClient();
    EbsocketConnection connection = recorder.nextClient();
    client.close();
    recorder.nextDisconnect();

    assertThatThrownBy(() -> get(system.request(connection, question(1), LONG)))
        .cause()
        .isInstanceOf(ConnectionEndedException.class)
        .hasMessageContaining("the client is gone (client_closed)");
    assertThatThrownBy(() -> client.request(question(1), LONG))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("not connected");
  }

  @Test
  void onlyAReceivedRequestCanBeRepliedTo() throws Exception {
    EbsocketClient client = connectedClient();
    recorder.nextClient();
    client.sendEvent(message("plain"));
    EbsocketEvent plain = recorder.nextEvent();

    assertThat(plain.isRequest()).isFalse();
    assertThatThrownBy(() -> system.reply(plain, message("no")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("is not a received request");
    assertThatThrownBy(() -> client.reply(question(1), message("no")))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> client.request(question(1), Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("timeout");
  }

  @Test
  void anOutsidePeerUsesTheReservedMembersAndOneThatIgnoresThemStillInteroperates() {
    assumeTcpDoor();
    try (WireClient peer = WireClient.connect(system.server().address())) {
      peer.sendFrame("{\"type\":\"ebsockets.hello\",\"data\":{}}");
      peer.readFrameOfType("ebsockets.welcome");
      EbsocketConnection connection = recorder.nextClient();

      peer.sendFrame("{\"type\":\"question\",\"data\":{\"n\":4},\"ebsockets.request\":77}");
      EbsocketEvent request = recorder.nextEvent();
      system.reply(request, answer(request));
      Map<String, Object> reply = peer.readFrameOfType("answer");
      assertThat(reply).containsEntry("ebsockets.reply", 77).containsEntry("data", Map.of("n", 8));

      // A peer that does not know request/reply sees an ordinary event and never answers.
      CompletableFuture<EbsocketEvent> unanswered =
          system.request(connection, question(3), Duration.ofMillis(100));
      Map<String, Object> asked = peer.readFrameOfType("question");
      assertThat(asked).containsKey("ebsockets.request");
      assertThatThrownBy(() -> get(unanswered)).cause().isInstanceOf(TimeoutException.class);

      peer.sendFrame("{\"type\":\"answer\",\"data\":{},\"ebsockets.reply\":123456}");
      peer.sendFrame("{\"type\":\"message\",\"data\":{\"content\":\"after\"}}");
      assertThat(recorder.nextEvent()).isEqualTo(message("after"));
      assertThat(system.stats().droppedReplies()).isEqualTo(1);
    }
    recorder.nextDisconnect();
  }
}
