package io.ebsockets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ReconnectPolicyTest {
  private final ReconnectPolicy policy =
      ReconnectPolicy.builder()
          .initialDelay(Duration.ofMillis(100))
          .maxDelay(Duration.ofSeconds(1))
          .build();

  private static long millis(long nanos) {
    return Duration.ofNanos(nanos).toMillis();
  }

  @Test
  void theCeilingDoublesEachAttemptUpToTheMaxDelay() {
    double top = Math.nextDown(1.0);
    assertThat(millis(policy.delayNanos(1, top))).isEqualTo(99);
    assertThat(millis(policy.delayNanos(2, top))).isEqualTo(199);
    assertThat(millis(policy.delayNanos(4, top))).isEqualTo(799);
    assertThat(millis(policy.delayNanos(5, top))).isEqualTo(999);
    assertThat(millis(policy.delayNanos(Integer.MAX_VALUE, top))).isEqualTo(999);
  }

  @Test
  void fullJitterSpreadsDelaysFromZeroToTheCeiling() {
    assertThat(policy.delayNanos(3, 0.0)).isZero();
    assertThat(millis(policy.delayNanos(3, 0.5))).isEqualTo(200);
  }

  @Test
  void settingsAreValidatedWithTheNameAndTheExpectation() {
    assertThatThrownBy(() -> ReconnectPolicy.builder().initialDelay(Duration.ZERO))
        .hasMessageContaining("initialDelay");
    assertThatThrownBy(() -> ReconnectPolicy.builder().offlineBufferEvents(0))
        .hasMessageContaining("offlineBufferEvents");
    assertThatThrownBy(
            () ->
                ReconnectPolicy.builder()
                    .initialDelay(Duration.ofSeconds(2))
                    .maxDelay(Duration.ofSeconds(1))
                    .build())
        .hasMessage("maxDelay: PT1S (expected: at least initialDelay PT2S)");
  }

  @Test
  void onlyTheClientsOwnCloseAKickAndARefusalAreFinal() {
    for (CloseReason reason : CloseReason.values()) {
      boolean expected = reason != CloseReason.CLIENT_CLOSED && reason != CloseReason.KICKED
          && reason != CloseReason.UNAUTHORIZED;
      assertThat(ReconnectPolicy.reconnectsAfter(reason)).as(reason.name()).isEqualTo(expected);
    }
  }
}
