package io.ebsockets;

import java.util.Map;

/**
 * A server's counters at one moment: an immutable snapshot from {@link EbsocketSystem#stats()},
 * cheap enough to take every second.
 *
 * @param connections connections open now
 * @param peakConnections the most that were open at once
 * @param accepted connections accepted since the server started (refused ones not counted)
 * @param disconnectedByReason connections ended, by reason; reasons that never happened are absent
 * @param eventsIn application events received
 * @param bytesIn payload bytes of the application events received
 * @param eventsOut application events queued for clients (a broadcast to n clients counts n)
 * @param bytesOut bytes queued for clients (length prefixes included)
 * @param queuedEvents events received but not yet handed out by a pump
 * @param queuedBytes payload bytes of those events
 * @param droppedReplies replies from clients that matched no pending request (unknown, already
 *     answered, or timed out), counted and dropped
 * @param refused connections the {@link Admission} hook refused (never reported, never counted
 *     as accepted)
 * @param cluster the cluster bus's counters and liveness ({@link ClusterStats#singleNode} without
 *     a bus)
 * @param sessions the resumable sessions ({@link SessionStats#none()} on a server without
 *     resumption)
 * @param requests the server's requests to its clients: sent, answered, timed out, failed
 * @param outboundBacklogBytes bytes of the application's sends not yet written to a socket
 * @param pumpLagNanos about how long the oldest event not yet pumped has waited (0 when none
 *     waits): sampled, by stamping one event in a while, never more than every 10 ms
 * @param turnedAway connections turned away before they were admitted: over the accept rate, at
 *     a connection limit, during shutdown (never reported, never counted as accepted)
 */
