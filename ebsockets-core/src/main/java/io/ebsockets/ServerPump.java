package io.ebsockets;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;

/**
 * What {@link EbsocketSystem#pump()} does: takes one batch from the server's inbox — new clients,
 * events, disconnects, in the order they happened — hands the events' inbound allowance back,
 * and tells the shutdown state machine where the pump loop is.
 *
 * <p><b>Threads.</b> The pump loop's thread; calls from several threads are serialised by a lock
 * that each takes against its own timeout. Never called on an I/O thread.
 */
final class ServerPump {
  private final Inbox inbox;
  private final Backpressure backpressure;
  private final Shutdown shutdown;
  private final ReentrantLock lock = new ReentrantLock();

  ServerPump(Inbox inbox, Backpressure backpressure, Shutdown shutdown) {
    this.inbox = inbox;
    this.backpressure = backpressure;
    this.shutdown = shutdown;
  }

  /**
   * Waits at most {@code timeoutNanos} (the lock included) for something to happen, then takes
   * up to {@code maxBatch} items.
   *
   * @return what happened; {@link PumpResult#EMPTY} on timeout, interrupt, or once shut down and
   *     drained
   */
  PumpResult take(long timeoutNanos, int maxBatch) {
    long start = System.nanoTime();
    if (!Checks.lock(lock, timeoutNanos)) {
      return PumpResult.EMPTY;
    }
    try {
      shutdown.pumpEntered();
      if (!inbox.await(Checks.remaining(timeoutNanos, start), shutdown::pumpMustNotWait)
          && inbox.isEmpty()) {
        return PumpResult.EMPTY;
      }
      shutdown.taking();
      PumpResult result = drain(maxBatch);
      if (result.isEmpty()) {
        shutdown.tookNothing();
      }
      return result;
    } finally {
      lock.unlock();
    }
  }

  /** Under the lock: one batch out of the inbox, with the allowance handed back once. */
  private PumpResult drain(int maxBatch) {
    List<EbsocketConnection> opened = new ArrayList<>();
    List<EbsocketEvent> events = new ArrayList<>();
    List<EbsocketConnection> closed = new ArrayList<>();
    Object item;
    long eventBytes = 0;
    long now = System.nanoTime();
    for (int n = 0; n < maxBatch && (item = inbox.poll()) != null; n++) {
      inbox.took(item, now);
      if (item instanceof EbsocketEvent event) {
        events.add(event);
        eventBytes += event.chargedBytes();
        backpressure.handedOut(event.sourceOrNull().account);
      } else if (item instanceof EbsocketServer.Opened o) {
        opened.add(o.connection());
      } else if (item instanceof EbsocketServer.Closed c) {
        closed.add(c.connection());
      }
    }
    backpressure.handedOut(events.size(), eventBytes);
    backpressure.resumeEligible();
    if (opened.isEmpty() && events.isEmpty() && closed.isEmpty()) {
      return PumpResult.EMPTY;
    }
    return new PumpResult(opened, events, closed);
  }
}
