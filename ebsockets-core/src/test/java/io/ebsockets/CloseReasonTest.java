package io.ebsockets;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CloseReasonTest {

  @Test
  void wireNamesAreLowerSnakeCaseAndRoundTrip() {
    assertThat(CloseReason.PROTOCOL_ERROR.wireName()).isEqualTo("protocol_error");
    for (CloseReason reason : CloseReason.values()) {
      assertThat(CloseReason.fromWireName(reason.wireName())).contains(reason);
    }
    assertThat(CloseReason.fromWireName("from_the_future")).isEmpty();
  }

  @Test
  void closeStatusPrintsReasonAndMessage() {
    assertThat(new CloseStatus(CloseReason.KICKED, "bye")).hasToString("kicked: bye");
    assertThat(new CloseStatus(CloseReason.PEER_CLOSED, "")).hasToString("peer_closed");
  }

  @Test
  void aRetryHintIsKeptPrintedAndNeverNegative() {
    CloseStatus hinted =
        new CloseStatus(CloseReason.OVERLOADED, "busy", java.time.Duration.ofMillis(1500));
    assertThat(hinted).hasToString("overloaded: busy (retry after 1500 ms)");
    assertThat(hinted.retryHint()).contains(java.time.Duration.ofMillis(1500));
    assertThat(new CloseStatus(CloseReason.KICKED, "bye").retryHint()).isEmpty();
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> new CloseStatus(CloseReason.OVERLOADED, "", java.time.Duration.ofMillis(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("retryAfter");
  }
}
