package io.ebsockets.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ebsockets.EbsocketConnection;
import io.ebsockets.testsupport.RedisServer;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** A node takes part in a room's channel only while the room has members on it. */
class GroupChannelsTest {
  @Test
  void aNodeSubscribesWithTheFirstLocalMemberAndLeavesWithTheLast() throws Exception {
    try (RedisServer redis = RedisServer.start();
        RelayNode node = RelayNode.start(redis.uri(), "solo");
        Peer one = new Peer("one", node.tcp(), null);
        Peer two = new Peer("two", node.ws(), null)) {
      assertThat(subscribers(redis, "ebs:group:lobby")).isZero();
      assertThat(one.id).isNotEqualTo(two.id);
      EbsocketConnection first = node.system().clients().get(0);
      EbsocketConnection second = node.system().clients().get(1);
      node.system().join(first, "lobby");
      node.system().join(second, "lobby");
      await().atMost(Duration.ofSeconds(10)).until(() -> subscribers(redis, "ebs:group:lobby") == 1);
      node.system().leave(first, "lobby");
      assertThat(subscribers(redis, "ebs:group:lobby")).as("one member is left").isEqualTo(1);
      node.system().leave(second, "lobby");
      await().atMost(Duration.ofSeconds(10)).until(() -> subscribers(redis, "ebs:group:lobby") == 0);
    }
  }

  static long subscribers(RedisServer redis, String channel) throws java.io.IOException {
    String[] lines = redis.command("PUBSUB SHARDNUMSUB " + channel).split("\r\n");
    return Long.parseLong(lines[lines.length - 1].substring(1));
  }
}
