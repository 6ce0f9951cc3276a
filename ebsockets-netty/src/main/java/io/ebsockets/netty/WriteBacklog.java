package io.ebsockets.netty;

import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.EventExecutorGroup;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
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
  static final WriteBacklog UNBOUNDED = new WriteBacklog(Long.MAX_VALUE, null);

  private final long max;
  private final long resumeAt;
  /** The loops that write this backlog down: they never wait for it. Null: nobody waits. */
  private final EventExecutorGroup writers;
  private final AtomicLong queued = new AtomicLong();
  private final Queue<Thread> waiting = new ConcurrentLinkedQueue<>();
  private volatile boolean closed;

  /**
   * A bound for one server.
   *
   * @param max the bound, in bytes
   * @param writers the server's own event loops, which never wait (one of them may be the loop
   *     that has to write the backlog down); every other thread may, other Netty-based libraries'
   *     event loops included
   */
  WriteBacklog(long max, EventExecutorGroup writers) {
    this.max = max;
    this.resumeAt = max / 2;
    this.writers = writers;
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
   * until the loops have written it down to half. Never waits on one of this server's event
   * loops (which may be the one that has to write it), once interrupted (the interrupt stays
   * set), or once {@link #close() closed}.
   */
  void awaitRoom() {
    if (queued.get() <= max || writers == null || onWritersLoop()) {
      return;
    }
    Thread me = Thread.currentThread();
    waiting.add(me);
    try {
      // Added before the check, and remove() reads the queue after its update: one of the two
      // sees the other, so no wake-up is lost and an untimed park is enough.
      while (queued.get() > resumeAt && !closed && !me.isInterrupted()) {
        LockSupport.park(this);
      }
    } finally {
      waiting.remove(me);
    }
  }

  /** Ends every wait, now and later: the server is shutting down and may never write again. */
  void close() {
    closed = true;
    for (Thread sender : waiting) {
      LockSupport.unpark(sender);
    }
  }

  /** Over the bound only, so the loop over the server's few loops stays off the common path. */
  private boolean onWritersLoop() {
    for (EventExecutor loop : writers) {
      if (loop.inEventLoop()) {
        return true;
      }
    }
    return false;
  }
}
