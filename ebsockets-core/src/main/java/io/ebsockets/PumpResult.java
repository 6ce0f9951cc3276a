package io.ebsockets;

import java.util.List;

/**
 * What happened since the previous {@link EbsocketSystem#pump()}: the seed's {@code new_clients,
 * new_events, disconnected_clients}. A client that connected, sent and left in between appears in
 * all three lists; read them in that order.
 *
 * @param newClients connections accepted, in the order they were accepted
 * @param newEvents events received, in the order each connection sent them
 * @param disconnectedClients connections that ended; each one's {@link
 *     EbsocketConnection#closeStatus()} says why
 */
public record PumpResult(
    List<EbsocketConnection> newClients,
    List<EbsocketEvent> newEvents,
    List<EbsocketConnection> disconnectedClients) {

  /** Nothing happened. */
  public static final PumpResult EMPTY = new PumpResult(List.of(), List.of(), List.of());

  /**
   * Creates a result; the lists are copied.
   *
   * @param newClients connections accepted
   * @param newEvents events received
   * @param disconnectedClients connections that ended
   */
  public PumpResult {
    newClients = List.copyOf(newClients);
    newEvents = List.copyOf(newEvents);
    disconnectedClients = List.copyOf(disconnectedClients);
  }

  /**
   * Tells whether nothing happened.
   *
   * @return true if all three lists are empty
   */
  public boolean isEmpty() {
    return newClients.isEmpty() && newEvents.isEmpty() && disconnectedClients.isEmpty();
  }
}
