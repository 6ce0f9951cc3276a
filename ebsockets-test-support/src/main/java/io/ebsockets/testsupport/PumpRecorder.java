package io.ebsockets.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import io.ebsockets.EbsocketConnection;
import io.ebsockets.EbsocketEvent;
import io.ebsockets.EbsocketSystem;
import io.ebsockets.PumpResult;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Pumps a system on the test thread and hands out what it reported one item at a time, waiting
 * (by pumping) up to a timeout for the next. Assert it empty at the end of a test.
 */
public final class PumpRecorder {
  public static final Duration TIMEOUT = Duration.ofSeconds(10);

  private final EbsocketSystem system;
  private final Deque<EbsocketConnection> clients = new ArrayDeque<>();
  private final Deque<EbsocketEvent> events = new ArrayDeque<>();
  private final Deque<EbsocketConnection> disconnects = new ArrayDeque<>();

  public PumpRecorder(EbsocketSystem system) {
    this.system = system;
  }

  public EbsocketConnection nextClient() {
    return next(clients, "a new client");
  }

  public EbsocketEvent nextEvent() {
    return next(events, "an event");
  }

  public EbsocketConnection nextDisconnect() {
    return next(disconnects, "a disconnect");
  }

  private <T> T next(Deque<T> queue, String what) {
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    while (queue.isEmpty()) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        throw new AssertionError("no " + what + " within " + TIMEOUT);
      }
      add(system.pump(Duration.ofNanos(left)));
    }
    return queue.poll();
  }

  /** Records one result. */
  public void add(PumpResult result) {
    clients.addAll(result.newClients());
    events.addAll(result.newEvents());
    disconnects.addAll(result.disconnectedClients());
  }

  /** Pumps once more without waiting and asserts nothing is left unread. */
  public void assertEmpty() {
    add(system.pump(Duration.ZERO));
    assertThat(clients).as("unread new clients").isEmpty();
    assertThat(events).as("unread events").isEmpty();
    assertThat(disconnects).as("unread disconnects").isEmpty();
  }
}
