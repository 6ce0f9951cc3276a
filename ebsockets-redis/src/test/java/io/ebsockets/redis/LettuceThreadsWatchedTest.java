package io.ebsockets.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.ebsockets.testsupport.BlockingCallCheck;
import io.ebsockets.testsupport.RedisServer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The canary for the bus: BlockHound watches Lettuce's threads as it watches the transport's, so
 * a blocking call made where the bus calls back is caught. If this fails, the "nothing blocks a
 * Lettuce thread" check of the other tests is off.
 */
class LettuceThreadsWatchedTest {
  @Test
  void aBlockingCallOnALettuceThreadIsCaught() throws Exception {
    try (RedisServer redis = RedisServer.start();
        RelayNode node = RelayNode.start(redis.uri(), "watched")) {
      CompletableFuture<String> thread = node.system().presence().connectionCount()
          .thenApply(count -> {
            String name = Thread.currentThread().getName();
            try {
              new CountDownLatch(1).await(1, TimeUnit.MILLISECONDS);
            } catch (Throwable e) {
              return name + " caught " + e.getClass().getSimpleName();
            }
            return name + " not caught";
          });
      assertThat(thread.get(10, TimeUnit.SECONDS))
          .startsWith("lettuce-").endsWith("caught BlockingOperationError");
      assertThat(BlockingCallCheck.drain()).hasSize(1);
    }
  }
}
