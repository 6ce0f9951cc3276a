package io.ebsockets;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/** Argument checks whose messages name the parameter, the value and what was expected. */
final class Checks {
  private Checks() {}

  static int positive(int value, String name) {
    if (value <= 0) {
      throw new IllegalArgumentException(name + ": " + value + " (expected: > 0)");
    }
    return value;
  }

  static long positive(long value, String name) {
    if (value <= 0) {
      throw new IllegalArgumentException(name + ": " + value + " (expected: > 0)");
    }
    return value;
  }

  static long nonNegative(long value, String name) {
    if (value < 0) {
      throw new IllegalArgumentException(
          name + ": " + value + " (expected: >= 0; 0 for no limit)");
    }
    return value;
  }

  static int inRange(int value, int min, int max, String name) {
    if (value < min || value > max) {
      throw new IllegalArgumentException(
          name + ": " + value + " (expected: " + min + " to " + max + ")");
    }
    return value;
  }

  static Duration nonNegative(Duration value, String name) {
    Objects.requireNonNull(value, name);
    if (value.isNegative()) {
      throw new IllegalArgumentException(name + ": " + value + " (expected: >= 0)");
    }
    return value;
  }

  static Duration positive(Duration value, String name) {
    Objects.requireNonNull(value, name);
    if (value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException(name + ": " + value + " (expected: > 0)");
    }
    return value;
  }

  /** A duration in nanoseconds, saturating instead of overflowing for very long durations. */
  static long toNanos(Duration duration) {
    try {
      return duration.toNanos();
    } catch (ArithmeticException e) {
      return Long.MAX_VALUE;
    }
  }

  /**
   * Takes a lock within a timeout: {@code Long.MAX_VALUE} waits without bound, 0 does not wait.
   *
   * @return true if taken; false on timeout or interrupt (the interrupt flag stays set)
   */
  static boolean lock(ReentrantLock lock, long timeoutNanos) {
    try {
      if (timeoutNanos == Long.MAX_VALUE) {
        lock.lockInterruptibly();
        return true;
      }
      return timeoutNanos <= 0 ? lock.tryLock() : lock.tryLock(timeoutNanos, TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** What is left of a timeout that began at {@code startNanos}; {@code Long.MAX_VALUE} stays. */
  static long remaining(long timeoutNanos, long startNanos) {
    return timeoutNanos == Long.MAX_VALUE
        ? Long.MAX_VALUE
        : timeoutNanos - (System.nanoTime() - startNanos);
  }

  /** Nanoseconds until {@code deadlineNanos} (a {@link System#nanoTime()} value), at least 0. */
  static long remaining(long deadlineNanos) {
    return Math.max(0, deadlineNanos - System.nanoTime());
  }
}
