package io.ebsockets;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a client's {@link EbsocketClient#pump()} returns.
 *
 * @param events the events received since the last pump or {@code recvEvent}, in order
 * @param connected false once the connection has ended and every event before the end has been
 *     handed out
 * @param closeReason why the connection ended; empty while {@code connected}
 */
public record ClientPumpResult(
    List<EbsocketEvent> events, boolean connected, Optional<CloseStatus> closeReason) {

  /**
   * Creates a result; the list is copied.
   *
   * @param events the events
   * @param connected whether still connected
   * @param closeReason why it ended, or empty
   * @throws NullPointerException if {@code closeReason} is null
   */
  public ClientPumpResult {
    events = List.copyOf(events);
    Objects.requireNonNull(closeReason, "closeReason");
  }
}
