package io.ebsockets.netty;

import static org.assertj.core.api.Assertions.assertThat;

import io.ebsockets.CloseReason;
import io.ebsockets.EbsocketServer;
import io.ebsockets.EbsocketSystem;
import io.ebsockets.testsupport.WireClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A peer dropped as a slow consumer is told so, right after the last whole frame it was sent:
 * what it could not take is dropped rather than kept for it. Before, the farewell waited behind
 * the whole backlog (up to twice the outbound limit, in Netty's buffer), so a peer that read
 * late saw its stream end in the middle of that backlog when the close timeout ran out, and one
 * that read in time was first handed megabytes of frames the server had already given up on.
 *
 * <p>Tagged heavy: some 20 MB of pings and pongs, in the fork that samples for leaks.
 */
@Tag("heavy")
class SlowConsumerFarewellTest {
  /**
   * The most a socket's kernel buffers take before the server's outbound buffer starts to fill:
   * the send buffer's autotuning maximum (Linux), plus the peer's small receive window.
   */
  private static final long KERNEL_MAX = kernelSendBufferMax() + (64 << 10);
  /** Larger than what the kernel can hold, so the backlog behind the verdict is the larger part. */
  private static final int LIMIT = (int) KERNEL_MAX + (1 << 20);
  /** 1 KiB each; in pongs, enough to fill the kernel's buffers and go twice over the limit. */
  private static final int PINGS = (int) ((KERNEL_MAX + 2L * LIMIT + (2 << 20)) >> 10);

  private static long kernelSendBufferMax() {
    try {
      String[] wmem = Files.readString(Path.of("/proc/sys/net/ipv4/tcp_wmem")).trim().split("\\s+");
      return Long.parseLong(wmem[2]);
    } catch (IOException | RuntimeException notLinux) {
      return 4 << 20;
    }
  }

  @Test
  void aPingFlooderThatDoesNotReadGetsWholeFramesAndThenTheFarewell() throws Exception {
    try (EbsocketSystem system =
            new EbsocketSystem(
                EbsocketServer.builder()
                    .host("127.0.0.1")
                    .port(0)
                    .maxOutboundBytes(LIMIT)
                    .slowConsumerTimeout(Duration.ofMinutes(1)) // judged by twice the limit
                    .closeTimeout(Duration.ofSeconds(30)) // time to read the farewell
                    .build());
        WireClient flooder = WireClient.connect(system.server().address(), 4096)) {
      flooder.sendFrame("{\"type\":\"ebsockets.hello\",\"data\":{\"version\":1}}");
      char[] pad = new char[1000];
      Arrays.fill(pad, 'p');
      for (int n = 0; n < PINGS; n++) {
        flooder.sendFrame(
            "{\"type\":\"ebsockets.ping\",\"data\":{\"n\":" + n + ",\"pad\":\"" + new String(pad)
                + "\"}}");
      }

      long pongs = 0;
      Map<String, Object> last = null;
      // A frame cut short would fail here: readFrame reads each frame whole or not at all.
      for (Optional<Map<String, Object>> frame = flooder.readFrame();
          frame.isPresent();
          frame = flooder.readFrame()) {
        last = frame.get();
        if ("ebsockets.pong".equals(last.get("type"))) {
          pongs++;
        }
      }
      assertThat(last).as("the last frame").isNotNull()
          .containsEntry("type", "ebsockets.close");
      assertThat(last.get("data")).asInstanceOf(
              org.assertj.core.api.InstanceOfAssertFactories.map(String.class, Object.class))
          .containsEntry("reason", CloseReason.SLOW_CONSUMER.wireName());
      // Only what the kernel's buffers had taken before the verdict, not the backlog behind it
      // (twice the limit when it was judged).
      assertThat(pongs * 1024).as("pong bytes before the farewell").isLessThan(LIMIT);
      assertThat(pongs).as("pongs before the farewell").isLessThan(PINGS);
    }
  }
}
