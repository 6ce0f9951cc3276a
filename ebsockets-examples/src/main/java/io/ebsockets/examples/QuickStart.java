package io.ebsockets.examples;

import io.ebsockets.ClientPumpResult;
import io.ebsockets.EbsocketClient;
import io.ebsockets.EbsocketEvent;
import java.io.IOException;
import java.util.Optional;

/**
 * The README's client snippet, compiled with the build so that it cannot rot. Run it against a
 * {@link RelayServer}: it says hi and prints what comes back.
 */
public final class QuickStart {
  private QuickStart() {}

  /**
   * Connects to 127.0.0.1:7982, sends one message and prints the reply.
   *
   * @param args ignored
   * @throws IOException if it cannot connect
   */
  public static void main(String[] args) throws IOException {
    try (EbsocketClient client = new EbsocketClient()) {
      client.connectTo("127.0.0.1", 7982);
      client.sendEvent(new EbsocketEvent("message").with("content", "hi"));
      Optional<EbsocketEvent> reply = client.recvEvent(); // blocks; empty once disconnected
      System.out.println(reply);
      ClientPumpResult pumped = client.pump(); // returns at once, like the seed's pump
      System.out.println(pumped.events() + " connected=" + pumped.connected());
    }
  }
}
