package io.ebsockets.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.ebsockets.EbsocketServer;
import io.ebsockets.testsupport.RedisServer;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Node ids: unique by default, an explicit one held by a live node refused, a restart a new epoch. */
class NodeIdTest {
  private static final Duration AT_MOST = Duration.ofSeconds(30);

  @Test
  void twoNodesStartedAlikeGetIdsOfTheirOwn() throws Exception {
    try (RedisServer redis = RedisServer.start();
        RelayNode one = RelayNode.start(redis.uri(), null);
        RelayNode two = RelayNode.start(redis.uri(), null)) {
      assertThat(one.system().nodeId()).isNotEqualTo(two.system().nodeId()).startsWith("node-");
      assertThat(one.system().stats().cluster().clustered()).isTrue();
    }
  }

  @Test
  void anIdHeldByALiveNodeIsRefusedWithAClearError() throws Exception {
    try (RedisServer redis = RedisServer.start();
        RelayNode first = RelayNode.start(redis.uri(), "twin")) {
      assertThatThrownBy(() -> RelayNode.start(redis.uri(), "twin"))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("node id 'twin' is held by another live node")
          .hasMessageContaining("give each node its own");
      // The refusal left the holder alone: its probe still comes back through the bus.
      await().atMost(AT_MOST).until(() -> first.system().stats().cluster().live());
    }
  }

  @Test
  void aNodeRestartedWithItsIdStartsANewEpochThatOthersDoNotTakeForDuplicates() throws Exception {
    try (RedisServer redis = RedisServer.start();
        RelayNode other = RelayNode.start(redis.uri(), "other");
        Peer listener = new Peer("listener", other.tcp(), null)) {
      try (RelayNode first = RelayNode.start(redis.uri(), "phoenix");
          Peer talker = new Peer("talker", first.tcp(), null)) {
        talker.send("bcast", "before", 50, Map.of());
        await().atMost(AT_MOST).until(() -> listener.size("before") == 50);
      }
      try (RelayNode again = RelayNode.start(redis.uri(), "phoenix");
          Peer talker = new Peer("talker", again.ws(), null)) {
        talker.send("bcast", "after", 20, Map.of());
        await().atMost(AT_MOST).until(() -> listener.size("after") == 20);
        assertThat(listener.stream("after")).isEqualTo(Peer.oneTo(20));
        assertThat(other.system().stats().cluster().duplicates()).isZero();
        assertThat(other.system().stats().cluster().gaps()).isZero();
      }
    }
  }

  @Test
  void aRedisThatCannotBeReachedStopsTheServerFromStartingWithTheAddress() {
    assertThatThrownBy(() -> EbsocketServer.builder().port(0)
            .cluster(RedisBus.create("redis://127.0.0.1:1")).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("cannot reach Redis at redis://127.0.0.1:1");
  }

  @Test
  void aUriThatIsNotRedisIsRefused() {
    assertThatThrownBy(() -> RedisBus.create("http://127.0.0.1:6379"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("uri: 'http://127.0.0.1:6379' (expected: redis://host:port or rediss://host:port)");
  }
}
