package io.ebsockets;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's sends that were too long to send: dropped, and logged at most once every ten
 * seconds (with how many were dropped since), so that a peer whose events relay too long can
 * neither end the pump loop nor flood the log.
 *
 * <p><b>Threads.</b> Any thread; lock-free.
 */
final class OversizedSends {
  private static final Logger log = LoggerFactory.getLogger(EbsocketSystem.class);
  private static final long LOG_EVERY_NANOS = TimeUnit.SECONDS.toNanos(10);

  private final AtomicLong unlogged = new AtomicLong();
  private final AtomicLong nextLogNanos = new AtomicLong(System.nanoTime());

  /** A send was dropped; {@code e} says what and by how much. */
  void dropped(EventTooLongException e) {
    long now = System.nanoTime();
    long next = nextLogNanos.get();
    long since = unlogged.incrementAndGet();
    if (now - next >= 0 && nextLogNanos.compareAndSet(next, now + LOG_EVERY_NANOS)) {
      unlogged.addAndGet(-since);
      log.warn("dropped {} event(s) too long to send in the last 10 s or so; the latest: {}",
          since, e.getMessage());
    }
  }
}
