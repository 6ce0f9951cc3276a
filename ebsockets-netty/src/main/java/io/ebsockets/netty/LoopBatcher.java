package io.ebsockets.netty;

import io.netty.buffer.ByteBuf;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.Ticker;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Batches, per event loop, the work that would otherwise cost a task, a queue item or a thread
 * wake-up per connection:
 *
 * <ul>
 *   <li><b>Outbound frames.</b> Every frame sent to a connection of the loop goes through this one
 *       queue, in the order it was sent, so each connection's frames keep their order. A
 *       broadcast is one item for the whole loop (the shared frame and its targets), not one per
 *       recipient: the sending thread does constant work per loop, and the loop writes a
 *       duplicate of the frame to each target. The loop is handed the queue once per batch.
 *   <li><b>Flushes.</b> After a pass over the queue, each connection written to is flushed once:
 *       at once if it was not flushed within its write-coalescing window, otherwise in one
 *       scheduled pass per loop at the window's end, so a busy connection is flushed at most once
 *       per window.
 *   <li><b>Read completion.</b> Connections that handed events to their sinks during a pass of
 *       reads are told {@code readComplete} once, in a task at the end of that pass, so that the
 *       pump thread is woken once per pass rather than once per event (on a busy core each
 *       wake-up is a switch away from this loop).
 * </ul>
 */
final class LoopBatcher {
  private static final Map<EventLoop, LoopBatcher> BATCHERS =
      Collections.synchronizedMap(new WeakHashMap<>());

  /** One frame for one connection; the item owns the frame. */
  record Unicast(NettyConnection target, ByteBuf frame, boolean event) {}

  /**
   * One frame for {@code count} connections of the loop; the item owns one reference to the
   * frame.
   */
  record Broadcast(ByteBuf frame, NettyConnection[] targets, int count) {
    /** The bytes this item puts in the write backlog. */
    long bytes() {
      return (long) frame.readableBytes() * count;
    }
  }

  /**
   * Weak: the batcher is the value of a map with weak keys, and a value that held its key
   * strongly would keep every loop of every closed server alive.
   */
  private final WeakReference<EventLoop> loop;
  /** The loop's clock: the one its scheduled tasks run by (frozen in tests). */
  private final Ticker ticker;
  private final Queue<Object> outbound = new ConcurrentLinkedQueue<>();
  /** Items offered to {@link #outbound} so far (a rejected one is taken back). */
  private final AtomicLong offered = new AtomicLong();
  /** Loop: items taken from {@link #outbound} so far. */
  private long taken;
  private final AtomicBoolean drainScheduled = new AtomicBoolean();
  private final Runnable drainTask = this::drainTask;
  /** Loop: a drain is running (a close inside it must not start another). */
  private boolean draining;
  /** Loop: connections written to in this drain, to flush at its end. */
  private List<NettyConnection> written = new ArrayList<>();
  private List<NettyConnection> writtenSpare = new ArrayList<>();
  /** Loop: connections inside their window, flushed by the deferred pass. */
  private List<NettyConnection> deferred = new ArrayList<>();
  private List<NettyConnection> deferredSpare = new ArrayList<>();
  private boolean deferredScheduled;
  private final Runnable deferredTask = this::flushDeferred;
  /** Loop. */
  private List<NettyConnection> read = new ArrayList<>();
  /** Loop. */
  private List<NettyConnection> readSpare = new ArrayList<>();
  private final Runnable readComplete = this::readComplete;

  private LoopBatcher(EventLoop loop) {
    this.loop = new WeakReference<>(loop);
    this.ticker = loop.ticker();
  }

  /** The loop's time in nanoseconds, for write-coalescing windows. */
  long nanoTime() {
    return ticker.nanoTime();
  }

  /** The loop, while any connection of it can still call. */
  private EventLoop loop() {
    EventLoop l = loop.get();
    if (l == null) {
      throw new RejectedExecutionException("event loop gone");
    }
    return l;
  }

  /** The batcher of a loop; looked up once per connection. */
  static LoopBatcher of(EventLoop loop) {
    return BATCHERS.computeIfAbsent(loop, LoopBatcher::new);
  }

  /**
   * Any thread: queues a {@link Unicast} or {@link Broadcast} and, if no drain is scheduled,
   * schedules one.
   *
   * @return false if the loop no longer runs tasks and the item was not taken: the caller still
   *     owns its frame
   */
  boolean send(Object item) {
    outbound.offer(item);
    offered.incrementAndGet();
    if (!drainScheduled.get() && drainScheduled.compareAndSet(false, true)) {
      try {
        loop().execute(drainTask);
      } catch (RejectedExecutionException e) {
        drainScheduled.set(false);
        // A drain that was still running may have taken it: then it was handled.
        if (outbound.remove(item)) {
          offered.decrementAndGet();
          return false;
        }
      }
    }
    return true;
  }

