package io.ebsockets;

import io.ebsockets.spi.ChannelSink;
import java.util.Map;

/**
 * What the server's and the client's sinks share: every way a transport can hand over an event
 * ends in one {@link #deliver}, with the event built once, knowing its source.
 *
 * <p><b>Threads.</b> A transport thread, as {@link ChannelSink} says.
 */
abstract class EventSink implements ChannelSink {

  /** The connection the events come from, for {@link EbsocketEvent#source()}; null on a client. */
  abstract EbsocketConnection source();

  /**
   * Takes one received event: completes a request it answers, or queues it for the consumer.
   *
   * @return false to stop reading this connection for now (inbound backpressure)
   */
  abstract boolean deliver(EbsocketEvent received, int frameBytes, long replyTo);

  @Override
  public final boolean received(EbsocketEvent event, int frameBytes) {
    return received(event, frameBytes, 0, 0);
  }

  @Override
  public final boolean received(
      EbsocketEvent event, int frameBytes, long requestId, long replyTo) {
    return deliver(event.received(source(), frameBytes, requestId), frameBytes, replyTo);
  }

  @Override
  public final boolean receivedNormalised(
      String type,
      Map<String, Object> data,
      int frameBytes,
      int memoryBytes,
      long requestId,
      long replyTo) {
    return deliver(
        EbsocketEvent.receivedNormalised(
            type, data, source(), Math.max(frameBytes, memoryBytes), requestId),
        frameBytes,
        replyTo);
  }
}
