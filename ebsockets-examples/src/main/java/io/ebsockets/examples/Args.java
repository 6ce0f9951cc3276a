package io.ebsockets.examples;

import io.ebsockets.ClientTls;
import io.ebsockets.EbsocketClient;
import io.ebsockets.EbsocketServer;
import io.ebsockets.EbsocketSystem;
import io.ebsockets.Listener;
import io.ebsockets.ReconnectPolicy;
import io.ebsockets.ServerTls;
import io.ebsockets.examples.ProgramOptions.Option;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * The examples' command line, parsed by {@link ProgramOptions} (picocli): each program passes the
 * options it takes, so {@code --help} lists them and a mistyped one is an error, not ignored.
 */
final class Args {
  /** What a server program takes ({@link #serverSystem()}). */
  static final List<Option> SERVER =
      List.of(
          Option.value("host", "HOST", "address to bind (default: all interfaces)"),
          Option.value("port", "PORT", "port to listen on (default 7982; 0 picks a free one)"),
          Option.value("door", "tcp|ws", "the framing on --port: tcp (default) or ws, a WebSocket"
              + " door at /ebs"),
          Option.value("io-threads", "N", "I/O threads (default: the transport's choice)"),
          Option.value("write-coalescing-us", "MICROS", "write-coalescing window"),
          Option.value("tls-cert", "CHAIN.pem", "speak TLS with this certificate chain"),
          Option.value("tls-key", "KEY.pem", "and this private key (PKCS#8)"),
          Option.value("redis", "URI",
              "be one node of a cluster on this Redis, e.g. redis://127.0.0.1:6379"),
          Option.value("node-id", "ID",
              "this node's name in the cluster (default: one unique to this process)"),
          Option.flag("resumable", "keep a session for each client that asks (2 minutes),"
              + " so that a dropped connection loses nothing"),
          Option.value("metrics", "PORT", "serve Prometheus metrics at http://HOST:PORT/metrics"),
          Option.value("accept-rate", "N", "take at most N new connections a second; tell the"
              + " rest when to come back (overloaded)"),
          Option.value("lame-duck", "SECONDS", "on shutdown, first turn newcomers away and close"
              + " the clients spread over this many seconds (health says 503 meanwhile)"));

  /** What a client program takes ({@link #clientBuilder()} and {@link Prompt}). */
  static final List<Option> CLIENT =
      List.of(
          Option.value("host", "HOST", "server address (asked when absent)"),
          Option.value("port", "PORT", "server port (asked when absent)"),
          Option.flag("tls", "speak TLS, trusting the system's certificate authorities"),
          Option.value("tls-trust", "CA.pem", "speak TLS, trusting these certificates"),
          Option.flag("tls-insecure", "speak TLS, trusting any certificate (development only)"),
          Option.flag("reconnect", "reconnect by itself after losing the server"),
          Option.flag("resumable", "reconnect, and resume the session: nothing lost either way"
              + " (a server started with --resumable)"),
          Option.value("token", "TOKEN", "present this token in the hello (a server that asks)"));

  private final Map<String, String> values;

  private Args(Map<String, String> values) {
    this.values = values;
  }

  /** Options of one program: the shared ones and its own. */
  static List<Option> options(List<Option> shared, Option... own) {
    List<Option> all = new ArrayList<>(shared);
    all.addAll(List.of(own));
    return all;
  }

  /**
   * For {@code main}: parses, prints the usage and returns empty on {@code --help}, and exits
   * with one line naming the mistake on a bad argument.
   */
  static Optional<Args> parseOrExit(
      String program, String summary, List<Option> options, String... args) {
    Optional<Args> parsed = ProgramOptions.parseOrExit(program, summary, options, args)
        .map(Args::new);
    parsed.ifPresent(a -> a.checkValuesOrExit(program));
    return parsed;
  }

  /**
   * Checks the values parsing cannot (a number, a door's name, the TLS pair), so that a wrong
   * one stops the program with one line that names it, not a stack trace later.
   */
  private void checkValuesOrExit(String program) {
    try {
      for (String number : List.of("port", "io-threads", "web", "metrics", "write-coalescing-us",
          "accept-rate", "lame-duck")) {
        getInt(number, 0);
      }
      if (has("accept-rate") && getInt("accept-rate", 0) < 1) {
        throw new IllegalArgumentException("--accept-rate " + get("accept-rate", "")
            + " (expected: new connections a second, 1 or more)");
      }
      if (has("lame-duck") && getInt("lame-duck", 0) < 0) {
        throw new IllegalArgumentException("--lame-duck " + get("lame-duck", "")
            + " (expected: seconds, 0 or more)");
      }
      if (has("door")) {
        door(null, 0);
      }
      if (has("tls-cert") != has("tls-key")) {
        throw new IllegalArgumentException(
            "--tls-cert and --tls-key (expected: both, or neither for plain TCP)");
      }
      if (has("redis")) {
        io.ebsockets.redis.RedisBus.create(get("redis", ""));
      }
      if (has("node-id") && !io.ebsockets.ConnectionId.isValidNodeId(get("node-id", ""))) {
        throw new IllegalArgumentException("--node-id " + get("node-id", "")
            + " (expected: 1 to 64 letters, digits, '.', '_' or '-')");
      }
    } catch (IllegalArgumentException e) {
      System.err.println(program + ": " + e.getMessage());
      System.exit(2);
    }
  }

  /**
   * Parses one program's arguments, for tests.
   *
   * @throws IllegalArgumentException naming the offending argument
   */
  static Args parse(List<Option> options, String... args) {
    return new Args(ProgramOptions.parse("example", "a test", options, System.out, args)
        .orElseThrow());
  }

