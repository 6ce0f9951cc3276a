package io.ebsockets.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.ebsockets.testsupport.RedisServer;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Presence answers complete on the library's callback threads, never on Lettuce's: a callback
 * that sends (and may wait on the write backlog), as a chat's /who does, must not hold the bus.
 */
class PresenceThreadsTest {
  @Test
  void presenceFuturesCompleteOnACallbackThreadNotOnTheBus() throws Exception {
    try (RedisServer redis = RedisServer.start();
        RelayNode node = RelayNode.start(redis.uri(), "threads")) {
      // Redis holds every command for 500 ms, so each answer comes long after the callback was
      // attached: it then runs where the future completes. (Attached to a future completed
      // already, a callback runs on the attaching thread, "main", whoever completed it.)
      assertThat(redis.command("CLIENT PAUSE 500")).startsWith("+OK");
      String members = node.system().presence().members("lobby")
          .thenApply(m -> Thread.currentThread().getName()).get(10, TimeUnit.SECONDS);
      assertThat(redis.command("CLIENT PAUSE 500")).startsWith("+OK");
      String count = node.system().presence().connectionCount()
          .thenApply(c -> Thread.currentThread().getName()).get(10, TimeUnit.SECONDS);
      assertThat(members).startsWith("ebsockets-callback-");
      assertThat(count).startsWith("ebsockets-callback-");
    }
  }
}
