package io.ebsockets.spi;

import io.ebsockets.ConnectionId;
import io.ebsockets.PresenceMember;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * What carries a server's sends to the other nodes of a cluster: channels to publish on and
 * subscribe to, and a store for presence. The library decides what goes on which channel and
 * keeps the promises (node id, epoch and a sequence per sender and channel in every message;
 * duplicates dropped, gaps counted, delivery off the bus's threads); a bus only moves bytes and
 * reports when its link goes down or up. {@code ebsockets-redis} is one, on Redis pub/sub.
 *
 * <p><b>Threads.</b> Every method but {@link #start} and {@link #close} may be called from any
 * thread, the server's I/O threads among them, and must return without blocking. {@link
 * Node}'s methods are called on the bus's own threads and never block either.
 */
public interface ClusterBus extends AutoCloseable {
  /**
   * Connects and claims the node's id, before the server binds. Blocks the calling thread (the
   * server's constructor) until the bus is ready or has failed.
   *
   * @param node the node the bus serves: its id and where received messages go
   * @throws IllegalStateException if another live node holds the same id, or the bus cannot be
   *     reached; the message says which and what to do
   */
  void start(Node node);

  /**
   * Publishes a message on a channel. Returns at once; a failure that shows only later is
   * reported through {@link Node#publishFailed}.
   *
   * @param channel the channel, e.g. {@code all}, {@code node:chat-1}, {@code group:lobby}
   * @param message the bytes; the bus must not change them
   * @return false if the bus refused the message at once (disconnected, queue full)
   */
  boolean publish(String channel, byte[] message);

  /**
   * Subscribes to a channel, now and after every reconnect, until {@link #unsubscribe}.
   * Idempotent.
   *
   * @param channel the channel
   */
  void subscribe(String channel);

  /**
   * Ends a subscription. Idempotent.
   *
   * @param channel the channel
   */
  void unsubscribe(String channel);

  /**
   * Records that a connection of this node is in a group, with its published attributes
   * (replacing what was recorded before).
   *
   * @param group the group
   * @param member the connection
   * @param attributes its published attributes
   */
  void joined(String group, ConnectionId member, Map<String, String> attributes);

  /**
   * Records that a connection of this node left a group.
   *
   * @param group the group
   * @param member the connection
   */
  void left(String group, ConnectionId member);

  /**
   * Returns a group's members on the live nodes.
   *
   * @param group the group
   * @return completed on a bus thread (the library hands it on to the application from its own
   *     threads), or failed if the store cannot be reached
   */
  CompletableFuture<List<PresenceMember>> members(String group);

  /**
   * Returns the connections of the live nodes, summed.
   *
   * @return completed on a bus thread, or failed if the store cannot be reached
   */
  CompletableFuture<Long> connectionCount();

  /**
   * Withdraws the node (its id, its presence) and disconnects. Blocks the calling thread for at
   * most a few seconds. Idempotent.
   */
  @Override
  void close();

  /**
   * The node a bus serves. Its methods return at once and may be called from any thread.
   */
  interface Node {
    /**
     * Returns the node's id.
     *
     * @return the id, unique among live nodes
     */
    String id();

    /**
     * Returns the node's epoch: new each time a node starts, so a node restarted with its id is
     * told apart from its former self.
     *
     * @return the epoch
     */
    long epoch();

    /**
     * Returns how many connections the node holds now, for the cluster-wide count.
     *
     * @return the count
     */
    int connections();

    /**
     * Hands over a message that arrived on a subscribed channel; queues it and returns.
     *
     * @param channel the channel, as given to {@link #subscribe}
     * @param message the bytes published
     */
    void received(String channel, byte[] message);

    /**
     * Reports that a message accepted by {@link #publish} was not published after all.
     *
     * @param channel the channel
     * @param cause why
     */
    void publishFailed(String channel, Throwable cause);

    /**
     * Reports that the bus lost its link; messages published meanwhile by other nodes may never
     * arrive. Called once per loss.
     *
     * @param why what happened, for the log
     */
    void linkDown(String why);

    /** Reports that the bus has its link again and has subscribed to its channels again. */
    void linkUp();
  }
}
