package io.ebsockets.examples;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Optional;

/** The seed clients' questions for the server's address, with defaults, unless given as args. */
final class Prompt {
  /** The seed defaulted to this machine's LAN address; we stay on loopback. */
  static final String DEFAULT_HOST = "127.0.0.1";

  private Prompt() {}

  /**
   * Where to connect, from {@code --host}/{@code --port} or, when absent, asked on the console.
   *
   * @param host the server's host
   * @param port the server's port
   * @param in the console, for the lines to send afterwards
   * @param options every argument, for client-specific ones
   */
  record Target(String host, int port, BufferedReader in, Args options) {}

  /**
   * Reads a client program's arguments ({@link Args#CLIENT} and its own) and asks for what they
   * leave out, on standard input and output.
   *
   * @return where to connect; empty after {@code --help}
   */
  static Optional<Target> target(
      String program, String summary, List<ProgramOptions.Option> options, String[] args) {
    Optional<Args> parsed = Args.parseOrExit(program, summary, options, args);
    if (parsed.isEmpty()) {
      return Optional.empty();
    }
    BufferedReader in = new BufferedReader(
        new java.io.InputStreamReader(System.in, java.nio.charset.StandardCharsets.UTF_8));
    Args given = parsed.get();
    return Optional.of(
        new Target(host(given, in, System.out), port(given, in, System.out), in, given));
  }

  static String host(Args args, BufferedReader in, PrintStream out) {
    return args.has("host") ? args.get("host", DEFAULT_HOST) : ask(in, out, "Server IP", DEFAULT_HOST);
  }

  static int port(Args args, BufferedReader in, PrintStream out) {
    if (args.has("port")) {
      return args.getInt("port", RelayServer.DEFAULT_PORT);
    }
    String answer = ask(in, out, "Server port", Integer.toString(RelayServer.DEFAULT_PORT));
    try {
      return Integer.parseInt(answer);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "port " + answer + " (expected: a whole number from 1 to 65535)", e);
    }
  }

  /**
   * Ends a client program whose connect failed with one line that says what to do, instead of a
   * stack trace.
   */
  static void exitCannotConnect(String program, IOException e) {
    System.err.println(program + ": " + e.getMessage()
        + " (is a server running there? start one with -Dexec.mainClass="
        + "io.ebsockets.examples.RelayServer, or give --host and --port)");
    System.exit(1);
  }

  private static String ask(BufferedReader in, PrintStream out, String question, String fallback) {
    out.print(question + " (default " + fallback + "): ");
    out.flush();
    try {
      String line = in.readLine();
      return line == null || line.isBlank() ? fallback : line.trim();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
