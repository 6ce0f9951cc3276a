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
}
