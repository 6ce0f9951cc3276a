package io.ebsockets.netty;

import io.netty.channel.EventLoop;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.WeakHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jctools.queues.MpscUnboundedArrayQueue;

/**
 * Batches, per event loop, the work that would otherwise cost a task or a thread wake-up per
 * connection:
 *
 * <ul>
 *   <li><b>Sends.</b> A server's broadcast is one handout for each loop its recipients are on
 *       ({@link LoopOutbox}); the loop writes it to each of them.
 *   <li><b>Flushes.</b> A broadcast to a thousand connections on one loop costs one task for that
 *       loop, which then writes and flushes each connection in turn. Connections still inside
 *       their write-coalescing window wait for one scheduled pass per loop at the window's end,
 *       so a busy loop flushes each connection at most once per window.
 *   <li><b>Read completion.</b> Connections that handed events to their sinks during a pass of
 *       reads are told {@code readComplete} once, in a task at the end of that pass, so that the
 *       pump thread is woken once per pass rather than once per event (on a busy core each
 *       wake-up is a switch away from this loop).
 * </ul>
 */
final class LoopBatcher {
  private static final Map<EventLoop, LoopBatcher> BATCHERS =
      Collections.synchronizedMap(new WeakHashMap<>());

  /**
   * Weak: the batcher is the value of a map with weak keys, and a value that held its key
   * strongly would keep every loop of every closed server alive.
   */
  private final WeakReference<EventLoop> loop;
  /** Connections to flush on the loop's next pass. */
  private final FlushPass now = new FlushPass();
  /** Connections inside their write-coalescing window, flushed when the first is due. */
  private final FlushPass deferred = new FlushPass();
  /** Loop only. */
  private List<NettyConnection> read = new ArrayList<>();
  /** Loop only. */
  private List<NettyConnection> spare = new ArrayList<>();
  private final Runnable readComplete = this::readComplete;
  /** A server's application frames for the loop's connections. */
  private final LoopOutbox outbox = new LoopOutbox(this::loop);

  private LoopBatcher(EventLoop loop) {
    this.loop = new WeakReference<>(loop);
  }

  /** Any thread: the outbox of this loop's connections. */
  LoopOutbox outbox() {
    return outbox;
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
   * Any thread: the connection has frames to write.
   *
   * @param dueNanos when it may be flushed ({@link System#nanoTime()}): at once if that has
   *     passed, otherwise in the loop's deferred pass, which runs when the first deferred
   *     connection is due and flushes every connection deferred by then
   * @return false if the loop no longer runs tasks
   */
  boolean flushLater(NettyConnection connection, long dueNanos) {
    long delay = dueNanos - System.nanoTime();
    return delay > 0 ? deferred.add(connection, delay) : now.add(connection, 0);
  }

  /**
   * One kind of flush pass: the connections queued for it and whether its task is scheduled.
   * Both passes run the same {@link #run()}, so that it is compiled once, early, whichever pass
   * the traffic uses most: with two copies the JIT left the at-once copy in its first tier for
   * 45 s of a benchmark and recompiled it in the middle of the measurement, on the server's only
   * core (a 40 ms stall).
   */
  private final class FlushPass implements Runnable {
    /** JCTools' multi-producer array queue: no node allocated per connection queued. */
    private final Queue<NettyConnection> queue = new MpscUnboundedArrayQueue<>(256);
    private final AtomicBoolean scheduled = new AtomicBoolean();

    /**
     * Any thread: queues the connection and, if this pass is not yet scheduled, schedules it.
     *
     * @param delayNanos zero for the loop's next pass, else how long from now
     * @return false if the loop no longer runs tasks
     */
    boolean add(NettyConnection connection, long delayNanos) {
      queue.offer(connection);
      if (scheduled.compareAndSet(false, true)) {
        try {
          if (delayNanos > 0) {
            loop().schedule(this, delayNanos, TimeUnit.NANOSECONDS);
          } else {
            loop().execute(this);
          }
        } catch (RejectedExecutionException e) {
          scheduled.set(false);
          return false;
        }
      }
      return true;
    }

    /** Loop: flushes the connections queued for this pass. */
    @Override
    public void run() {
      scheduled.set(false);
      NettyConnection connection;
      while ((connection = queue.poll()) != null) {
        connection.flushOutbound();
      }
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
    read = spare;
    for (int i = 0; i < done.size(); i++) {
      done.get(i).readPassEnded();
    }
    done.clear();
    spare = done;
  }
}
