package io.ebsockets.bench.load;

import io.ebsockets.examples.ProgramOptions;
import io.ebsockets.examples.ProgramOptions.Option;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The bench tools' command line: {@code --name value} pairs, parsed by the examples' {@link
 * ProgramOptions} (picocli), so each tool has {@code --help} and a mistyped option stops it with
 * a message instead of being ignored.
 */
public final class Cli {
  private Cli() {}

  /**
   * Parses a tool's arguments, or ends the JVM: after {@code --help} (status 0) or on a bad
   * argument (status 2, with a message naming it).
   *
   * @param tool the tool's name, for the usage
   * @param summary what it does, one line
   * @param options the options it takes, each {@code {name, LABEL, description}}
   * @param argv the arguments
   * @return the values given, by name
   */
  public static Map<String, String> parse(
      String tool, String summary, List<String[]> options, String[] argv) {
    List<Option> specs =
        options.stream().map(o -> Option.value(o[0], o[1], o[2])).toList();
    return ProgramOptions.parseOrExit(tool, summary, specs, argv)
        .orElseGet(
            () -> {
              System.exit(0); // --help was printed
              return Map.of();
            });
  }

  /** One option: its name without dashes, what its value is, one line of description. */
  public static String[] option(String name, String label, String description) {
    return new String[] {name, label, description};
  }

  /** The options every server of the bench takes (ServerProcess passes host and port). */
  public static List<String[]> serverOptions(String[]... more) {
    List<String[]> all =
        new java.util.ArrayList<>(
            List.of(
                option("host", "HOST", "address to bind (default 127.0.0.1)"),
                option("port", "PORT", "port to listen on"),
                option("io-threads", "N", "I/O threads"),
                option("write-coalescing-us", "MICROS", "write-coalescing window")));
    all.addAll(Arrays.asList(more));
    return all;
  }
}
