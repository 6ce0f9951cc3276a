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
 * <p><b>Few shared updates.</b> The totals are shared by every I/O thread and the pump, so they
 * are not updated per event: a connection whose transport reports the end of each pass of reads
 * adds the pass's events to them once, at that end (its {@code unflushed} counts, owned by its
 * I/O thread, fill the gap meanwhile), and the pump subtracts a whole batch at once. The totals
 * therefore lag by at most one pass per connection and one pump batch; a pause is decided on the
 * exact figures of the connection that would pause. Each connection asks its transport to resume
 * at most once until the transport has answered (a flag, not a task per pump).
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

  /**
   * Transport thread: counts a received event; false means stop reading this connection.
   *
   * @param batched true if the transport calls {@link #passEnded} after this pass of reads, so
   *     the totals can be updated then, once
   */
  boolean received(Account account, int frameBytes, boolean batched) {
    Account.QUEUED.incrementAndGet(account);
    if (batched) {
      account.unflushedEvents++;
      account.unflushedBytes += frameBytes;
    } else {
      events.incrementAndGet();
      bytes.addAndGet(frameBytes);
    }
    return acceptsMore(account);
  }

  /**
   * Transport thread: whether this connection may hand over another event now; false means stop
   * reading it (it is then asked to resume like a connection {@link #received} paused).
   */
  boolean acceptsMore(Account account) {
    if (!overHigh(account)) {
      return true;
    }
    flush(account);
    paused.add(account);
    return !overHigh(account);
  }

  /** Transport thread: a pass of reads ended; its events join the totals. */
  void passEnded(Account account) {
    flush(account);
  }

  private void flush(Account account) {
    if (account.unflushedEvents != 0) {
      events.addAndGet(account.unflushedEvents);
      bytes.addAndGet(account.unflushedBytes);
      account.unflushedEvents = 0;
      account.unflushedBytes = 0;
    }
  }

  /** Transport thread, before reading a paused connection again. */
  boolean readyToResume(Account account) {
    Account.RESUME_ASKED.set(account, 0);
    if (belowLow(account)) {
      paused.remove(account);
      return true;
    }
    return false;
  }

  /** Pump thread: an event of this connection was handed to the application. */
  void handedOut(Account account) {
    Account.QUEUED.decrementAndGet(account);
  }

  /** Pump thread, once per batch: the batch's events leave the totals. */
  void handedOut(int batchEvents, long batchBytes) {
    if (batchEvents != 0) {
      events.addAndGet(-batchEvents);
      bytes.addAndGet(-batchBytes);
    }
  }

  /**
   * Pump thread, after a batch: asks paused connections that may read again to resume, each at
   * most once until its transport has checked.
   */
  void resumeEligible() {
    if (paused.isEmpty()) {
      return;
    }
    for (Account account : paused) {
      if (belowLow(account) && Account.RESUME_ASKED.compareAndSet(account, 0, 1)) {
        account.channel.resumeReading();
      }
    }
  }

  /** A connection that ended no longer counts as paused, nor its unflushed events. */
  void forget(Account account) {
    flush(account); // its events are still queued, and the pump will uncount them
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
        || events.get() + account.unflushedEvents >= maxEvents
        || bytes.get() + account.unflushedBytes >= maxBytes;
  }

  private boolean belowLow(Account account) {
    return account.queued <= perConnection / 2
        && events.get() <= maxEvents / 2
        && bytes.get() <= maxBytes / 2;
  }

  /**
   * One connection's count. Plain volatile ints with field updaters rather than atomics: fewer
   * objects per connection (idle connections' heap).
   */
  static final class Account {
    static final AtomicIntegerFieldUpdater<Account> QUEUED =
        AtomicIntegerFieldUpdater.newUpdater(Account.class, "queued");
    static final AtomicIntegerFieldUpdater<Account> RESUME_ASKED =
        AtomicIntegerFieldUpdater.newUpdater(Account.class, "resumeAsked");

    final TransportChannel channel;
    volatile int queued;
    /** 1 while a resume was asked of the transport and it has not checked yet. */
    volatile int resumeAsked;
    /** Transport thread only: this pass's events and bytes, not yet in the totals. */
    int unflushedEvents;
    long unflushedBytes;

    Account(TransportChannel channel) {
      this.channel = channel;
    }
  }
}
