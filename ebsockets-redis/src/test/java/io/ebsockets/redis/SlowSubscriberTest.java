package io.ebsockets.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ebsockets.ClusterStats;
import io.ebsockets.EbsocketEvent;
import io.ebsockets.testsupport.RedisServer;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Redis closes a subscriber whose output buffer passes its {@code client-output-buffer-limit
 * pubsub}: here a limit of 4 KiB and one 16 KiB message. The node counts the disconnect and the
 * message it missed, comes back by itself, and delivers what follows.
 */
class SlowSubscriberTest {
  private static final Duration AT_MOST = Duration.ofSeconds(30);

  @Test
  void aSubscriberRedisClosesIsCountedAndComesBackByItself() throws Exception {
    try (RedisServer redis = RedisServer.start(
            "--client-output-buffer-limit", "pubsub", "4kb", "4kb", "0");
        RelayNode a = RelayNode.start(redis.uri(), "a");
        RelayNode b = RelayNode.start(redis.uri(), "b");
        Peer sender = new Peer("sender", a.tcp(), null);
        Peer remote = new Peer("remote", b.tcp(), null)) {
      sender.client.sendEvent(new EbsocketEvent("bcast").with("stream", "s").with("n", 1));
      await().atMost(AT_MOST).until(() -> remote.size("s") == 1);

      sender.client.sendEvent(new EbsocketEvent("bcast").with("stream", "big").with("n", 1)
          .with("pad", "x".repeat(16 * 1024)));
      await().atMost(AT_MOST).until(() -> b.system().stats().cluster().disconnects() >= 1);
      await().atMost(AT_MOST).until(() -> b.system().stats().cluster().live());

      // Once b is back, what a sends reaches it again; the big one is counted as missed.
      int n = 1;
      while (remote.size("s") < 2) {
        int next = ++n;
        sender.client.sendEvent(new EbsocketEvent("bcast").with("stream", "s").with("n", next));
        await().atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(10))
            .until(() -> remote.size("s") >= 2 || sender.size("s") >= next);
      }
      ClusterStats stats = b.system().stats().cluster();
      assertThat(remote.size("big")).isZero();
      assertThat(stats.gaps()).isPositive();
      assertThat(stats.missed()).isPositive();
      assertThat(stats.duplicates()).isZero();
    }
  }
}
