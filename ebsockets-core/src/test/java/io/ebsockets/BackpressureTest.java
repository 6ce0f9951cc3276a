package io.ebsockets;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class BackpressureTest {

  @Test
  void aPausedConnectionIsAskedToResumeOnceUntilItsTransportHasChecked() {
    Backpressure backpressure = new Backpressure(2, 1000, 1 << 20);
    FakeChannel channel = new FakeChannel();
    Backpressure.Account account = backpressure.account(channel);
    backpressure.received(account, 10, false);
    assertThat(backpressure.received(account, 10, false)).as("over its allowance").isFalse();
    backpressure.handedOut(account);
    backpressure.handedOut(account);
    backpressure.handedOut(2, 20);

    backpressure.resumeEligible();
    backpressure.resumeEligible();
    backpressure.resumeEligible();
    assertThat(channel.resumes.get()).as("one task, not one per pump").isEqualTo(1);

    assertThat(backpressure.readyToResume(account)).isTrue();
    backpressure.received(account, 10, false);
    assertThat(backpressure.received(account, 10, false)).isFalse();
    backpressure.handedOut(account);
    backpressure.handedOut(account);
    backpressure.handedOut(2, 20);
    backpressure.resumeEligible();
    assertThat(channel.resumes.get()).as("asked again after the transport checked").isEqualTo(2);
  }

  @Test
  void aPassOfReadsJoinsTheTotalsOnceAtItsEndAndAPauseSeesTheExactCount() {
    Backpressure backpressure = new Backpressure(100, 3, 1 << 20);
    Backpressure.Account account = backpressure.account(new FakeChannel());
    assertThat(backpressure.received(account, 10, true)).isTrue();
    assertThat(backpressure.received(account, 10, true)).isTrue();
    assertThat(backpressure.queuedEvents()).as("not yet: the pass is under way").isZero();
    assertThat(backpressure.received(account, 10, true)).as("the third is over the total").isFalse();
    assertThat(backpressure.queuedEvents()).isEqualTo(3);
    backpressure.passEnded(account);
    assertThat(backpressure.queuedEvents()).isEqualTo(3);
    assertThat(backpressure.queuedBytes()).isEqualTo(30);

    backpressure.received(account, 10, true);
    backpressure.forget(account); // ended mid-pass: its event is still queued for the pump
    assertThat(backpressure.queuedEvents()).isEqualTo(4);
    backpressure.handedOut(4, 40);
    assertThat(backpressure.queuedEvents()).isZero();
    assertThat(backpressure.queuedBytes()).isZero();
  }
}
