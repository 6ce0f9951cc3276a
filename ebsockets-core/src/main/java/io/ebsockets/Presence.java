package io.ebsockets;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Who is where, over every node of a cluster: the members of a group with the attributes the
 * application publishes, and the number of connections. On a single node the answers come from
 * this node at once; on a cluster they come from the bus's store, so they may lag the truth by
 * the bus's stated bound (a dead node's members vanish within its node timeout; see
 * docs/SCALING.md). Obtained from {@link EbsocketSystem#presence()}.
 *
 * <p><b>Threads.</b> Safe from any thread; never blocks. The futures complete on one of the
 * library's callback threads (or at once, on a single node), never on a bus or I/O thread: a
 * callback may send, as a chat's {@code /who} does; long blocking work belongs on an executor
 * of your own.
 */
public interface Presence {
  /**
   * Returns the members of a group on every node, in no particular order.
   *
   * @param group the group's name
   * @return completed with the members, or failed if the bus cannot be asked now
   */
  CompletableFuture<List<PresenceMember>> members(String group);

  /**
   * Returns how many connections the live nodes hold together (each node's count as of its last
   * heartbeat).
   *
   * @return completed with the count, or failed if the bus cannot be asked now
   */
  CompletableFuture<Long> connectionCount();
}
