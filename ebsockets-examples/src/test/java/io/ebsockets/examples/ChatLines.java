package io.ebsockets.examples;

import io.ebsockets.EbsocketClient;
import io.ebsockets.EbsocketEvent;
import java.time.Duration;

/** A chat test's client side: say a line, read the next one, read until one contains a text. */
final class ChatLines {
  static final Duration WAIT = Duration.ofSeconds(15);

  private ChatLines() {}

  static void say(EbsocketClient client, String line) {
    client.sendEvent(new EbsocketEvent("message").with("content", line));
  }

  static String next(EbsocketClient client) {
    return client.recvEvent(WAIT).orElseThrow(() -> new AssertionError("nothing within " + WAIT))
        .getString("content");
  }

  /** Reads lines until one contains {@code text}; returns it. */
  static String until(EbsocketClient client, String text) {
    while (true) {
      String line = next(client);
      if (line.contains(text)) {
        return line;
      }
    }
  }
}
