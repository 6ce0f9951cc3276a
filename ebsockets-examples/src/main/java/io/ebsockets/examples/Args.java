package io.ebsockets.examples;

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
