package io.ebsockets.netty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.ebsockets.CloseReason;
import io.ebsockets.ConnectionStats;
import io.ebsockets.EbsocketClient;
import io.ebsockets.EbsocketConnection;
import io.ebsockets.EbsocketEvent;
import io.ebsockets.EbsocketServer;
import io.ebsockets.EbsocketSystem;
import io.ebsockets.EventRouter;
import io.ebsockets.SystemStats;
import io.ebsockets.testsupport.PumpRecorder;
import io.ebsockets.testsupport.WireClient;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Groups, targeted broadcast, connection state, the router and stats, over loopback. */
class RoomsAndRoutingTest {
  private static final Duration WAIT = PumpRecorder.TIMEOUT;

  private EbsocketSystem system;
  private PumpRecorder recorder;
  private final List<EbsocketClient> clients = new ArrayList<>();
  private final List<EbsocketConnection> connections = new ArrayList<>();

  @BeforeEach
  void start() {
    system = new EbsocketSystem(EbsocketServer.builder().host("127.0.0.1").port(0)
        .closeTimeout(Duration.ofMillis(300)).build());
    recorder = new PumpRecorder(system);
  }

  @AfterEach
  void stop() {
    clients.forEach(EbsocketClient::close);
    system.close();
  }

  private void connect(int n) throws IOException {
    for (int i = 0; i < n; i++) {
      EbsocketClient client = EbsocketClient.builder().closeTimeout(Duration.ofMillis(300)).build();
      client.connectTo(system.server().address());
      clients.add(client);
      connections.add(recorder.nextClient());
    }
  }

  private static EbsocketEvent event(String text) {
    return new EbsocketEvent("message").with("content", text);
  }

  /** Sends a marker to everyone and returns, per client, what it received before the marker. */
  private List<List<EbsocketEvent>> receivedBeforeMarker() {
    system.sendEventToClients(new EbsocketEvent("marker"));
    List<List<EbsocketEvent>> got = new ArrayList<>();
    for (EbsocketClient client : clients) {
      List<EbsocketEvent> before = new ArrayList<>();
      while (true) {
        EbsocketEvent e = client.recvEvent(WAIT).orElseThrow();
        if (e.compareType("marker")) {
          break;
        }
        before.add(e);
      }
      got.add(before);
    }
    return got;
  }

