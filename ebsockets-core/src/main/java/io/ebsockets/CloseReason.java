package io.ebsockets;

import java.util.Locale;
import java.util.Optional;

/**
 * Why a connection ended. On the wire (the {@code reason} of an {@code ebsockets.close} control
 * event) each constant is written in lower snake case, e.g. {@code protocol_error}.
 *
 * <p>Later versions may add reasons, as this one added {@link #OVERLOADED}: a {@code switch}
 * over a close reason should have a {@code default} branch.
 */
public enum CloseReason {
  /** The peer closed the connection without saying why. */
  PEER_CLOSED(4000),
  /** The socket failed: reset by the peer, broken pipe, or another I/O error. */
  IO_ERROR(4001),
  /** One side sent something that breaks the wire protocol. */
  PROTOCOL_ERROR(4002),
  /** Nothing was received for longer than the idle timeout. */
  IDLE_TIMEOUT(4003),
  /** The peer read too slowly and its outbound backlog went over the limit. */
  SLOW_CONSUMER(4004),
  /** The server application closed the connection. */
  KICKED(4005),
  /** The server is shutting down. */
  SERVER_SHUTDOWN(4006),
  /** The server is at its connection limit. */
  SERVER_FULL(4007),
  /** The client application closed the connection. */
  CLIENT_CLOSED(4008),
  /** The server's {@link Admission} hook refused the connection. */
  UNAUTHORIZED(4009),
  /**
   * The server is taking new connections more slowly than they come (its accept rate) and turned
   * this one away; the close says when to try again. On WebSocket its close code is 1013, "Try
   * Again Later" (RFC 6455's registry), which browsers show as such.
   */
  OVERLOADED(1013);

  private final int webSocketCloseCode;

  CloseReason(int webSocketCloseCode) {
    this.webSocketCloseCode = webSocketCloseCode;
  }

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
   * Returns the close code a WebSocket close frame carries for this reason, in the range RFC
   * 6455 leaves to applications: 4000 {@code peer_closed}, 4001 {@code io_error}, 4002 {@code
   * protocol_error}, 4003 {@code idle_timeout}, 4004 {@code slow_consumer}, 4005 {@code kicked},
   * 4006 {@code server_shutdown}, 4007 {@code server_full}, 4008 {@code client_closed}, 4009
   * {@code unauthorized} (docs/PROTOCOL.md); {@code overloaded} is the registered 1013 ("Try
   * Again Later"). A code, once given, never changes.
   *
   * @return 4000 to 4999, or 1013
   */
  public int webSocketCloseCode() {
    return webSocketCloseCode;
  }

  /**
   * Looks a reason up by its WebSocket close code.
   *
   * @param code a close code
   * @return the reason, or empty for a code outside this enum's (1000, 1001, a newer reason)
   */
  public static Optional<CloseReason> fromWebSocketCloseCode(int code) {
    for (CloseReason reason : values()) {
      if (reason.webSocketCloseCode == code) {
        return Optional.of(reason);
      }
    }
    return Optional.empty();
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
