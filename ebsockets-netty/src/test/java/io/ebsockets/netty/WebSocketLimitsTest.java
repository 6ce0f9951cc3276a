package io.ebsockets.netty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ebsockets.ClientTls;
import io.ebsockets.CloseReason;
import io.ebsockets.CloseStatus;
import io.ebsockets.Door;
import io.ebsockets.EbsocketClient;
import io.ebsockets.EbsocketConnection;
import io.ebsockets.EbsocketEvent;
import io.ebsockets.EbsocketServer;
import io.ebsockets.EbsocketSystem;
import io.ebsockets.Listener;
import io.ebsockets.ServerTls;
import io.ebsockets.testsupport.PumpRecorder;
import io.netty.pkitesting.CertificateBuilder;
import io.netty.pkitesting.X509Bundle;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The TCP door's limits and behaviour on the WebSocket door: heartbeats and the idle timeout,
 * the slow-consumer drop with a bystander unaffected, inbound backpressure with nothing lost,
 * and TLS ({@code wss}) from the same {@link ServerTls}.
 */
class WebSocketLimitsTest {
  private final List<AutoCloseable> toClose = new ArrayList<>();

  @AfterEach
  void closeAll() throws Exception {
    for (AutoCloseable c : toClose) {
      c.close();
    }
  }

  private EbsocketSystem server(EbsocketServer.Builder builder) {
    EbsocketSystem system = new EbsocketSystem(builder
        .listen(Listener.webSocket("127.0.0.1", 0, "/ebs"))
        .closeTimeout(Duration.ofMillis(300))
        .build());
    toClose.add(system);
    return system;
  }

  private EbsocketClient client(EbsocketClient.Builder builder, URI uri) throws Exception {
    EbsocketClient client = builder.closeTimeout(Duration.ofMillis(300)).build();
    toClose.add(client);
    client.connectTo(uri);
    return client;
  }

