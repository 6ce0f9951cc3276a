package io.ebsockets;

import io.ebsockets.spi.TransportChannel;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Inbound backpressure: counts events received but not yet handed out by a pump, per connection
 * and in total, and tells the transport to stop reading a connection that is over its allowance
 * or delivers while the total is over. Reading resumes once the pump has taken both below half.
 * Nothing is dropped; a flooding connection pauses only itself.
 *
 * <p><b>Why no update is lost.</b> A transport thread counts an event, then (if over) adds the
 * connection to {@link #paused} and checks the counts again. The pump uncounts, then asks every
 * connection in {@link #paused} to resume, and the transport asks {@link #readyToResume} on its
 * own thread before it does. With these atomics in this order, either the pump sees the
 * connection as paused, or the transport sees the pump's lower counts and does not pause.
 */
final class Backpressure {
  private final int perConnection;
  private final long maxEvents;
  private final long maxBytes;
  private final AtomicLong events = new AtomicLong();
  private final AtomicLong bytes = new AtomicLong();
  private final Set<Account> paused = ConcurrentHashMap.newKeySet();

  Backpressure(int perConnection, long maxEvents, long maxBytes) {
    this.perConnection = perConnection;
    this.maxEvents = maxEvents;
    this.maxBytes = maxBytes;
  }

  Account account(TransportChannel channel) {
    return new Account(channel);
  }

  /** Transport thread: counts a received event; false means stop reading this connection. */
  boolean received(Account account, int frameBytes) {
    Account.QUEUED.incrementAndGet(account);
    events.incrementAndGet();
    bytes.addAndGet(frameBytes);
    if (!overHigh(account)) {
      return true;
    }
    paused.add(account);
    return !overHigh(account);
  }

  /** Transport thread, before reading a paused connection again. */
  boolean readyToResume(Account account) {
    if (belowLow(account)) {
      paused.remove(account);
      return true;
    }
    return false;
  }

  /** Pump thread: an event was handed to the application. */
  void handedOut(Account account, int frameBytes) {
    Account.QUEUED.decrementAndGet(account);
    events.decrementAndGet();
    bytes.addAndGet(-frameBytes);
  }

  /** Pump thread, after a batch: asks paused connections that may read again to resume. */
  void resumeEligible() {
    if (paused.isEmpty()) {
      return;
    }
    for (Account account : paused) {
      if (belowLow(account)) {
        account.channel.resumeReading();
      }
    }
  }

  /** A connection that ended no longer counts as paused. */
  void forget(Account account) {
    paused.remove(account);
  }

  long queuedEvents() {
    return events.get();
  }

  long queuedBytes() {
    return bytes.get();
  }

  private boolean overHigh(Account account) {
    return account.queued >= perConnection
        || events.get() >= maxEvents
        || bytes.get() >= maxBytes;
  }

  private boolean belowLow(Account account) {
    return account.queued <= perConnection / 2
        && events.get() <= maxEvents / 2
        && bytes.get() <= maxBytes / 2;
  }

  /**
   * One connection's count. A plain volatile int with a field updater rather than an {@code
   * AtomicInteger}: one object less per connection (16 bytes of 19,000 idle connections' heap).
   */
  static final class Account {
    static final AtomicIntegerFieldUpdater<Account> QUEUED =
        AtomicIntegerFieldUpdater.newUpdater(Account.class, "queued");

    final TransportChannel channel;
    volatile int queued;

    Account(TransportChannel channel) {
      this.channel = channel;
    }
  }
}
