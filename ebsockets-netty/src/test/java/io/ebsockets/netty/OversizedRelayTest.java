package io.ebsockets.netty;

import static org.assertj.core.api.Assertions.assertThat;

import io.ebsockets.EbsocketClient;
import io.ebsockets.EbsocketEvent;
import io.ebsockets.EbsocketServer;
import io.ebsockets.EbsocketSystem;
import io.ebsockets.testsupport.SeedRelay;
import io.ebsockets.testsupport.WireClient;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The attack that ended the seed's relay: one legal 420 KB frame, a {@code message} whose
 * content is 105,000 × {@code 9e6}, re-encoded by the relay as {@code 9000000.0} each, over the
 * 1 MiB frame limit. A send must never throw on the pump thread for what a peer sent: the relay
 * loop, written like the seed's, goes on, and a bystander keeps chatting.
 */
class OversizedRelayTest {
  private static final Duration WAIT = Duration.ofSeconds(30);

  @Test
  void aRelayedEventThatReencodesOverTheLimitDoesNotEndTheSeedsLoop() throws Exception {
    EbsocketSystem system =
        new EbsocketSystem(EbsocketServer.builder().host("127.0.0.1").port(0).build());
    CompletableFuture<Void> relay = CompletableFuture.runAsync(() -> SeedRelay.run(system, new AtomicInteger()));
    try (EbsocketClient bystander = new EbsocketClient();
        WireClient attacker = WireClient.connect(system.server().address())) {
      bystander.connectTo(system.server().address());
      StringBuilder frame = new StringBuilder("{\"type\":\"message\",\"data\":{\"content\":[");
      for (int i = 0; i < 105_000; i++) {
        frame.append(i == 0 ? "" : ",").append("9e6");
      }
      attacker.sendFrame(frame.append("]}}").toString());
      bystander.sendEvent(new EbsocketEvent("message").with("content", "still here?"));

      // The big one is relayed too, whole (its numbers re-encode no longer), and so is the chat
      // line, in whichever order the two connections' frames were read.
      java.util.List<Object> heard = new java.util.ArrayList<>();
      for (int i = 0; i < 2; i++) {
        heard.add(bystander.recvEvent(WAIT).orElseThrow().getAttribute("content"));
      }
      assertThat(heard).contains("still here?");
      assertThat(heard).anySatisfy(content -> {
        assertThat(content).isInstanceOf(java.util.List.class);
        java.util.List<?> numbers = (java.util.List<?>) content;
        assertThat(numbers).hasSize(105_000).first().isEqualTo(9e6);
      });
      bystander.sendEvent(new EbsocketEvent("message").with("content", "and after it"));
      assertThat(bystander.recvEvent(WAIT)).map(e -> e.getAttribute("content"))
          .contains("and after it");
      assertThat(relay).isNotDone();
    } finally {
      system.close();
    }
    relay.get(WAIT.toSeconds(), TimeUnit.SECONDS);
  }

  @Test
  void numbersAreWrittenNoLongerThanTheyCameIn() {
    io.netty.buffer.ByteBuf frame = EventCodec.encode(io.netty.buffer.ByteBufAllocator.DEFAULT,
        new EbsocketEvent("n").with("a", 9e6).with("b", 1.5e-7).with("c", 1e300).with("d", 0.5)
            .with("e", -2.0e21).with("f", 100.0),
        1 << 20);
    try {
      String json = frame.toString(4, frame.readableBytes() - 4,
          java.nio.charset.StandardCharsets.UTF_8);
      assertThat(json).isEqualTo(
          "{\"type\":\"n\",\"data\":{\"a\":9e6,\"b\":1.5e-7,\"c\":1e300,\"d\":0.5,"
              + "\"e\":-2e21,\"f\":1e2}}");
    } finally {
      frame.release();
    }
  }
}
