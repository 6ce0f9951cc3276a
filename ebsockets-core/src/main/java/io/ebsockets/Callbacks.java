package io.ebsockets;

import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The facades' own threads, shared by every client and server of the JVM, made on first use, all
 * daemons:
 *
 * <ul>
 *   <li>a timer, for request timeouts and reconnect delays; its tasks never block;
 *   <li>a fork/join pool that completes request futures, so they never complete on a transport's
 *       I/O thread: a callback that blocks cannot stall the network, and one that waits for
 *       another reply with {@code join()} or {@code get()} makes the pool add a thread instead of
 *       deadlocking. A burst of replies queues instead of starting a thread each;
 *   <li>a cached pool for blocking work, such as reconnect attempts; idle threads end after 30 s.
 * </ul>
 */
final class Callbacks {
  private Callbacks() {}

  /** Holds the threads; loaded on first use only. */
  private static final class Holder {
    static final ScheduledThreadPoolExecutor TIMER = timer();
    static final ForkJoinPool COMPLETIONS =
        new ForkJoinPool(
            Math.max(2, Runtime.getRuntime().availableProcessors()),
            Holder::completionThread,
            null,
            true);
    static final ExecutorService BLOCKING =
        new ThreadPoolExecutor(
            0,
            Integer.MAX_VALUE,
            30,
            TimeUnit.SECONDS,
            new SynchronousQueue<>(),
            daemons("ebsockets-blocking-"));
    private static final AtomicInteger completionThreads = new AtomicInteger();

    private static ScheduledThreadPoolExecutor timer() {
      ScheduledThreadPoolExecutor timer =
          new ScheduledThreadPoolExecutor(1, daemons("ebsockets-timer-"));
      timer.setRemoveOnCancelPolicy(true); // answered requests leave no timer behind
      return timer;
    }

    private static ForkJoinWorkerThread completionThread(ForkJoinPool pool) {
      ForkJoinWorkerThread thread =
          ForkJoinPool.defaultForkJoinWorkerThreadFactory.newThread(pool);
      thread.setName("ebsockets-callback-" + completionThreads.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    }
  }

  /** Where request futures complete. */
  static Executor completions() {
    return Holder.COMPLETIONS;
  }

  /** Runs a task that must not block on the timer thread after {@code delayNanos}. */
  static ScheduledFuture<?> schedule(long delayNanos, Runnable task) {
    return Holder.TIMER.schedule(task, delayNanos, TimeUnit.NANOSECONDS);
  }

  /** Runs a task that may block (for seconds) on the blocking pool, soon. */
  static void runBlocking(Runnable task) {
    Holder.BLOCKING.execute(task);
  }

  /** Runs a task that may block (for seconds) on the blocking pool after {@code delayNanos}. */
  static ScheduledFuture<?> scheduleBlocking(long delayNanos, Runnable task) {
    return schedule(delayNanos, () -> Holder.BLOCKING.execute(task));
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
