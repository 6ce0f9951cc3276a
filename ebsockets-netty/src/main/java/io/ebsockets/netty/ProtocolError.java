package io.ebsockets.netty;

import java.util.Locale;

/** The codes of {@code ebsockets.error}: what a peer did that breaks wire protocol v1. */
enum ProtocolError {
  /** A frame declared length 0. */
  EMPTY_FRAME,
  /** A frame declared a length over the receiver's max frame length. */
  FRAME_TOO_LONG,
  /** The payload is not valid UTF-8. */
  INVALID_UTF8,
  /** The payload is not JSON. */
  INVALID_JSON,
  /** The payload is JSON but not an object. */
  NOT_AN_OBJECT,
  /** The payload has no {@code type}. */
  MISSING_TYPE,
  /** The {@code type} is not a string, or is empty. */
  INVALID_TYPE,
  /** The {@code data} is not an object (or null), or holds a number out of range. */
  INVALID_DATA,
  /** An object has the same key twice. */
  DUPLICATE_KEY,
  /** Something follows the payload object. */
  TRAILING_DATA,
  /** A frame that had started did not arrive whole within the frame timeout. */
  FRAME_TIMEOUT,
  /** An {@code ebsockets.request} or {@code ebsockets.reply} member is not an integer id. */
  INVALID_REQUEST_ID,
  /**
   * A known control frame from the side that may not send it (a welcome from a client, a hello
   * from a server), or out of turn (a second hello, a hello after an event, a second welcome).
   */
  UNEXPECTED_CONTROL,
  /** A client without TLS reached a server that speaks TLS only; sent in plain text. */
  TLS_REQUIRED,
  /** A binary WebSocket message: the WebSocket door carries text messages only. */
  BINARY_MESSAGE,
  /** A WebSocket frame that breaks RFC 6455 (bad opcode, reserved bits, a bad continuation). */
  INVALID_WEBSOCKET_FRAME,
  /**
   * On a TCP door that expects the PROXY protocol: the connection did not start with a valid
   * version 1 or 2 header, or none came within the handshake timeout.
   */
  INVALID_PROXY_HEADER;

  private final String wireName = name().toLowerCase(Locale.ROOT);

  String wireName() {
    return wireName;
  }
}
