package io.ebsockets.examples;

import io.ebsockets.EbsocketConnection;
import io.ebsockets.EbsocketEvent;
import io.ebsockets.EbsocketSystem;
import io.ebsockets.PumpResult;
import io.ebsockets.examples.ProgramOptions.Option;
import java.io.OutputStream;
import java.io.PrintStream;
import java.util.Optional;

/**
 * The seed's server: relays every {@code message} event's content to all clients.
 *
 * <pre>
 * mvn -q -pl ebsockets-examples -am compile exec:java \
 *     -Dexec.mainClass=io.ebsockets.examples.RelayServer -Dexec.args="--port 7982"
 * </pre>
 *
 * <p>Options: {@code --port N} (default 7982), {@code --host H} (default: all interfaces), {@code
 * --io-threads N}, {@code --quiet} (print nothing per event, for load tests), {@code --tls-cert
 * CHAIN.pem --tls-key KEY.pem} (speak TLS only). Ctrl-C
 * or SIGTERM closes it gracefully: clients receive what was sent, then {@code server_shutdown}.
 */
public final class RelayServer {
  /** The seed's port. */
  public static final int DEFAULT_PORT = 7982;

  private RelayServer() {}

  /**
   * Runs the server until the process is stopped.
   *
   * @param args see the class documentation
   */
  public static void main(String[] args) {
    Optional<Args> parsed = Args.parseOrExit("RelayServer",
        "The seed's relay: every message event's content goes to every client.",
        Args.options(Args.SERVER,
            Option.flag("quiet", "print nothing per event (for load tests)")), args);
    if (parsed.isEmpty()) {
      return; // --help
    }
    Args options = parsed.get();
    // initialise a server, and the system with the server we created
    EbsocketSystem system = options.serverSystem();
    // --quiet: print nothing per event (for load tests; printing costs more than relaying)
    PrintStream out =
        options.has("quiet") ? new PrintStream(OutputStream.nullOutputStream()) : System.out;
    options.runServingMetrics(system, s -> run(s, out));
  }

  /**
   * The seed's pump loop, until the system is closed.
   *
   * @param system the system to pump
   * @param out where to print what happens
   */
  public static void run(EbsocketSystem system, PrintStream out) {
    // display the server's ip and port
    out.println(
        "Server hosting on : "
            + system.server().address().getHostString()
            + ":"
            + system.server().address().getPort());

    while (!system.isClosed()) {
      // get main server information from system.pump()
      PumpResult result = system.pump();

      // iterate through all new clients & print their connections
      for (EbsocketConnection client : result.newClients()) {
        out.println("New connection: " + client);
      }

      // iterate through all new events & forward on to all clients
      for (EbsocketEvent event : result.newEvents()) {
        out.println("New event: " + event);
        // check if the event is a message
        if (event.compareType("message")) {
          Object content = event.getAttribute("content");
          // create a new event with the same message content as the original event
          system.sendEventToClients(new EbsocketEvent("message").with("content", content));
        }
      }

      // iterate through clients who've disconnected, and print their connections
      for (EbsocketConnection client : result.disconnectedClients()) {
        out.println(
            "Client disconnected "
                + client.remoteAddress()
                + " ("
                + client.closeStatus().map(Object::toString).orElse("")
                + ")");
      }
    }
  }
}
