package io.ebsockets;

import io.ebsockets.spi.TransportChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * A client's receiving side: the queue its connections' events, changes and end wait in, and
 * the serialised hand-out to {@code recvEvent} and {@code pump}, with each connection's inbound
 * allowance handed back as its events are taken.
 *
 * <p><b>Threads.</b> Transport threads offer ({@link #attached}, {@link #received}, {@link
 * #change}, {@link #ended}); they never take the lock. Application threads take, one at a time,
 * each against its own timeout.
 */
final class ClientReceiver {
  /** The most events one pump hands out. */
  private final int maxBatch;
  private final Inbox inbox = new Inbox();
  private final Backpressure backpressure;
  private final ReentrantLock lock = new ReentrantLock();
  /** Guarded by lock: the account of the connection whose events are being handed out. */
  private Backpressure.Account consumerAccount;
  /** Guarded by lock: changes that {@link #next} passed over, for the next pump. */
  private final List<ConnectionChange> heldChanges = new ArrayList<>();
  /** Guarded by lock: set once the end was handed out. */
  private boolean endDelivered;

  ClientReceiver(int maxQueuedEvents, long maxQueuedBytes, int maxBatch) {
    this.backpressure = new Backpressure(maxQueuedEvents, Long.MAX_VALUE, maxQueuedBytes);
    this.maxBatch = maxBatch;
  }

  // ------------------------------------------------------------------ transport threads

  /** A new connection's account, against which its events are counted. */
  Backpressure.Account account(TransportChannel channel) {
    return backpressure.account(channel);
  }

  /** A connection's events follow: they are counted against this account. */
  void attached(Backpressure.Account account) {
    inbox.offer(new Attached(account));
  }

  /**
   * Queues a received event.
   *
   * @param wake false if the transport will call {@link #passEnded} after this pass of reads
   * @return false to stop reading that connection for now
   */
  boolean received(EbsocketEvent event, Backpressure.Account account, boolean wake) {
    inbox.offer(event, wake);
    return backpressure.received(account, event.chargedBytes(), !wake);
  }

  /** Transport thread: whether the connection may hand over another event now. */
  boolean acceptsMore(Backpressure.Account account) {
    return backpressure.acceptsMore(account);
  }

  /** The transport's pass of reads ended: the pass joins the counts, the consumer is woken. */
  void passEnded(Backpressure.Account account) {
    backpressure.passEnded(account);
    inbox.signal();
  }

  /** Before a paused connection is read again: whether its events were taken far enough. */
  boolean readyToResume(Backpressure.Account account) {
    return backpressure.readyToResume(account);
  }

  /** The connection ended: it no longer counts as paused. */
  void forget(Backpressure.Account account) {
    backpressure.forget(account);
  }

  /** A disconnect or reconnect of a reconnecting client, queued behind what came before. */
  void change(ConnectionChange change) {
    inbox.offer(change);
  }

  /** The client ended for good, queued behind what came before. */
  void ended(CloseStatus status) {
    inbox.offer(new Ended(status));
  }

  // ---------------------------------------------------------------- application threads

  /** A connection refused after it was made (server full) may have queued its end: drop it. */
  void discardEverything() {
    lock.lock();
    try {
      while (inbox.poll() != null) {
        // discard
      }
      consumerAccount = null;
    } finally {
      lock.unlock();
    }
  }

  /** The next event, within the timeout (the lock included); empty on timeout or at the end. */
  Optional<EbsocketEvent> next(long timeoutNanos) {
    long start = System.nanoTime();
    if (!Checks.lock(lock, timeoutNanos)) {
      return Optional.empty();
    }
    try {
      while (!endDelivered) {
        Object item = inbox.poll();
        if (item instanceof EbsocketEvent event) {
          handedOut(event);
          backpressure.resumeEligible();
          return Optional.of(event);
        }
        if (item != null) {
          take(item, heldChanges);
          continue;
        }
        if (!inbox.await(Checks.remaining(timeoutNanos, start), () -> false)) {
          break;
        }
      }
      return Optional.empty();
    } finally {
      lock.unlock();
    }
  }

  /**
   * What arrived, after waiting at most the timeout (the lock included) for the first thing.
   *
   * @param connected whether a connection was ever made (else there is nothing to wait for);
   *     asked after the wait, as is {@code end}
   * @param end why the client ended, once it has
   * @param busy what to return if another thread holds the lock past the timeout
   */
  ClientPumpResult pump(
      long timeoutNanos,
      BooleanSupplier connected,
      Supplier<CloseStatus> end,
      Supplier<ClientPumpResult> busy) {
    long start = System.nanoTime();
    if (!Checks.lock(lock, timeoutNanos)) {
      return busy.get(); // another thread receives; within our timeout it did not let go
    }
    try {
      List<EbsocketEvent> events = new ArrayList<>();
      List<ConnectionChange> changes = new ArrayList<>(heldChanges);
      heldChanges.clear();
      while (true) {
        drain(events, changes);
        if (!events.isEmpty() || !changes.isEmpty() || endDelivered
            || !connected.getAsBoolean()) {
          break;
        }
        // Only markers so far (a new connection's account): wait on for what the caller sees.
        if (!inbox.await(Checks.remaining(timeoutNanos, start), () -> false)) {
          break;
        }
      }
      backpressure.resumeEligible();
      boolean on = connected.getAsBoolean() && !endDelivered;
      return new ClientPumpResult(
          events, on, on ? Optional.empty() : Optional.ofNullable(end.get()), changes);
    } finally {
      lock.unlock();
    }
  }

  /** Under the lock: takes what is queued now, up to a batch, stopping at the end. */
  private void drain(List<EbsocketEvent> events, List<ConnectionChange> changes) {
    Object item;
    while (!endDelivered && events.size() < maxBatch && (item = inbox.poll()) != null) {
      if (item instanceof EbsocketEvent event) {
        events.add(event);
        handedOut(event);
      } else {
        take(item, changes);
      }
    }
  }

  /** Under the lock: a marker from the queue. */
  private void take(Object item, List<ConnectionChange> changes) {
    if (item instanceof ConnectionChange change) {
      changes.add(change);
    } else if (item instanceof Attached attached) {
      consumerAccount = attached.account();
    } else if (item instanceof Ended) {
      endDelivered = true;
    }
  }

  /** Under the lock. */
  private void handedOut(EbsocketEvent event) {
    Backpressure.Account a = consumerAccount;
    if (a != null) {
      backpressure.handedOut(a);
      backpressure.handedOut(1, event.chargedBytes());
    }
  }

  /** The client ended for good, queued behind the events that came before it. */
  private record Ended(CloseStatus status) {}

  /** A connection's events follow: count them against its account. */
  private record Attached(Backpressure.Account account) {}
}
