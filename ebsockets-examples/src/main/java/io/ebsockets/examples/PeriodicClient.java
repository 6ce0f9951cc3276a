package io.ebsockets.examples;

import io.ebsockets.ClientPumpResult;
import io.ebsockets.EbsocketClient;
import io.ebsockets.EbsocketEvent;
import io.ebsockets.examples.ProgramOptions.Option;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Optional;

/**
 * The seed's periodic client: every few seconds sends a {@code periodic} event with content
 * {@code "periodic send N"}, and prints every event it receives. The relay server does not
 * re-broadcast {@code periodic} events; they show in its printout only.
 *
 * <pre>
 * mvn -q -pl ebsockets-examples -am compile exec:java \
 *     -Dexec.mainClass=io.ebsockets.examples.PeriodicClient -Dexec.args="--port 7982"
 * </pre>
 *
 * <p>Options: {@code --host H}, {@code --port N} (asked for when absent, as the seed did), {@code
 * --interval-ms N} (default 3000), {@code --count N} (default 0: forever).
 */
public final class PeriodicClient {
  private PeriodicClient() {}

  /**
   * Runs the client.
   *
   * @param args see the class documentation
   * @throws IOException if it cannot connect
   */
  public static void main(String[] args) throws IOException {
    Optional<Prompt.Target> given = Prompt.target("PeriodicClient",
        "The seed's second client: sends a counter every interval, prints what arrives.",
        Args.options(Args.CLIENT,
            Option.value("interval-ms", "MILLIS", "time between sends (default 3000)"),
            Option.value("count", "N", "stop after N sends (default: never)")), args);
    if (given.isEmpty()) {
      return; // --help
    }
    Prompt.Target target = given.get();
    Duration interval = Duration.ofMillis(target.options().getInt("interval-ms", 3000));
    try {
      run(target.host(), target.port(), interval, target.options().getInt("count", 0), System.out);
    } catch (IOException e) {
      Prompt.exitCannotConnect("PeriodicClient", e);
    }
  }

  /**
   * Sends {@code count} periodic events ({@code 0}: until the server closes), pumping between.
   *
   * @param host the server's host
   * @param port the server's port
   * @param interval the time between sends
   * @param count how many to send, or 0 for no limit
   * @param out where to print
   * @throws IOException if it cannot connect
   */
  public static void run(String host, int port, Duration interval, int count, PrintStream out)
      throws IOException {
    try (EbsocketClient client = new EbsocketClient()) {
      out.println("Connecting to " + host + ":" + port);
      client.connectTo(host, port);
      for (int n = 1; count == 0 || n <= count; n++) {
        client.sendEvent(new EbsocketEvent("periodic").with("content", "periodic send " + n));
        out.println("Sent: periodic send " + n + (n > 1 ? "" : " (the seed's RelayServer prints"
            + " periodic events but relays only message events, so nothing comes back from it)"));
        long nextSend = System.nanoTime() + interval.toNanos();
        // Pump until the next send is due; pump(timeout) parks, so waiting costs no CPU.
        for (long left = interval.toNanos(); left > 0; left = nextSend - System.nanoTime()) {
          ClientPumpResult result = client.pump(Duration.ofNanos(left));
          result.events().forEach(event -> out.println("Received: " + event));
          if (!result.connected()) {
            out.println("Disconnected: " + result.closeStatus().map(Object::toString).orElse(""));
            return;
          }
        }
      }
    }
  }
}
