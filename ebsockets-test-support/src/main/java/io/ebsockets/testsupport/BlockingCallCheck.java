package io.ebsockets.testsupport;

import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import reactor.blockhound.BlockHound;
import reactor.blockhound.BlockingOperationError;
import reactor.blockhound.integration.BlockHoundIntegration;

/**
 * BlockHound in every test JVM of the transport and the examples: a blocking call (a lock that
 * parks, a sleep, a blocking queue, file or socket I/O) on a Netty event loop is recorded, and
 * {@link RuntimeChecksExtension} fails the test during which it happened, the way a leak report
 * does. It is installed once per JVM by {@link InstallBlockHound} before any test runs; the
 * integrations on the class path (Netty's marks its event loops as non-blocking) come first.
 *
 * <p>The allow-list below holds only what blocks by nature and cannot stall a loop for long;
 * each entry says why.
 */
public final class BlockingCallCheck {
  private static final List<String> VIOLATIONS = new ArrayList<>();
  /** True on a thread inside {@link #tolerate}: a test that blocks a loop on purpose. */
  private static final ThreadLocal<Boolean> TOLERATED = ThreadLocal.withInitial(() -> false);
  private static boolean installed;

  private BlockingCallCheck() {}

  /** Installs BlockHound once; later calls do nothing. */
  public static synchronized void install() {
    if (installed) {
      return;
    }
    BlockHound.Builder builder = BlockHound.builder();
    ServiceLoader.load(BlockHoundIntegration.class).forEach(builder::with);
    builder
        // Logging from a loop (a protocol error, a close): Logback writes the line to a stream
        // under its own short lock. Blocking by nature, bounded by one line.
        .allowBlockingCallsInside("ch.qos.logback.core.OutputStreamAppender", "subAppend")
        .allowBlockingCallsInside("ch.qos.logback.core.OutputStreamAppender", "writeBytes")
        .allowBlockingCallsInside("ch.qos.logback.core.UnsynchronizedAppenderBase", "doAppend")
        // The JDK's SecureRandom seeds itself from the OS once (TLS handshakes on a loop).
        .allowBlockingCallsInside("sun.security.provider.SeedGenerator", "getSystemEntropy")
        .allowBlockingCallsInside("java.security.SecureRandom", "nextBytes")
        // Netty's adaptive allocator, when it adds a magazine under contention, frees the old
        // one's chunk under a StampedLock held for a few instructions (Netty's own integration
        // does not list it as of 4.2.18).
        .allowBlockingCallsInside(
            "io.netty.buffer.AdaptivePoolingAllocator$MagazineGroup", "tryExpandMagazines")
        .allowBlockingCallsInside("io.netty.buffer.AdaptivePoolingAllocator$Magazine", "free")
        // Scheduling a request timeout or a reconnect takes the JDK timer queue's lock for the
        // few instructions of an insert; it parks only if the timer thread holds it that moment
        // (it never holds it while a task runs).
        .allowBlockingCallsInside("java.util.concurrent.ScheduledThreadPoolExecutor", "schedule")
        // Likewise cancelling one when the reply arrives on the loop (remove-on-cancel).
        .allowBlockingCallsInside(
            "java.util.concurrent.ScheduledThreadPoolExecutor$ScheduledFutureTask", "cancel")
        // Lettuce's writers share its SharedLock, a ReentrantLock held for a few instructions
        // per command. Thrown from inside it, the error leaves the lock's state broken (a holder
        // that dies wedges every later writer, redis/lettuce#3804): a clean-clone verify once
        // hung with a Lettuce thread spinning a core in incrementWriters and the test's thread
        // parked behind it. Our own calls on Lettuce's threads stay watched.
        .allowBlockingCallsInside("io.lettuce.core.protocol.SharedLock", "incrementWriters")
        .allowBlockingCallsInside("io.lettuce.core.protocol.SharedLock", "decrementWriters")
        .allowBlockingCallsInside("io.lettuce.core.protocol.SharedLock", "doExclusive")
        // The JDK's own backpressure on direct memory: when a direct buffer would pass the
        // limit, reserveMemory waits for the reference handler to free unreachable ones (a few
        // backoffs, about half a second at most, then OutOfMemoryError). Any allocation on a
        // loop may meet it near the limit; a clean-clone verify once closed the flooder of
        // SmallHeapFloodTest (64 MiB of direct memory) on it, and the test saw the pump stall.
        .allowBlockingCallsInside("java.nio.Bits", "reserveMemory")
        .blockingMethodCallback(BlockingCallCheck::record)
        .install();
    installed = true;
  }

  /**
   * Runs {@code action} on the current thread with blocking calls allowed: for a test that holds
   * an event loop on purpose (to make the server fall behind) or plays another library's loop.
   *
   * @param action what may block
   */
  public static void tolerate(Runnable action) {
    boolean before = TOLERATED.get();
    TOLERATED.set(true);
    try {
      action.run();
    } finally {
      TOLERATED.set(before);
    }
  }

  private static void record(reactor.blockhound.BlockingMethod method) {
    if (TOLERATED.get()) {
      return;
    }
    BlockingOperationError error = new BlockingOperationError(method);
    StringBuilder where = new StringBuilder(error.getMessage())
        .append(" on ").append(Thread.currentThread().getName());
    for (StackTraceElement frame : error.getStackTrace()) {
      where.append("\n\tat ").append(frame);
    }
    synchronized (VIOLATIONS) {
      VIOLATIONS.add(where.toString());
    }
    throw error; // the loop's task fails too, as BlockHound's default does
  }

  /**
   * Returns and forgets the blocking calls recorded so far.
   *
   * @return one description, with its stack, per call
   */
  public static List<String> drain() {
    synchronized (VIOLATIONS) {
      List<String> copy = new ArrayList<>(VIOLATIONS);
      VIOLATIONS.clear();
      return copy;
    }
  }
}
