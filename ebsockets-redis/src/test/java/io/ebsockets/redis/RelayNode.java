package io.ebsockets.redis;

import io.ebsockets.ConnectionId;
import io.ebsockets.EbsocketEvent;
import io.ebsockets.EbsocketServer;
import io.ebsockets.EbsocketSystem;
import io.ebsockets.Listener;
import io.ebsockets.PresenceMember;
import io.ebsockets.PumpResult;
import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;

/**
 * One node of a test cluster: a TCP and a WebSocket door, a Redis bus, and a pump loop that does
 * what its clients ask. Runs in the test's JVM ({@link #start}) or in one of its own ({@link
 * #main}, which prints {@code READY <tcp> <ws> <node>} once it listens).
 *
 * <pre>
 *   join {room}          join a room                 bcast {...}   to every client of every node
 *   room {room, ...}     to a room on every node     to {target}   to one connection, any node
 *   whoami (request)     answered with {id}          who {room} (request)   answered with {ids}
 * </pre>
 * What is relayed arrives as a {@code msg} event with the data sent.
 */
final class RelayNode implements AutoCloseable {
  private final EbsocketSystem system;
  private final Thread pump;

  private RelayNode(EbsocketServer server) {
    this.system = new EbsocketSystem(server);
    this.pump = new Thread(this::run, "relay-" + system.nodeId());
    pump.setDaemon(true);
    pump.start();
  }

  static RelayNode start(String redisUri, String nodeId) {
    return start(redisUri, nodeId, 0, 0, b -> { });
  }

  /**
   * A node on given ports (0: any), with more settings of the caller's (a lame duck, hints).
   */
  static RelayNode start(String redisUri, String nodeId, int tcpPort, int wsPort,
      java.util.function.Consumer<EbsocketServer.Builder> more) {
    EbsocketServer.Builder b = EbsocketServer.builder()
        .listen(Listener.tcp("127.0.0.1", tcpPort))
        .listen(Listener.webSocket("127.0.0.1", wsPort, "/ebs"))
        .cluster(RedisBus.builder(redisUri)
            .heartbeat(java.time.Duration.ofMillis(500))
            .nodeTimeout(java.time.Duration.ofSeconds(3))
            .build())
        .presenceAttributes("name");
    if (nodeId != null) {
      b.nodeId(nodeId);
    }
    more.accept(b);
    return new RelayNode(b.build());
  }

  EbsocketSystem system() {
    return system;
  }

  URI tcp() {
    return system.server().uris().get(0);
  }

  URI ws() {
    return system.server().uris().get(1);
  }

  private void run() {
    while (!system.isClosed()) {
      PumpResult r = system.pump(java.time.Duration.ofMillis(200));
      for (EbsocketEvent e : r.newEvents()) {
        handle(e);
      }
    }
  }

  private void handle(EbsocketEvent e) {
    EbsocketEvent msg = new EbsocketEvent("msg", e.data());
    switch (e.type()) {
      case "join" -> {
        e.source().get().setAttribute("name", e.getString("name"));
        system.join(e.source().get(), e.getString("room"));
        if (e.isRequest()) {
          system.reply(e, new EbsocketEvent("joined"));
        }
      }
      case "bcast" -> system.sendEventToClients(msg);
      case "room" -> system.sendEventToGroup(e.getString("room"), msg);
      case "to" -> system.sendEventTo(ConnectionId.parse(e.getString("target")), msg);
      case "whoami" -> system.reply(
          e, new EbsocketEvent("id").with("id", e.source().get().connectionId().toString()));
      case "who" -> system.presence().members(e.getString("room")).thenAccept(members -> {
        List<String> ids = new ArrayList<>();
        for (PresenceMember m : members) {
          ids.add(m.id() + "=" + m.attributes().getOrDefault("name", ""));
        }
        system.reply(e, new EbsocketEvent("who").with("ids", ids));
      });
      default -> { }
    }
  }

  @Override
  public void close() {
    system.close();
  }

  /** A node in a JVM of its own: args are the Redis URI and, optionally, the node id. */
  public static void main(String[] args) throws IOException {
    RelayNode node = start(args[0], args.length > 1 ? args[1] : null);
    System.out.println("READY " + node.tcp() + " " + node.ws() + " " + node.system.nodeId());
    System.out.flush();
    // Runs until stdin closes (the test ends) or the process is killed.
    while (System.in.read() >= 0) {
      // nothing to read
    }
    node.close();
  }
}