  @Test
  void aPeerThatAnswersNoPingIsClosedForIdlenessAndOneThatDoesStays() throws Exception {
    EbsocketSystem system = server(EbsocketServer.builder()
        .pingInterval(Duration.ofMillis(100)).idleTimeout(Duration.ofMillis(500)));
    PumpRecorder recorder = new PumpRecorder(system);
    EbsocketClient answering = client(EbsocketClient.builder(), system.server().uri(Door.WEB_SOCKET));
    recorder.nextClient();
    WsPeer silent = WsPeer.connect(system.server().uri(Door.WEB_SOCKET));
    toClose.add(silent);
    silent.hello("{}");
    EbsocketConnection silentConnection = recorder.nextClient();

    assertThat(silent.readOfType("ebsockets.ping")).isNotNull();
    assertThat(silent.closed().code()).isEqualTo(CloseReason.IDLE_TIMEOUT.webSocketCloseCode());
    assertThat(recorder.nextDisconnect()).isSameAs(silentConnection);
    assertThat(silentConnection.closeStatus()).get().extracting(CloseStatus::reason)
        .isEqualTo(CloseReason.IDLE_TIMEOUT);
    await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3))
        .until(answering::isConnected);
  }

  @Test
  void aPeerThatStopsReadingIsDroppedAsASlowConsumerAndABystanderCarriesOn() throws Exception {
    EbsocketSystem system = server(EbsocketServer.builder()
        .maxFrameLength(16 * 1024).maxOutboundBytes(64 * 1024)
        .slowConsumerTimeout(Duration.ofMillis(200)));
    PumpRecorder recorder = new PumpRecorder(system);
    WsPeer slow = WsPeer.connect(system.server().uri(Door.WEB_SOCKET));
    toClose.add(slow);
    slow.hello("{}");
    EbsocketConnection slowConnection = recorder.nextClient();
    slow.stall();
    EbsocketClient bystander = client(EbsocketClient.builder(), system.server().uri(Door.WEB_SOCKET));
    recorder.nextClient();

    // Large lines, so that few fill the sockets' buffers (megabytes on loopback) quickly.
    EbsocketEvent line = new EbsocketEvent("line").with("text", "x".repeat(15_000));
    int[] counter = {0};
    while (slowConnection.isOpen() && counter[0] < 20_000) {
      int first = counter[0];
      for (int i = 0; i < 20; i++) {
        system.sendEventToClients(line.with("n", counter[0]++));
      }
      for (int n = first; n < counter[0]; n++) { // the bystander keeps up
        int expected = n;
        assertThat(bystander.recvEvent(PumpRecorder.TIMEOUT))
            .hasValueSatisfying(e -> assertThat(e.getInt("n")).isEqualTo(expected));
      }
    }

    assertThat(slowConnection.isOpen()).isFalse();
    assertThat(recorder.nextDisconnect()).isSameAs(slowConnection);
    assertThat(slowConnection.closeStatus()).get().extracting(CloseStatus::reason)
        .isEqualTo(CloseReason.SLOW_CONSUMER);
    system.sendEventToClients(new EbsocketEvent("after"));
    assertThat(bystander.recvEvent(PumpRecorder.TIMEOUT)).contains(new EbsocketEvent("after"));
    assertThat(system.stats().slowConsumerDrops()).isEqualTo(1);
  }

  @Test
  void aClientThatSendsFasterThanThePumpIsPausedAndNothingIsLost() throws Exception {
    EbsocketSystem system = server(EbsocketServer.builder().maxQueuedEventsPerConnection(50));
    PumpRecorder recorder = new PumpRecorder(system);
    EbsocketClient sender = client(EbsocketClient.builder(), system.server().uri(Door.WEB_SOCKET));
    EbsocketConnection connection = recorder.nextClient();

    int total = 5_000;
    for (int i = 0; i < total; i++) {
      sender.sendEvent(new EbsocketEvent("seq").with("n", i));
    }
    await().atMost(PumpRecorder.TIMEOUT)
        .until(() -> system.stats().queuedEvents() >= 50); // the allowance is full; reads stop
    for (int i = 0; i < total; i++) {
      EbsocketEvent event = recorder.nextEvent();
      assertThat(event.getInt("n")).isEqualTo(i);
      assertThat(event.source()).contains(connection);
    }
    recorder.assertEmpty();
    assertThat(connection.isOpen()).isTrue();
  }

  @Test
  void wssSpeaksTlsWithTheServersIdentity(@TempDir Path dir) throws Exception {
    X509Bundle ca = new CertificateBuilder()
        .subject("CN=ebsockets test CA").setIsCertificateAuthority(true).ecp256().buildSelfSigned();
    X509Bundle cert = new CertificateBuilder()
        .subject("CN=localhost").addSanDnsName("localhost").addSanIpAddress("127.0.0.1")
        .ecp256().addExtendedKeyUsageServerAuth().buildIssuedBy(ca);
    ServerTls identity = ServerTls.fromPem(
        Files.writeString(dir.resolve("chain.pem"), cert.getCertificatePathPEM()),
        Files.writeString(dir.resolve("key.pem"), cert.getPrivateKeyPEM()));
    EbsocketSystem system = server(EbsocketServer.builder().tls(identity));
    PumpRecorder recorder = new PumpRecorder(system);
    URI uri = system.server().uri(Door.WEB_SOCKET);
    assertThat(uri.getScheme()).isEqualTo("wss");

    EbsocketClient client = client(
        EbsocketClient.builder().tls(ClientTls.trustPem(
            Files.writeString(dir.resolve("ca.pem"), ca.getCertificatePEM()))), uri);
    EbsocketConnection connection = recorder.nextClient();
    client.sendEvent(new EbsocketEvent("secret").with("n", 1));
    assertThat(recorder.nextEvent()).isEqualTo(new EbsocketEvent("secret").with("n", 1));
    system.sendEventTo(connection, new EbsocketEvent("back"));
    assertThat(client.recvEvent(PumpRecorder.TIMEOUT)).contains(new EbsocketEvent("back"));
  }
}
