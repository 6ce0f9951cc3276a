package io.ebsockets.netty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ebsockets.CloseReason;
import io.ebsockets.CloseStatus;
import io.ebsockets.EbsocketClient;
import io.ebsockets.EbsocketConnection;
import io.ebsockets.EbsocketEvent;
import io.ebsockets.EbsocketServer;
import io.ebsockets.EbsocketSystem;
import io.ebsockets.PumpResult;
import io.ebsockets.testsupport.PumpRecorder;
import io.ebsockets.testsupport.WireClient;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufAllocatorMetricProvider;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Peers that read too slowly, send too fast, or vanish: only they pay for it.
 *
 * <p>Tagged heavy: these storms run in their own fork with the leak detector sampling ({@code
 * simple}) rather than at {@code paranoid}, which records a stack trace per buffer access.
 */
@Tag("heavy")
class SlowAndFloodingPeersTest {
  private static final Duration WAIT = Duration.ofSeconds(30);

  private final List<AutoCloseable> toClose = new CopyOnWriteArrayList<>();
  private final ExecutorService threads = Executors.newCachedThreadPool();

  @AfterEach
  void closeAll() throws Exception {
    for (AutoCloseable c : toClose) {
      c.close();
    }
    threads.shutdownNow();
  }

  private EbsocketSystem server(EbsocketServer.Builder builder) {
    EbsocketSystem system =
        new EbsocketSystem(builder.host("127.0.0.1").port(0).closeTimeout(Duration.ofMillis(300)).build());
    toClose.add(system);
    return system;
  }

  private EbsocketClient client(EbsocketSystem system) throws IOException {
    EbsocketClient client = EbsocketClient.builder().closeTimeout(Duration.ofMillis(300)).build();
    toClose.add(client);
    client.connectTo(system.server().address());
    return client;
  }

  private static long usedDirectMemory() {
    return ((ByteBufAllocatorMetricProvider) ByteBufAllocator.DEFAULT).metric().usedDirectMemory();
  }

  @Test
  void aClientThatNeverReadsIsDroppedAsASlowConsumerWhileEveryoneElseGetsEverything()
      throws Exception {
    EbsocketSystem system = server(EbsocketServer.builder().maxOutboundBytes(1 << 20));
    PumpRecorder recorder = new PumpRecorder(system);
    List<OrderedReader> readers = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      readers.add(new OrderedReader(client(system), threads));
      recorder.nextClient();
    }
    Socket stalled = new Socket();
    stalled.setReceiveBufferSize(4096);
    stalled.connect(system.server().address());
    toClose.add(stalled);
    EbsocketConnection slow = recorder.nextClient();

    int events = 60_000; // 60 MB of broadcast: an unbounded backlog for the stalled one would show
    String padding = "p".repeat(1000);
    long baseline = usedDirectMemory();
    long peak = baseline;
    for (int n = 0; n < events; n++) {
      system.sendEventToClients(new EbsocketEvent("storm").with("n", n).with("pad", padding));
      if (n % 500 == 499) {
        int sent = n + 1;
        // Pace on the readers that keep up (never on the stalled one).
        await().atMost(WAIT).until(() -> readers.stream().allMatch(r -> r.received.get() >= sent));
        peak = Math.max(peak, usedDirectMemory());
      }
    }

