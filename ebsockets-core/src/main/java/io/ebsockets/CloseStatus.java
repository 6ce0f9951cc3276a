package io.ebsockets;

import java.util.Objects;

/**
 * Why a connection ended, and what was said about it.
 *
 * @param reason the reason
 * @param message a human-readable explanation; empty when there is none, never null
 */
public record CloseStatus(CloseReason reason, String message) {

  /**
   * Creates a status.
   *
   * @param reason the reason
   * @param message the explanation, empty if none
   * @throws NullPointerException if {@code reason} or {@code message} is null
   */
  public CloseStatus {
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(message, "message");
  }

  @Override
  public String toString() {
    return message.isEmpty() ? reason.wireName() : reason.wireName() + ": " + message;
  }
}
