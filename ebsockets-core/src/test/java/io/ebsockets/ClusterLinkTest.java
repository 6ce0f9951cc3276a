package io.ebsockets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ebsockets.spi.ClusterBus;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The link's promises with a bus of the test's own that hands over what the test says: what
 * another node's messages become here (delivered, dropped as duplicates, counted as gaps), that
 * a node skips its own, that a full queue drops and counts rather than blocking the bus, and
 * that liveness is the probe's round trip.
 */
class ClusterLinkTest {
  private static final Duration AT_MOST = Duration.ofSeconds(10);
  private final TestBus bus = new TestBus();
  private final List<String> delivered = new CopyOnWriteArrayList<>();
  private final CountDownLatch release = new CountDownLatch(1);
  private volatile boolean holdDelivery;
  private ClusterLink link;

  @AfterEach
  void close() {
    release.countDown();
    if (link != null) {
      link.close();
    }
  }

  private void start() {
    link = ClusterLink.claim(bus, "here", List.of(), () -> 0);
    link.begin(new ClusterLink.LocalSends() {
      @Override
      public void toAllHere(EbsocketEvent event) {
        if (holdDelivery) {
          try {
            release.await(10, TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        }
        delivered.add(event.getString("n"));
      }

      @Override
      public void toGroupHere(String group, EbsocketEvent event) {
        delivered.add(group + ":" + event.getString("n"));
      }

      @Override
      public void toOneHere(long localId, EbsocketEvent event) {
        delivered.add(localId + ":" + event.getString("n"));
      }
    }, new Groups());
  }

  private static byte[] from(String node, long epoch, long seq, long target) {
    return BusEnvelope.encode(BusEnvelope.EVENT, node, epoch, seq, target,
        new EbsocketEvent("m").with("n", node + seq));
  }

  @Test
  void anotherNodesMessagesAreDeliveredOnceAndGapsCounted() {
    start();
    link.received("all", from("there", 5, 1, -1));
    link.received("all", from("there", 5, 2, -1));
    link.received("all", from("there", 5, 2, -1)); // replayed after a reconnect
    link.received("all", from("there", 5, 6, -1)); // 3, 4 and 5 never came
    link.received("node:here", from("there", 5, 1, 42));
    await().atMost(AT_MOST).until(() -> delivered.size() == 4);
    assertThat(delivered).containsExactly("there1", "there2", "there6", "42:there1");
    ClusterStats stats = link.stats();
    assertThat(stats.received()).isEqualTo(4);
    assertThat(stats.duplicates()).isEqualTo(1);
    assertThat(stats.gaps()).isEqualTo(1);
    assertThat(stats.missed()).isEqualTo(3);
  }

  @Test
  void aNodeSkipsItsOwnMessagesAndPublishesEachSendOnceNumberedPerChannel() {
    start();
    link.publishToAll(new EbsocketEvent("m").with("n", "a"));
    link.publishToAll(new EbsocketEvent("m").with("n", "b"));
    link.publishToGroup("lobby", new EbsocketEvent("m").with("n", "c"));
    List<String> stamps = bus.published.stream()
        .filter(p -> !p.channel.equals("node:here"))
        .map(p -> p.channel + " " + BusEnvelope.decode(p.message).seq()).toList();
    assertThat(stamps).containsExactly("all 1", "all 2", "group:lobby 1");
    for (TestBus.Published p : bus.published) {
      link.received(p.channel, p.message);
    }
    link.received("all", from("there", 1, 1, -1));
    await().atMost(AT_MOST).until(() -> delivered.size() == 1);
    assertThat(delivered).containsExactly("there1");
  }

  @Test
  void aFullQueueDropsAndCountsInsteadOfHoldingTheBusThread() {
    holdDelivery = true;
    start();
    link.received("all", from("there", 1, 1, -1));
    await().atMost(AT_MOST).until(() -> link.stats().received() == 1); // the thread now waits
    for (int i = 0; i < ClusterLink.MAX_QUEUED_MESSAGES + 10; i++) {
      link.received("all", from("there", 1, i + 2, -1));
    }
    assertThat(link.stats().overflowed()).isEqualTo(10);
    release.countDown();
    await().atMost(AT_MOST).until(() -> delivered.size() == ClusterLink.MAX_QUEUED_MESSAGES + 1);
    link.received("all", from("there", 1, ClusterLink.MAX_QUEUED_MESSAGES + 12, -1));
    await().atMost(AT_MOST).until(() -> delivered.size() == ClusterLink.MAX_QUEUED_MESSAGES + 2);
    assertThat(link.stats().gaps()).isEqualTo(1);
    assertThat(link.stats().missed()).isEqualTo(10);
  }

  @Test
  void theLinkIsLiveOnlyWhileItsProbeComesBackThroughTheBus() {
    start();
    await().atMost(AT_MOST).until(() -> link.stats().live());
    link.linkDown("test");
    assertThat(link.stats().live()).isFalse();
    assertThat(link.stats().disconnects()).isEqualTo(1);
    link.linkUp();
    assertThat(link.stats().live()).isTrue();
    bus.echo = false; // the subscription died quietly: the socket says nothing
    await().atMost(AT_MOST).until(() -> !link.stats().live());
  }

  /** A bus that records what is published and, if asked, hands a node's own channel back. */
  private static final class TestBus implements ClusterBus {
    static final class Published {
      final String channel;
      final byte[] message;

      Published(String channel, byte[] message) {
        this.channel = channel;
        this.message = message;
      }
    }

    final List<Published> published = new CopyOnWriteArrayList<>();
    volatile boolean echo = true;
    private Node node;

    @Override
    public void start(Node node) {
      this.node = node;
    }

    @Override
    public boolean publish(String channel, byte[] message) {
      published.add(new Published(channel, message));
      if (echo && channel.equals("node:" + node.id())) {
        node.received(channel, message);
      }
      return true;
    }

    @Override
    public void subscribe(String channel) {}

    @Override
    public void unsubscribe(String channel) {}

    @Override
    public void joined(String group, ConnectionId member, Map<String, String> attributes) {}

    @Override
    public void left(String group, ConnectionId member) {}

    @Override
    public CompletableFuture<List<PresenceMember>> members(String group) {
      return CompletableFuture.completedFuture(List.of());
    }

    @Override
    public CompletableFuture<Long> connectionCount() {
      return CompletableFuture.completedFuture(0L);
    }

    @Override
    public void close() {}
  }
}
