package io.ebsockets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BusEnvelopeTest {
  @Test
  void anEventComesBackAsItWasSentWithItsStamp() {
    EbsocketEvent sent = new EbsocketEvent("message")
        .with("content", "hé").with("n", 3).with("big", 1L << 40).with("list", List.of(1, "x"))
        .with("nested", Map.of("k", true));
    BusEnvelope e = BusEnvelope.decode(
        BusEnvelope.encode(BusEnvelope.EVENT, "chat-1", 99, 42, 17, sent));
    assertThat(e.kind()).isEqualTo(BusEnvelope.EVENT);
    assertThat(e.node()).isEqualTo("chat-1");
    assertThat(e.epoch()).isEqualTo(99);
    assertThat(e.seq()).isEqualTo(42);
    assertThat(e.target()).isEqualTo(17);
    assertThat(e.event()).isEqualTo(sent);
  }

  @Test
  void aProbeHasNoTargetAndNoEvent() {
    BusEnvelope e = BusEnvelope.decode(BusEnvelope.encode(BusEnvelope.PROBE, "n", 1, 0, -1, null));
    assertThat(e.kind()).isEqualTo(BusEnvelope.PROBE);
    assertThat(e.target()).isEqualTo(-1);
  }

  @Test
  void aMessageNoNodeWroteIsRefusedNamingWhatWasExpected() {
    assertThatThrownBy(() -> BusEnvelope.decode("hello".getBytes(StandardCharsets.US_ASCII)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("cluster message 'hello' (expected: a header line)");
    assertThatThrownBy(() -> BusEnvelope.decode("E a b c d\n{}".getBytes(StandardCharsets.US_ASCII)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("expected: numbers and a node id in the header");
  }
}
