package io.ebsockets.testsupport;

import io.ebsockets.EbsocketEvent;
import io.ebsockets.EbsocketSystem;
import io.ebsockets.PumpResult;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The seed's relay loop, as its README writes it (no try, no catch), for tests that must show
 * that nothing a peer does can end such a loop: it relays every {@code message}'s content to
 * every client until the system is closed.
 */
public final class SeedRelay {
  private SeedRelay() {}

  /**
   * Pumps and relays on the calling thread until the system is closed.
   *
   * @param system the system to pump
   * @param relayed counts the messages relayed
   */
  public static void run(EbsocketSystem system, AtomicInteger relayed) {
    while (!system.isClosed()) {
      PumpResult result = system.pump();
      for (EbsocketEvent event : result.newEvents()) {
        if (event.compareType("message")) {
          Object content = event.getAttribute("content");
          system.sendEventToClients(new EbsocketEvent("message").with("content", content));
          relayed.incrementAndGet();
        }
      }
    }
  }
}