    assertThat(recorder.nextDisconnect()).isSameAs(slow);
    assertThat(slow.closeStatus()).get().extracting(CloseStatus::reason)
        .isEqualTo(CloseReason.SLOW_CONSUMER);
    assertThat(system.sendEventTo(slow, new EbsocketEvent("late"))).isFalse();
    for (OrderedReader reader : readers) {
      assertThat(reader.problems).isEmpty();
      assertThat(reader.received.get()).isEqualTo(events);
    }
    assertThat(system.clients()).hasSize(3);
    // The stalled client's backlog was bounded by its 1 MiB limit, not by the 60 MB sent.
    assertThat(peak - baseline).as("direct memory growth").isLessThan(32L << 20);
  }

  @Test
  void aFloodingClientPausesOnlyItselfAndLosesNothing() throws Exception {
    int allowance = 100;
    EbsocketSystem system =
        server(EbsocketServer.builder().maxQueuedEventsPerConnection(allowance));
    PumpRecorder recorder = new PumpRecorder(system);
    EbsocketClient chatter = client(system);
    EbsocketConnection chatterConnection = recorder.nextClient();

    int flood = 200_000;
    Socket flooder = new Socket();
    flooder.connect(system.server().address());
    toClose.add(flooder);
    recorder.nextClient();
    Future<?> flooding = threads.submit(() -> {
      OutputStream out = flooder.getOutputStream();
      for (int n = 0; n < flood; n++) {
        out.write(WireClient.frame("{\"type\":\"flood\",\"data\":{\"n\":" + n + "}}"));
      }
      out.flush();
      return null;
    });

    int nextFlood = 0;
    int chats = 0;
    int floodAtSend = 0;
    int worstWait = 0;
    chatter.sendEvent(new EbsocketEvent("chat").with("n", 0));
    while (nextFlood < flood || chats < 20) {
      PumpResult result = system.pump(WAIT, 50);
      assertThat(result.isEmpty()).as("the pump stalled").isFalse();
      for (EbsocketEvent event : result.newEvents()) {
        if (event.compareType("flood")) {
          assertThat(event.getInt("n")).isEqualTo(nextFlood++);
        } else {
          assertThat(event.source()).contains(chatterConnection);
          assertThat(event.getInt("n")).isEqualTo(chats++);
          worstWait = Math.max(worstWait, nextFlood - floodAtSend);
          floodAtSend = nextFlood;
          if (chats < 20) {
            chatter.sendEvent(new EbsocketEvent("chat").with("n", chats));
          }
        }
      }
    }
    flooding.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);

    // Each chat message waited behind at most the flooder's allowance plus what one read of
    // the flooder had already decoded, never behind the whole flood.
    assertThat(worstWait).isLessThan(5_000);
    assertThat(nextFlood).isEqualTo(flood);
  }

  @Test
  void aThousandAbruptResetsDoNotCostTenChattersAnything() throws Exception {
    EbsocketSystem system = server(EbsocketServer.builder());
    Future<?> relay = threads.submit(() -> {
      while (!system.isClosed()) {
        for (EbsocketEvent event : system.pump().newEvents()) {
          if (event.compareType("chat")) {
            system.sendEventToClients(event);
          }
        }
      }
    });
    List<EbsocketClient> chatters = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      chatters.add(client(system));
    }
    Future<?> resets = threads.submit(() -> {
      byte[] half = WireClient.frame("{\"type\":\"chat\",\"data\":{\"from\":-1,\"n\":0}}");
      for (int i = 0; i < 1_000; i++) {
        WireClient victim = WireClient.connect(system.server().address());
        if (i % 2 == 0) {
          victim.sendRaw(java.util.Arrays.copyOf(half, 12)); // reset mid-frame
        }
        victim.reset();
      }
      return null;
    });

    int perChatter = 100;
    for (int n = 0; n < perChatter; n++) {
      for (int c = 0; c < chatters.size(); c++) {
        chatters.get(c).sendEvent(new EbsocketEvent("chat").with("from", c).with("n", n));
      }
    }
    resets.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    for (EbsocketClient chatter : chatters) {
      int[] next = new int[chatters.size()];
      for (int i = 0; i < perChatter * chatters.size(); i++) {
        EbsocketEvent event = chatter.recvEvent(WAIT).orElseThrow();
        int from = event.getInt("from");
        assertThat(event.getInt("n")).isEqualTo(next[from]++);
      }
      assertThat(next).containsOnly(perChatter);
      assertThat(chatter.isConnected()).isTrue();
    }
    system.close();
    relay.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
  }

  @Test
  void shutdownUnderLoadDeliversEverySentEventThenTheReason() throws Exception {
    EbsocketSystem system = server(EbsocketServer.builder());
    PumpRecorder recorder = new PumpRecorder(system);
    List<EbsocketClient> clients = new ArrayList<>();
    List<OrderedReader> readers = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      EbsocketClient client = client(system);
      clients.add(client);
      readers.add(new OrderedReader(client, threads));
      recorder.nextClient();
    }
    int sent = 0;
    for (; sent < 20_000; sent++) {
      system.sendEventToClients(new EbsocketEvent("load").with("n", sent));
    }
    system.close();
    assertThat(system.sendEventToClients(new EbsocketEvent("after"))).isZero();

    for (int i = 0; i < clients.size(); i++) {
      EbsocketClient client = clients.get(i);
      await().atMost(WAIT).until(() -> !client.isConnected());
      OrderedReader reader = readers.get(i);
      int expected = sent;
      await().atMost(WAIT).until(() -> reader.received.get() == expected);
      assertThat(reader.problems).isEmpty();
      assertThat(client.closeStatus()).get().extracting(CloseStatus::reason)
          .isEqualTo(CloseReason.SERVER_SHUTDOWN);
    }
  }
}
