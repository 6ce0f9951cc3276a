package io.ebsockets;

import io.ebsockets.spi.ChannelSink;
import io.ebsockets.spi.ClientTransport;
import java.io.IOException;
import java.net.URI;
import java.util.List;

/**
 * Several endpoints, dialed one at a time: a client stays with the endpoint it reached, and moves
 * on to the next (in the order given, round and round) when an attempt there fails or when the
 * server sent it away ({@code server_shutdown}, {@code server_full}, {@code overloaded}, a
 * protocol error, ...). After a network failure ({@code io_error}, {@code peer_closed}, {@code
 * idle_timeout}) the first attempt goes to the same endpoint again, where a resumable session
 * can resume. The reconnect policy's backoff (and the server's hint) paces the attempts, whichever
 * endpoint they go to.
 *
 * <p><b>Threads.</b> The first connect on the application's thread, then attempts on the blocking
 * pool, one at a time; {@link #lost} on a transport thread. The index is volatile: attempts never
 * overlap, and a loss comes only between them.
 */
final class Failover implements ClientLink.Dial {
  private final List<URI> endpoints;
  private final List<ClientLink.Dial> dials;
  /** The endpoint the next attempt dials. */
  private volatile int next;

  Failover(List<URI> endpoints, List<ClientLink.Dial> dials) {
    this.endpoints = List.copyOf(endpoints);
    this.dials = List.copyOf(dials);
  }

  /** How many endpoints there are. */
  int size() {
    return endpoints.size();
  }

  /** The endpoint the next attempt dials. */
  URI nextEndpoint() {
    return endpoints.get(next);
  }

  @Override
  public ClientTransport dial(ChannelSink sink) throws IOException {
    try {
      return dials.get(next).dial(sink);
    } catch (IOException | RuntimeException e) {
      refused();
      throw e;
    }
  }

  /** The connection was lost: unless the network lost it, the next attempt goes elsewhere. */
  void lost(CloseStatus status) {
    CloseReason reason = status.reason();
    if (reason != CloseReason.IO_ERROR && reason != CloseReason.PEER_CLOSED
        && reason != CloseReason.IDLE_TIMEOUT) {
      refused();
    }
  }

  /** An attempt failed, or its connection was closed at once: the next goes elsewhere. */
  void refused() {
    next = (next + 1) % endpoints.size();
  }

  @Override
  public String toString() {
    return endpoints.toString();
  }
}
