package io.ebsockets.examples;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;

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

  /** Reads the arguments and asks for what they leave out, on standard input and output. */
  static Target target(String[] args) {
    BufferedReader in = new BufferedReader(
        new java.io.InputStreamReader(System.in, java.nio.charset.StandardCharsets.UTF_8));
    Args options = Args.parse(args);
    return new Target(host(options, in, System.out), port(options, in, System.out), in, options);
  }

  static String host(Args args, BufferedReader in, PrintStream out) {
    return args.has("host") ? args.get("host", DEFAULT_HOST) : ask(in, out, "Server IP", DEFAULT_HOST);
  }

  static int port(Args args, BufferedReader in, PrintStream out) {
    if (args.has("port")) {
      return args.getInt("port", RelayServer.DEFAULT_PORT);
    }
    String answer = ask(in, out, "Server port", Integer.toString(RelayServer.DEFAULT_PORT));
    return Args.parse("--port", answer).getInt("port", RelayServer.DEFAULT_PORT);
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