  private void drainTask() {
    drainScheduled.set(false);
    drain();
  }

  /**
   * Loop: writes the items that were queued when it began, then flushes each connection written
   * to (or defers it to its window's end). Items sent meanwhile wait for the next drain: a sender
   * that keeps the queue full must not keep the loop in one drain that never flushes, and a drain
   * must not stop short of a burst either, which is what lets one flush carry every frame a
   * connection got while the loop was busy. A connection about to write its farewell calls this,
   * so that everything sent before the close goes first; inside a running drain it does nothing
   * (that drain has it).
   */
  void drain() {
    if (draining) {
      return;
    }
    draining = true;
    try {
      long end = offered.get();
      Object item;
      while (taken < end && (item = outbound.poll()) != null) {
        taken++;
        if (item instanceof Broadcast b) {
          writeBroadcast(b);
        } else {
          Unicast u = (Unicast) item;
          if (u.target().writeOwned(u.frame(), u.event())) {
            markWritten(u.target());
          }
        }
      }
      flushWritten();
    } finally {
      draining = false;
    }
    if (!outbound.isEmpty() && drainScheduled.compareAndSet(false, true)) {
      try {
        loop().execute(drainTask); // what came during the drain, after the loop's other work
      } catch (RejectedExecutionException e) {
        drainScheduled.set(false);
        drain(); // the loop is shutting down: now, or the frames would never be released
      }
    }
  }

  private void writeBroadcast(Broadcast b) {
    try {
      NettyConnection[] targets = b.targets();
      for (int i = 0; i < b.count(); i++) {
        if (targets[i].writeShared(b.frame())) {
          markWritten(targets[i]);
        }
      }
    } finally {
      b.frame().release();
      b.targets()[0].settings().backlog().remove(b.bytes());
    }
  }

  private void markWritten(NettyConnection connection) {
    if (connection.markWrittenInPass()) {
      written.add(connection);
    }
  }

  /** Loop: flushes the connections written to now, or defers those inside their window. */
  private void flushWritten() {
    List<NettyConnection> now = written;
    written = writtenSpare;
    long nowNanos = ticker.nanoTime();
    for (int i = 0; i < now.size(); i++) {
      NettyConnection connection = now.get(i);
      connection.writtenPassEnded();
      long wait = connection.flushDueNanos() - nowNanos;
      if (wait <= 0) {
        connection.flushNow();
      } else if (connection.markDeferred()) {
        deferred.add(connection);
        if (!deferredScheduled) {
          deferredScheduled = schedule(deferredTask, wait);
        }
      }
    }
    now.clear();
    writtenSpare = now;
  }

  /** Loop: the first deferred connection is due: flushes every connection deferred by now. */
  private void flushDeferred() {
    deferredScheduled = false;
    List<NettyConnection> due = deferred;
    deferred = deferredSpare;
    for (int i = 0; i < due.size(); i++) {
      NettyConnection connection = due.get(i);
      connection.deferredPassEnded();
      connection.flushNow();
    }
    due.clear();
    deferredSpare = due;
  }

  private boolean schedule(Runnable task, long delayNanos) {
    try {
      loop().schedule(task, delayNanos, TimeUnit.NANOSECONDS);
      return true;
    } catch (RejectedExecutionException e) {
      task.run(); // the loop is shutting down: flush now rather than never
      return false;
    }
  }

  /**
   * Loop: the connection handed its sink an event in this pass; at the end of the pass it is
   * called back through {@link NettyConnection#readPassEnded()}. The connection calls this once
   * per pass (it keeps a flag until the call back).
   */
  void readCompleteLater(NettyConnection connection) {
    if (read.isEmpty()) {
      try {
        // From the loop itself execute() only queues the task: it runs after this pass's I/O.
        loop().execute(readComplete);
      } catch (RejectedExecutionException e) {
        connection.readPassEnded(); // the loop is shutting down: tell the sink now
        return;
      }
    }
    read.add(connection);
  }

  private void readComplete() {
    List<NettyConnection> done = read;
    read = readSpare;
    for (int i = 0; i < done.size(); i++) {
      done.get(i).readPassEnded();
    }
    done.clear();
    readSpare = done;
  }
}
