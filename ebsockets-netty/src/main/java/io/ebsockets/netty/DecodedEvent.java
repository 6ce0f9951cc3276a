package io.ebsockets.netty;

import io.ebsockets.EbsocketEvent;
import java.util.Map;

/**
 * An application event as decoded, with the size of the frame it came in (for the inbound
 * memory allowance) and its request/reply ids. The data is already what an {@link EbsocketEvent}
 * holds (unmodifiable, normalised), so the sink builds the one event around it.
 *
 * @param type the event type, not empty and not reserved
 * @param data the data, unmodifiable and normalised (see {@link
 *     io.ebsockets.spi.ChannelSink#receivedNormalised})
 * @param frameBytes the payload length of its frame
 * @param memoryBytes what its decoded values cost the heap, estimated ({@link EventCodec.Cost})
 * @param requestId the {@code ebsockets.request} member, or 0 if absent
 * @param replyTo the {@code ebsockets.reply} member, or 0 if absent
 */
record DecodedEvent(
    String type,
    Map<String, Object> data,
    int frameBytes,
    int memoryBytes,
    long requestId,
    long replyTo) {

  /** The event as an application would build it; for tests and logs, not the receive path. */
  EbsocketEvent event() {
    return new EbsocketEvent(type, data);
  }
}