  /**
   * Parses the arguments of any example (every option any of them takes), for tests.
   *
   * @throws IllegalArgumentException naming the offending argument
   */
  static Args parse(String... args) {
    List<Option> all = new ArrayList<>(SERVER);
    for (Option option : CLIENT) {
      if (all.stream().noneMatch(o -> o.name().equals(option.name()))) {
        all.add(option);
      }
    }
    return new Args(
        ProgramOptions.parse("example", "any example", all, System.out, args).orElseThrow());
  }

  /**
   * Binds a server on {@code --host} (default: all interfaces) and {@code --port} (default
   * 7982), with {@code --io-threads N} I/O threads and a {@code --write-coalescing-us N}
   * microsecond write-coalescing window if given and TLS if {@code --tls-cert CHAIN.pem --tls-key
   * KEY.pem} are, as one node of a cluster if {@code --redis URI} is (named {@code --node-id}),
   * wraps it in a system, and closes that gracefully on SIGTERM or Ctrl-C.
   */
  /**
   * Runs a server's pump loop on this thread until the system is closed; with {@code --metrics
   * PORT}, serves its Prometheus page meanwhile (a port that cannot be bound stops the program
   * with one line).
   */
  void runServingMetrics(EbsocketSystem system, java.util.function.Consumer<EbsocketSystem> loop) {
    if (!has("metrics")) {
      loop.accept(system);
      return;
    }
    String host = get("host", null);
    try (MetricsPage page = MetricsPage.serve(system, host, getInt("metrics", 9464))) {
      System.out.println("Metrics at http://" + (host == null ? "localhost" : host) + ":"
          + page.port() + "/metrics");
      loop.accept(system);
    } catch (java.io.IOException e) {
      System.err.println("--metrics " + get("metrics", "") + ": " + e.getMessage());
      system.close();
      System.exit(1);
    }
  }

  EbsocketSystem serverSystem() {
    return serverSystem(UnaryOperator.identity());
  }

  /** The same, with the program's own settings applied to the builder last. */
  EbsocketSystem serverSystem(UnaryOperator<EbsocketServer.Builder> own) {
    EbsocketServer.Builder builder = EbsocketServer.builder()
        .listen(door(get("host", null), getInt("port", RelayServer.DEFAULT_PORT)))
        .ioThreads(getInt("io-threads", 0));
    if (has("write-coalescing-us")) {
      builder.writeCoalescing(Duration.ofNanos(1000L * getInt("write-coalescing-us", 0)));
    }
    if (has("tls-cert") || has("tls-key")) {
      if (!has("tls-cert") || !has("tls-key")) {
        throw new IllegalArgumentException(
            "--tls-cert and --tls-key (expected: both, or neither for plain TCP)");
      }
      builder.tls(ServerTls.fromPem(Path.of(get("tls-cert", "")), Path.of(get("tls-key", ""))));
    }
    if (has("redis")) {
      builder.cluster(io.ebsockets.redis.RedisBus.create(get("redis", "")));
    }
    if (has("node-id")) {
      builder.nodeId(get("node-id", ""));
    }
    if (has("resumable")) {
      builder.resumption(io.ebsockets.Resumption.defaults());
    }
    restarts(builder);
    EbsocketServer server;
    try {
      server = own.apply(builder).build();
    } catch (IllegalStateException e) {
      if (!has("redis")) {
        throw e;
      }
      // Redis unreachable or the node id taken: one line that says which, not a stack trace.
      System.err.println(e.getMessage());
      System.exit(1);
      throw e;
    }
    return new EbsocketSystem(server).closeOnJvmShutdown();
  }

  /** {@code --accept-rate N} and {@code --lame-duck SECONDS}: how a restart and a storm go. */
  private void restarts(EbsocketServer.Builder builder) {
    if (has("accept-rate")) {
      builder.acceptRate(getInt("accept-rate", 0));
    }
    if (has("lame-duck")) {
      builder.lameDuck(Duration.ofSeconds(getInt("lame-duck", 0)));
    }
  }

  /** The door on {@code --port}: TCP, or with {@code --door ws} a WebSocket door at {@code /ebs}. */
  private Listener door(String host, int port) {
    String door = get("door", "tcp");
    return switch (door) {
      case "tcp" -> Listener.tcp(host, port);
      case "ws" -> Listener.webSocket(host, port, "/ebs");
      default -> throw new IllegalArgumentException("--door " + door + " (expected: tcp or ws)");
    };
  }

  /**
   * A client builder with TLS if {@code --tls} (the system's trust), {@code --tls-trust CA.pem} or
   * {@code --tls-insecure} (development only) is given, reconnection if {@code --reconnect} is, and
   * a resumable session if {@code --resumable} is.
   */
  EbsocketClient.Builder clientBuilder() {
    EbsocketClient.Builder builder = EbsocketClient.builder();
    if (has("tls-insecure")) {
      builder.tls(ClientTls.insecureTrustAnyCertificate());
    } else if (has("tls-trust")) {
      builder.tls(ClientTls.trustPem(Path.of(get("tls-trust", ""))));
    } else if (has("tls")) {
      builder.tls(ClientTls.systemTrust());
    }
    if (has("reconnect") || has("resumable")) {
      builder.reconnect(ReconnectPolicy.defaults());
    }
    if (has("resumable")) {
      builder.resumable(true);
    }
    if (has("token")) {
      builder.helloData(java.util.Map.of("token", get("token", "")));
    }
    return builder;
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
