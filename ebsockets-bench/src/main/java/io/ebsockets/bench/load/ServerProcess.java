package io.ebsockets.bench.load;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A server in a JVM of its own, on this machine's loopback, with its resident memory readable. */
public final class ServerProcess implements AutoCloseable {
  private final Process process;
  private final InetSocketAddress address;
  /** The path of the server's WebSocket door, or null if it was started with a TCP door. */
  private volatile String webSocketPath;
  private volatile boolean sessions;
  private final java.util.concurrent.atomic.AtomicLong scrapes =
      new java.util.concurrent.atomic.AtomicLong();

  private ServerProcess(Process process, InetSocketAddress address) {
    this.process = process;
    this.address = address;
  }

  /**
   * Starts {@code mainClass --host 127.0.0.1 --port P} with this JVM's class path.
   *
   * @param jvmArgs e.g. {@code -Xmx512m}
   * @param prefix command words before {@code java}, e.g. {@code taskset -c 0}
   */
  public static ServerProcess start(String mainClass, List<String> prefix, List<String> jvmArgs,
      Path log) throws IOException {
    return start(mainClass, prefix, jvmArgs, log, List.of());
  }

  /** Starts {@code mainClass --host 127.0.0.1 --port P extraArgs...}. */
  public static ServerProcess start(String mainClass, List<String> prefix, List<String> jvmArgs,
      Path log, List<String> extraArgs) throws IOException {
    int port = freePort();
    if (log != null) {
      Files.createDirectories(log.toAbsolutePath().getParent());
    }
    List<String> command = new ArrayList<>(prefix);
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmArgs);
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(mainClass);
    command.addAll(List.of("--host", "127.0.0.1", "--port", Integer.toString(port)));
    command.addAll(extraArgs);
    Process process = new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(log == null ? ProcessBuilder.Redirect.DISCARD : ProcessBuilder.Redirect.to(log.toFile()))
        .start();
    InetSocketAddress address = new InetSocketAddress("127.0.0.1", port);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (true) {
      try (Socket probe = new Socket()) {
        probe.connect(address, 1000);
        break;
      } catch (IOException notYet) {
        if (!process.isAlive() || System.nanoTime() > deadline) {
          process.destroyForcibly();
          throw new IOException("server " + mainClass + " did not start on " + address, notYet);
        }
        java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
      }
    }
    return new ServerProcess(process, address);
  }

  /** A port free on this machine now, for a server to be told to listen on. */
  public static int freePort() throws IOException {
    try (ServerSocket free = new ServerSocket(0)) {
      return free.getLocalPort();
    }
  }

  public InetSocketAddress address() {
    return address;
  }

  /** The WebSocket door's path, or null for TCP. */
  public String webSocketPath() {
    return webSocketPath;
  }

  /** Says the server keeps resumable sessions (its arguments said so): load clients ask for one. */
  public ServerProcess withSessions() {
    this.sessions = true;
    return this;
  }

  public boolean sessions() {
    return sessions;
  }

  /** Says the server listens with a WebSocket door at {@code path} (its arguments said so). */
  public ServerProcess webSocketDoor(String path) {
    this.webSocketPath = path;
    return this;
  }

  public long pid() {
    return process.pid();
  }

  /** Resident set size in bytes, from /proc (Linux). */
  public long rssBytes() {
    return procStatus("VmRSS:");
  }

  private long procStatus(String key) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status"))) {
        if (line.startsWith(key)) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
        }
      }
      return -1;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Forces a full GC in the server (jcmd) and returns the heap in use after it, in bytes. */
  public long heapAfterFullGc() {
    jcmd("GC.run");
    String info = jcmd("GC.heap_info");
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("used (\\d+)K").matcher(info);
    long used = 0;
    // Parallel GC prints one "used" per generation (and metaspace last); sum the heap ones.
    for (String line : info.split("\n")) {
      java.util.regex.Matcher lm = java.util.regex.Pattern.compile("^\\s*\\S+ +total \\d+K, used (\\d+)K").matcher(line);
      if (lm.find()) {
        used += Long.parseLong(lm.group(1)) * 1024;
      }
    }
    if (used == 0 && m.find()) {
      used = Long.parseLong(m.group(1)) * 1024;
    }
    return used;
  }

  /** Native memory "Other" committed (direct buffers live there), from NMT; -1 without NMT. */
  public long nmtOtherCommittedBytes() {
    String summary = jcmd("VM.native_memory", "summary");
    java.util.regex.Matcher m =
        java.util.regex.Pattern.compile("- +Other \\(reserved=\\d+KB, committed=(\\d+)KB\\)").matcher(summary);
    return m.find() ? Long.parseLong(m.group(1)) * 1024 : -1;
  }

  private String jcmd(String... command) {
    List<String> words = new ArrayList<>();
    words.add(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString());
    words.add(Long.toString(process.pid()));
    words.addAll(List.of(command));
    try {
      Process p = new ProcessBuilder(words).redirectErrorStream(true).start();
      String output = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
      p.waitFor(60, TimeUnit.SECONDS);
      return output;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "";
    }
  }

  /** Total CPU time (user + system) the server used so far, in nanoseconds, from /proc. */
  public long cpuNanos() {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(process.pid()), "stat"));
      String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
      return ticks * TimeUnit.SECONDS.toNanos(1) / 100; // USER_HZ is 100 on Linux
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Scrapes the server's Prometheus page ({@code --metrics PORT}) once a second (fifteen times as
   * often as Prometheus's default interval) until the server ends.
   */
  public ServerProcess scrapeEverySecond(int metricsPort) {
    java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
    java.net.http.HttpRequest request = java.net.http.HttpRequest.newBuilder(
        java.net.URI.create("http://127.0.0.1:" + metricsPort + "/metrics")).build();
    Thread scraper = new Thread(() -> {
      while (process.isAlive()) {
        try {
          java.net.http.HttpResponse<String> response =
              http.send(request, java.net.http.HttpResponse.BodyHandlers.ofString());
          if (response.statusCode() == 200) {
            scrapes.incrementAndGet();
          }
        } catch (IOException e) {
          // not up yet, or gone: the next second tells
        } catch (InterruptedException e) {
          return;
        }
        java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.SECONDS.toNanos(1));
      }
    }, "metrics-scraper");
    scraper.setDaemon(true);
    scraper.start();
    return this;
  }

  /** Stops the server with SIGTERM (a graceful close) and waits for it. */
  @Override
  public void close() {
    if (scrapes.get() > 0) {
      System.err.println("  (its metrics page answered " + scrapes.get() + " scrapes)");
    }
    process.destroy();
    try {
      if (!process.waitFor(20, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
