package io.ebsockets.examples;

import io.ebsockets.ConnectionId;
import io.ebsockets.EbsocketEvent;
import io.ebsockets.EbsocketServer;
import io.ebsockets.EbsocketSystem;
import io.ebsockets.PresenceMember;
import io.ebsockets.redis.RedisBus;
import java.util.List;

/**
 * The README's tour of a cluster node, runnable: one node on a Redis, each cluster-wide call
 * once, its stats printed, then a clean close (which withdraws the node from Redis).
 *
 * <pre>
 * mvn -q -pl ebsockets-examples -am compile exec:java \
 *     -Dexec.mainClass=io.ebsockets.examples.ClusterTour -Dexec.args="redis://127.0.0.1:6379 0"
 * </pre>
 */
public final class ClusterTour {
  private ClusterTour() {}

  /**
   * Runs the tour.
   *
   * @param args the Redis URI (default {@code redis://127.0.0.1:6379}) and the port (default 0)
   */
  public static void main(String[] args) {
    String redisUri = args.length > 0 ? args[0] : "redis://127.0.0.1:6379";
    int port = args.length > 1 ? Integer.parseInt(args[1]) : 0;
    EbsocketServer server = EbsocketServer.builder()
        .port(port)
        .cluster(RedisBus.create(redisUri))   // rediss://user:secret@host for TLS and an ACL user
        .presenceAttributes("nick")           // what /who shows of members on other nodes
        .build();
    EbsocketSystem system = new EbsocketSystem(server);
    EbsocketEvent hello = new EbsocketEvent("message").with("content", "hello");
    system.sendEventToClients(hello);                            // every client of every node
    system.sendEventToGroup("lobby", hello);                     // the room, wherever its members are
    system.sendEventTo(ConnectionId.parse("node-7/42"), hello);  // one client, on another node
    List<PresenceMember> lobby = system.presence().members("lobby").join();  // cluster-wide
    System.out.println(system.stats().cluster());  // live, published, received, duplicates, gaps
    System.out.println("lobby: " + lobby);
    system.close();
  }
}
