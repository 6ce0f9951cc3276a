package io.ebsockets.netty;

import io.ebsockets.CloseReason;
import io.ebsockets.CloseStatus;
import io.netty.handler.codec.DecoderException;
import java.io.IOException;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a failure on a connection means for it: the status it closes with, whether the peer is
 * told (an {@code ebsockets.error} for a protocol error; nothing for a broken socket), and what is
 * logged.
 *
 * <p><b>Logging a peer's mistakes.</b> Anything a peer controls is escaped before it reaches a
 * log line ({@link #printable}), so a crafted key cannot forge a line. Protocol errors and
 * failed TLS handshakes are what scanners cause by the thousand, so they are logged at INFO for
 * the first {@value #LOGGED_PER_WINDOW} in each ten seconds, then summed up with a count in the
 * next line; the rest go to DEBUG.
 *
 * <p><b>Threads.</b> Any thread; one instance serves every connection of a transport.
 */
final class Failures {
  private static final Logger log = LoggerFactory.getLogger(NettyConnection.class);
  static final int LOGGED_PER_WINDOW = 10;
  private static final long WINDOW_NANOS = TimeUnit.SECONDS.toNanos(10);

  /** How a connection ends after a failure. */
  record Verdict(CloseStatus status, ControlFrame farewellOrNull) {}

  private final LongSupplier clock;
  private final AtomicLong windowStart;
  private final AtomicLong loggedInWindow = new AtomicLong();
  private final AtomicLong suppressed = new AtomicLong();

  Failures() {
    this(System::nanoTime);
  }

  /** With a clock of nanoseconds, for tests. */
  Failures(LongSupplier clock) {
    this.clock = clock;
    this.windowStart = new AtomicLong(clock.getAsLong());
  }

  /** Decides how {@code connection} ends after {@code cause}, and logs it. */
  Verdict judge(Object connection, Throwable cause) {
    Throwable tls = tlsFailure(cause);
    if (tls != null) {
      String message = "TLS failed: " + tls.getMessage();
      peerMistake(connection, message);
      return new Verdict(new CloseStatus(CloseReason.IO_ERROR, message), null);
    }
    if (cause instanceof ProtocolException pe) {
      String wire = pe.code().wireName();
      peerMistake(connection, "protocol error " + wire + ": " + pe.getMessage());
      return new Verdict(
          new CloseStatus(CloseReason.PROTOCOL_ERROR, wire + ": " + pe.getMessage()),
          ControlFrame.error(pe.code(), pe.getMessage()));
    }
    OutOfMemoryError oom = outOfMemory(cause);
    if (oom != null) {
      // The budgets are meant to prevent it; if it happens anyway, this connection is the one
      // that asked, and it goes without taking a stack trace per connection into the log, and
      // with a farewell that says why rather than a bare reset.
      String message = "out of memory: " + oom.getMessage();
      peerMistake(connection, message);
      return new Verdict(
          new CloseStatus(CloseReason.IO_ERROR, message),
          ControlFrame.close(
              ControlFrame.OUT_OF_MEMORY,
              "this side ran out of memory handling this connection's input"));
    }
    if (cause instanceof IOException) {
      log.debug("{}: closing: {}", connection, printable(cause.toString()));
      return new Verdict(
          new CloseStatus(CloseReason.IO_ERROR, String.valueOf(cause.getMessage())), null);
    }
    log.warn("{}: closing after an unexpected error", connection, cause);
    return new Verdict(new CloseStatus(CloseReason.IO_ERROR, "internal error: " + cause), null);
  }

  /** Logs what a peer did wrong, within the INFO allowance, escaped. */
  void peerMistake(Object connection, String what) {
    String line = printable(what);
    long now = clock.getAsLong();
    long start = windowStart.get();
    if (now - start >= WINDOW_NANOS && windowStart.compareAndSet(start, now)) {
      loggedInWindow.set(0);
    }
    if (loggedInWindow.incrementAndGet() <= LOGGED_PER_WINDOW) {
      long skipped = suppressed.getAndSet(0);
      if (skipped > 0) {
        log.info("{}: closing: {} ({} more such closes were logged at DEBUG only)",
            connection, line, skipped);
      } else {
        log.info("{}: closing: {}", connection, line);
      }
    } else {
      suppressed.incrementAndGet();
      log.debug("{}: closing: {}", connection, line);
    }
  }

  /** The {@code OutOfMemoryError} in {@code cause} (as thrown, or wrapped), or null if none. */
  private static OutOfMemoryError outOfMemory(Throwable cause) {
    for (Throwable t = cause; t != null; t = t.getCause()) {
      if (t instanceof OutOfMemoryError oom) {
        return oom;
      }
    }
    return null;
  }

  /** The TLS error in {@code cause} (as thrown, or wrapped by a decoder), or null if none. */
  private static Throwable tlsFailure(Throwable cause) {
    if (cause instanceof SSLException) {
      return cause;
    }
    if (cause instanceof DecoderException && cause.getCause() instanceof SSLException ssl) {
      return ssl;
    }
    return null;
  }

  /**
   * {@code text} with every control character (and the line and paragraph separators) written
   * as an escape, so that it stays on one line and cannot pass for a line of its own.
   */
  static String printable(String text) {
    StringBuilder out = null;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      String escape = escape(c);
      if (escape != null && out == null) {
        out = new StringBuilder(text.length() + 16).append(text, 0, i);
      }
      if (out != null) {
        if (escape != null) {
          out.append(escape);
        } else {
          out.append(c);
        }
      }
    }
    return out == null ? text : out.toString();
  }

  private static String escape(char c) {
    return switch (c) {
      case '\n' -> "\\n";
      case '\r' -> "\\r";
      case '\t' -> "\\t";
      default ->
          Character.isISOControl(c) || c == '\u2028' || c == '\u2029'
              ? String.format(Locale.ROOT, "\\u%04x", (int) c)
              : null;
    };
  }
}
