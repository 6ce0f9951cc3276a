package io.ebsockets.netty;

import io.ebsockets.EbsocketEvent;

/**
 * An application event as decoded, with the size of the frame it came in (for the inbound
 * memory allowance) and its request/reply ids.
 *
 * @param event the event
 * @param frameBytes the payload length of its frame
 * @param requestId the {@code ebsockets.request} member, or 0 if absent
 * @param replyTo the {@code ebsockets.reply} member, or 0 if absent
 */
record DecodedEvent(EbsocketEvent event, int frameBytes, long requestId, long replyTo) {}
