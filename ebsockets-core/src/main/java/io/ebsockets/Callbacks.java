package io.ebsockets;

import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The facades' own threads, shared by every client and server of the JVM and made on first use:
 * one timer (request timeouts, reconnect delays) and a pool that completes request futures and
 * runs reconnect attempts. Futures never complete on a transport's I/O thread, so a callback that
 * blocks, or waits for another reply, cannot stall the network; all threads are daemons and an
 * idle pool thread ends after a while.
 */
final class Callbacks {
  private Callbacks() {}

  /** Holds the threads; loaded on first use only. */
  private static final class Holder {
    static final ScheduledThreadPoolExecutor TIMER = timer();
    static final ThreadPoolExecutor POOL =
        new ThreadPoolExecutor(
            0,
            Integer.MAX_VALUE,
            30,
            TimeUnit.SECONDS,
            new SynchronousQueue<>(),
            daemons("ebsockets-callback-"));

    private static ScheduledThreadPoolExecutor timer() {
      ScheduledThreadPoolExecutor timer =
          new ScheduledThreadPoolExecutor(1, daemons("ebsockets-timer-"));
      timer.setRemoveOnCancelPolicy(true); // answered requests leave no timer behind
      return timer;
    }
  }

  /** The pool that completes futures and runs blocking work such as reconnect attempts. */
  static Executor pool() {
    return Holder.POOL;
  }

  /** Runs {@code task} on the pool after {@code delayNanos}; the timer thread itself never blocks. */
  static java.util.concurrent.ScheduledFuture<?> later(long delayNanos, Runnable task) {
    return Holder.TIMER.schedule(() -> Holder.POOL.execute(task), delayNanos, TimeUnit.NANOSECONDS);
  }

  private static ThreadFactory daemons(String prefix) {
    AtomicInteger n = new AtomicInteger();
    return task -> {
      Thread thread = new Thread(task, prefix + n.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
  }
}
