package io.ebsockets.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ebsockets.ClientPumpResult;
import io.ebsockets.ConnectionChange;
import io.ebsockets.EbsocketClient;
import io.ebsockets.EbsocketEvent;
import io.ebsockets.ReconnectPolicy;
import io.ebsockets.testsupport.RedisServer;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A rolling restart of one node of two while six clients chat: node a shuts down with a lame-duck
 * period and comes back on the same ports; its clients, given both nodes as endpoints, fail
 * over and come back to either node, and every event any client sends after they are all back
 * reaches every client exactly once, in order.
 */
class RollingRestartTest {
  private static final Duration AT_MOST = Duration.ofSeconds(60);
  private static final int AFTER = 100;

  @Test
  void clientsOfTheRestartedNodeComeBackAndNothingSentAfterwardsIsLost() throws Exception {
    List<Chatter> chatters = new ArrayList<>();
    ScheduledExecutorService chat = Executors.newSingleThreadScheduledExecutor();
    try (RedisServer redis = RedisServer.start();
        RelayNode b = RelayNode.start(redis.uri(), "b", 0, 0, RollingRestartTest::rolling)) {
      RelayNode a = RelayNode.start(redis.uri(), "a", 0, 0, RollingRestartTest::rolling);
      URI aWs = a.ws();
      URI aTcp = a.tcp();
      RelayNode restarted = null;
      try {
        for (int i = 0; i < 6; i++) {
          List<URI> endpoints = i < 3 ? List.of(aWs, b.ws()) : List.of(b.tcp(), aTcp);
          chatters.add(new Chatter("c" + i, endpoints));
        }
        await().atMost(AT_MOST).until(() -> a.system().clients().size() == 3
            && b.system().clients().size() == 3);
        chat.scheduleAtFixedRate(() -> chatters.forEach(Chatter::say), 0, 10,
            TimeUnit.MILLISECONDS);
        await().atMost(AT_MOST).until(() -> chatters.get(5).size("c0") >= 20);

        a.close(); // a lame duck of one second, then the drain
        restarted = RelayNode.start(redis.uri(), "a", aTcp.getPort(), aWs.getPort(),
            RollingRestartTest::rolling);
        for (Chatter c : chatters.subList(0, 3)) {
          await().atMost(AT_MOST).until(() -> c.reconnects.get() >= 1);
        }
        Map<String, Integer> base = new ConcurrentHashMap<>();
        chatters.forEach(c -> base.put(c.name, c.sent.get()));
        RelayNode again = restarted;
        await().atMost(AT_MOST).until(() -> b.system().clients().size()
            + again.system().clients().size() == 6);
        await().atMost(AT_MOST).until(
            () -> chatters.stream().allMatch(c -> c.sent.get() >= base.get(c.name) + AFTER));
        chat.shutdown();
        assertThat(chat.awaitTermination(10, TimeUnit.SECONDS)).isTrue();

        for (Chatter receiver : chatters) {
          for (Chatter sender : chatters) {
            int from = base.get(sender.name);
            int last = sender.sent.get();
            await().atMost(AT_MOST).until(() -> receiver.tail(sender.name, from).size()
                == last - from);
            assertThat(receiver.tail(sender.name, from))
                .as("%s's events after the restart, at %s", sender.name, receiver.name)
                .isEqualTo(range(from + 1, last));
          }
        }
        for (Chatter c : chatters.subList(0, 3)) {
          assertThat(c.lost.get(0).status().orElseThrow().reason().wireName())
              .isEqualTo("server_shutdown");
        }
      } finally {
        chat.shutdownNow();
        for (Chatter c : chatters) {
          c.close();
        }
        a.close();
        if (restarted != null) {
          restarted.close();
        }
      }
    }
  }

  private static void rolling(io.ebsockets.EbsocketServer.Builder b) {
    b.lameDuck(Duration.ofSeconds(1)).retryAfter(Duration.ofMillis(200))
        .closeTimeout(Duration.ofMillis(300));
  }

  private static List<Integer> range(int first, int last) {
    List<Integer> l = new ArrayList<>();
    for (int i = first; i <= last; i++) {
      l.add(i);
    }
    return l;
  }

  /** A reconnecting client that says a numbered line every tick and records what it hears. */
  private static final class Chatter {
    final String name;
    final EbsocketClient client = EbsocketClient.builder()
        .reconnect(ReconnectPolicy.builder().initialDelay(Duration.ofMillis(50))
            .maxDelay(Duration.ofMillis(500)).offlineBufferEvents(10_000).build())
        .build();
    final AtomicInteger sent = new AtomicInteger();
    final AtomicInteger reconnects = new AtomicInteger();
    final List<ConnectionChange> lost = new CopyOnWriteArrayList<>();
    private volatile boolean stopped;
    private final Map<String, List<Integer>> heard = new ConcurrentHashMap<>();

    Chatter(String name, List<URI> endpoints) throws Exception {
      this.name = name;
      client.connectTo(endpoints);
      Thread pump = new Thread(this::run, "chatter-" + name);
      pump.setDaemon(true);
      pump.start();
    }

    void say() {
      client.sendEvent(new EbsocketEvent("bcast").with("stream", name)
          .with("n", sent.incrementAndGet()));
    }

    private void run() {
      while (!stopped) {
        ClientPumpResult r = client.pump(Duration.ofMillis(100));
        for (EbsocketEvent e : r.events()) {
          heard.computeIfAbsent(e.getString("stream"), s -> new CopyOnWriteArrayList<>())
              .add(e.getInt("n"));
        }
        for (ConnectionChange change : r.connectionChanges()) {
          if (change.kind() == ConnectionChange.Kind.DISCONNECTED) {
            lost.add(change);
          } else {
            reconnects.incrementAndGet();
          }
        }
      }
    }

    void close() {
      stopped = true;
      client.close();
    }

    int size(String stream) {
      return heard.getOrDefault(stream, List.of()).size();
    }

    /** What was heard of a stream after {@code from}: its events numbered above it. */
    List<Integer> tail(String stream, int from) {
      List<Integer> all = heard.getOrDefault(stream, List.of());
      List<Integer> tail = new ArrayList<>();
      for (int n : all) {
        if (n > from) {
          tail.add(n);
        }
      }
      return tail;
    }
  }
}
