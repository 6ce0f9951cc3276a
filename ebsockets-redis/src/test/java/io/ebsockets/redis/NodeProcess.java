package io.ebsockets.redis;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A {@link RelayNode} in a JVM of its own, started from the test class path. */
final class NodeProcess implements AutoCloseable {
  final Process process;
  final URI tcp;
  final URI ws;
  final String nodeId;

  private NodeProcess(Process process, String[] ready) {
    this.process = process;
    this.tcp = URI.create(ready[1]);
    this.ws = URI.create(ready[2]);
    this.nodeId = ready[3];
  }

  static NodeProcess start(String redisUri, String nodeId) throws IOException {
    Path target = Path.of("target");
    String classpath = String.join(java.io.File.pathSeparator,
        target.resolve("test-classes").toString(),
        target.resolve("classes").toString(),
        Files.readString(target.resolve("test-classpath.txt")).trim());
    List<String> cmd = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx256m", "-cp", classpath, RelayNode.class.getName(), redisUri));
    if (nodeId != null) {
      cmd.add(nodeId);
    }
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    BufferedReader out =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    StringBuilder seen = new StringBuilder();
    for (String line; (line = out.readLine()) != null; ) {
      if (line.startsWith("READY ")) {
        Thread drain = new Thread(() -> {
          try {
            for (String l; (l = out.readLine()) != null; ) {
              System.out.println("[" + nodeId + "] " + l);
            }
          } catch (IOException e) {
            // the node is gone
          }
        }, "node-log-" + nodeId);
        drain.setDaemon(true);
        drain.start();
        return new NodeProcess(p, line.split(" "));
      }
      seen.append(line).append('\n');
    }
    throw new IOException("node " + nodeId + " ended before it was ready:\n" + seen);
  }

  /** SIGKILL: the node dies without a word to anyone. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(10, TimeUnit.SECONDS);
  }

  @Override
  public void close() throws IOException {
    if (process.isAlive()) {
      process.getOutputStream().close(); // the node closes itself when stdin ends
      try {
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
          process.destroyForcibly();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        process.destroyForcibly();
      }
    }
  }
}
