package io.ebsockets.spi;

import io.ebsockets.EbsocketEvent;

/** A client's connection to a server, made by {@link TransportProvider#connect}. */
public interface ClientTransport extends TransportChannel {

  /**
   * Encodes an event and queues it for writing. Returns without waiting for the write.
   *
   * @param event the event
   * @return true if queued, false if the connection is closing or closed
   * @throws IllegalArgumentException if the encoded event is longer than the max frame length;
   *     then nothing is sent
   */
  boolean send(EbsocketEvent event);

  /**
   * Like {@link #send(EbsocketEvent)}, with the request/reply members of wire protocol v1.
   *
   * @param event the event
   * @param requestId the id that marks the event as a request, or 0
   * @param replyTo the id of the request the event answers, or 0
   * @return true if queued, false if the connection is closing or closed
   * @throws IllegalArgumentException if the encoded event is longer than the max frame length
   * @throws UnsupportedOperationException if an id is given and the transport cannot carry it (the
   *     default)
   */
  default boolean send(EbsocketEvent event, long requestId, long replyTo) {
    if (requestId != 0 || replyTo != 0) {
      throw new UnsupportedOperationException(
          getClass().getName() + " cannot carry request ids (expected: a transport for wire v1)");
    }
    return send(event);
  }
}
