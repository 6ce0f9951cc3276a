package io.ebsockets.netty;

import io.ebsockets.CloseReason;
import io.ebsockets.CloseStatus;
import io.ebsockets.ServerOptions;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * When turned-away clients should come back, and how fast new ones are let in: the server's
 * accept rate and the retry hints of its {@code server_full}, {@code server_shutdown} and {@code
 * overloaded} closes.
 *
 * <p><b>Accept rate</b> is a GCRA (a token bucket kept as one timestamp): connection n may pass
 * at the theoretical arrival time {@code tat}, which each pass moves one interval ({@code
 * 1/(0.9 rate)}) on; a tenth of the rate may pass early, as a burst. So no window of one second
 * ever holds more than {@code rate} connections, and a steady stream passes at 90% of it. A
 * connection that
 * may not pass is promised a slot: the promises start where the bucket will next have room and
 * follow one interval apart, so that the clients turned away by a storm come back at the rate
 * the server takes them, in the order they came. The hint is the time until the slot; clients add
 * their own jitter, which only spreads them further.
 *
 * <p><b>Other hints</b> are drawn at random from {@code [retryAfter, retryAfter + spread)}, where
 * the spread is {@code retryAfter} or, at shutdown with an accept rate, the time 80% of that rate
 * needs to take back every connection the server had: drawn at random, the comebacks come in
 * bunches, and the fifth left free takes most bunches without turning anyone away.
 *
 * <p><b>Threads.</b> Any; the accept rate is one short critical section per new connection.
 */
final class Comebacks {
  /** The longest hint promised; beyond it promises would only be guesses. */
  static final long MAX_HINT_NANOS = Duration.ofMinutes(5).toNanos();

  private final Duration retryAfter;
  private final int rate;
  /** Nanoseconds between two connections at the accept rate; 0 without a rate. */
  private final long interval;
  /** How early a connection may pass: a burst of a tenth of the rate. */
  private final long burst;
  /** Guarded by this: the theoretical arrival time of the next connection. */
  private long tat;
  /** Guarded by this: the slot promised last to a connection turned away. */
  private long promised;
  /** Set at shutdown: the spread of its hints. */
  private volatile long shutdownSpread;

  Comebacks(ServerOptions options) {
    this(options.retryAfter(), options.acceptRate());
  }

  /** With a base hint, and an accept rate ({@link Integer#MAX_VALUE}: none). */
  Comebacks(Duration retryAfter, int rate) {
    this.retryAfter = retryAfter;
    this.rate = rate;
    // One per 1/(0.9 rate), a tenth of the rate at once: n * 0.9 + n / 10 = n in any second.
    this.interval = rate == Integer.MAX_VALUE ? 0 : Math.max(1, 10_000_000_000L / (9L * rate));
    this.burst = interval * (Math.max(1, rate / 10) - 1);
    this.shutdownSpread = retryAfter.toNanos();
  }

  /**
   * Whether a new connection may be let in now; if not, why, with when to come back.
   *
   * @return null if it may, else the {@code overloaded} status to close it with
   */
  CloseStatus admit(long nowNanos) {
    if (interval == 0) {
      return null;
    }
    long hint;
    synchronized (this) {
      long next = Math.max(tat, nowNanos);
      if (next - nowNanos <= burst) {
        tat = next + interval;
        return null;
      }
      promised = Math.max(promised + interval, next - burst); // when the bucket has room again
      hint = Math.min(promised - nowNanos, MAX_HINT_NANOS);
    }
    return new CloseStatus(CloseReason.OVERLOADED,
        "server overloaded: taking " + rate + " new connections a second",
        Duration.ofNanos(Math.max(hint, 1_000_000)));
  }

  /** The server is full: come back after a random time from the base to twice it. */
  CloseStatus full(String message) {
    return new CloseStatus(CloseReason.SERVER_FULL, message, spread(retryAfter.toNanos()));
  }

  /**
   * The server shuts down with {@code connections} open: from now on, shutdown hints spread the
   * comebacks over what the accept rate needs for them all.
   */
  void shuttingDown(int connections) {
    if (interval != 0) {
      shutdownSpread = Math.max(retryAfter.toNanos(), connections * 1_250_000_000L / rate);
    }
  }

  /** A shutdown close, with a hint drawn over the shutdown's spread. */
  CloseStatus shutdown() {
    return new CloseStatus(
        CloseReason.SERVER_SHUTDOWN, "server shutting down", spread(shutdownSpread));
  }

  private Duration spread(long spreadNanos) {
    long base = retryAfter.toNanos();
    long extra = (long) (ThreadLocalRandom.current().nextDouble() * spreadNanos);
    return Duration.ofNanos(Math.min(base + extra, MAX_HINT_NANOS));
  }
}
