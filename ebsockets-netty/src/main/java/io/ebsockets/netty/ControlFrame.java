package io.ebsockets.netty;

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

  static ControlFrame error(ProtocolError code, String message) {
    return new ControlFrame(ERROR, Map.of("code", code.wireName(), "message", message));
  }

  static ControlFrame close(String reason, String message) {
    return new ControlFrame(CLOSE, Map.of("reason", reason, "message", message));
  }

  /** Returns a string member of the data, or the fallback if absent or not a string. */
  String string(String key, String fallback) {
    return data.get(key) instanceof String s ? s : fallback;
  }
}
