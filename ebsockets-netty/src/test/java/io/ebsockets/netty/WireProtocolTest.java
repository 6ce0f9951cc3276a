package io.ebsockets.netty;

import static org.assertj.core.api.Assertions.assertThat;

import io.ebsockets.CloseReason;
import io.ebsockets.CloseStatus;
import io.ebsockets.EbsocketClient;
import io.ebsockets.EbsocketConnection;
import io.ebsockets.EbsocketEvent;
import io.ebsockets.EbsocketServer;
import io.ebsockets.EbsocketSystem;
import io.ebsockets.testsupport.PumpRecorder;
import io.ebsockets.testsupport.WireClient;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Wire protocol v1 as an outside peer sees it: raw frames on a plain socket, over loopback. */
class WireProtocolTest {
  private EbsocketSystem system;
  private PumpRecorder recorder;
  private EbsocketClient bystander;
  private EbsocketConnection bystanderConnection;

  @BeforeEach
  void start() throws IOException {
    system =
        new EbsocketSystem(
            EbsocketServer.builder()
                .host("127.0.0.1")
                .port(0)
                .maxFrameLength(FrameAndEventDecoderTest.MAX)
                .closeTimeout(Duration.ofMillis(500))
                .build());
    recorder = new PumpRecorder(system);
    bystander = new EbsocketClient();
    bystander.connectTo(system.server().address());
    bystanderConnection = recorder.nextClient();
  }

  @AfterEach
  void stop() {
    bystander.close();
    system.close();
  }

  private static EbsocketEvent message(Object content) {
    return new EbsocketEvent("message").with("content", content);
  }

  private void assertBystanderUnaffected(String tag) {
    assertThat(bystander.isConnected()).isTrue();
    bystander.sendEvent(message("bystander " + tag));
    assertThat(recorder.nextEvent()).isEqualTo(message("bystander " + tag));
    system.sendEventTo(bystanderConnection, message("reply " + tag));
    assertThat(bystander.recvEvent(PumpRecorder.TIMEOUT)).contains(message("reply " + tag));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("io.ebsockets.netty.FrameAndEventDecoderTest#badFrames")
  void aBadFrameGetsAnErrorThenACloseAndNobodyElseIsTouched(
      String name, byte[] bytes, ProtocolError code) {
    WireClient peer = WireClient.connect(system.server().address());
    EbsocketConnection connection = recorder.nextClient();
    peer.sendFrame("{\"type\":\"message\",\"data\":{\"content\":\"accepted first\"}}");
    bystander.sendEvent(message("during"));

    peer.sendRaw(bytes);

    Map<String, Object> error = peer.readFrameOfType("ebsockets.error");
    assertThat(error.get("data"))
        .asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP)
        .containsEntry("code", code.wireName())
        .hasEntrySatisfying("message", m -> assertThat((String) m).contains("expected"));
    assertThat(peer.endOfStream()).as("the server closes after the error").isTrue();
    peer.close();

    // Everything accepted before the bad frame is delivered; then the disconnect, with the code.
    EbsocketEvent first = recorder.nextEvent();
    EbsocketEvent second = recorder.nextEvent();
    assertThat(java.util.List.of(first, second))
        .containsExactlyInAnyOrder(message("accepted first"), message("during"));
    assertThat(recorder.nextDisconnect()).isSameAs(connection);
    CloseStatus status = connection.closeStatus().orElseThrow();
    assertThat(status.reason()).isEqualTo(CloseReason.PROTOCOL_ERROR);
    assertThat(status.message()).startsWith(code.wireName() + ": ");

    assertBystanderUnaffected(name);
    recorder.assertEmpty();
  }

  @Test
  void aFrameTrickledByteByByteOverTheSocketArrivesWhole() {
    WireClient peer = WireClient.connect(system.server().address());
    recorder.nextClient();
    byte[] frame = WireClient.frame("{\"type\":\"message\",\"data\":{\"content\":\"slowly\"}}");
    for (byte b : frame) {
      peer.sendRaw(new byte[] {b});
    }
    assertThat(recorder.nextEvent()).isEqualTo(message("slowly"));
    peer.close();
  }

  @Test
  void pingIsAnsweredWithPongCarryingTheSameDataAndNeverReachesThePump() {
    WireClient peer = WireClient.connect(system.server().address());
    recorder.nextClient();
    peer.sendFrame("{\"type\":\"ebsockets.ping\",\"data\":{\"nonce\":42,\"t\":\"x\"}}");

    Map<String, Object> pong = peer.readFrameOfType("ebsockets.pong");
    assertThat(pong.get("data")).isEqualTo(Map.of("nonce", 42, "t", "x"));

    peer.sendFrame("{\"type\":\"ebsockets.from_the_future\",\"data\":{}}");
    peer.sendFrame("{\"type\":\"message\",\"data\":{\"content\":\"after control\"}}");
    assertThat(recorder.nextEvent()).isEqualTo(message("after control"));
    recorder.assertEmpty();
    peer.close();
  }

  @Test
  void aPeerThatAnnouncesItsCloseIsReportedWithItsReasonAndMessage() {
    WireClient peer = WireClient.connect(system.server().address());
    EbsocketConnection connection = recorder.nextClient();
    peer.sendFrame(
        "{\"type\":\"ebsockets.close\",\"data\":{\"reason\":\"client_closed\",\"message\":\"bye\"}}");
    peer.close();

    assertThat(recorder.nextDisconnect()).isSameAs(connection);
    assertThat(connection.closeStatus())
        .contains(new CloseStatus(CloseReason.CLIENT_CLOSED, "bye"));
  }

  @Test
  void aPeerSeesEverythingSentThenTheShutdownReasonThenTheEnd() {
    WireClient peer = WireClient.connect(system.server().address());
    recorder.nextClient();
    system.sendEventToClients(message("before shutdown"));
    system.close();

    assertThat(peer.readFrame().orElseThrow())
        .isEqualTo(Map.of("type", "message", "data", Map.of("content", "before shutdown")));
    Map<String, Object> close = peer.readFrame().orElseThrow();
    assertThat(close).containsEntry("type", "ebsockets.close");
    @SuppressWarnings("unchecked")
    Map<String, Object> data = (Map<String, Object>) close.get("data");
    assertThat(data).containsEntry("reason", "server_shutdown")
        .containsEntry("message", "server shutting down");
    // when to come back: from the default retryAfter (1 s) to twice it
    assertThat(((Number) data.get("retryAfter")).longValue()).isBetween(1_000L, 2_000L);
    assertThat(peer.endOfStream()).isTrue();
    peer.close();
  }
}
