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
      String members = node.system().presence().members("lobby")
          .thenApply(m -> Thread.currentThread().getName()).get(10, TimeUnit.SECONDS);
      String count = node.system().presence().connectionCount()
          .thenApply(c -> Thread.currentThread().getName()).get(10, TimeUnit.SECONDS);
      assertThat(members).startsWith("ebsockets-callback-");
      assertThat(count).startsWith("ebsockets-callback-");
    }
  }
}
