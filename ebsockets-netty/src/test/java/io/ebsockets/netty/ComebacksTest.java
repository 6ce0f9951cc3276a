package io.ebsockets.netty;

import static org.assertj.core.api.Assertions.assertThat;

import io.ebsockets.CloseReason;
import io.ebsockets.CloseStatus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The accept rate's arithmetic and the hints' ranges, on a clock the test moves. */
class ComebacksTest {
  private static final long MS = 1_000_000;

  @Test
  void aBurstOfATenthOfASecondPassesThenOnePerInterval() {
    Comebacks rate = new Comebacks(Duration.ofSeconds(1), 100); // 10 ms apart, burst of 10
    long now = 1_000 * MS;
    int passed = 0;
    for (int i = 0; i < 50; i++) {
      if (rate.admit(now) == null) {
        passed++;
      }
    }
    assertThat(passed).isEqualTo(10);
    assertThat(rate.admit(now + 10 * MS)).isNull(); // one interval later, one more
    assertThat(rate.admit(now + 10 * MS)).isNotNull();
  }

  @Test
  void theTurnedAwayArePromisedSlotsOneIntervalApartInTheOrderTheyCame() {
    Comebacks rate = new Comebacks(Duration.ofSeconds(1), 100);
    long now = 1_000 * MS;
    while (rate.admit(now) == null) {
      // the burst
    }
    List<Long> hints = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      CloseStatus turnedAway = rate.admit(now);
      assertThat(turnedAway.reason()).isEqualTo(CloseReason.OVERLOADED);
      assertThat(turnedAway.message()).contains("taking 100 new connections a second");
      hints.add(turnedAway.retryAfter().toNanos());
    }
    for (int i = 1; i < hints.size(); i++) {
      assertThat(hints.get(i) - hints.get(i - 1)).isEqualTo(10 * MS);
    }
    // 201 turned away at 100 a second: the last comes back about two seconds on.
    assertThat(hints.get(hints.size() - 1)).isBetween(1_990 * MS, 2_010 * MS);
  }

  @Test
  void whoComesBackAtItsSlotIsLetIn() {
    Comebacks rate = new Comebacks(Duration.ofSeconds(1), 100);
    long now = 1_000 * MS;
    while (rate.admit(now) == null) {
      // the burst
    }
    long slot = now + rate.admit(now).retryAfter().toNanos();
    assertThat(rate.admit(slot)).isNull();
  }

  @Test
  void withoutARateEveryoneIsLetIn() {
    Comebacks none = new Comebacks(Duration.ofSeconds(1), Integer.MAX_VALUE);
    for (int i = 0; i < 10_000; i++) {
      assertThat(none.admit(0)).isNull();
    }
  }

  @Test
  void fullAndShutdownHintsLieBetweenTheBaseAndTwiceItOrTheRatesSpread() {
    Comebacks hints = new Comebacks(Duration.ofSeconds(2), 1_000);
    for (int i = 0; i < 1_000; i++) {
      CloseStatus full = hints.full("server full");
      assertThat(full.reason()).isEqualTo(CloseReason.SERVER_FULL);
      assertThat(full.retryAfter()).isBetween(Duration.ofSeconds(2), Duration.ofSeconds(4));
      assertThat(hints.shutdown().retryAfter())
          .isBetween(Duration.ofSeconds(2), Duration.ofSeconds(4));
    }
    hints.shuttingDown(10_000); // 12.5 s at 80% of 1,000 a second
    long longest = 0;
    for (int i = 0; i < 1_000; i++) {
      Duration hint = hints.shutdown().retryAfter();
      assertThat(hint).isBetween(Duration.ofSeconds(2), Duration.ofMillis(14_500));
      longest = Math.max(longest, hint.toMillis());
    }
    assertThat(longest).isGreaterThan(12_000); // spread over the whole range, not the base's
  }
}
