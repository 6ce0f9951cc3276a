package io.ebsockets.netty;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class FrameBudgetTest {

  @Test
  void reservationsOverTheBudgetAreReportedAndReleasesGiveRoomBack() {
    FrameBudget budget = new FrameBudget(100);

    assertThat(budget.adjust(60)).as("60 of 100").isTrue();
    assertThat(budget.adjust(60)).as("120 of 100").isFalse();
    assertThat(budget.used()).isEqualTo(120);
    assertThat(budget.adjust(-60)).as("back to 60").isTrue();
    assertThat(budget.adjust(40)).as("exactly 100").isTrue();
    assertThat(budget.adjust(-100)).isTrue();
    assertThat(budget.used()).isZero();
  }

  @Test
  void theUnlimitedBudgetNeverRefuses() {
    assertThat(FrameBudget.UNLIMITED.adjust(Integer.MAX_VALUE)).isTrue();
    assertThat(FrameBudget.UNLIMITED.adjust(-Integer.MAX_VALUE)).isTrue();
  }
}
