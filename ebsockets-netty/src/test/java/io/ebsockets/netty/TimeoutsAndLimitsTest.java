package io.ebsockets.netty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.ebsockets.CloseReason;
import io.ebsockets.CloseStatus;
import io.ebsockets.EbsocketClient;
import io.ebsockets.EbsocketConnection;
import io.ebsockets.EbsocketEvent;
import io.ebsockets.EbsocketServer;
import io.ebsockets.EbsocketSystem;
import io.ebsockets.testsupport.PumpRecorder;
import io.ebsockets.testsupport.WireClient;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** Heartbeats, timeouts and limits, over loopback with short timeouts configured. */
class TimeoutsAndLimitsTest {
  private final List<AutoCloseable> toClose = new ArrayList<>();

  @AfterEach
  void closeAll() throws Exception {
    for (AutoCloseable c : toClose) {
      c.close();
    }
  }

  private EbsocketSystem server(EbsocketServer.Builder builder) {
    EbsocketSystem system =
        new EbsocketSystem(
            builder.host("127.0.0.1").port(0).closeTimeout(Duration.ofMillis(300)).build());
    toClose.add(system);
    return system;
  }

  private static EbsocketServer.Builder heartbeats(long pingMillis, long idleMillis) {
    return EbsocketServer.builder()
        .pingInterval(Duration.ofMillis(pingMillis))
        .idleTimeout(Duration.ofMillis(idleMillis));
  }

  private EbsocketClient client(EbsocketClient.Builder builder, EbsocketSystem system)
      throws IOException {
    EbsocketClient client = builder.closeTimeout(Duration.ofMillis(300)).build();
    toClose.add(client);
    client.connectTo(system.server().address());
    return client;
  }

  private static EbsocketEvent message(Object content) {
    return new EbsocketEvent("message").with("content", content);
  }

  @Test
  void aPeerThatConnectsAndSendsNothingIsPingedThenClosedForIdleness() {
    EbsocketSystem system = server(heartbeats(100, 400));
    PumpRecorder recorder = new PumpRecorder(system);
    WireClient silent = WireClient.connect(system.server().address());
    EbsocketConnection connection = recorder.nextClient();

    assertThat(silent.readFrame().orElseThrow()).containsEntry("type", "ebsockets.ping");
    Map<String, Object> close = silent.readFrameOfType("ebsockets.close");
    assertThat(close.get("data"))
        .asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP)
        .containsEntry("reason", "idle_timeout");
    assertThat(silent.endOfStream()).isTrue();
    silent.close();

