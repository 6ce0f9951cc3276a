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
  /** The protocol version this library speaks. */
  static final int VERSION = WireProtocol.VERSION;

  static ControlFrame error(ProtocolError code, String message) {
    return new ControlFrame(ERROR, Map.of("code", code.wireName(), "message", message));
  }

  static ControlFrame close(String reason, String message) {
    return new ControlFrame(CLOSE, Map.of("reason", reason, "message", message));
  }

  static ControlFrame hello(int maxFrameLength) {
    return new ControlFrame(HELLO, Map.of("version", VERSION, "maxFrameLength", maxFrameLength));
  }

  static ControlFrame welcome(int maxFrameLength, long pingIntervalMillis, long idleTimeoutMillis) {
    return new ControlFrame(
        WELCOME,
        Map.of(
            "version", VERSION,
            "maxFrameLength", maxFrameLength,
            "pingInterval", pingIntervalMillis,
            "idleTimeout", idleTimeoutMillis));
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
