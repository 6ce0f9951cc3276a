package io.ebsockets;

import java.util.Locale;

/**
 * How a connection came in: the framing that carries wire protocol v1 on it. Every door speaks
 * the same protocol (docs/PROTOCOL.md); only the framing differs.
 */
public enum Door {
  /** A TCP socket, each payload behind a 4-byte length ({@code ebs://}, {@code ebss://}). */
  TCP("ebs", "ebss"),
  /** A WebSocket, each payload one text message ({@code ws://}, {@code wss://}). */
  WEB_SOCKET("ws", "wss");

  private final String plainScheme;
  private final String tlsScheme;

  Door(String plainScheme, String tlsScheme) {
    this.plainScheme = plainScheme;
    this.tlsScheme = tlsScheme;
  }

  /**
   * Returns the URI scheme that names this door.
   *
   * @param tls whether the connection speaks TLS
   * @return {@code "ebs"}, {@code "ebss"}, {@code "ws"} or {@code "wss"}
   */
  public String scheme(boolean tls) {
    return tls ? tlsScheme : plainScheme;
  }

  /**
   * Returns the door a URI scheme names.
   *
   * @param scheme a scheme, in any case
   * @return the door
   * @throws IllegalArgumentException naming the scheme if it is none of the four
   */
  public static Door ofScheme(String scheme) {
    String s = scheme == null ? "" : scheme.toLowerCase(Locale.ROOT);
    for (Door door : values()) {
      if (door.plainScheme.equals(s) || door.tlsScheme.equals(s)) {
        return door;
      }
    }
    throw new IllegalArgumentException(
        "scheme " + (scheme == null ? "(none)" : "'" + scheme + "'")
            + " (expected: ebs, ebss, ws or wss)");
  }

  /**
   * Returns whether a URI scheme asks for TLS.
   *
   * @param scheme one of the four schemes, in any case
   * @return true for {@code ebss} and {@code wss}
   * @throws IllegalArgumentException naming the scheme if it is none of the four
   */
  public static boolean isTlsScheme(String scheme) {
    Door door = ofScheme(scheme);
    return door.tlsScheme.equalsIgnoreCase(scheme);
  }
}
