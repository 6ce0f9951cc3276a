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
  /** The interval at 100 a second: one per 1/90 s. */
  private static final long INTERVAL = 1_000_000_000L / 90;

  @Test
  void aBurstOfATenthOfTheRatePassesThenOnePerInterval() {
    Comebacks rate = new Comebacks(Duration.ofSeconds(1), 100); // 1/90 s apart, burst of 10
    long now = 1_000 * MS;
    int passed = 0;
    for (int i = 0; i < 50; i++) {
      if (rate.admit(now) == null) {
        passed++;
      }
    }
    assertThat(passed).isEqualTo(10);
    assertThat(rate.admit(now + INTERVAL)).isNull(); // one interval later, one more
    assertThat(rate.admit(now + INTERVAL)).isNotNull();
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
      assertThat(hints.get(i) - hints.get(i - 1)).isEqualTo(INTERVAL);
    }
    // 200 turned away at 90 a second: the last comes back about 2.2 seconds on.
    assertThat(hints.get(hints.size() - 1)).isBetween(2_210 * MS, 2_235 * MS);
  }

  @Test
  void noSecondEverHoldsMoreThanTheRateHoweverTheyCome() {
    Comebacks rate = new Comebacks(Duration.ofSeconds(1), 100);
    java.util.Random random = new java.util.Random(7);
    List<Long> passed = new ArrayList<>();
    long now = 1_000 * MS;
    for (int i = 0; i < 20_000; i++) {
      now += (long) (random.nextDouble() * 2 * MS); // about 1,000 a second, in bunches
      if (rate.admit(now) == null) {
        passed.add(now);
      }
    }
    int from = 0;
    for (int to = 0; to < passed.size(); to++) {
      while (passed.get(to) - passed.get(from) >= 1_000 * MS) {
        from++;
      }
      assertThat(to - from + 1).as("passed within one second").isLessThanOrEqualTo(100);
    }
    assertThat(passed.size()).isGreaterThan(1_700); // 90 a second over about 20 s
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
