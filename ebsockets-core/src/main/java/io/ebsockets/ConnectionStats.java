package io.ebsockets;

import java.time.Instant;

/**
 * Facts about one connection at one moment: an immutable snapshot from {@link
 * EbsocketConnection#stats()}.
 *
 * @param connectedSince when the connection was accepted (server) or made (client)
 * @param lastActivity when the last bytes arrived from the peer
 * @param eventsIn application events received
 * @param bytesIn bytes received, length prefixes and control frames included
 * @param eventsOut application events queued for the peer
 * @param bytesOut bytes written to the socket, length prefixes and control frames included
 * @param queuedOutboundBytes bytes queued for the peer but not yet written to its socket
 */
public record ConnectionStats(
    Instant connectedSince,
    Instant lastActivity,
    long eventsIn,
    long bytesIn,
    long eventsOut,
    long bytesOut,
    long queuedOutboundBytes) {}
