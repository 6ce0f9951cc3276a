package io.ebsockets.netty;

import io.ebsockets.EbsocketClient;
import io.ebsockets.EbsocketEvent;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Reads a client's events on a thread of the given executor until the client ends, checking
 * that they arrive numbered ({@code "n"}) 0, 1, 2, …
 */
final class OrderedReader {
  /** How many events arrived. */
  final AtomicInteger received = new AtomicInteger();
  /** What arrived out of order; empty if nothing did. */
  final List<String> problems = new CopyOnWriteArrayList<>();

  OrderedReader(EbsocketClient client, Executor executor) {
    executor.execute(() -> {
      while (true) {
        EbsocketEvent event = client.recvEvent().orElse(null);
        if (event == null) {
          return;
        }
        int expected = received.get();
        if (event.getInt("n") != expected) {
          problems.add("expected " + expected + ", got " + event);
        }
        received.incrementAndGet();
      }
    });
  }
}