  @Test
  void groupMembershipStaysConsistentUnderConcurrentJoinsAndLeavesAndGroupSendsReachMembersOnly()
      throws Exception {
    connect(12);
    List<String> rooms = List.of("a", "b", "c");
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      CountDownLatch go = new CountDownLatch(1);
      List<Future<?>> work = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        work.add(pool.submit(() -> {
          go.await();
          ThreadLocalRandom random = ThreadLocalRandom.current();
          for (int i = 0; i < 5_000; i++) {
            EbsocketConnection c = connections.get(random.nextInt(connections.size()));
            String room = rooms.get(random.nextInt(rooms.size()));
            if (random.nextBoolean()) {
              system.join(c, room);
            } else {
              system.leave(c, room);
            }
          }
          return null;
        }));
      }
      go.countDown();
      for (Future<?> f : work) {
        f.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
      }
    } finally {
      pool.shutdownNow();
    }

    for (EbsocketConnection c : connections) {
      Set<String> expected = new HashSet<>();
      for (String room : rooms) {
        if (system.members(room).contains(c)) {
          expected.add(room);
        }
      }
      assertThat(system.groupsOf(c)).isEqualTo(expected);
    }
    Set<EbsocketConnection> inA = system.members("a");
    int sent = system.sendEventToGroup("a", event("to a"));
    assertThat(sent).isEqualTo(inA.size());
    List<List<EbsocketEvent>> got = receivedBeforeMarker();
    for (int i = 0; i < clients.size(); i++) {
      assertThat(got.get(i))
          .isEqualTo(inA.contains(connections.get(i)) ? List.of(event("to a")) : List.of());
    }
  }

  @Test
  void aClientThatDisconnectsLeavesEveryGroupAndCannotRejoin() throws IOException {
    connect(2);
    EbsocketConnection leaving = connections.get(0);
    system.join(leaving, "a");
    system.join(leaving, "b");
    system.join(connections.get(1), "b");
    assertThat(system.groups()).containsExactlyInAnyOrder("a", "b");

    clients.get(0).close();
    assertThat(recorder.nextDisconnect()).isSameAs(leaving);

    assertThat(system.members("a")).isEmpty();
    assertThat(system.members("b")).containsExactly(connections.get(1));
    assertThat(system.groups()).containsExactly("b");
    assertThat(system.groupsOf(leaving)).isEmpty();
    assertThat(system.join(leaving, "a")).isFalse();
    assertThat(system.sendEventToGroup("a", event("nobody"))).isZero();
  }

  @Test
  void groupSendsCanLeaveTheSenderOut() throws IOException {
    connect(3);
    connections.forEach(c -> system.join(c, "room"));

    assertThat(system.sendEventToGroup("room", event("not to 0"), connections.get(0))).isEqualTo(2);
    assertThat(receivedBeforeMarker())
        .containsExactly(List.of(), List.of(event("not to 0")), List.of(event("not to 0")));
  }

  @Test
  void broadcastCanLeaveOneClientOutOrChooseByAttribute() throws IOException {
    connect(3);
    connections.get(0).setAttribute("team", "red");
    connections.get(2).setAttribute("team", "red");
    connections.get(1).setAttribute("team", "blue");

    assertThat(system.sendEventToClients(event("all but 1"), connections.get(1))).isEqualTo(2);
    assertThat(system.sendEventToClients(event("red"),
        c -> "red".equals(c.attribute("team")))).isEqualTo(2);
    assertThat(receivedBeforeMarker()).containsExactly(
        List.of(event("all but 1"), event("red")),
        List.of(),
        List.of(event("all but 1"), event("red")));
  }

  @Test
  void attributesAreSafeFromManyThreadsAndTypedReadsNameTheKey() throws Exception {
    connect(1);
    EbsocketConnection c = connections.get(0);
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<?>> work = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        int thread = t;
        work.add(pool.submit(() -> {
          for (int i = 0; i < 1_000; i++) {
            c.setAttribute("k" + thread + "-" + i, i);
          }
        }));
      }
      for (Future<?> f : work) {
        f.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(c.attributes()).hasSize(4_000);
    c.setAttribute("nick", "alice");
    assertThat(c.attribute("nick", String.class)).contains("alice");
    assertThat(c.setAttribute("nick", null)).isEqualTo("alice");
    assertThat(c.attribute("nick")).isNull();
    c.setAttribute("age", 3);
    assertThatThrownBy(() -> c.attribute("age", String.class))
        .isInstanceOf(ClassCastException.class)
        .hasMessageContaining("attribute 'age'")
        .hasMessageContaining("expected: java.lang.String");
  }

  @Test
  void theRouterDispatchesInPumpOrderOnThePumpingThreadWithAFallback() throws IOException {
    List<String> calls = new ArrayList<>();
    Thread pumping = Thread.currentThread();
    EventRouter router = EventRouter.builder()
        .onConnect(c -> calls.add("connect #" + c.id()))
        .on("message", (from, e) -> {
          assertThat(Thread.currentThread()).isSameAs(pumping);
          calls.add("message " + e.getString("content") + " from #" + from.id());
        })
        .on("move", (from, e) -> calls.add("move " + e.getInt("x")))
        .otherwise((from, e) -> calls.add("unknown " + e.type()))
        .onDisconnect(c -> calls.add("disconnect #" + c.id() + " " + c.closeStatus().orElseThrow()))
        .build();
    EbsocketClient client = EbsocketClient.builder().build();
    client.connectTo(system.server().address());
    client.sendEvent(event("hi"));
    client.sendEvent(new EbsocketEvent("zzz"));
    client.sendEvent(new EbsocketEvent("move").with("x", 3));
    client.close();

    while (calls.stream().noneMatch(s -> s.startsWith("disconnect"))) {
      router.dispatch(system.pump(WAIT));
    }
    long id = calls.isEmpty() ? -1 : Long.parseLong(calls.get(0).substring("connect #".length()));
    assertThat(calls).containsExactly(
        "connect #" + id,
        "message hi from #" + id,
        "unknown zzz",
        "move 3",
        "disconnect #" + id + " client_closed");
    assertThatThrownBy(() -> EventRouter.builder().on("a", (f, e) -> {}).on("a", (f, e) -> {}))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("type 'a' already has a handler");
  }

  @Test
  void statsCountAScriptedScenario() throws IOException {
    connect(2);
    EbsocketClient talker = clients.get(0);
    for (int i = 0; i < 3; i++) {
      talker.sendEvent(event("t" + i));
    }
    for (int i = 0; i < 3; i++) {
      recorder.nextEvent();
    }
    system.sendEventToClients(event("b1"));
    system.sendEventToClients(event("b2"));
    WireClient bad = WireClient.connect(system.server().address());
    recorder.nextClient();
    bad.sendFrame("[]");
    recorder.nextDisconnect();
    bad.close();
    clients.get(1).close();
    recorder.nextDisconnect();
    for (int i = 0; i < 2; i++) {
      assertThat(talker.recvEvent(WAIT)).isPresent();
    }

    SystemStats stats = system.stats();
    assertThat(stats.connections()).isEqualTo(1);
    assertThat(stats.peakConnections()).isEqualTo(3);
    assertThat(stats.accepted()).isEqualTo(3);
    assertThat(stats.disconnectedByReason())
        .containsOnly(
            java.util.Map.entry(CloseReason.PROTOCOL_ERROR, 1L),
            java.util.Map.entry(CloseReason.CLIENT_CLOSED, 1L));
    assertThat(stats.protocolErrors()).isEqualTo(1);
    assertThat(stats.slowConsumerDrops()).isZero();
    assertThat(stats.eventsIn()).isEqualTo(3);
    assertThat(stats.bytesIn()).isEqualTo(3L * "{\"type\":\"message\",\"data\":{\"content\":\"t0\"}}".length());
    assertThat(stats.eventsOut()).isEqualTo(4); // two broadcasts to two clients
    assertThat(stats.bytesOut()).isEqualTo(4L * (4 + "{\"type\":\"message\",\"data\":{\"content\":\"b1\"}}".length()));
    assertThat(stats.queuedEvents()).isZero();

    ConnectionStats talkerStats = connections.get(0).stats();
    assertThat(talkerStats.eventsIn()).isEqualTo(3);
    assertThat(talkerStats.eventsOut()).isEqualTo(2);
    await().atMost(WAIT).until(() -> connections.get(0).stats().queuedOutboundBytes() == 0);
    assertThat(talkerStats.bytesOut()).isGreaterThan(0);
    assertThat(talkerStats.bytesIn()).isGreaterThan(3L * 40);
    assertThat(talkerStats.lastActivity()).isAfterOrEqualTo(talkerStats.connectedSince());
    assertThat(connections.get(0).connectedSince()).isEqualTo(talkerStats.connectedSince());
  }
}
