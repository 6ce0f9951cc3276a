package io.ebsockets.netty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ebsockets.EbsocketConnection;
import io.ebsockets.EbsocketServer;
import io.ebsockets.EbsocketSystem;
import io.ebsockets.Listener;
import io.ebsockets.testsupport.PumpRecorder;
import io.ebsockets.testsupport.WireClient;
import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.haproxy.HAProxyCommand;
import io.netty.handler.codec.haproxy.HAProxyMessage;
import io.netty.handler.codec.haproxy.HAProxyMessageEncoder;
import io.netty.handler.codec.haproxy.HAProxyProtocolVersion;
import io.netty.handler.codec.haproxy.HAProxyProxiedProtocol;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A TCP door with the PROXY protocol: the client a version 1 or 2 header names is the
 * connection's address; a connection without a valid header is told {@code
 * invalid_proxy_header} and never reported; a {@code LOCAL} header keeps the proxy's address.
 */
class ProxyProtocolTest {
  private EbsocketSystem system;
  private PumpRecorder recorder;

  @BeforeEach
  void start() {
    system = new EbsocketSystem(EbsocketServer.builder()
        .listen(Listener.tcp("127.0.0.1", 0).withProxyProtocol()
            .withHandshakeTimeout(Duration.ofMillis(500)))
        .closeTimeout(Duration.ofMillis(300)).build());
    recorder = new PumpRecorder(system);
  }

  @AfterEach
  void stop() {
    system.close();
  }

  @Test
  void aVersion1HeaderNamesTheClientAndTheEventsBehindItArrive() throws Exception {
    try (WireClient proxy = WireClient.connect(system.server().address())) {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      bytes.writeBytes("PROXY TCP4 198.51.100.7 203.0.113.1 51234 7982\r\n"
          .getBytes(StandardCharsets.US_ASCII));
      bytes.writeBytes(WireClient.frame("{\"type\":\"hi\"}")); // in the same segment
      proxy.sendRaw(bytes.toByteArray());
      EbsocketConnection client = recorder.nextClient();
      assertThat(client.remoteAddress().getAddress().getHostAddress()).isEqualTo("198.51.100.7");
      assertThat(client.remoteAddress().getPort()).isEqualTo(51234);
      assertThat(recorder.nextEvent().type()).isEqualTo("hi");
    }
  }

  @Test
  void aVersion2HeaderNamesTheClientAndALocalOneKeepsTheProxys() throws Exception {
    try (WireClient proxy = WireClient.connect(system.server().address())) {
      proxy.sendRaw(encoded(new HAProxyMessage(HAProxyProtocolVersion.V2, HAProxyCommand.PROXY,
          HAProxyProxiedProtocol.TCP6, "2001:db8::17", "2001:db8::1", 40000, 7982)));
      proxy.sendFrame("{\"type\":\"hi\"}");
      EbsocketConnection client = recorder.nextClient();
      assertThat(client.remoteAddress().getAddress().getHostAddress())
          .isEqualTo("2001:db8:0:0:0:0:0:17");
      recorder.nextEvent();
    }
    try (WireClient proxy = WireClient.connect(system.server().address())) {
      proxy.sendRaw(encoded(new HAProxyMessage(HAProxyProtocolVersion.V2, HAProxyCommand.LOCAL,
          HAProxyProxiedProtocol.UNKNOWN, null, null, 0, 0)));
      proxy.sendFrame("{\"type\":\"hi\"}");
      assertThat(recorder.nextClient().remoteAddress().getAddress().getHostAddress())
          .isEqualTo("127.0.0.1");
      recorder.nextEvent();
    }
  }

  @Test
  void aConnectionThatDoesNotStartWithAHeaderIsToldWhyAndNeverReported() throws Exception {
    try (WireClient direct = WireClient.connect(system.server().address())) {
      direct.sendRaw("GET / HTTP/1.1\r\n".getBytes(StandardCharsets.US_ASCII));
      assertThat(direct.endOfStream()).isTrue(); // Netty's decoder closes it at once
    }
    try (WireClient silent = WireClient.connect(system.server().address())) {
      silent.sendFrame("{\"type\":\"hi\"}"); // a client that skips the proxy: no line end
      assertThat(errorOf(silent).get("message")).isEqualTo("no PROXY protocol header within"
          + " 500 ms of connecting (expected: the proxy's header first)");
    }
    recorder.assertEmpty();
    assertThat(system.stats().accepted()).isZero();
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> errorOf(WireClient client) {
    Map<String, Object> error =
        (Map<String, Object>) client.readFrameOfType("ebsockets.error").get("data");
    assertThat(error).containsEntry("code", "invalid_proxy_header");
    assertThat(client.endOfStream()).isTrue();
    return error;
  }

  @Test
  void onlyATcpDoorSpeaksIt() {
    assertThatThrownBy(() -> Listener.webSocket(0, "/ebs").withProxyProtocol())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("expected: a TCP door; the WebSocket door believes"
            + " X-Forwarded-For: withTrustedProxies");
  }

  private static byte[] encoded(HAProxyMessage message) {
    EmbeddedChannel encoder = new EmbeddedChannel(HAProxyMessageEncoder.INSTANCE);
    encoder.writeOutbound(message);
    ByteBuf out = encoder.readOutbound();
    byte[] bytes = new byte[out.readableBytes()];
    out.readBytes(bytes);
    out.release();
    encoder.finishAndReleaseAll();
    return bytes;
  }
}
