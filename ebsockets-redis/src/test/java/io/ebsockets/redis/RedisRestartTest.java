package io.ebsockets.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ebsockets.ClusterStats;
import io.ebsockets.EbsocketEvent;
import io.ebsockets.testsupport.RedisServer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Redis killed and started again while one node broadcasts a numbered stream: the other node's
 * client loses only what was sent while Redis was away, every loss is counted, nothing arrives
 * twice or out of order, and delivery resumes by itself.
 */
class RedisRestartTest {
  private static final Duration AT_MOST = Duration.ofSeconds(30);

  @Test
  void aRestartLosesOnlyWhatWasSentWhileDownCountedWithoutDuplicatesAndResumes() throws Exception {
    try (RedisServer redis = RedisServer.start();
        RelayNode a = RelayNode.start(redis.uri(), "a");
        RelayNode b = RelayNode.start(redis.uri(), "b");
        Peer sender = new Peer("sender", a.tcp(), null);
        Peer remote = new Peer("remote", b.ws(), null)) {
      AtomicInteger sent = new AtomicInteger();
      ScheduledExecutorService pace = Executors.newSingleThreadScheduledExecutor();
      try {
        pace.scheduleAtFixedRate(() -> sender.client.sendEvent(new EbsocketEvent("bcast")
            .with("stream", "s").with("n", sent.incrementAndGet())), 0, 2, TimeUnit.MILLISECONDS);
        await().atMost(AT_MOST).until(() -> remote.size("s") >= 200);

        redis.kill();
        await().atMost(AT_MOST).until(() -> !a.system().stats().cluster().live()
            && !b.system().stats().cluster().live());
        assertThat(b.system().health().busConnected()).isFalse(); // a balancer sees 503
        assertThat(b.system().health().ok()).isFalse();
        int atKill = sent.get();
        await().atMost(AT_MOST).until(() -> sent.get() >= atKill + 200);
        redis.restart();
        await().atMost(AT_MOST).until(() -> a.system().stats().cluster().live()
            && b.system().stats().cluster().live());
        assertThat(b.system().health().ok()).isTrue();
        int atRestart = sent.get();
        await().atMost(AT_MOST).until(() -> remote.size("s") > 0
            && last(remote.stream("s")) >= atRestart + 200);
      } finally {
        pace.shutdownNow();
        pace.awaitTermination(5, TimeUnit.SECONDS);
      }
      int total = sent.get();
      await().atMost(AT_MOST).until(() -> sender.size("s") == total
          && last(remote.stream("s")) == total);

      List<Integer> got = remote.stream("s");
      for (int i = 1; i < got.size(); i++) {
        assertThat(got.get(i)).as("in order, no duplicate at %d", i).isGreaterThan(got.get(i - 1));
      }
      long lost = (long) total - got.size();
      ClusterStats at = b.system().stats().cluster();
      ClusterStats from = a.system().stats().cluster();
      System.out.printf("sent %d, remote got %d, lost %d; b: gaps %d missed %d duplicates %d"
              + " disconnects %d; a: publishFailed %d disconnects %d%n", total, got.size(), lost,
          at.gaps(), at.missed(), at.duplicates(), at.disconnects(), from.publishFailed(),
          from.disconnects());
      assertThat(lost).as("something was sent while Redis was down").isPositive();
      assertThat(at.missed()).as("every loss counted by the receiver").isEqualTo(lost);
      assertThat(at.gaps()).isPositive();
      assertThat(at.disconnects()).isPositive();
      assertThat(from.disconnects()).isPositive();
      assertThat(sender.stream("s")).as("local delivery went on throughout")
          .isEqualTo(Peer.oneTo(total));
    }
  }

  private static int last(List<Integer> list) {
    return list.isEmpty() ? 0 : list.get(list.size() - 1);
  }
}
