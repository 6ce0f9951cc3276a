package io.ebsockets.examples;

import io.ebsockets.EbsocketServer;
import io.ebsockets.EbsocketSystem;
import java.util.HashMap;
import java.util.Map;

/** The examples' command line: {@code --name value} pairs. */
final class Args {
  private final Map<String, String> values = new HashMap<>();

  private Args() {}

  /**
   * Parses {@code --name value} pairs.
   *
   * @throws IllegalArgumentException naming the offending argument
   */
  static Args parse(String... args) {
    Args parsed = new Args();
    for (int i = 0; i < args.length; i++) {
      String name = args[i];
      if (!name.startsWith("--") || i + 1 >= args.length) {
        throw new IllegalArgumentException(
            "argument '" + name + "' (expected: --name value pairs, e.g. --port 7982)");
      }
      parsed.values.put(name.substring(2), args[++i]);
    }
    return parsed;
  }

  /**
   * Binds a server on {@code --host} (default: all interfaces) and {@code --port} (default
   * 7982), with {@code --io-threads N} I/O threads if given, wraps it in a system, and closes
   * that gracefully on SIGTERM or Ctrl-C.
   */
  EbsocketSystem serverSystem() {
    EbsocketServer server = EbsocketServer.builder()
        .host(get("host", null))
        .port(getInt("port", RelayServer.DEFAULT_PORT))
        .ioThreads(getInt("io-threads", 0))
        .build();
    EbsocketSystem system = new EbsocketSystem(server);
    Runtime.getRuntime().addShutdownHook(new Thread(system::close, "ebsockets-shutdown"));
    return system;
  }

  String get(String name, String fallback) {
    return values.getOrDefault(name, fallback);
  }

  boolean has(String name) {
    return values.containsKey(name);
  }

  int getInt(String name, int fallback) {
    String value = values.get(name);
    if (value == null) {
      return fallback;
    }
    try {
      return Integer.parseInt(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "--" + name + " " + value + " (expected: a whole number)", e);
    }
  }
}
