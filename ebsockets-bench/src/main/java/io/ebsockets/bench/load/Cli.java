package io.ebsockets.bench.load;

import java.util.HashMap;
import java.util.Map;

/** The bench tools' command line: {@code --name value} pairs. */
public final class Cli {
  private Cli() {}

  /** Parses {@code --name value} pairs into a map keyed by name (without the dashes). */
  public static Map<String, String> parse(String[] argv) {
    Map<String, String> args = new HashMap<>();
    for (int i = 0; i + 1 < argv.length; i += 2) {
      args.put(argv[i].replaceFirst("^--", ""), argv[i + 1]);
    }
    return args;
  }
}
