package io.ebsockets;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * The queue between transport threads (many producers) and the thread that pumps (one consumer
 * at a time, which callers ensure with a lock). The consumer parks while the queue is empty and
 * producers unpark it only when it is parked, so an idle pump loop uses no CPU and a busy one
 * pays no wake-up per item. A producer that works in batches adds without waking and signals
 * once at the end of each batch.
 */
final class Inbox {
  private final Queue<Object> queue = new ConcurrentLinkedQueue<>();
  /** The consumer while it waits; read by producers after each offer. */
  private volatile Thread waiter;

  // The pump lag, sampled: now and then one item offered is stamped with the clock, and the
  // consumer measures how long it waited when it takes it. No clock read per item.
  /** How often at most an item is stamped. */
  static final long STAMP_EVERY_NANOS = 10_000_000L;
  /** True when the next item offered should be stamped; the consumer re-arms it. */
  private final java.util.concurrent.atomic.AtomicBoolean stampWanted =
      new java.util.concurrent.atomic.AtomicBoolean(true);
  /** The stamped item still queued, or null. */
  private volatile Object stamped;
  private volatile long stampedAt;
  /** Consumer: when a stamp was last asked for. */
  private long armedAt;
  /** How long the last stamped item waited to be taken. */
  private volatile long lastWaitNanos;

  /** Adds an item and wakes the consumer if it waits; any thread. */
  void offer(Object item) {
    offer(item, true);
  }

  /**
   * Adds an item; any thread.
   *
   * @param wake false if the producer promises a {@link #signal()} after its batch (a transport's
   *     pass of reads): a consumer that shares the producer's core is then switched to once per
   *     batch instead of once per item
   */
  void offer(Object item, boolean wake) {
    if (stampWanted.get() && stampWanted.compareAndSet(true, false)) {
      stampedAt = System.nanoTime();
      stamped = item; // before the item is queued: the consumer sees both when it takes it
    }
    queue.offer(item);
    if (wake) {
      wakeUp();
    }
  }

  /** Ends a producer's batch of quiet offers: wakes the consumer if it waits for items. */
  void signal() {
    if (waiter != null && !queue.isEmpty()) {
      wakeUp();
    }
  }

  /** Tells whether nothing is queued now; any thread. */
  boolean isEmpty() {
    return queue.isEmpty();
  }

  /** Removes the oldest item, or returns null; consumer only. */
  Object poll() {
    return queue.poll();
  }

  /**
   * Consumer, with the clock of its pass: {@code item} was just taken; if it was the stamped
   * one, its wait is the lag now. Asks for a new stamp at most every {@link #STAMP_EVERY_NANOS}.
   */
  void took(Object item, long nowNanos) {
    if (item == stamped) {
      lastWaitNanos = Math.max(0, nowNanos - stampedAt);
      stamped = null;
    }
    if (stamped == null && !stampWanted.get() && nowNanos - armedAt >= STAMP_EVERY_NANOS) {
      armedAt = nowNanos;
      stampWanted.set(true);
    }
  }

  /**
   * Any thread: about how long the oldest item queued has waited (0 when nothing is): the wait of
   * the last stamped item taken, or of the stamped item still queued if that is longer.
   */
  long lagNanos() {
    if (queue.isEmpty()) {
      return 0;
    }
    long waited = lastWaitNanos;
    return stamped != null ? Math.max(waited, System.nanoTime() - stampedAt) : waited;
  }

  /** Puts a wake-up in for a consumer that waits, e.g. because the facade was closed. */
  void wakeUp() {
    Thread parked = waiter;
    if (parked != null) {
      LockSupport.unpark(parked);
    }
  }

  /**
   * Waits until an item is there; consumer only.
   *
   * @param timeoutNanos how long to wait at most; {@code Long.MAX_VALUE} waits without bound
   * @param stop checked on every wake-up; waiting ends when it says so
   * @return true if an item is there, false on timeout, interrupt (the flag stays set) or stop
   */
  boolean await(long timeoutNanos, BooleanSupplier stop) {
    if (!queue.isEmpty()) {
      return true;
    }
    if (timeoutNanos <= 0) {
      return false;
    }
    Thread me = Thread.currentThread();
    long deadline = System.nanoTime() + timeoutNanos;
    waiter = me;
    try {
      while (queue.isEmpty()) {
        if (me.isInterrupted() || stop.getAsBoolean()) {
          return false;
        }
        if (timeoutNanos == Long.MAX_VALUE) {
          LockSupport.park(this);
        } else {
          long left = deadline - System.nanoTime();
          if (left <= 0) {
            return false;
          }
          LockSupport.parkNanos(this, left);
        }
      }
      return true;
    } finally {
      waiter = null;
    }
  }
}
