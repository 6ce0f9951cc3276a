package io.ebsockets.examples;

import io.ebsockets.ConnectionChange;
import io.ebsockets.EbsocketClient;
import io.ebsockets.EbsocketEvent;
import io.ebsockets.EbsocketServer;
import io.ebsockets.EbsocketSystem;
import io.ebsockets.ReconnectPolicy;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;

/**
 * A reconnecting client rides out a server restart: the server goes away, the client holds what
 * it sends meanwhile, the server comes back on the same port, and the held events arrive, in
 * order.
 *
 * <pre>
 * mvn -q -pl ebsockets-examples -am compile exec:java \
 *     -Dexec.mainClass=io.ebsockets.examples.ReconnectDemo
 * </pre>
 */
public final class ReconnectDemo {
  private static final Duration WAIT = Duration.ofSeconds(10);

  private ReconnectDemo() {}

  /**
   * Runs the demo and exits.
   *
   * @param args none
   * @throws IOException if the demo fails
   */
  public static void main(String[] args) throws IOException {
    run(System.out);
  }

  /**
   * Runs the demo, printing what happens.
   *
   * @param out where to print
   * @throws IOException if the demo fails
   */
  static void run(PrintStream out) throws IOException {
    EbsocketSystem first = new EbsocketSystem(new EbsocketServer("127.0.0.1", 0));
    int port = first.server().address().getPort();
    EbsocketClient client = EbsocketClient.builder()
        .reconnect(ReconnectPolicy.builder()
            .initialDelay(Duration.ofMillis(100))
            .maxDelay(Duration.ofSeconds(5))
            .offlineBufferEvents(1_000)
            .build())
        .build();
    try (client) {
      client.connectTo("127.0.0.1", port);
      first.close(); // the server goes away
      awaitChange(client, out);
      for (int i = 1; i <= 3; i++) {
        client.sendEvent(new EbsocketEvent("message").with("content", "held " + i));
      }
      try (EbsocketSystem second = new EbsocketSystem(new EbsocketServer("127.0.0.1", port))) {
        awaitChange(client, out);
        for (int received = 0; received < 3; ) {
          for (EbsocketEvent event : second.pump(WAIT).newEvents()) {
            out.println("restarted server got: " + event.getString("content"));
            received++;
          }
        }
      }
    }
  }

  /** Pumps the client until it reports a lost or regained connection. */
  private static void awaitChange(EbsocketClient client, PrintStream out) throws IOException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (System.nanoTime() < deadline) {
      for (ConnectionChange change : client.pump(Duration.ofMillis(100)).connectionChanges()) {
        switch (change.kind()) {
          case DISCONNECTED -> out.println("client: lost the server ("
              + change.status().orElseThrow() + "), reconnecting; sends are held");
          case RECONNECTED -> out.println("client: reconnected after "
              + change.attempts() + " attempt(s); held events sent first");
          case RESUMED -> out.println("client: session resumed after "
              + change.attempts() + " attempt(s); nothing lost either way");
          case SESSION_EXPIRED, SESSION_UNKNOWN -> out.println("client: reconnected as a new"
              + " session (" + change.kind() + "); " + change.unacknowledged().size()
              + " unacknowledged event(s) handed back");
        }
        return;
      }
    }
    throw new IOException("no connection change within " + WAIT);
  }
}
