package io.ebsockets.netty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.ebsockets.testsupport.BlockingCallCheck;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import reactor.blockhound.BlockingOperationError;

/**
 * The canary: BlockHound is installed in this JVM, so a blocking call on an event loop fails.
 * If this test fails, the "no blocking call on an event loop" check of every other test is off.
 */
class BlockHoundCanaryTest {

  @Test
  void aBlockingCallOnAnEventLoopIsCaughtAndRecorded() throws Exception {
    EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    try {
      Throwable thrown =
          catchThrowable(
              () ->
                  group
                      .submit(() -> new CountDownLatch(1).await(1, TimeUnit.MILLISECONDS))
                      .get(10, TimeUnit.SECONDS));

      assertThat(thrown)
          .isInstanceOf(ExecutionException.class)
          .hasCauseInstanceOf(BlockingOperationError.class);
      assertThat(BlockingCallCheck.drain()).hasSize(1).first().asString().contains("park");
    } finally {
      group.shutdownGracefully(0, 0, TimeUnit.SECONDS).sync();
    }
  }

  @Test
  void theSameCallOnAnApplicationThreadIsAllowed() throws Exception {
    assertThat(new CountDownLatch(1).await(1, TimeUnit.MILLISECONDS)).isFalse();
    assertThat(BlockingCallCheck.drain()).isEmpty();
  }
}
