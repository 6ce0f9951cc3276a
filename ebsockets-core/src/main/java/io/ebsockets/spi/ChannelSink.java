package io.ebsockets.spi;

import io.ebsockets.CloseStatus;
import io.ebsockets.EbsocketEvent;

/**
 * Where a transport delivers one connection's application events and its end.
 *
 * <p>Calls come from a transport thread, one at a time and in the order the events arrived;
 * {@link #closed} comes exactly once, after the last {@link #received}. Implementations must not
 * block.
 */
public interface ChannelSink {

  /**
   * An application event arrived (control events never reach the sink).
   *
   * @param event the event, without a source
   */
  void received(EbsocketEvent event);

  /**
   * The connection ended; nothing more will be delivered.
   *
   * @param status why
   */
  void closed(CloseStatus status);
}
