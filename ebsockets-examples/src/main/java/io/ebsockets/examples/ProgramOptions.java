package io.ebsockets.examples;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

/**
 * The command line of the examples and the bench tools, parsed by picocli: each program declares
 * its {@code --name VALUE} options and {@code --flag}s; {@code --help} prints the usage, and an
 * unknown or mistyped option, or a missing value, is an error that names it. Called from {@code
 * main}, on the calling thread; it never blocks.
 */
public final class ProgramOptions {
  private ProgramOptions() {}

  /**
   * One option a program takes.
   *
   * @param name its name without the dashes, e.g. {@code port}
   * @param label what its value is, e.g. {@code N}; null for a flag, which takes no value
   * @param description one line for the usage
   */
  public record Option(String name, String label, String description) {
    /**
     * An option with a value.
     *
     * @param name the name without dashes
     * @param label what the value is
     * @param description one line for the usage
     * @return the option
     */
    public static Option value(String name, String label, String description) {
      return new Option(name, label, description);
    }

    /**
     * A flag, which takes no value.
     *
     * @param name the name without dashes
     * @param description one line for the usage
     * @return the option
     */
    public static Option flag(String name, String description) {
      return new Option(name, null, description);
    }
  }

  /**
   * Parses a command line.
   *
   * @param program the program's name, for the usage
   * @param summary what it does, one line
   * @param options the options it takes
   * @param out where {@code --help} prints the usage
   * @param argv the arguments
   * @return the values given, by option name (a flag given is {@code "true"}); empty if {@code
   *     --help} was asked for, once the usage is printed
   * @throws IllegalArgumentException naming the argument that is wrong and what is expected
   */
  public static Optional<Map<String, String>> parse(
      String program, String summary, List<Option> options, PrintStream out, String... argv) {
    CommandLine line = new CommandLine(spec(program, summary, options));
    ParseResult result;
    try {
      result = line.parseArgs(argv);
    } catch (ParameterException e) {
      throw new IllegalArgumentException(
          e.getMessage() + " (expected: " + expected(options) + "; see --help)", e);
    }
    if (line.isUsageHelpRequested()) {
      line.usage(new PrintWriter(new java.io.OutputStreamWriter(out, StandardCharsets.UTF_8), true));
      return Optional.empty();
    }
    Map<String, String> values = new LinkedHashMap<>();
    for (Option option : options) {
      OptionSpec matched = result.matchedOption("--" + option.name());
      if (matched != null) {
        values.put(option.name(), option.label() == null ? "true" : matched.getValue());
      }
    }
    return Optional.of(values);
  }

  /**
   * Parses a command line for {@code main}: prints the usage on {@code --help}, and on a bad
   * argument prints one line saying what is wrong to standard error and exits with status 2.
   *
   * @param program the program's name, for the usage
   * @param summary what it does, one line
   * @param options the options it takes
   * @param argv the arguments
   * @return the values given, or empty after {@code --help}
   */
  public static Optional<Map<String, String>> parseOrExit(
      String program, String summary, List<Option> options, String... argv) {
    try {
      return parse(program, summary, options, System.out, argv);
    } catch (IllegalArgumentException e) {
      System.err.println(program + ": " + e.getMessage());
      System.exit(2);
      return Optional.empty(); // not reached
    }
  }

  private static CommandSpec spec(String program, String summary, List<Option> options) {
    CommandSpec spec = CommandSpec.create().name(program).mixinStandardHelpOptions(true);
    spec.usageMessage().description(summary);
    for (Option option : options) {
      OptionSpec.Builder builder =
          OptionSpec.builder("--" + option.name()).description(option.description());
      if (option.label() == null) {
        builder.arity("0").type(boolean.class);
      } else {
        builder.arity("1").paramLabel(option.label()).type(String.class);
      }
      spec.addOption(builder.build());
    }
    return spec;
  }

  private static String expected(List<Option> options) {
    StringBuilder names = new StringBuilder();
    for (Option option : options) {
      names.append(names.length() == 0 ? "" : ", ").append("--").append(option.name());
    }
    return names.length() == 0 ? "no options" : names.toString();
  }
}
