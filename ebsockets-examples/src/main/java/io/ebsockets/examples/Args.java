package io.ebsockets.examples;

import io.ebsockets.ClientTls;
import io.ebsockets.EbsocketClient;
import io.ebsockets.EbsocketServer;
import io.ebsockets.EbsocketSystem;
import io.ebsockets.ReconnectPolicy;
import io.ebsockets.ServerTls;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/** The examples' command line: {@code --name value} pairs, and bare {@code --flag}s. */
final class Args {
  private final Map<String, String> values = new HashMap<>();

  private Args() {}

  /**
   * Parses {@code --name value} pairs; a {@code --flag} followed by another option or by nothing
   * means {@code --flag true}.
   *
   * @throws IllegalArgumentException naming the offending argument
   */
  static Args parse(String... args) {
    Args parsed = new Args();
    for (int i = 0; i < args.length; i++) {
      String name = args[i];
      if (!name.startsWith("--") || name.length() == 2) {
        throw new IllegalArgumentException(
            "argument '" + name + "' (expected: --name value pairs or --flags, e.g. --port 7982)");
      }
      boolean flag = i + 1 >= args.length || args[i + 1].startsWith("--");
      parsed.values.put(name.substring(2), flag ? "true" : args[++i]);
    }
    return parsed;
  }

  /**
   * Binds a server on {@code --host} (default: all interfaces) and {@code --port} (default
   * 7982), with {@code --io-threads N} I/O threads and a {@code --write-coalescing-us N}
   * microsecond write-coalescing window if given and TLS if {@code --tls-cert CHAIN.pem --tls-key
   * KEY.pem} are, wraps it in a system, and closes that gracefully on SIGTERM or Ctrl-C.
   */
  EbsocketSystem serverSystem() {
    EbsocketServer.Builder builder = EbsocketServer.builder()
        .host(get("host", null))
        .port(getInt("port", RelayServer.DEFAULT_PORT))
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
    EbsocketServer server = builder.build();
    return new EbsocketSystem(server).closeOnJvmShutdown();
  }

  /**
   * A client builder with TLS if {@code --tls} (the system's trust), {@code --tls-trust CA.pem} or
   * {@code --tls-insecure} (development only) is given, and reconnection if {@code --reconnect} is.
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
    if (has("reconnect")) {
      builder.reconnect(ReconnectPolicy.defaults());
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
