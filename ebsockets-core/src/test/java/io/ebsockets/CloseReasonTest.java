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
}
