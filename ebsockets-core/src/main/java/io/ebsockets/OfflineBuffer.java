package io.ebsockets;

import io.ebsockets.spi.ClientTransport;
import java.util.ArrayDeque;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a reconnecting client sends while it has no connection: held in order, up to a capacity,
 * and sent before anything newer once a connection is back. Not thread-safe: the client guards
 * it with its send lock.
 */
final class OfflineBuffer {
  private static final Logger log = LoggerFactory.getLogger(OfflineBuffer.class);

  private final int capacity;
  private final ArrayDeque<Outgoing> held = new ArrayDeque<>();

  /** An event held while offline, with its request/reply ids. */
  private record Outgoing(EbsocketEvent event, long requestId, long replyTo) {}

  OfflineBuffer(int capacity) {
    this.capacity = capacity;
  }

  /**
   * Holds an event.
   *
   * @param where the server it waits for, for the message
   * @throws IllegalStateException if the buffer is full
   */
  void hold(EbsocketEvent event, long requestId, long replyTo, Object where) {
    if (held.size() >= capacity) {
      throw new IllegalStateException(
          "offline buffer full: " + held.size() + " events wait for the reconnect to " + where
              + " (expected: at most offlineBufferEvents " + capacity
              + "; slow down or raise it)");
    }
    held.add(new Outgoing(event, requestId, replyTo));
  }

  /**
   * Sends what is held, oldest first, until done or the connection refuses one (it failed
   * meanwhile); an event too long for the connection is dropped with a warning.
   *
   * @return true if everything was sent
   */
  boolean sendTo(ClientTransport transport) {
    Outgoing next;
    while ((next = held.peek()) != null) {
      try {
        if (!transport.send(next.event(), next.requestId(), next.replyTo())) {
          return false;
        }
      } catch (IllegalArgumentException e) {
        log.warn("dropped a held {} event: {}", next.event().type(), e.getMessage());
      }
      held.poll();
    }
    return true;
  }

  /** Drops everything held: the client ended. */
  void clear(Object where) {
    if (!held.isEmpty()) {
      log.debug("discarding {} events held for a reconnect to {}", held.size(), where);
      held.clear();
    }
  }
}
