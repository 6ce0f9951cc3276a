package com.example.consumer;

import io.ebsockets.EbsocketClient;
import io.ebsockets.EbsocketEvent;
import io.ebsockets.EbsocketServer;
import io.ebsockets.EbsocketSystem;
import java.time.Duration;

/** A server and a client of the application's own exchange one event, on loopback. */
public final class Main {
  private Main() {}

  public static void main(String[] args) throws Exception {
    try (EbsocketSystem system = new EbsocketSystem(new EbsocketServer("127.0.0.1", 0));
        EbsocketClient client = new EbsocketClient()) {
      client.connectTo(system.server().address());
      client.sendEvent(new EbsocketEvent("message").with("content", "hello"));
      long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      boolean echoed = false;
      while (!echoed && System.nanoTime() < deadline) {
        for (EbsocketEvent event : system.pump(Duration.ofMillis(100)).newEvents()) {
          echoed = system.sendEventTo(event.source().orElseThrow(), event);
        }
      }
      EbsocketEvent echo = client.recvEvent(Duration.ofSeconds(10))
          .orElseThrow(() -> new IllegalStateException("no echo within 10 s"));
      System.out.println("consumer: echoed " + echo.getString("content"));
    }
  }
}
