package io.ebsockets.testsupport;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * Runs one blocking call (a pump, a receive) on a thread of its own and tells when that thread
 * is parked inside the library, so that a test can act while the call really waits instead of
 * merely having been started.
 *
 * @param <T> what the call returns
 */
public final class PumpThread<T> {
  private final Callable<T> call;
  private final AtomicReference<Thread> thread = new AtomicReference<>();

  /**
   * Prepares a call; nothing runs yet.
   *
   * @param call the blocking call
   */
  public PumpThread(Callable<T> call) {
    this.call = call;
  }

  /**
   * Starts the call on a new daemon thread.
   *
   * @return completed with what the call returns
   */
  public Future<T> start() {
    CompletableFuture<T> result = new CompletableFuture<>();
    Thread t =
        new Thread(
            () -> {
              try {
                result.complete(call.call());
              } catch (Throwable e) {
                result.completeExceptionally(e);
              }
            },
            "test-pump");
    t.setDaemon(true);
    thread.set(t);
    t.start();
    return result;
  }

  /** Waits (up to {@link PumpRecorder#TIMEOUT}) until the call's thread is parked in ebsockets. */
  public void awaitParked() {
    await().atMost(PumpRecorder.TIMEOUT).pollInterval(Duration.ofMillis(5)).until(this::isParked);
  }

  private boolean isParked() {
    Thread t = thread.get();
    Object blocker = t == null ? null : LockSupport.getBlocker(t);
    return blocker != null && blocker.getClass().getName().startsWith("io.ebsockets.");
  }

  /** Interrupts the call's thread if it still runs. */
  public void stop() {
    Thread t = thread.get();
    if (t != null) {
      t.interrupt();
    }
  }
}
