package io.ebsockets.examples;

import io.ebsockets.ClientPumpResult;
import io.ebsockets.EbsocketClient;
import io.ebsockets.EbsocketConnection;
import io.ebsockets.EbsocketEvent;
import io.ebsockets.EbsocketServer;
import io.ebsockets.EbsocketSystem;
import io.ebsockets.PumpResult;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * Request/reply both ways, in one process: a client asks the server the time and the server,
 * from its pump loop, answers; the server asks the new client its name and the client, from its
 * own pump, answers.
 *
 * <pre>
 * mvn -q -pl ebsockets-examples -am compile exec:java \
 *     -Dexec.mainClass=io.ebsockets.examples.RequestReplyDemo
 * </pre>
 */
public final class RequestReplyDemo {
  private RequestReplyDemo() {}

  /**
   * Runs the demo and exits.
   *
   * @param args none
   * @throws Exception if the demo fails
   */
  public static void main(String[] args) throws Exception {
    run(System.out);
  }

  /**
   * Runs the demo, printing what each side learnt.
   *
   * @param out where to print
   * @throws Exception if the demo fails
   */
  static void run(PrintStream out) throws Exception {
    EbsocketSystem system = new EbsocketSystem(new EbsocketServer("127.0.0.1", 0));
    CompletableFuture<String> name = new CompletableFuture<>();
    Thread server = new Thread(() -> serve(system, name), "time-server");
    try (EbsocketClient client = new EbsocketClient()) {
      server.start();
      client.connectTo(system.server().address());

      EbsocketEvent time = client.request(new EbsocketEvent("time"), Duration.ofSeconds(2)).join();
      out.println("client: the server's clock says " + time.getLong("millis"));

      answerUntil(client, name);
      out.println("server: the client says its name is " + name.join());
    } finally {
      system.close(); // drains: the server's pump loop sees isClosed() and ends
      server.join();
    }
  }

  /** The server's pump loop: answers time requests and asks each new client its name. */
  private static void serve(EbsocketSystem system, CompletableFuture<String> name) {
    while (!system.isClosed()) {
      PumpResult result = system.pump();
      for (EbsocketConnection client : result.newClients()) {
        system.request(client, new EbsocketEvent("whoami"), Duration.ofSeconds(2))
            .thenAccept(reply -> name.complete(reply.getString("name")));
      }
      for (EbsocketEvent event : result.newEvents()) {
        if (event.isRequest() && event.compareType("time")) {
          system.reply(event, new EbsocketEvent("time").with("millis", System.currentTimeMillis()));
        }
      }
    }
  }

  /** The client's pump loop: answers the server's requests until {@code done}. */
  private static void answerUntil(EbsocketClient client, CompletableFuture<?> done)
      throws IOException {
    while (!done.isDone()) {
      ClientPumpResult result = client.pump(Duration.ofMillis(100));
      for (EbsocketEvent event : result.events()) {
        if (event.isRequest() && event.compareType("whoami")) {
          client.reply(event, new EbsocketEvent("iam").with("name", "alice"));
        }
      }
      if (!result.connected()) {
        throw new IOException("disconnected: " + result.closeStatus().orElseThrow());
      }
    }
  }
}
