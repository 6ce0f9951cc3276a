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
