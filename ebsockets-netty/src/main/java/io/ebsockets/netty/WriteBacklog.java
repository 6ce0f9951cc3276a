package io.ebsockets.netty;

import io.netty.util.concurrent.FastThreadLocalThread;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * The bytes queued for writing on all connections of one side and not yet handed to the sockets
 * by the event loops: how far the I/O threads are behind the threads that send.
 *
 * <p>Without a bound, a pump loop that turns each received event into a broadcast to a thousand
 * connections can queue deliveries much faster than one I/O thread writes them; the backlog grows
 * by the inbound allowance times the fan-out (a gigabyte of heap at 10 senders and 1,000
 * clients), collections stall the server, and each connection's outbound limit ends up closing
 * clients that read perfectly well. With the bound, a sender that finds the backlog over it waits
 * until the loops have written it down to half: the pump takes fewer events, the inbound allowance
 * pauses the connections that send, and the overload ends up in the senders' TCP windows.
 *
 * <p>A peer that reads slowly does not count here: the loop hands its frames to the socket's
 * outbound buffer, where its own outbound limit applies.
 */
final class WriteBacklog {
  /**
   * For the client side, whose sends are bounded by its one connection's outbound limit: counts
   * nothing (no shared counter to update per frame) and never waits.
   */
  static final WriteBacklog UNBOUNDED = new WriteBacklog(Long.MAX_VALUE);
  /** A waiter re-checks at least this often, in case a wake-up was missed. */
  private static final long RECHECK_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

  private final long max;
  private final long resumeAt;
  private final AtomicLong queued = new AtomicLong();
  private final Queue<Thread> waiting = new ConcurrentLinkedQueue<>();

  WriteBacklog(long max) {
    this.max = max;
    this.resumeAt = max / 2;
  }

  /** Any thread: bytes were queued. */
  void add(long bytes) {
    if (this != UNBOUNDED) {
      queued.addAndGet(bytes);
    }
  }

  /** Event loop: bytes were written to a socket's buffer or released; wakes waiting senders. */
  void remove(long bytes) {
    if (this == UNBOUNDED) {
      return;
    }
    long now = queued.addAndGet(-bytes);
    if (now <= resumeAt && !waiting.isEmpty()) {
      for (Thread sender : waiting) {
        LockSupport.unpark(sender);
      }
    }
  }

  long queued() {
    return queued.get();
  }

  /**
   * A sending thread: returns at once while the backlog is within the bound; over it, waits
   * until the loops have written it down to half. Never waits on an event loop (which may be the
   * one that has to write it), nor once interrupted (the interrupt stays set).
   */
  void awaitRoom() {
    if (queued.get() <= max) {
      return;
    }
    Thread me = Thread.currentThread();
    if (me instanceof FastThreadLocalThread netty && !netty.permitBlockingCalls()) {
      return; // an event loop's thread (Netty's own test of where blocking is forbidden)
    }
    waiting.add(me);
    try {
      // Added before the check, and remove() checks the queue after its update: one of the two
      // sees the other, so no wake-up is lost; the timed park is only a safety net.
      while (queued.get() > resumeAt && !me.isInterrupted()) {
        LockSupport.parkNanos(this, RECHECK_NANOS);
      }
    } finally {
      waiting.remove(me);
    }
  }
}
