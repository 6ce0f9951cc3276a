package io.ebsockets.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.ebsockets.testsupport.RedisServer;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A Redis that wants a password, or an ACL user: the URI's credentials are used. */
class RedisAuthTest {
  @Test
  void aPasswordAndAnAclUserFromTheUriAreUsed() throws Exception {
    try (RedisServer redis = RedisServer.start(
        "--requirepass", "s3cret", "--user", "ebs", "on", ">pw", "~*", "&*", "+@all")) {
      String port = Integer.toString(redis.port());
      try (RelayNode withPassword = RelayNode.start("redis://:s3cret@127.0.0.1:" + port, "p");
          RelayNode withUser = RelayNode.start("redis://ebs:pw@127.0.0.1:" + port, "u");
          Peer there = new Peer("there", withUser.tcp(), null);
          Peer here = new Peer("here", withPassword.tcp(), null)) {
        here.send("bcast", "hello", 10, Map.of());
        await().atMost(Duration.ofSeconds(30)).until(() -> there.size("hello") == 10);
        assertThat(there.stream("hello")).isEqualTo(Peer.oneTo(10));
      }
      assertThatThrownBy(() -> RelayNode.start("redis://ebs:wrong@127.0.0.1:" + port, "w"))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("cannot reach Redis at redis://127.0.0.1:" + port)
          .hasMessageContaining("WRONGPASS");
    }
  }
}
