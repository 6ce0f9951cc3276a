package io.ebsockets;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a client's {@link EbsocketClient#pump()} returns.
 *
 * @param events the events received since the last pump or {@code recvEvent}, in order
 * @param connected false once the client has ended for good and every event before the end has
 *     been handed out; a reconnecting client stays {@code connected} while it reconnects (see
 *     {@code connectionChanges})
 * @param closeReason why the client ended; empty while {@code connected}. The same as {@link
 *     #closeStatus()}, the name the rest of the API uses for a {@link CloseStatus}
 * @param connectionChanges the disconnects and reconnects of a reconnecting client since the last
 *     pump, in order; always empty without reconnection
 */
public record ClientPumpResult(
    List<EbsocketEvent> events,
    boolean connected,
    Optional<CloseStatus> closeReason,
    List<ConnectionChange> connectionChanges) {

  /**
   * Creates a result; the lists are copied.
   *
   * @param events the events
   * @param connected whether not ended yet
   * @param closeReason why it ended, or empty
   * @param connectionChanges disconnects and reconnects
   * @throws NullPointerException if {@code closeReason} is null
   */
  public ClientPumpResult {
    events = List.copyOf(events);
    Objects.requireNonNull(closeReason, "closeReason");
    connectionChanges = List.copyOf(connectionChanges);
  }

  /**
   * Creates a result with no connection changes (the shape before reconnection existed).
   *
   * @param events the events
   * @param connected whether not ended yet
   * @param closeReason why it ended, or empty
   */
  public ClientPumpResult(
      List<EbsocketEvent> events, boolean connected, Optional<CloseStatus> closeReason) {
    this(events, connected, closeReason, List.of());
  }

  /**
   * Returns why the client ended: the {@link #closeReason()} component under the name the rest
   * of the API gives a {@link CloseStatus}.
   *
   * @return the status; empty while {@code connected}
   */
  public Optional<CloseStatus> closeStatus() {
    return closeReason;
  }
}
