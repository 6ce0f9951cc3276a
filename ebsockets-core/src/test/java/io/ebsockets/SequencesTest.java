package io.ebsockets;

import static org.assertj.core.api.Assertions.assertThat;

import io.ebsockets.Sequences.Verdict;
import org.junit.jupiter.api.Test;

class SequencesTest {
  private final Sequences sequences = new Sequences();

  @Test
  void aStreamStartsWhereverItIsFirstSeenAndThenRunsOneByOne() {
    assertThat(sequences.take("all", "a", 7, 41)).isEqualTo(Verdict.NEXT);
    assertThat(sequences.take("all", "a", 7, 42)).isEqualTo(Verdict.NEXT);
  }

  @Test
  void aNumberTakenBeforeIsADuplicate() {
    sequences.take("all", "a", 7, 1);
    sequences.take("all", "a", 7, 2);
    assertThat(sequences.take("all", "a", 7, 2)).isEqualTo(Verdict.DUPLICATE);
    assertThat(sequences.take("all", "a", 7, 1)).isEqualTo(Verdict.DUPLICATE);
  }

  @Test
  void aJumpIsAGapOfTheNumbersSkipped() {
    sequences.take("all", "a", 7, 1);
    assertThat(sequences.take("all", "a", 7, 5)).isEqualTo(Verdict.AFTER_GAP);
    assertThat(sequences.missed()).isEqualTo(3);
    assertThat(sequences.take("all", "a", 7, 6)).isEqualTo(Verdict.NEXT);
  }

  @Test
  void aNewEpochIsANewStreamNotADuplicate() {
    sequences.take("all", "a", 7, 100);
    assertThat(sequences.take("all", "a", 8, 1)).isEqualTo(Verdict.NEXT);
  }

  @Test
  void sendersAndChannelsAreCountedApart() {
    sequences.take("all", "a", 7, 1);
    assertThat(sequences.take("all", "b", 9, 1)).isEqualTo(Verdict.NEXT);
    assertThat(sequences.take("group:x", "a", 7, 1)).isEqualTo(Verdict.NEXT);
    assertThat(sequences.take("all", "a", 7, 2)).isEqualTo(Verdict.NEXT);
  }

  @Test
  void aChannelLeftOnPurposeIsForgottenSoItsNextMessageIsNoGap() {
    sequences.take("group:x", "a", 7, 1);
    sequences.forget("group:x");
    assertThat(sequences.take("group:x", "a", 7, 90)).isEqualTo(Verdict.NEXT);
  }
}