    assertThat(recorder.nextDisconnect()).isSameAs(connection);
    assertThat(connection.closeStatus()).get().extracting(CloseStatus::reason)
        .isEqualTo(CloseReason.IDLE_TIMEOUT);
  }

  @Test
  void aPeerThatAnswersPingsStaysConnectedAndOneThatStopsIsDropped() {
    EbsocketSystem system = server(heartbeats(100, 400));
    PumpRecorder recorder = new PumpRecorder(system);
    WireClient peer = WireClient.connect(system.server().address());
    EbsocketConnection connection = recorder.nextClient();

    // Answer five pings: well past the idle timeout, still connected.
    for (int i = 0; i < 5; i++) {
      Map<String, Object> ping = peer.readFrameOfType("ebsockets.ping");
      peer.sendFrame(
          "{\"type\":\"ebsockets.pong\",\"data\":" + toJson(ping.get("data")) + "}");
    }
    assertThat(connection.isOpen()).isTrue();

    // Then stop answering.
    assertThat(peer.readFrameOfType("ebsockets.close").get("data").toString())
        .contains("idle_timeout");
    assertThat(recorder.nextDisconnect()).isSameAs(connection);
    peer.close();
  }

  private static String toJson(Object value) {
    try {
      return new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(value);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void aClientDetectsAServerThatStoppedAnswering() throws Exception {
    try (ServerSocket mute = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      CompletableFuture<Socket> accepted =
          CompletableFuture.supplyAsync(
              () -> {
                try {
                  Socket s = mute.accept();
                  // Welcome the client, then never say anything again.
                  s.getOutputStream().write(WireClient.frame(
                      "{\"type\":\"ebsockets.welcome\",\"data\":{\"version\":1,"
                          + "\"maxFrameLength\":1048576,\"pingInterval\":0,\"idleTimeout\":0}}"));
                  return s;
                } catch (IOException e) {
                  throw new IllegalStateException(e);
                }
              });
      EbsocketClient client =
          EbsocketClient.builder()
              .pingInterval(Duration.ofMillis(100))
              .idleTimeout(Duration.ofMillis(400))
              .closeTimeout(Duration.ofMillis(200))
              .build();
      toClose.add(client);
      client.connectTo((InetSocketAddress) mute.getLocalSocketAddress());

      await().atMost(Duration.ofSeconds(5)).until(() -> !client.isConnected());
      assertThat(client.closeStatus()).get().extracting(CloseStatus::reason)
          .isEqualTo(CloseReason.IDLE_TIMEOUT);
      accepted.get().close();
    }
  }

  @Test
  void aFrameTrickledSlowerThanTheFrameTimeoutIsAProtocolError() {
    EbsocketSystem system =
        server(
            EbsocketServer.builder()
                .frameTimeout(Duration.ofMillis(300))
                .idleTimeout(Duration.ZERO)
                .pingInterval(Duration.ZERO));
    PumpRecorder recorder = new PumpRecorder(system);
    WireClient trickler = WireClient.connect(system.server().address());
    EbsocketConnection connection = recorder.nextClient();
    byte[] frame = WireClient.frame("{\"type\":\"message\",\"data\":{\"content\":\"never whole\"}}");
    trickler.sendRaw(java.util.Arrays.copyOf(frame, 10));

    Map<String, Object> error = trickler.readFrameOfType("ebsockets.error");
    assertThat(error.get("data").toString()).contains("frame_timeout");
    assertThat(recorder.nextDisconnect()).isSameAs(connection);
    assertThat(connection.closeStatus().orElseThrow().message()).startsWith("frame_timeout: ");
    trickler.close();
  }

  @Test
  void partialFramesBeyondTheBudgetWaitUntilOthersCompleteAndNothingIsLost() {
    EbsocketSystem system =
        server(EbsocketServer.builder().maxPartialFrameBytes(12 * 1024));
    PumpRecorder recorder = new PumpRecorder(system);
    byte[] first = WireClient.frame(bigMessage("first"));
    byte[] second = WireClient.frame(bigMessage("second"));
    WireClient a = WireClient.connect(system.server().address());
    WireClient b = WireClient.connect(system.server().address());
    recorder.nextClient();
    recorder.nextClient();

    // Each holds 8 KiB of a 16 KiB frame: together over the 12 KiB budget.
    a.sendRaw(java.util.Arrays.copyOf(first, 8 * 1024));
    b.sendRaw(java.util.Arrays.copyOf(second, 8 * 1024));
    a.sendRaw(java.util.Arrays.copyOfRange(first, 8 * 1024, first.length));
    b.sendRaw(java.util.Arrays.copyOfRange(second, 8 * 1024, second.length));

    List<String> got = List.of(
        recorder.nextEvent().getString("who"), recorder.nextEvent().getString("who"));
    assertThat(got).containsExactlyInAnyOrder("first", "second");
    assertThat(system.clients()).hasSize(2);
    a.close();
    b.close();
  }

  private static String bigMessage(String who) {
    return "{\"type\":\"big\",\"data\":{\"who\":\"" + who + "\",\"pad\":\""
        + "x".repeat(16 * 1024) + "\"}}";
  }

  @Test
  void aFullServerTellsTheNextClientAndNeverReportsIt() throws IOException {
    EbsocketSystem system = server(EbsocketServer.builder().maxConnections(2));
    PumpRecorder recorder = new PumpRecorder(system);
    client(EbsocketClient.builder(), system);
    client(EbsocketClient.builder(), system);
    recorder.nextClient();
    recorder.nextClient();

    EbsocketClient third = EbsocketClient.builder().build();
    toClose.add(third);
    assertThatThrownBy(() -> third.connectTo(system.server().address()))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("server_full");
    WireClient raw = WireClient.connect(system.server().address());
    assertThat(raw.readFrameOfType("ebsockets.close").get("data").toString())
        .contains("server_full");
    assertThat(raw.endOfStream()).isTrue();
    raw.close();

    recorder.assertEmpty();
    assertThat(system.clients()).hasSize(2);
  }

  @Test
  void anHttpRequestAtThePortIsRefusedAndLoggedAsOneLineWithoutAStackTrace() {
    EbsocketSystem system = server(EbsocketServer.builder());
    PumpRecorder recorder = new PumpRecorder(system);
    Logger logger = (Logger) LoggerFactory.getLogger(NettyConnection.class);
    ListAppender<ILoggingEvent> logs = new ListAppender<>();
    logs.start();
    logger.addAppender(logs);
    try {
      WireClient http = WireClient.connect(system.server().address());
      http.sendRaw("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      assertThat(http.readFrameOfType("ebsockets.error").get("data").toString())
          .contains("frame_too_long");
      recorder.nextClient();
      recorder.nextDisconnect();
      http.close();

      assertThat(logs.list).hasSize(1);
      ILoggingEvent line = logs.list.get(0);
      assertThat(line.getThrowableProxy()).isNull();
      assertThat(line.getFormattedMessage())
          .contains("protocol error frame_too_long")
          .contains("frame length 1195725856")
          .doesNotContain("\n");
    } finally {
      logger.detachAppender(logs);
    }
  }

  @Test
  void sendsAreRefusedAboveTheMaxFrameLengthThePeerAnnounced() throws IOException {
    EbsocketSystem system = server(EbsocketServer.builder());
    PumpRecorder recorder = new PumpRecorder(system);
    EbsocketClient small = client(EbsocketClient.builder().maxFrameLength(1024), system);
    EbsocketConnection connection = recorder.nextClient();
    EbsocketEvent big = message("y".repeat(2000));

    assertThat(system.sendEventTo(connection, big)).as("dropped, not thrown").isFalse();
    assertThat(system.sendEventToClients(big)).isZero();
    system.sendEventTo(connection, message("fits"));
    assertThat(small.recvEvent(PumpRecorder.TIMEOUT)).contains(message("fits"));

    // And the client refuses what the server announced it would not read.
    EbsocketSystem strict = server(EbsocketServer.builder().maxFrameLength(1024));
    EbsocketClient client = client(EbsocketClient.builder(), strict);
    assertThatThrownBy(() -> client.sendEvent(big))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("the max frame length the peer announced 1024");
    assertThat(client.isConnected()).isTrue();
  }

  @Test
  void aBareClientWithoutHelloStillWorksAndGetsNoWelcome() throws IOException {
    EbsocketSystem system = server(EbsocketServer.builder());
    PumpRecorder recorder = new PumpRecorder(system);
    try (Socket bare = new Socket()) {
      bare.connect(system.server().address());
      bare.setSoTimeout(10_000);
      OutputStream out = bare.getOutputStream();
      out.write(WireClient.frame("{\"type\":\"message\",\"data\":{\"content\":\"bare\"}}"));
      EbsocketConnection connection = recorder.nextClient();
      assertThat(recorder.nextEvent()).isEqualTo(message("bare"));
      system.sendEventTo(connection, message("back"));
      DataInputStream in = new DataInputStream(bare.getInputStream());
      byte[] payload = new byte[in.readInt()];
      in.readFully(payload);
      assertThat(new String(payload, StandardCharsets.UTF_8))
          .isEqualTo("{\"type\":\"message\",\"data\":{\"content\":\"back\"}}");
    }
  }
}
