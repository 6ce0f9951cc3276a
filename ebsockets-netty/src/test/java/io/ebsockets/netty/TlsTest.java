package io.ebsockets.netty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ebsockets.ClientTls;
import io.ebsockets.CloseReason;
import io.ebsockets.EbsocketClient;
import io.ebsockets.EbsocketConnection;
import io.ebsockets.EbsocketEvent;
import io.ebsockets.EbsocketServer;
import io.ebsockets.EbsocketSystem;
import io.ebsockets.ReconnectPolicy;
import io.ebsockets.ServerTls;
import io.ebsockets.testsupport.PumpRecorder;
import io.ebsockets.testsupport.WireClient;
import io.netty.buffer.ByteBufAllocator;
import io.netty.pkitesting.CertificateBuilder;
import io.netty.pkitesting.X509Bundle;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** TLS over real loopback sockets, with a CA and certificates made at test time. */
class TlsTest {
  private static final Duration WAIT = PumpRecorder.TIMEOUT;

  @TempDir static Path dir;
  private static X509Bundle ca;
  private static ServerTls serverTls;
  private static ServerTls otherNameTls;
  private static ClientTls trustCa;

  private final List<AutoCloseable> toClose = new CopyOnWriteArrayList<>();

  @BeforeAll
  static void makeCertificates() throws Exception {
    ca =
        new CertificateBuilder()
            .subject("CN=ebsockets test CA")
            .setIsCertificateAuthority(true)
            .ecp256()
            .buildSelfSigned();
    serverTls = issue("localhost", "server", "127.0.0.1");
    otherNameTls = issue("chat.example.org", "other", null);
    trustCa = ClientTls.trustPem(write("ca.pem", ca.getCertificatePEM()));
  }

  private static ServerTls issue(String dnsName, String file, String ip) throws Exception {
    CertificateBuilder builder =
        new CertificateBuilder()
            .subject("CN=" + dnsName)
            .addSanDnsName(dnsName)
            .ecp256()
            .addExtendedKeyUsageServerAuth();
    if (ip != null) {
      builder.addSanIpAddress(ip);
    }
    X509Bundle bundle = builder.buildIssuedBy(ca);
    return ServerTls.fromPem(
        write(file + "-chain.pem", bundle.getCertificatePathPEM()),
        write(file + "-key.pem", bundle.getPrivateKeyPEM()));
  }

  private static Path write(String name, String content) throws IOException {
    return Files.writeString(dir.resolve(name), content);
  }

  @AfterEach
  void closeEverything() throws Exception {
    for (AutoCloseable closeable : toClose) {
      closeable.close();
    }
  }

  private EbsocketSystem system(ServerTls tls) {
    EbsocketServer.Builder builder =
        EbsocketServer.builder().host("127.0.0.1").port(0).closeTimeout(Duration.ofMillis(500));
    if (tls != null) {
      builder.tls(tls);
    }
    EbsocketSystem system = new EbsocketSystem(builder.build());
    toClose.add(system);
    return system;
  }

  private EbsocketClient client(ClientTls tls) {
    EbsocketClient.Builder builder = EbsocketClient.builder().closeTimeout(Duration.ofMillis(500));
    if (tls != null) {
      builder.tls(tls);
    }
    EbsocketClient client = builder.build();
    toClose.add(client);
    return client;
  }

  private static EbsocketEvent everyShape() {
    Map<String, Object> nested = new LinkedHashMap<>();
    nested.put("list", List.of(1, "two", 3.5, true, List.of()));
    nested.put("null", null);
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("text", "héllo, 世界 🌍 \"quoted\" \\ \n");
    data.put("int", 42);
    data.put("long", 1L << 40);
    data.put("double", -0.125);
    data.put("bool", false);
    data.put("empty", Map.of());
    data.put("nested", nested);
    data.put("big", "x".repeat(100_000));
    return new EbsocketEvent("shapes", data);
  }

