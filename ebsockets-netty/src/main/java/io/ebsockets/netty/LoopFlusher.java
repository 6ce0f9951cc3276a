package io.ebsockets.netty;

import io.netty.channel.EventLoop;
import java.util.Collections;
import java.util.Map;
import java.util.Queue;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Hands an event loop its connections with queued frames once per batch, not once per
 * connection: a broadcast to a thousand connections on one loop costs one task for that loop,
 * which then writes and flushes each connection in turn.
 */
final class LoopFlusher implements Runnable {
  private static final Map<EventLoop, LoopFlusher> FLUSHERS =
      Collections.synchronizedMap(new WeakHashMap<>());

  private final EventLoop loop;
  private final Queue<NettyConnection> dirty = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean scheduled = new AtomicBoolean();

  private LoopFlusher(EventLoop loop) {
    this.loop = loop;
  }

  /** The flusher of a loop; looked up once per connection. */
  static LoopFlusher of(EventLoop loop) {
    return FLUSHERS.computeIfAbsent(loop, LoopFlusher::new);
  }

  /**
   * Any thread: the connection has frames to write.
   *
   * @return false if the loop no longer runs tasks
   */
  boolean add(NettyConnection connection) {
    dirty.offer(connection);
    if (scheduled.compareAndSet(false, true)) {
      try {
        loop.execute(this);
      } catch (RejectedExecutionException e) {
        scheduled.set(false);
        return false;
      }
    }
    return true;
  }

  /** Loop: writes and flushes every connection that has frames queued. */
  @Override
  public void run() {
    scheduled.set(false);
    NettyConnection connection;
    while ((connection = dirty.poll()) != null) {
      connection.flushOutbound();
    }
  }
}
