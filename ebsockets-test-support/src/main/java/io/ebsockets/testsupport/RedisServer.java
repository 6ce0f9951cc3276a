package io.ebsockets.testsupport;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real {@code redis-server} (Debian's package) for one test class: started on a free loopback
 * port with nothing saved ({@code --save "" --appendonly no}), stopped at the end, and
 * restartable on the same port to play a Redis restart. Fails with what to install when the
 * binary is missing ({@code .ci/run} installs it).
 */
public final class RedisServer implements AutoCloseable {
  private final int port;
  /** The port speaks TLS only; --port is 0, so the plain one is off. */
  private final boolean tlsOnly;
  private final List<String> extraArgs;
  private final Path dir;
  private Process process;

  private RedisServer(int port, List<String> extraArgs) throws IOException {
    this(port, extraArgs, false);
  }

  private RedisServer(int port, List<String> extraArgs, boolean tlsOnly) throws IOException {
    this.tlsOnly = tlsOnly;
    this.port = port;
    this.extraArgs = List.copyOf(extraArgs);
    this.dir = Files.createTempDirectory("ebsockets-redis");
  }

  /**
   * Starts a server on a free port.
   *
   * @param extraArgs more command-line options, e.g. {@code "--requirepass", "secret"}
   * @return the running server
   * @throws IOException if it cannot be started
   */
  public static RedisServer start(String... extraArgs) throws IOException {
    int port;
    try (ServerSocket probe = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      port = probe.getLocalPort();
    }
    RedisServer server = new RedisServer(port, List.of(extraArgs));
    server.startProcess();
    return server;
  }

  /**
   * Starts a server that speaks only TLS, on a free port (clients need no certificate).
   *
   * @param chain the server's certificate chain, PEM
   * @param key its private key, PEM
   * @param ca the CA's certificate, PEM
   * @param extraArgs more command-line options
   * @return the running server; {@link #uri()} then still says redis://, use rediss://
   * @throws IOException if it cannot be started
   */
  public static RedisServer startTls(
      java.nio.file.Path chain, java.nio.file.Path key, java.nio.file.Path ca, String... extraArgs)
      throws IOException {
    int port;
    try (ServerSocket probe = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      port = probe.getLocalPort();
    }
    List<String> args = new ArrayList<>(List.of("--port", "0", "--tls-port", Integer.toString(port),
        "--tls-cert-file", chain.toString(), "--tls-key-file", key.toString(),
        "--tls-ca-cert-file", ca.toString(), "--tls-auth-clients", "no"));
    args.addAll(List.of(extraArgs));
    RedisServer server = new RedisServer(port, args, true);
    server.startProcess();
    return server;
  }

  /**
   * Returns the server's URI.
   *
   * @return {@code redis://127.0.0.1:<port>}
   */
  public String uri() {
    return "redis://127.0.0.1:" + port;
  }

  /**
   * Returns the port.
   *
   * @return the port
   */
  public int port() {
    return port;
  }

  /**
   * Returns the server's process id, e.g. to read its CPU time.
   *
   * @return the pid
   */
  public long pid() {
    return process.pid();
  }

  /**
   * Kills the server at once (SIGKILL), as a crash would, and waits for it to be gone.
   *
   * @throws InterruptedException if interrupted while waiting
   */
  public void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(10, TimeUnit.SECONDS);
  }

  /**
   * Starts the server again on the same port, empty.
   *
   * @throws IOException if it cannot be started
   */
  public void restart() throws IOException {
    startProcess();
  }

  /**
   * Sends one command (inline form) and returns Redis's raw answer, for checks such as {@code
   * PUBSUB SHARDNUMSUB}.
   *
   * @param command e.g. {@code "PING"}
   * @return the reply as Redis wrote it
   * @throws IOException if Redis cannot be reached
   */
  public String command(String command) throws IOException {
    try (Socket s = new Socket(java.net.InetAddress.getLoopbackAddress(), port)) {
      s.setSoTimeout(5_000);
      OutputStream out = s.getOutputStream();
      out.write((command + "\r\n").getBytes(StandardCharsets.UTF_8));
      out.flush();
      InputStream in = s.getInputStream();
      byte[] buf = new byte[65536];
      int n = in.read(buf);
      return n <= 0 ? "" : new String(buf, 0, n, StandardCharsets.UTF_8);
    }
  }

  private void startProcess() throws IOException {
    String binary = findBinary();
    List<String> cmd = new ArrayList<>(List.of(binary, "--bind", "127.0.0.1",
        "--save", "", "--appendonly", "no", "--dir", dir.toString()));
    if (!tlsOnly) {
      cmd.addAll(List.of("--port", Integer.toString(port)));
    }
    cmd.addAll(extraArgs);
    process = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    // Read its log until it is ready (a blocking read, no polling); then keep draining it.
    java.io.BufferedReader log = new java.io.BufferedReader(
        new java.io.InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    StringBuilder seen = new StringBuilder();
    for (String line; (line = log.readLine()) != null; ) {
      seen.append(line).append('\n');
      if (line.contains("Ready to accept connections")) {
        Thread drain = new Thread(() -> {
          try {
            while (log.readLine() != null) {
              // discarded: the server is up
            }
          } catch (IOException e) {
            // the server is gone
          }
        }, "redis-server-log-" + port);
        drain.setDaemon(true);
        drain.start();
        return;
      }
    }
    throw new IOException("redis-server on port " + port + " exited before it was ready:\n" + seen);
  }

  private static String findBinary() throws IOException {
    for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(File.pathSeparator)) {
      File f = new File(dir, "redis-server");
      if (f.canExecute()) {
        return f.getPath();
      }
    }
    for (String candidate : List.of("/usr/bin/redis-server", "/usr/sbin/redis-server")) {
      if (new File(candidate).canExecute()) {
        return candidate;
      }
    }
    throw new IOException(
        "redis-server not found on PATH (expected: Debian's package, `apt-get install -y"
            + " redis-server`; .ci/run installs it)");
  }

  /** Stops the server and removes its directory. */
  @Override
  public void close() throws IOException {
    if (process != null) {
      process.destroy();
      try {
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
          process.destroyForcibly();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    try (var files = Files.walk(dir)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }
}
