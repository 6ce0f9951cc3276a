package io.ebsockets.netty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.ebsockets.CloseReason;
import io.ebsockets.EbsocketConnection;
import io.ebsockets.EbsocketEvent;
import io.ebsockets.EbsocketServer;
import io.ebsockets.EbsocketSystem;
import io.ebsockets.Resumption;
import io.ebsockets.SessionStats;
import io.ebsockets.testsupport.PumpRecorder;
import io.ebsockets.testsupport.WireClient;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Resumable sessions as an outside peer sees them, on a plain socket: a resume token that is
 * wrong or already spent takes nothing over, and a client that never acknowledges costs the
 * server no more than the replay buffer's bounds (docs/PROTOCOL.md, "Resumable sessions").
 */
class ResumeTokenTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration WAIT = Duration.ofSeconds(10);

  private final List<WireClient> peers = new ArrayList<>();
  private EbsocketSystem system;
  private PumpRecorder recorder;

  private void start(Resumption resumption) {
    system = new EbsocketSystem(EbsocketServer.builder()
        .host("127.0.0.1")
        .port(0)
        .resumption(resumption)
        .closeTimeout(Duration.ofMillis(300))
        .build());
    recorder = new PumpRecorder(system);
  }

  @AfterEach
  void stop() {
    peers.forEach(WireClient::close);
    if (system != null) {
      system.close();
    }
  }

  /** Connects, says hello with {@code resume} and returns the welcome's {@code session}. */
  @SuppressWarnings("unchecked")
  private Map<String, Object> hello(Map<String, Object> resume) {
    WireClient peer = WireClient.connect(system.server().address());
    peers.add(peer);
    peer.sendFrame(json(Map.of("type", "ebsockets.hello",
        "data", Map.of("version", 1, "resume", resume))));
    Map<String, Object> data =
        (Map<String, Object>) peer.readFrameOfType("ebsockets.welcome").get("data");
    return (Map<String, Object>) data.get("session");
  }

  private WireClient last() {
    return peers.get(peers.size() - 1);
  }

  private static String json(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  @SuppressWarnings("unchecked")
  private static Object n(WireClient peer, String type) {
    return ((Map<String, Object>) peer.readFrameOfType(type).get("data")).get("n");
  }

  private SessionStats sessions() {
    return system.stats().sessions();
  }

  @Test
  void aWrongOrReplayedTokenIsAnUnknownSessionAndTakesNothingOver() {
    start(Resumption.defaults());
    Map<String, Object> first = hello(Map.of());
    WireClient owner = last();
    assertThat(first).containsEntry("outcome", "new").containsEntry("received", 0);
    String id = (String) first.get("id");
    String token = (String) first.get("token");
    assertThat(java.util.Base64.getUrlDecoder().decode(token)).hasSizeGreaterThanOrEqualTo(16);
    EbsocketConnection connection = recorder.nextClient();

    String wrong = (token.charAt(0) == 'A' ? "B" : "A") + token.substring(1);
    Map<String, Object> guessed = hello(Map.of("session", id, "token", wrong, "received", 0));
    assertThat(guessed).containsEntry("outcome", "unknown");
    assertThat(guessed.get("id")).isNotEqualTo(id);
    assertThat(recorder.nextClient()).isNotSameAs(connection);
    system.sendEventTo(connection, new EbsocketEvent("s").with("n", 1));
    assertThat(n(owner, "s")).as("the owner still carries its session").isEqualTo(1);

    owner.reset();
    Map<String, Object> resumed = hello(Map.of("session", id, "token", token, "received", 1));
    WireClient back = last();
    assertThat(resumed).containsEntry("outcome", "resumed").containsEntry("id", id);
    assertThat(resumed.get("token")).isNotEqualTo(token);
    back.sendFrame("{\"type\":\"c\",\"data\":{\"n\":1}}"); // it read the welcome: token spent
    assertThat(recorder.nextEvent()).isEqualTo(new EbsocketEvent("c").with("n", 1));

    Map<String, Object> replayed = hello(Map.of("session", id, "token", token, "received", 1));
    assertThat(replayed).containsEntry("outcome", "unknown");
    assertThat(replayed.get("id")).isNotEqualTo(id);
    recorder.nextClient();
    system.sendEventTo(connection, new EbsocketEvent("s").with("n", 2));
    assertThat(n(back, "s")).as("the resumed connection still carries the session").isEqualTo(2);
    assertThat(connection.resumes()).isEqualTo(1);
    assertThat(connection.isOpen()).isTrue();
    assertThat(sessions().resumed()).isEqualTo(1);
    assertThat(sessions().refused()).isEqualTo(2);
    assertThat(sessions().kept()).isEqualTo(3);
  }

  @Test
  void aClientThatNeverAcknowledgesCostsNoMoreThanTheReplayBound() {
    start(Resumption.defaults().withReplayBuffer(100, 1L << 20));
    hello(Map.of());
    WireClient silent = last();
    EbsocketConnection connection = recorder.nextClient();

    for (int i = 1; i <= 100; i++) {
      system.sendEventTo(connection, new EbsocketEvent("s").with("n", i));
    }
    await().atMost(WAIT).until(() -> sessions().replayEvents() == 100);
    assertThat(sessions().replayBytes()).isPositive();
    for (int i = 101; i <= 1_000; i++) {
      system.sendEventTo(connection, new EbsocketEvent("s").with("n", i));
    }
    for (int i = 1; i <= 1_000; i++) {
      assertThat(n(silent, "s")).isEqualTo(i); // the connection carries on, every event in order
    }
    assertThat(sessions().replayEvents()).as("held after the bound was passed").isZero();
    assertThat(sessions().replayBytes()).isZero();
    assertThat(connection.isOpen()).isTrue();

    silent.reset();
    assertThat(recorder.nextDisconnect()).isSameAs(connection);
    assertThat(connection.closeStatus().orElseThrow().reason()).isEqualTo(CloseReason.IO_ERROR);
    assertThat(connection.closeStatus().orElseThrow().message())
        .contains("session expired earlier: replay buffer over its bounds (101 events");
    assertThat(sessions().kept()).isZero();
    assertThat(sessions().expired()).isEqualTo(1);
  }
}
