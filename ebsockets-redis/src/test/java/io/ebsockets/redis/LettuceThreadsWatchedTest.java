package io.ebsockets.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ebsockets.spi.ClusterBus;
import io.ebsockets.testsupport.BlockingCallCheck;
import io.ebsockets.testsupport.RedisServer;
import java.time.Duration;
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
    CompletableFuture<String> thread = new CompletableFuture<>();
    try (RedisServer redis = RedisServer.start();
        RedisBus bus = RedisBus.create(redis.uri())) {
      bus.start(new ClusterBus.Node() {
        @Override
        public String id() {
          return "watched";
        }

        @Override
        public long epoch() {
          return 1;
        }

        @Override
        public int connections() {
          return 0;
        }

        /** Called on Lettuce's event loop: a blocking call here must be caught. */
        @Override
        public void received(String channel, byte[] message) {
          if (thread.isDone()) {
            return; // once: a later blocking call would be recorded after the test's check
          }
          String name = Thread.currentThread().getName();
          try {
            new CountDownLatch(1).await(1, TimeUnit.MILLISECONDS);
            thread.complete(name + " not caught");
          } catch (Throwable e) {
            thread.complete(name + " caught " + e.getClass().getSimpleName());
          }
        }

        @Override
        public void publishFailed(String channel, Throwable cause) {}

        @Override
        public void linkDown(String why) {}

        @Override
        public void linkUp() {}
      });
      bus.subscribe("canary");
      // Published until it arrives: the subscription is confirmed asynchronously.
      await().atMost(Duration.ofSeconds(10)).until(() -> {
        bus.publish("canary", new byte[] {1});
        return thread.isDone();
      });
      assertThat(thread.get(10, TimeUnit.SECONDS))
          .startsWith("lettuce-").endsWith("caught BlockingOperationError");
      assertThat(BlockingCallCheck.drain()).hasSize(1);
    }
  }
}
