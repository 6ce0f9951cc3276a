package io.ebsockets.netty;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The bytes all connections of a server may hold in partly received frames. A connection whose
 * partial frame takes the total over stops being read and waits in line; it is read again as
 * other connections complete their frames or close. So idle half-sent frames cannot pile up to
 * max frame length times connections.
 */
final class FrameBudget {
  static final FrameBudget UNLIMITED = new FrameBudget(Long.MAX_VALUE);

  private final long max;
  private final AtomicLong used = new AtomicLong();
  private final Queue<NettyConnection> waiting = new ConcurrentLinkedQueue<>();

  FrameBudget(long max) {
    this.max = max;
  }

  /**
   * Changes what one connection holds by {@code delta}.
   *
   * @return false if the total is now over the budget: the caller stops reading and {@link
   *     #waitFor}s
   */
  boolean adjust(long delta) {
    long now = used.addAndGet(delta);
    if (delta < 0) {
      wakeWaiters();
    }
    return now <= max;
  }

  /** Puts a paused connection in line to be read again once there is room. */
  void waitFor(NettyConnection connection) {
    waiting.add(connection);
    wakeWaiters(); // room may have been made between the failed adjust and now
  }

  long used() {
    return used.get();
  }

  private void wakeWaiters() {
    NettyConnection next;
    while (used.get() < max && (next = waiting.poll()) != null) {
      next.budgetAvailable();
    }
  }
}
