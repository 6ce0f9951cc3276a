package io.ebsockets.netty;

import io.ebsockets.EbsocketEvent;

/**
 * An application event as decoded, with the size of the frame it came in (for the inbound
 * memory allowance).
 *
 * @param event the event
 * @param frameBytes the payload length of its frame
 */
record DecodedEvent(EbsocketEvent event, int frameBytes) {}
