package io.ebsockets;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The core module alone has no transport on its class path. */
class NoTransportTest {

  @Test
  void serverWithoutATransportSaysWhichDependencyIsMissing() {
    assertThatThrownBy(() -> new EbsocketServer("127.0.0.1", 0))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("io.ebsockets:ebsockets-netty");
  }

  @Test
  void builderValidatesEachOption() {
    assertThatThrownBy(() -> EbsocketServer.builder().maxFrameLength(0))
        .hasMessage("maxFrameLength: 0 (expected: at least 1024, the smallest a peer may announce;"
            + " every control frame fits in it)");
    assertThatThrownBy(() -> EbsocketServer.builder().port(70000))
        .hasMessage("port: 70000 (expected: 0 to 65535)");
    assertThatThrownBy(() -> EbsocketClient.builder().connectTimeout(java.time.Duration.ZERO))
        .hasMessage("connectTimeout: PT0S (expected: > 0)");
  }

  @Test
  void clientThatNeverConnectedRefusesToSendOrReceive() {
    EbsocketClient client = new EbsocketClient();
    assertThatThrownBy(() -> client.sendEvent(new EbsocketEvent("x")))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("connectTo first");
    assertThatThrownBy(client::recvEvent).isInstanceOf(IllegalStateException.class);
    org.assertj.core.api.Assertions.assertThat(client.isConnected()).isFalse();
    org.assertj.core.api.Assertions.assertThat(client.pump().connected()).isFalse();
    client.close();
  }
}
