package io.ebsockets.examples;

import io.ebsockets.EbsocketClient;
import io.ebsockets.EbsocketEvent;
import io.ebsockets.EbsocketServer;
import io.ebsockets.EbsocketSystem;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Starts the relay server and three chatting clients in one process over real TCP, prints the
 * conversation, and exits 0 once every client has heard every line (non-zero otherwise).
 *
 * <pre>
 * mvn -q -pl ebsockets-examples -am compile exec:java
 * </pre>
 */
public final class ChatDemo {
  private static final Duration WAIT = Duration.ofSeconds(10);

  private static final String[][] SCRIPT = {
    {"alice", "hi all, the relay works"},
    {"bob", "hello alice! 👋"},
    {"carol", "hi both — I got here late"},
    {"alice", "bye for now"},
  };

  private ChatDemo() {}

  /**
   * Runs the demo.
   *
   * @param args ignored
   * @throws Exception if the conversation did not arrive
   */
  public static void main(String[] args) throws Exception {
    List<String> transcript = run(System.out);
    System.out.println("-- " + transcript.size() + " messages heard by every client; done.");
  }

  /**
   * Runs the conversation, printing it to {@code out}.
   *
   * @param out where to print
   * @return the lines every client heard, in order
   * @throws IOException if a client cannot connect
   * @throws IllegalStateException if a client did not hear a line in time
   */
  public static List<String> run(PrintStream out) throws IOException, InterruptedException {
    EbsocketSystem system = new EbsocketSystem(new EbsocketServer("127.0.0.1", 0));
    PrintStream serverOut = prefixed(out, "  [server] ");
    Thread pumpLoop = new Thread(() -> RelayServer.run(system, serverOut), "relay-pump");
    pumpLoop.start();
    InetSocketAddress address = system.server().address();

    List<String> names = List.of("alice", "bob", "carol");
    List<EbsocketClient> clients = new ArrayList<>();
    try {
      while (clients.size() < names.size()) {
        EbsocketClient client = new EbsocketClient();
        clients.add(client);
        client.connectTo(address);
      }
      List<String> heard = new ArrayList<>();
      for (String[] line : SCRIPT) {
        String text = line[0] + ": " + line[1];
        out.println(line[0] + " says  > " + line[1]);
        clients.get(names.indexOf(line[0]))
            .sendEvent(new EbsocketEvent("message").with("content", text));
        for (int i = 0; i < clients.size(); i++) {
          String got = awaitMessage(clients.get(i), names.get(i));
          out.println("  " + names.get(i) + " hears < " + got);
          if (!got.equals(text)) {
            throw new IllegalStateException(names.get(i) + " heard '" + got + "', expected '" + text + "'");
          }
        }
        heard.add(text);
      }
      return heard;
    } finally {
      clients.forEach(EbsocketClient::close);
      system.close(); // also ends the pump loop
      pumpLoop.join(WAIT.toMillis());
    }
  }

  private static String awaitMessage(EbsocketClient client, String name) {
    Optional<EbsocketEvent> event = client.recvEvent(WAIT);
    if (event.isEmpty() || !event.get().compareType("message")) {
      throw new IllegalStateException(name + " heard nothing within " + WAIT + ": " + event);
    }
    return event.get().getString("content");
  }

  private static PrintStream prefixed(PrintStream out, String prefix) {
    return new PrintStream(
        new OutputStream() {
          private final ByteArrayOutputStream line = new ByteArrayOutputStream();

          @Override
          public synchronized void write(int b) {
            if (b == '\n') {
              out.println(prefix + line.toString(StandardCharsets.UTF_8));
              line.reset();
            } else {
              line.write(b);
            }
          }
        },
        true,
        StandardCharsets.UTF_8);
  }
}
