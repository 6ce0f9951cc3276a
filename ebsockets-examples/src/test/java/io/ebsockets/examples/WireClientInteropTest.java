package io.ebsockets.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.ebsockets.EbsocketServer;
import io.ebsockets.EbsocketSystem;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.ExecutorService;
import org.junit.jupiter.api.Test;

/**
 * The Python client in {@code docs/examples/wire_client.py}, written from {@code
 * docs/PROTOCOL.md} alone, relays through {@link RelayServer} and gets an {@code ebsockets.error}
 * with the right code for each kind of bad frame.
 */
class WireClientInteropTest {
  private static final Path SCRIPT = Path.of("..", "docs", "examples", "wire_client.py");

  @Test
  void aPythonClientWrittenFromTheProtocolDocumentTalksToTheRelay() throws Exception {
    assumeTrue(python3Available(), "python3 is not installed");
    ExecutorService pool = Executors.newSingleThreadExecutor();
    EbsocketSystem system = new EbsocketSystem(new EbsocketServer("127.0.0.1", 0));
    try {
      Future<?> relay =
          pool.submit(
              () ->
                  RelayServer.run(
                      system,
                      new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8)));
      Process python =
          new ProcessBuilder(
                  "python3",
                  SCRIPT.toString(),
                  "127.0.0.1",
                  Integer.toString(system.server().address().getPort()))
              .redirectErrorStream(true)
              .start();
      String output = new String(python.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(python.waitFor(60, TimeUnit.SECONDS)).isTrue();

      assertThat(python.exitValue()).as(output).isZero();
      assertThat(output)
          .contains("relay: bob got 'hello from python'")
          .contains("frame_too_long: frame length 1195725856 (expected: 1 to 1048576)")
          .contains("duplicate_key:")
          .contains("all checks passed");
      system.close(); // ends the relay's pump loop
      relay.get(10, TimeUnit.SECONDS);
    } finally {
      system.close();
      pool.shutdownNow();
    }
  }

  private static boolean python3Available() throws InterruptedException {
    try {
      return Files.exists(SCRIPT)
          && new ProcessBuilder("python3", "--version").start().waitFor() == 0;
    } catch (IOException e) {
      return false;
    }
  }
}
