package io.ebsockets;

import java.util.Objects;
import java.util.Optional;

/**
 * A reconnecting client lost its connection or got it back: reported by {@link
 * EbsocketClient#pump()} in {@link ClientPumpResult#connectionChanges()}, in the order they
 * happened.
 *
 * @param kind what happened
 * @param status for {@link Kind#DISCONNECTED}, why the connection ended; empty for {@link
 *     Kind#RECONNECTED}
 * @param attempts for {@link Kind#RECONNECTED}, how many attempts it took; 0 for {@link
 *     Kind#DISCONNECTED}
 */
public record ConnectionChange(Kind kind, Optional<CloseStatus> status, int attempts) {

  /** What happened to the connection. */
  public enum Kind {
    /** The connection ended unexpectedly; the client is reconnecting. */
    DISCONNECTED,
    /** The client is connected again; events held while offline were sent first. */
    RECONNECTED
  }

  /**
   * Creates a change.
   *
   * @param kind what happened
   * @param status why, for a disconnect
   * @param attempts attempts it took, for a reconnect
   * @throws NullPointerException if {@code kind} or {@code status} is null
   */
  public ConnectionChange {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(status, "status");
  }

  static ConnectionChange disconnected(CloseStatus status) {
    return new ConnectionChange(Kind.DISCONNECTED, Optional.of(status), 0);
  }

  static ConnectionChange reconnected(int attempts) {
    return new ConnectionChange(Kind.RECONNECTED, Optional.empty(), attempts);
  }
}