public record SystemStats(
    int connections,
    int peakConnections,
    long accepted,
    Map<CloseReason, Long> disconnectedByReason,
    long eventsIn,
    long bytesIn,
    long eventsOut,
    long bytesOut,
    long queuedEvents,
    long queuedBytes,
    long droppedReplies,
    long refused,
    ClusterStats cluster,
    SessionStats sessions,
    RequestStats requests,
    long outboundBacklogBytes,
    long pumpLagNanos,
    TurnedAwayStats turnedAway) {

  /**
   * Creates a snapshot; the map is copied.
   *
   * @param connections connections open now
   * @param peakConnections the most open at once
   * @param accepted connections accepted
   * @param disconnectedByReason connections ended, by reason
   * @param eventsIn application events received
   * @param bytesIn payload bytes received
   * @param eventsOut application events queued
   * @param bytesOut bytes queued
   * @param queuedEvents events waiting to be pumped
   * @param queuedBytes payload bytes waiting to be pumped
   * @param droppedReplies replies that matched no pending request
   * @param refused connections the admission hook refused
   * @param cluster the cluster bus's counters
   * @param sessions the resumable sessions
   * @param requests the server's requests to its clients
   * @param outboundBacklogBytes bytes of sends not yet written
   * @param pumpLagNanos about how long the oldest unpumped event has waited
   * @param turnedAway connections turned away before they were admitted
   */
  public SystemStats {
    disconnectedByReason = Map.copyOf(disconnectedByReason);
    java.util.Objects.requireNonNull(cluster, "cluster");
    java.util.Objects.requireNonNull(sessions, "sessions");
    java.util.Objects.requireNonNull(requests, "requests");
    java.util.Objects.requireNonNull(turnedAway, "turnedAway");
  }

  /**
   * Creates a snapshot without the turned-away counts (the shape before they existed): those are
   * zero.
   *
   * @param connections connections open now
   * @param peakConnections the most open at once
   * @param accepted connections accepted
   * @param disconnectedByReason connections ended, by reason
   * @param eventsIn application events received
   * @param bytesIn payload bytes received
   * @param eventsOut application events queued
   * @param bytesOut bytes queued
   * @param queuedEvents events waiting to be pumped
   * @param queuedBytes payload bytes waiting to be pumped
   * @param droppedReplies replies that matched no pending request
   * @param refused connections the admission hook refused
   * @param cluster the cluster bus's counters
   * @param sessions the resumable sessions
   * @param requests the server's requests to its clients
   * @param outboundBacklogBytes bytes of sends not yet written
   * @param pumpLagNanos about how long the oldest unpumped event has waited
   */
  public SystemStats(
      int connections,
      int peakConnections,
      long accepted,
      Map<CloseReason, Long> disconnectedByReason,
      long eventsIn,
      long bytesIn,
      long eventsOut,
      long bytesOut,
      long queuedEvents,
      long queuedBytes,
      long droppedReplies,
      long refused,
      ClusterStats cluster,
      SessionStats sessions,
      RequestStats requests,
      long outboundBacklogBytes,
      long pumpLagNanos) {
    this(connections, peakConnections, accepted, disconnectedByReason, eventsIn, bytesIn,
        eventsOut, bytesOut, queuedEvents, queuedBytes, droppedReplies, refused, cluster,
        sessions, requests, outboundBacklogBytes, pumpLagNanos, TurnedAwayStats.none());
  }

  /**
   * Creates a snapshot without the request, backlog and pump-lag figures (the shape before they
   * existed): those are zero.
   *
   * @param connections connections open now
   * @param peakConnections the most open at once
   * @param accepted connections accepted
   * @param disconnectedByReason connections ended, by reason
   * @param eventsIn application events received
   * @param bytesIn payload bytes received
   * @param eventsOut application events queued
   * @param bytesOut bytes queued
   * @param queuedEvents events waiting to be pumped
   * @param queuedBytes payload bytes waiting to be pumped
   * @param droppedReplies replies that matched no pending request
   * @param refused connections the admission hook refused
   * @param cluster the cluster bus's counters
   * @param sessions the resumable sessions
   */
  public SystemStats(
      int connections,
      int peakConnections,
      long accepted,
      Map<CloseReason, Long> disconnectedByReason,
      long eventsIn,
      long bytesIn,
      long eventsOut,
      long bytesOut,
      long queuedEvents,
      long queuedBytes,
      long droppedReplies,
      long refused,
      ClusterStats cluster,
      SessionStats sessions) {
    this(connections, peakConnections, accepted, disconnectedByReason, eventsIn, bytesIn,
        eventsOut, bytesOut, queuedEvents, queuedBytes, droppedReplies, refused, cluster,
        sessions, RequestStats.none(), 0, 0);
  }

  /**
   * Creates a snapshot of a server without resumable sessions (the shape before they existed).
   *
   * @param connections connections open now
   * @param peakConnections the most open at once
   * @param accepted connections accepted
   * @param disconnectedByReason connections ended, by reason
   * @param eventsIn application events received
   * @param bytesIn payload bytes received
   * @param eventsOut application events queued
   * @param bytesOut bytes queued
   * @param queuedEvents events waiting to be pumped
   * @param queuedBytes payload bytes waiting to be pumped
   * @param droppedReplies replies that matched no pending request
   * @param refused connections the admission hook refused
   * @param cluster the cluster bus's counters
   */
  public SystemStats(
      int connections,
      int peakConnections,
      long accepted,
      Map<CloseReason, Long> disconnectedByReason,
      long eventsIn,
      long bytesIn,
      long eventsOut,
      long bytesOut,
      long queuedEvents,
      long queuedBytes,
      long droppedReplies,
      long refused,
      ClusterStats cluster) {
    this(connections, peakConnections, accepted, disconnectedByReason, eventsIn, bytesIn,
        eventsOut, bytesOut, queuedEvents, queuedBytes, droppedReplies, refused, cluster,
        SessionStats.none());
  }

  /**
   * Creates a snapshot of a node alone (the shape before clusters existed).
   *
   * @param connections connections open now
   * @param peakConnections the most open at once
   * @param accepted connections accepted
   * @param disconnectedByReason connections ended, by reason
   * @param eventsIn application events received
   * @param bytesIn payload bytes received
   * @param eventsOut application events queued
   * @param bytesOut bytes queued
   * @param queuedEvents events waiting to be pumped
   * @param queuedBytes payload bytes waiting to be pumped
   * @param droppedReplies replies that matched no pending request
   * @param refused connections the admission hook refused
   */
  public SystemStats(
      int connections,
      int peakConnections,
      long accepted,
      Map<CloseReason, Long> disconnectedByReason,
      long eventsIn,
      long bytesIn,
      long eventsOut,
      long bytesOut,
      long queuedEvents,
      long queuedBytes,
      long droppedReplies,
      long refused) {
    this(connections, peakConnections, accepted, disconnectedByReason, eventsIn, bytesIn,
        eventsOut, bytesOut, queuedEvents, queuedBytes, droppedReplies, refused,
        ClusterStats.singleNode("local"));
  }

  /**
   * Creates a snapshot without the admission counter (the shape before admission existed).
   *
   * @param connections connections open now
   * @param peakConnections the most open at once
   * @param accepted connections accepted
   * @param disconnectedByReason connections ended, by reason
   * @param eventsIn application events received
   * @param bytesIn payload bytes received
   * @param eventsOut application events queued
   * @param bytesOut bytes queued
   * @param queuedEvents events waiting to be pumped
   * @param queuedBytes payload bytes waiting to be pumped
   * @param droppedReplies replies that matched no pending request
   */
  public SystemStats(
      int connections,
      int peakConnections,
      long accepted,
      Map<CloseReason, Long> disconnectedByReason,
      long eventsIn,
      long bytesIn,
      long eventsOut,
      long bytesOut,
      long queuedEvents,
      long queuedBytes,
      long droppedReplies) {
    this(connections, peakConnections, accepted, disconnectedByReason, eventsIn, bytesIn,
        eventsOut, bytesOut, queuedEvents, queuedBytes, droppedReplies, 0);
  }

  /**
   * Creates a snapshot without request/reply counters (the shape before request/reply existed).
   *
   * @param connections connections open now
   * @param peakConnections the most open at once
   * @param accepted connections accepted
   * @param disconnectedByReason connections ended, by reason
   * @param eventsIn application events received
   * @param bytesIn payload bytes received
   * @param eventsOut application events queued
   * @param bytesOut bytes queued
   * @param queuedEvents events waiting to be pumped
   * @param queuedBytes payload bytes waiting to be pumped
   */
  public SystemStats(
      int connections,
      int peakConnections,
      long accepted,
      Map<CloseReason, Long> disconnectedByReason,
      long eventsIn,
      long bytesIn,
      long eventsOut,
      long bytesOut,
      long queuedEvents,
      long queuedBytes) {
    this(
        connections,
        peakConnections,
        accepted,
        disconnectedByReason,
        eventsIn,
        bytesIn,
        eventsOut,
        bytesOut,
        queuedEvents,
        queuedBytes,
        0,
        0);
  }

  /**
   * Returns how many connections ended for one reason.
   *
   * @param reason the reason
   * @return the count, 0 if never
   */
  public long disconnected(CloseReason reason) {
    return disconnectedByReason.getOrDefault(reason, 0L);
  }

  /**
   * Returns how many connections were closed for breaking the protocol.
   *
   * @return the count of {@link CloseReason#PROTOCOL_ERROR} closes
   */
  public long protocolErrors() {
    return disconnected(CloseReason.PROTOCOL_ERROR);
  }

  /**
   * Returns how many connections were dropped for reading too slowly.
   *
   * @return the count of {@link CloseReason#SLOW_CONSUMER} closes
   */
  public long slowConsumerDrops() {
    return disconnected(CloseReason.SLOW_CONSUMER);
  }
}
