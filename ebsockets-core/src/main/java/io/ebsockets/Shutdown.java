package io.ebsockets;

import java.util.concurrent.TimeUnit;

/**
 * A server's shutdown, one state machine for every way it ends:
 *
 * <pre>
 * RUNNING ──close()──▶ [LAME_DUCK ──period over──▶] DRAINING ──drained or timeout──▶ CLOSING
 *                                                              ──every connection closed──▶ CLOSED
 * </pre>
 *
 * <ul>
 *   <li><b>LAME_DUCK</b> (only with a lame-duck period): the doors stay bound but turn new
 *       connections away with {@code server_shutdown} and a retry hint; health says 503; the
 *       connections are closed with {@code server_shutdown}, one by one, spread over the period;
 *       the pump loop runs as before.
 *   <li><b>DRAINING</b>: the transport accepts nothing new and reads nothing more; {@code pump()}
 *       still hands out what was read, without waiting for more, and sends still work. It ends
 *       once the pump loop has taken everything and come back for more (so it has relayed the
 *       last batch), or when the shutdown timeout passes.
 *   <li><b>CLOSING</b>: {@link EbsocketSystem#isClosed()} is true; the transport writes what was
 *       queued, then closes every connection with {@code server_shutdown}.
 *   <li><b>CLOSED</b>: the threads are released; {@code pump()} returns what is left, then empty
 *       results at once.
 * </ul>
 *
 * <p>The drain waits only for a pump loop that exists: if nothing ever pumped, or {@code close()}
 * is called from the pump loop's own thread (which cannot pump while it closes), it goes on at
 * once.
 *
 * <p><b>Threads.</b> {@link #begin} and {@link #awaitDrained} run on the closing thread; the
 * pump-side calls on the pump thread; the phase is readable from any thread. The monitor is
 * taken only by those two kinds of threads, never by a transport's I/O thread, and by the pump
 * only once a shutdown has begun.
 */
final class Shutdown {
  /** Where a shutdown is. */
  enum Phase {
    RUNNING,
    LAME_DUCK,
    DRAINING,
    CLOSING,
    CLOSED
  }

  private volatile Phase phase = Phase.RUNNING;
  /**
   * The pump is handing out, or has handed out, a batch that the application has not yet dealt
   * with (it has not come back to pump). Volatile, written on every pump: the monitor is taken
   * only once a shutdown has begun. Either the pump sees the phase change after its write and
   * notifies, or the closing thread sees its write: no wake-up is lost.
   */
  private volatile boolean batchOut;
  /** The thread that pumped last, or null if nothing ever pumped. */
  private volatile Thread pumpThread;

  /**
   * Closing thread: starts the shutdown, with a lame-duck phase or straight into the drain; false
   * if it had already started.
   */
  synchronized boolean begin(boolean lameDuck) {
    if (phase != Phase.RUNNING) {
      return false;
    }
    phase = lameDuck ? Phase.LAME_DUCK : Phase.DRAINING;
    return true;
  }

  /** Closing thread: the lame-duck period is over; the drain begins. */
  void draining() {
    phase = Phase.DRAINING;
  }

  /** Any thread: the phase as health reports it. */
  Health.State state() {
    return switch (phase) {
      case RUNNING -> Health.State.SERVING;
      case LAME_DUCK -> Health.State.LAME_DUCK;
      case DRAINING -> Health.State.DRAINING;
      case CLOSING, CLOSED -> Health.State.CLOSED;
    };
  }

  /** True once the application should stop its loop: closing or closed. */
  boolean isClosed() {
    return phase.compareTo(Phase.CLOSING) >= 0;
  }

  /** Pump thread: a pump must hand out what is there and return, not wait for more. */
  boolean pumpMustNotWait() {
    Phase now = phase;
    return now == Phase.DRAINING || now == Phase.CLOSED;
  }

  /** Pump thread, at each pump: the batch it handed out before has been dealt with. */
  void pumpEntered() {
    pumpThread = Thread.currentThread();
    batchDone();
  }

  /** Pump thread, before it takes items: until it returns, a batch is out. */
  void taking() {
    batchOut = true;
  }

  /** Pump thread: it took nothing after all. */
  void tookNothing() {
    batchDone();
  }

  private void batchDone() {
    batchOut = false;
    if (phase != Phase.RUNNING) {
      synchronized (this) {
        notifyAll();
      }
    }
  }

  /**
   * Closing thread: waits until the pump loop has taken everything in {@code inbox} and come back
   * for more, or until {@code deadlineNanos}.
   *
   * @return true if drained, false if the deadline passed first or there is no loop to wait for
   */
  synchronized boolean awaitDrained(Inbox inbox, long deadlineNanos) {
    Thread loop = pumpThread;
    if (loop == null || loop == Thread.currentThread() || !loop.isAlive()) {
      return inbox.isEmpty() && !batchOut;
    }
    while (batchOut || !inbox.isEmpty()) {
      long left = deadlineNanos - System.nanoTime();
      if (left <= 0 || !loop.isAlive()) {
        return false;
      }
      try {
        TimeUnit.NANOSECONDS.timedWait(this, left);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    return true;
  }

  /** Closing thread: the drain is over; connections are being closed. */
  void closing() {
    phase = Phase.CLOSING;
  }

  /** Closing thread: everything is closed. */
  void closed() {
    phase = Phase.CLOSED;
  }
}
