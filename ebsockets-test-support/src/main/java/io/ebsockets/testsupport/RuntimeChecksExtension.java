package io.ebsockets.testsupport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import java.util.List;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fails a test when Netty reported a leaked buffer, or {@link BlockingCallCheck} recorded a
 * blocking call on an event loop, during or before it. Registered for every test through {@code
 * META-INF/services} (JUnit's extension auto-detection).
 *
 * <p>Netty notices a leak only when the leaked buffer has been garbage collected and a later
 * allocation polls its reference queue, so after each test this collects garbage and allocates
 * a few tracked buffers before it reads the reports.
 */
public final class RuntimeChecksExtension implements AfterEachCallback, AfterAllCallback {

  @Override
  public void afterEach(ExtensionContext context) {
    check(context.getDisplayName());
  }

  @Override
  public void afterAll(ExtensionContext context) {
    check("after all of " + context.getDisplayName());
  }

  /**
   * Fails if Netty reported a leak or a loop blocked; for test engines that do not run JUnit Jupiter extensions
   * (jqwik calls it from an {@code @AfterContainer} method).
   *
   * @param where what just ran, for the message
   */
  public static void check(String where) {
    List<String> blocking = BlockingCallCheck.drain();
    if (!blocking.isEmpty()) {
      throw new AssertionError(
          blocking.size() + " blocking call(s) on an event loop by the end of " + where + ":\n"
              + String.join("\n\n", blocking));
    }
    if (ResourceLeakDetector.getLevel() == ResourceLeakDetector.Level.DISABLED) {
      return;
    }
    for (int round = 0; round < 3; round++) {
      System.gc();
      pollLeakDetectors();
    }
    List<String> leaks = LeakRecorder.drain();
    if (!leaks.isEmpty()) {
      throw new AssertionError(
          "Netty reported " + leaks.size() + " leak(s) by the end of " + where + ":\n"
              + String.join("\n\n", leaks));
    }
  }

  /** Each tracked allocation makes the detectors poll their queue of collected, unreleased buffers. */
  private static void pollLeakDetectors() {
    for (ByteBufAllocator alloc :
        List.of(
            ByteBufAllocator.DEFAULT,
            PooledByteBufAllocator.DEFAULT,
            UnpooledByteBufAllocator.DEFAULT)) {
      for (int i = 0; i < 16; i++) {
        ByteBuf probe = alloc.directBuffer(8);
        probe.release();
        probe = alloc.heapBuffer(8);
        probe.release();
      }
    }
  }
}
