package io.ebsockets.netty;

import static org.assertj.core.api.Assertions.assertThat;

import io.ebsockets.EbsocketEvent;
import io.ebsockets.EbsocketServer;
import io.ebsockets.EbsocketSystem;
import io.ebsockets.PumpResult;
import io.ebsockets.testsupport.PumpRecorder;
import java.io.BufferedOutputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A million events flood a pump loop that is slow on purpose, in a JVM with a 96 MiB heap (the
 * "small-heap" surefire run). Without the inbound allowance the queue would need about ten times
 * that; with it, every event arrives, in order, and nothing runs out of memory.
 */
@Tag("smallheap")
class SmallHeapFloodTest {

  @Test
  void aMillionEventsIntoASlowPumpLoopArriveInOrderWithinASmallHeap() throws Exception {
    assertThat(Runtime.getRuntime().maxMemory()).isLessThan(128L << 20);
    int total = 1_000_000;
    ExecutorService pool = Executors.newSingleThreadExecutor();
    try (EbsocketSystem system =
            new EbsocketSystem(EbsocketServer.builder().host("127.0.0.1").port(0).build());
        Socket flooder = new Socket()) {
      flooder.connect(system.server().address());
      Future<?> flooding = pool.submit(() -> {
        OutputStream out = new BufferedOutputStream(flooder.getOutputStream(), 64 * 1024);
        for (int n = 0; n < total; n++) {
          byte[] payload = ("{\"type\":\"flood\",\"data\":{\"n\":" + n
              + ",\"text\":\"a chat line of ordinary length\"}}").getBytes(StandardCharsets.UTF_8);
          out.write(payload.length >>> 24);
          out.write(payload.length >>> 16);
          out.write(payload.length >>> 8);
          out.write(payload.length);
          out.write(payload);
        }
        out.flush();
        return null;
      });

      int next = 0;
      long work = 0;
      java.security.MessageDigest sha = java.security.MessageDigest.getInstance("SHA-256");
      while (next < total) {
        PumpResult result = system.pump(PumpRecorder.TIMEOUT, 500);
        assertThat(result.isEmpty()).as("the pump stalled at event " + next).isFalse();
        for (EbsocketEvent event : result.newEvents()) {
          assertThat(event.getInt("n")).isEqualTo(next++);
          // Slow on purpose, and allocating: hash the event a few times.
          byte[] text = event.toString().getBytes(StandardCharsets.UTF_8);
          for (int i = 0; i < 24; i++) {
            text = sha.digest(text);
          }
          work += text[0] | 1;
        }
      }
      flooding.get(1, TimeUnit.MINUTES);
      assertThat(next).isEqualTo(total);
      assertThat(work).isNotZero();
      assertThat(system.pump(Duration.ZERO).newEvents()).isEmpty();
    } finally {
      pool.shutdownNow();
    }
  }
}