  @Test
  void everyEventShapeAndARequestRoundTripOverTls() throws Exception {
    EbsocketSystem system = system(serverTls);
    PumpRecorder recorder = new PumpRecorder(system);
    EbsocketClient client = client(trustCa);
    client.connectTo(system.server().address());
    EbsocketConnection connection = recorder.nextClient();

    List<EbsocketEvent> events =
        List.of(everyShape(), new EbsocketEvent("no-data"), everyShape().with("more", 1));
    for (EbsocketEvent event : events) {
      client.sendEvent(event);
      assertThat(recorder.nextEvent()).isEqualTo(event);
      system.sendEventTo(connection, event);
      assertThat(client.recvEvent(WAIT)).contains(event);
    }
    var reply = client.request(new EbsocketEvent("ping"), WAIT);
    EbsocketEvent request = recorder.nextEvent();
    system.reply(request, everyShape());
    assertThat(reply.get(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isEqualTo(everyShape());
    recorder.assertEmpty();
  }

  @Test
  void anEbssUriSpeaksTlsAndAPlainUriWithTlsConfiguredIsRefused() throws Exception {
    EbsocketSystem system = system(serverTls);
    PumpRecorder recorder = new PumpRecorder(system);
    java.net.URI uri = system.server().uri(io.ebsockets.Door.TCP);
    assertThat(uri.getScheme()).isEqualTo("ebss");
    EbsocketClient client = client(trustCa);
    client.connectTo(uri);
    EbsocketConnection connection = recorder.nextClient();
    system.sendEventTo(connection, new EbsocketEvent("over-tls"));
    assertThat(client.recvEvent(WAIT)).contains(new EbsocketEvent("over-tls"));

    EbsocketClient confused = client(trustCa);
    java.net.URI plain = java.net.URI.create("ebs://127.0.0.1:" + uri.getPort());
    assertThatThrownBy(() -> confused.connectTo(plain))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("is plain while the client is configured for TLS")
        .hasMessageContaining("ebss://");
  }

  @Test
  void bothSidesEnableExactlyTls13AndTls12() throws Exception {
    String[] server =
        TlsContexts.server(serverTls).newEngine(ByteBufAllocator.DEFAULT).getEnabledProtocols();
    String[] client =
        TlsContexts.client(trustCa).newEngine(ByteBufAllocator.DEFAULT).getEnabledProtocols();

    assertThat(server).containsExactlyInAnyOrder("TLSv1.3", "TLSv1.2");
    assertThat(client).containsExactlyInAnyOrder("TLSv1.3", "TLSv1.2");
  }

  @Test
  void aLiveServerNegotiatesTls13OrTls12AsThePeerOffers() throws Exception {
    EbsocketSystem system = system(serverTls);
    InetSocketAddress address = system.server().address();
    SSLContext jdk = SSLContext.getInstance("TLS");
    jdk.init(null, ca.toTrustManagerFactory().getTrustManagers(), null);

    for (String offered : List.of("TLSv1.3", "TLSv1.2")) {
      try (SSLSocket socket =
          (SSLSocket) jdk.getSocketFactory().createSocket(address.getAddress(), address.getPort())) {
        socket.setEnabledProtocols(new String[] {offered});
        socket.startHandshake();
        assertThat(socket.getSession().getProtocol()).isEqualTo(offered);
      }
    }
  }

  @Test
  void aPlainClientAtATlsServerFailsFastWithAClearErrorOnBothSides() throws Exception {
    EbsocketSystem system = system(serverTls);
    PumpRecorder recorder = new PumpRecorder(system);

    assertThatThrownBy(() -> client(null).connectTo(system.server().address()))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("tls_required")
        .hasMessageContaining("this server speaks TLS only");
    assertServerReportsProtocolError(recorder, "tls_required: a client without TLS");

    try (WireClient plain = WireClient.connect(system.server().address())) {
      plain.sendFrame("{\"type\":\"message\",\"data\":{}}");
      assertThat(plain.readFrameOfType("ebsockets.error")).containsEntry("data",
          Map.of("code", "tls_required", "message",
              "this server speaks TLS only (expected: a TLS ClientHello, got 0000001c7b227479...)"));
      assertThat(plain.endOfStream()).isTrue();
    }
  }

  @Test
  void aTlsClientAtAPlainServerFailsFastWithAClearErrorOnBothSides() throws Exception {
    EbsocketSystem system = system(null);
    PumpRecorder recorder = new PumpRecorder(system);

    assertThatThrownBy(() -> client(trustCa).connectTo(system.server().address()))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("the server does not speak TLS");
    assertServerReportsProtocolError(
        recorder,
        "frame_too_long",
        "the bytes are a TLS ClientHello, and this side speaks plain TCP");
  }

  /** The refused connection was reported, then closed with a protocol error saying all this. */
  private static void assertServerReportsProtocolError(PumpRecorder recorder, String... parts) {
    recorder.nextClient();
    EbsocketConnection refused = recorder.nextDisconnect();
    assertThat(refused.closeStatus())
        .hasValueSatisfying(
            status -> {
              assertThat(status.reason()).isEqualTo(CloseReason.PROTOCOL_ERROR);
              for (String part : parts) {
                assertThat(status.message()).contains(part);
              }
            });
  }

  @Test
  void aClientTurnedAwayAtATlsDoorIsToldWhyAndWhenToComeBack() throws Exception {
    // Turned away at accept, before its handshake: the farewell must wait for the handshake,
    // so the server's closing may not throw away the handshake's bytes.
    EbsocketSystem system = new EbsocketSystem(EbsocketServer.builder().host("127.0.0.1")
        .port(0).tls(serverTls).acceptRate(1).closeTimeout(Duration.ofSeconds(5)).build());
    toClose.add(system);
    client(trustCa).connectTo(system.server().address());
    assertThatThrownBy(() -> client(trustCa).connectTo(system.server().address()))
        .isInstanceOfSatisfying(io.ebsockets.ConnectionEndedException.class, e -> {
          assertThat(e.status().reason()).isEqualTo(io.ebsockets.CloseReason.OVERLOADED);
          assertThat(e.status().retryHint()).isPresent();
        });
  }

  @Test
  void anUntrustedCertificateOrAWrongHostNameFailsTheConnect() throws Exception {
    EbsocketSystem system = system(serverTls);
    assertThatThrownBy(() -> client(ClientTls.systemTrust()).connectTo(system.server().address()))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("TLS failed");

    EbsocketSystem other = system(otherNameTls);
    assertThatThrownBy(() -> client(trustCa).connectTo(other.server().address()))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("TLS failed")
        .hasMessageContaining("127.0.0.1");
  }

  @Test
  void aReconnectingTlsClientComesBackOverTlsAfterARestart() throws Exception {
    EbsocketSystem first = system(serverTls);
    int port = first.server().address().getPort();
    EbsocketClient client =
        EbsocketClient.builder()
            .tls(trustCa)
            .reconnect(ReconnectPolicy.builder().initialDelay(Duration.ofMillis(20))
                .maxDelay(Duration.ofMillis(100)).build())
            .closeTimeout(Duration.ofMillis(500))
            .build();
    toClose.add(client);
    client.connectTo("127.0.0.1", port);
    first.close();
    client.sendEvent(new EbsocketEvent("held"));

    EbsocketSystem second = new EbsocketSystem(EbsocketServer.builder().host("127.0.0.1")
        .port(port).tls(serverTls).closeTimeout(Duration.ofMillis(500)).build());
    toClose.add(second);
    assertThat(new PumpRecorder(second).nextEvent()).isEqualTo(new EbsocketEvent("held"));
    // The held event is written as the link comes up, a moment before the client says so.
    org.awaitility.Awaitility.await().atMost(PumpRecorder.TIMEOUT).until(client::isConnected);
  }

  @Test
  void theInsecureOptionAcceptsAnyCertificateButStillEncrypts() throws Exception {
    EbsocketSystem system = system(otherNameTls);
    PumpRecorder recorder = new PumpRecorder(system);
    EbsocketClient client = client(ClientTls.insecureTrustAnyCertificate());
    client.connectTo(system.server().address());
    client.sendEvent(new EbsocketEvent("message").with("content", "dev only"));

    assertThat(recorder.nextEvent().getString("content")).isEqualTo("dev only");
    assertThat(ClientTls.insecureTrustAnyCertificate().toString()).contains("INSECURE");
  }

  @Test
  void unreadableOrInvalidPemFilesAreNamedInTheError() throws Exception {
    Path missing = dir.resolve("missing.pem");
    assertThatThrownBy(() -> ServerTls.fromPem(missing, missing))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("certificateChain: " + missing + " (expected: a readable PEM file)");

    Path garbage = write("garbage.pem", "not a certificate");
    ServerTls bad = ServerTls.fromPem(garbage, garbage);
    assertThatThrownBy(() -> system(bad))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("tls: cannot load the certificate chain " + garbage);
    assertThat(Arrays.asList(ServerTls.PROTOCOLS.toArray())).containsExactly("TLSv1.3", "TLSv1.2");
  }
}
