package io.ebsockets;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Why a connection ended, what was said about it, and when the server asked to be tried again.
 *
 * @param reason the reason
 * @param message a human-readable explanation; empty when there is none, never null
 * @param retryAfter how long the server asked the client to wait before it connects again
 *     ({@code server_shutdown}, {@code server_full}, {@code overloaded}); {@link Duration#ZERO}
 *     when it asked nothing
 */
public record CloseStatus(CloseReason reason, String message, Duration retryAfter) {

  /**
   * Creates a status.
   *
   * @param reason the reason
   * @param message the explanation, empty if none
   * @param retryAfter the server's hint, zero if none
   * @throws NullPointerException if an argument is null
   * @throws IllegalArgumentException if {@code retryAfter} is negative
   */
  public CloseStatus {
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(message, "message");
    Checks.nonNegative(retryAfter, "retryAfter");
  }

  /**
   * Creates a status without a retry hint.
   *
   * @param reason the reason
   * @param message the explanation, empty if none
   * @throws NullPointerException if {@code reason} or {@code message} is null
   */
  public CloseStatus(CloseReason reason, String message) {
    this(reason, message, Duration.ZERO);
  }

  /**
   * Returns the server's retry hint, if it gave one.
   *
   * @return how long to wait before connecting again, or empty
   */
  public Optional<Duration> retryHint() {
    return retryAfter.isZero() ? Optional.empty() : Optional.of(retryAfter);
  }

  @Override
  public String toString() {
    String text = message.isEmpty() ? reason.wireName() : reason.wireName() + ": " + message;
    return retryAfter.isZero() ? text : text + " (retry after " + retryAfter.toMillis() + " ms)";
  }
}
