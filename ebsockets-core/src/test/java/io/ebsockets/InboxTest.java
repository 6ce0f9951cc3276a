package io.ebsockets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A batch added quietly wakes a waiting consumer only when the producer signals its end. */
class InboxTest {

  /** Starts a consumer waiting up to 30 s and returns once it is parked. */
  private static CompletableFuture<Boolean> parkedConsumer(Inbox inbox) {
    CompletableFuture<Boolean> woke = new CompletableFuture<>();
    Thread consumer =
        new Thread(() -> woke.complete(inbox.await(TimeUnit.SECONDS.toNanos(30), () -> false)));
    consumer.setDaemon(true);
    consumer.start();
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> consumer.getState() == Thread.State.TIMED_WAITING);
    return woke;
  }

  @Test
  void addedItemsWaitForTheSignal() throws Exception {
    Inbox inbox = new Inbox();
    CompletableFuture<Boolean> woke = parkedConsumer(inbox);

    inbox.offer("first", false);
    inbox.offer("second", false);
    // Parked with items queued: still waiting for the end of the batch.
    await()
        .during(Duration.ofMillis(200))
        .atMost(Duration.ofSeconds(5))
        .until(() -> !woke.isDone());

    inbox.signal();
    assertThat(woke.get(10, TimeUnit.SECONDS)).isTrue();
    assertThat(inbox.poll()).isEqualTo("first");
    assertThat(inbox.poll()).isEqualTo("second");
    assertThat(inbox.poll()).isNull();
  }

  @Test
  void anOfferedItemWakesAtOnce() throws Exception {
    Inbox inbox = new Inbox();
    CompletableFuture<Boolean> woke = parkedConsumer(inbox);

    inbox.offer("single");

    assertThat(woke.get(10, TimeUnit.SECONDS)).isTrue();
    assertThat(inbox.poll()).isEqualTo("single");
  }

  @Test
  void anItemAddedBeforeTheWaitIsSeenWithoutASignal() {
    Inbox inbox = new Inbox();
    inbox.offer("early", false);
    assertThat(inbox.await(TimeUnit.SECONDS.toNanos(5), () -> false)).isTrue();
  }
}
