package io.ebsockets.examples;

import io.ebsockets.ClientPumpResult;
import io.ebsockets.ConnectionChange;
import io.ebsockets.EbsocketClient;
import io.ebsockets.EbsocketEvent;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The seed's manual client: each line typed is sent as a {@code message} event; every event
 * received is printed, and a {@code message}'s content on its own line.
 *
 * <pre>
 * mvn -q -pl ebsockets-examples -am compile exec:java \
 *     -Dexec.mainClass=io.ebsockets.examples.ChatClient -Dexec.args="--host 127.0.0.1 --port 7982"
 * </pre>
 *
 * <p>Options: {@code --host H}, {@code --port N}; {@code --tls} (TLS, trusting what the JVM
 * trusts), {@code --tls-trust CA.pem} (TLS, trusting that CA or certificate), {@code
 * --tls-insecure} (TLS without certificate checks, development only); {@code --reconnect}
 * (reconnect after a lost connection, holding what is typed meanwhile).
 *
 * <p>Without {@code --host}/{@code --port} it asks, as the seed did. Unlike the seed, which only
 * pumped after each line typed, a second thread reads the keyboard while the main thread pumps,
 * so messages appear as they arrive. End of input (Ctrl-D) closes the client.
 */
public final class ChatClient {
  /** The seed's prompt. */
  private static final String PROMPT = "send event >>> ";

  private ChatClient() {}

  /**
   * Runs the client until end of input or until the server closes.
   *
   * @param args see the class documentation
   * @throws IOException if it cannot connect
   */
  public static void main(String[] args) throws IOException {
    Optional<Prompt.Target> given = Prompt.target("ChatClient",
        "Type lines, see everyone's lines (the seed's client); Ctrl-D leaves.", Args.CLIENT, args);
    if (given.isEmpty()) {
      return; // --help
    }
    Prompt.Target target = given.get();
    try {
      run(target.options().clientBuilder(), target.host(), target.port(), List.of(), target.in(),
          System.out, false);
    } catch (IOException e) {
      Prompt.exitCannotConnect("ChatClient", e);
    }
  }

  /**
   * Connects, then sends each line of {@code in} and prints what arrives until either ends.
   *
   * @param host the server's host
   * @param port the server's port
   * @param in the lines to send
   * @param out where to print
   * @throws IOException if it cannot connect
   */
  public static void run(String host, int port, BufferedReader in, PrintStream out)
      throws IOException {
    run(EbsocketClient.builder(), host, port, List.of(), in, out, false);
  }

  /**
   * Connects, sends {@code firstLines}, then each line of {@code in}, printing what arrives.
   *
   * @param builder the client's options (TLS, reconnection)
   * @param contentOnly print only the content of {@code message} events, as a chat screen would
   */
  static void run(EbsocketClient.Builder builder, String host, int port, List<String> firstLines,
      BufferedReader in, PrintStream out, boolean contentOnly) throws IOException {
    try (EbsocketClient client = builder.build()) {
      out.println("Connecting to " + host + ":" + port);
      client.connectTo(host, port);
      for (String line : firstLines) {
        client.sendEvent(new EbsocketEvent("message").with("content", line));
      }

      Thread keyboard = new Thread(() -> sendLines(client, in, out), "chat-input");
      keyboard.setDaemon(true);
      keyboard.start();

      while (true) {
        ClientPumpResult result = client.pump(Duration.ofMillis(250));
        for (ConnectionChange change : result.connectionChanges()) {
          incoming(out, change.kind() == ConnectionChange.Kind.DISCONNECTED
              ? "[connection lost: " + change.status().map(Object::toString).orElse("")
                  + "; reconnecting, lines typed meanwhile are held]"
              : "[reconnected after " + change.attempts() + " attempts]");
        }
        for (EbsocketEvent event : result.events()) {
          // Once per event: a chat line as its text, anything else as the event.
          incoming(out, event.compareType("message") || contentOnly
              ? String.valueOf(event.getAttribute("content"))
              : "Received: " + event);
        }
        if (!result.connected()) {
          out.println("\rDisconnected: " + result.closeStatus().map(Object::toString).orElse(""));
          return;
        }
      }
    }
  }

  /**
   * Prints a line that arrived over the prompt the keyboard thread left, then the prompt again,
   * so that incoming lines never run into what is being typed.
   */
  private static void incoming(PrintStream out, String line) {
    synchronized (out) {
      out.print("\r" + line + "\n" + PROMPT);
      out.flush();
    }
  }

  private static void sendLines(EbsocketClient client, BufferedReader in, PrintStream out) {
    try {
      String line;
      out.print(PROMPT);
      out.flush();
      while ((line = in.readLine()) != null) {
        if (!line.isEmpty()) {
          try {
            client.sendEvent(new EbsocketEvent("message").with("content", line));
          } catch (IllegalStateException e) { // ended, or the offline buffer is full
            out.println("[not sent: " + e.getMessage() + "]");
          }
        }
        synchronized (out) {
          out.print(PROMPT);
          out.flush();
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      client.close();
    }
  }
}
