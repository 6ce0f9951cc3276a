package io.ebsockets;

import java.util.function.LongSupplier;
import org.slf4j.Logger;

/**
 * Logs a counter that should stay still — duplicates, gaps, failed publishes — once per
 * incident, not once per message: one line when it starts moving, one when it has been still
 * for {@link #QUIET_NANOS} again, with the total.
 *
 * <p><b>Threads.</b> Only the thread that calls {@link #tick}.
 */
final class Incident {
  /** How long a counter must be still for its incident to be over: 5 seconds. */
  static final long QUIET_NANOS = 5_000_000_000L;

  private final Logger log;
  private final String what;
  private final LongSupplier counter;
  private long seen;
  private boolean open;
  private long startValue;
  private long startNanos;
  private long lastChangeNanos;

  Incident(Logger log, String what, LongSupplier counter) {
    this.log = log;
    this.what = what;
    this.counter = counter;
  }

  /** Looks at the counter now. */
  void tick(long nowNanos) {
    long value = counter.getAsLong();
    if (value > seen) {
      if (!open) {
        open = true;
        startValue = seen;
        startNanos = nowNanos;
        log.warn("cluster: {} ({} so far); one line more when it stops", what, value - seen);
      }
      seen = value;
      lastChangeNanos = nowNanos;
    } else if (open && nowNanos - lastChangeNanos > QUIET_NANOS) {
      open = false;
      log.warn(
          "cluster: {} stopped: {} in {} ms",
          what,
          seen - startValue,
          (lastChangeNanos - startNanos) / 1_000_000);
    }
  }
}
