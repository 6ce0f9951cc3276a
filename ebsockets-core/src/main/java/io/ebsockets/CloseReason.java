package io.ebsockets;

import java.util.Locale;
import java.util.Optional;

/**
 * Why a connection ended. On the wire (the {@code reason} of an {@code ebsockets.close} control
 * event) each constant is written in lower snake case, e.g. {@code protocol_error}.
 */
public enum CloseReason {
  /** The peer closed the connection without saying why. */
  PEER_CLOSED,
  /** The socket failed: reset by the peer, broken pipe, or another I/O error. */
  IO_ERROR,
  /** One side sent something that breaks the wire protocol. */
  PROTOCOL_ERROR,
  /** Nothing was received for longer than the idle timeout. */
  IDLE_TIMEOUT,
  /** The peer read too slowly and its outbound backlog went over the limit. */
  SLOW_CONSUMER,
  /** The server application closed the connection. */
  KICKED,
  /** The server is shutting down. */
  SERVER_SHUTDOWN,
  /** The server is at its connection limit. */
  SERVER_FULL,
  /** The client application closed the connection. */
  CLIENT_CLOSED;

  private final String wireName = name().toLowerCase(Locale.ROOT);

  /**
   * Returns this reason as written on the wire.
   *
   * @return the lower snake case name, e.g. {@code "server_shutdown"}
   */
  public String wireName() {
    return wireName;
  }

  /**
   * Looks a reason up by its wire name.
   *
   * @param wireName a reason as written on the wire, e.g. {@code "kicked"}
   * @return the reason, or empty when the name is unknown (a newer peer may send reasons this
   *     version does not know)
   */
  public static Optional<CloseReason> fromWireName(String wireName) {
    for (CloseReason reason : values()) {
      if (reason.wireName.equals(wireName)) {
        return Optional.of(reason);
      }
    }
    return Optional.empty();
  }
}
