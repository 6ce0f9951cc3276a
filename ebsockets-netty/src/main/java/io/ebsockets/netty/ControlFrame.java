package io.ebsockets.netty;

import io.ebsockets.spi.WireProtocol;
import java.util.Map;

/**
 * A control event of the library's own ({@code ebsockets.*}); never handed to the application.
 *
 * @param type the full type, e.g. {@code ebsockets.ping}
 * @param data the data as received
 */
record ControlFrame(String type, Map<String, Object> data) {
  static final String PING = "ebsockets.ping";
  static final String PONG = "ebsockets.pong";
  static final String ERROR = "ebsockets.error";
  static final String CLOSE = "ebsockets.close";
  static final String HELLO = "ebsockets.hello";
  static final String WELCOME = "ebsockets.welcome";
  /** A resumable session's cumulative acknowledgement: {@code {received: n}}. */
  static final String ACK = "ebsockets.ack";
  /** The protocol version this library speaks. */
  static final int VERSION = WireProtocol.VERSION;

  /**
   * The most characters of a message an error or close frame carries: at six bytes for the worst
   * escape, it fits {@link WireProtocol#MIN_MAX_FRAME_LENGTH} with its envelope.
   */
  static final int MAX_MESSAGE_CHARS = 120;

  /**
   * The close reason for a connection this side ran out of memory handling (docs/PROTOCOL.md);
   * not a {@link io.ebsockets.CloseReason}: locally the connection ends with {@code io_error}.
   */
  static final String OUT_OF_MEMORY = "out_of_memory";

  static ControlFrame error(ProtocolError code, String message) {
    return new ControlFrame(ERROR, Map.of("code", code.wireName(), "message", brief(message)));
  }

  static ControlFrame close(String reason, String message) {
    return new ControlFrame(CLOSE, Map.of("reason", reason, "message", brief(message)));
  }

  /** A close that tells the peer when to try again: {@code retryAfter} in milliseconds. */
  static ControlFrame close(io.ebsockets.CloseStatus status) {
    if (status.retryAfter().isZero()) {
      return close(status.reason().wireName(), status.message());
    }
    return new ControlFrame(CLOSE, Map.of("reason", status.reason().wireName(),
        "message", brief(status.message()), "retryAfter", retryAfterMillis(status)));
  }

  /** A hint in whole milliseconds, at least 1 so that it is never read as "no hint". */
  static long retryAfterMillis(io.ebsockets.CloseStatus status) {
    return Math.max(1, status.retryAfter().toMillis());
  }

  /** The message, cut to {@link #MAX_MESSAGE_CHARS} (never inside a surrogate pair). */
  static String brief(String message) {
    if (message.length() <= MAX_MESSAGE_CHARS) {
      return message;
    }
    int end = MAX_MESSAGE_CHARS - 1;
    if (Character.isHighSurrogate(message.charAt(end - 1))) {
      end--;
    }
    return message.substring(0, end) + "\u2026";
  }

  static ControlFrame hello(int maxFrameLength) {
    return hello(maxFrameLength, Map.of());
  }

  /** A hello with the application's own members besides the protocol's. */
  static ControlFrame hello(int maxFrameLength, Map<String, Object> extra) {
    if (extra.isEmpty()) {
      return new ControlFrame(HELLO, Map.of("version", VERSION, "maxFrameLength", maxFrameLength));
    }
    Map<String, Object> data = new java.util.LinkedHashMap<>(extra);
    data.put("version", VERSION);
    data.put("maxFrameLength", maxFrameLength);
    return new ControlFrame(HELLO, java.util.Collections.unmodifiableMap(data));
  }

  static ControlFrame welcome(int maxFrameLength, long pingIntervalMillis, long idleTimeoutMillis) {
    return welcome(maxFrameLength, pingIntervalMillis, idleTimeoutMillis, Map.of());
  }

  /** A welcome with more members of the protocol's (a resumable session's {@code session}). */
  static ControlFrame welcome(
      int maxFrameLength, long pingIntervalMillis, long idleTimeoutMillis,
      Map<String, Object> extra) {
    Map<String, Object> data = new java.util.LinkedHashMap<>(extra);
    data.put("version", VERSION);
    data.put("maxFrameLength", maxFrameLength);
    data.put("pingInterval", pingIntervalMillis);
    data.put("idleTimeout", idleTimeoutMillis);
    return new ControlFrame(WELCOME, java.util.Collections.unmodifiableMap(data));
  }

  /** Returns a positive int member of the data, or the fallback if absent or not one. */
  int positiveInt(String key, int fallback) {
    return data.get(key) instanceof Integer i && i > 0 ? i : fallback;
  }

  /** Returns a string member of the data, or the fallback if absent or not a string. */
  String string(String key, String fallback) {
    return data.get(key) instanceof String s ? s : fallback;
  }
}
