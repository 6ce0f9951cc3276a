package io.ebsockets;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A reconnecting client lost its connection or got it back: reported by {@link
 * EbsocketClient#pump()} in {@link ClientPumpResult#connectionChanges()}, in the order they
 * happened. A {@linkplain EbsocketClient.Builder#resumable resumable} client reports how its
 * session came back: {@link Kind#RESUMED}, {@link Kind#SESSION_EXPIRED} or {@link
 * Kind#SESSION_UNKNOWN}, instead of {@link Kind#RECONNECTED}.
 *
 * @param kind what happened
 * @param status for {@link Kind#DISCONNECTED}, why the connection ended; empty otherwise
 * @param attempts for a reconnect, how many attempts it took; 0 for {@link Kind#DISCONNECTED}
 * @param unacknowledged for {@link Kind#SESSION_EXPIRED} and {@link Kind#SESSION_UNKNOWN}, the
 *     events this client sent (or held while offline) that the old session never acknowledged,
 *     oldest first: the server may or may not have received them, and they were not sent again;
 *     empty otherwise
 */
public record ConnectionChange(
    Kind kind, Optional<CloseStatus> status, int attempts, List<EbsocketEvent> unacknowledged) {

  /** What happened to the connection. */
  public enum Kind {
    /** The connection ended unexpectedly; the client is reconnecting. */
    DISCONNECTED,
    /** The client is connected again; events held while offline were sent first. */
    RECONNECTED,
    /**
     * A resumable client is connected again and its session resumed: every event either side
     * sent meanwhile is delivered once, in order; requests pending before are still pending.
     */
    RESUMED,
    /**
     * A resumable client is connected again, but the server no longer had its session (the
     * resume window passed, or its replay buffer overflowed): this is a new session, events may
     * have been missed either way, pending requests failed, and {@link #unacknowledged()} holds
     * what this client sent that the old session never acknowledged.
     */
    SESSION_EXPIRED,
    /**
     * A resumable client is connected again, to a server that does not know its session (it
     * restarted, or it is another node): as {@link #SESSION_EXPIRED}.
     */
    SESSION_UNKNOWN
  }

  /**
   * Creates a change.
   *
   * @param kind what happened
   * @param status why, for a disconnect
   * @param attempts attempts it took, for a reconnect
   * @param unacknowledged the events handed back, for an expired or unknown session
   * @throws NullPointerException if an argument is null
   */
  public ConnectionChange {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(status, "status");
    unacknowledged = List.copyOf(unacknowledged);
  }

  /**
   * Creates a change without events handed back.
   *
   * @param kind what happened
   * @param status why, for a disconnect
   * @param attempts attempts it took, for a reconnect
   * @throws NullPointerException if {@code kind} or {@code status} is null
   */
  public ConnectionChange(Kind kind, Optional<CloseStatus> status, int attempts) {
    this(kind, status, attempts, List.of());
  }

  static ConnectionChange disconnected(CloseStatus status) {
    return new ConnectionChange(Kind.DISCONNECTED, Optional.of(status), 0);
  }

  static ConnectionChange reconnected(int attempts) {
    return new ConnectionChange(Kind.RECONNECTED, Optional.empty(), attempts);
  }

  static ConnectionChange sessionCameBack(
      Kind kind, int attempts, List<EbsocketEvent> unacknowledged) {
    return new ConnectionChange(kind, Optional.empty(), attempts, unacknowledged);
  }
}
