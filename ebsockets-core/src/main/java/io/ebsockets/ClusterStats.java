package io.ebsockets;

/**
 * The cluster bus's counters at one moment, part of {@link SystemStats}. A single node (no bus)
 * reports its node id, {@code clustered} false and zeros.
 *
 * @param nodeId this node's id
 * @param clustered true if the server runs with a {@link io.ebsockets.spi.ClusterBus}
 * @param live true if cross-node delivery works now: the bus is connected and this node's own
 *     probe, published every second, came back through the bus within the last three seconds.
 *     Always true on a single node
 * @param published cross-node messages handed to the bus
 * @param publishFailed messages the bus refused or failed to publish (Redis away, its queue full)
 * @param received cross-node messages from other nodes taken from the bus
 * @param duplicates messages received twice (a publish replayed after a reconnect), dropped
 * @param gaps incidents where messages of one sender on one channel went missing
 * @param missed messages known missing over all those incidents
 * @param overflowed messages dropped because the node's queue of received messages was full
 *     (this node could not deliver as fast as the bus brought them)
 * @param disconnects times the bus lost its connection (a restart, a network cut, or Redis
 *     closing a subscriber that fell behind)
 */
public record ClusterStats(
    String nodeId,
    boolean clustered,
    boolean live,
    long published,
    long publishFailed,
    long received,
    long duplicates,
    long gaps,
    long missed,
    long overflowed,
    long disconnects) {

  /**
   * The counters of a node without a bus.
   *
   * @param nodeId the node's id
   * @return zeros, live
   */
  public static ClusterStats singleNode(String nodeId) {
    return new ClusterStats(nodeId, false, true, 0, 0, 0, 0, 0, 0, 0, 0);
  }
}
