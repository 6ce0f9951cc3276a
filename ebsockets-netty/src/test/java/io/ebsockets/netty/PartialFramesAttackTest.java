package io.ebsockets.netty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ebsockets.CloseReason;
import io.ebsockets.EbsocketClient;
import io.ebsockets.EbsocketEvent;
import io.ebsockets.EbsocketServer;
import io.ebsockets.EbsocketSystem;
import io.ebsockets.PumpResult;
import io.ebsockets.testsupport.WireClient;
import io.netty.util.internal.PlatformDependent;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * 300 connections each send all but the last byte of a 1 MiB frame, in a JVM with 256 MiB of
 * direct memory (the "attacks" run): more than the JVM could hold. Buffers grown by doubling held
 * 2 MiB per partial frame, and the JVM ran out of direct memory at 126; with the reads kept as
 * they came, 150 were held, but at 300 90 connections were closed for lack of direct memory: a
 * connection paused for the budget was read on by its own decoder, which asks for more bytes
 * when a read completed no frame. Now the budget (half the direct memory) holds: the rest wait
 * unread, a newcomer is welcomed and chats, and once the last bytes come every frame arrives
 * whole.
 */
@Tag("attack")
class PartialFramesAttackTest {
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final int ATTACKERS = 300;

  @Test
  void partialFramesBeyondTheDirectMemoryWaitAndNobodyRunsOutOfMemory() throws Exception {
    assertThat(PlatformDependent.maxDirectMemory()).isLessThanOrEqualTo(256L << 20);
    EbsocketSystem system =
        new EbsocketSystem(EbsocketServer.builder().host("127.0.0.1").port(0).build());
    AtomicInteger blobs = new AtomicInteger();
    AtomicInteger chat = new AtomicInteger();
    CompletableFuture<Void> pump =
        CompletableFuture.runAsync(
            () -> {
              while (!system.isClosed()) {
                PumpResult result = system.pump();
                for (EbsocketEvent event : result.newEvents()) {
                  if (event.compareType("blob")) {
                    blobs.incrementAndGet();
                  } else {
                    chat.incrementAndGet();
                    system.sendEventTo(event.source().orElseThrow(), event);
                  }
                }
              }
            });
    List<Socket> attackers = new ArrayList<>();
    try {
      byte[] frame = blobFrame(1 << 20); // the largest frame: its buffer grows to 2 MiB
      for (int i = 0; i < ATTACKERS; i++) {
        Socket socket = new Socket();
        socket.connect(system.server().address());
        attackers.add(socket);
      }
      List<CompletableFuture<Void>> sending = new ArrayList<>();
      for (Socket socket : attackers) {
        sending.add(CompletableFuture.runAsync(() -> write(socket, frame, 0, frame.length - 1)));
      }
      await().atMost(WAIT).untilAsserted(
          () -> assertThat(system.clients()).as("%s", system.stats()).hasSize(ATTACKERS));

      try (EbsocketClient newcomer = new EbsocketClient()) {
        newcomer.connectTo(system.server().address()); // waits for the welcome
        for (int n = 0; n < 10; n++) {
          newcomer.sendEvent(new EbsocketEvent("line").with("n", n));
          assertThat(newcomer.recvEvent(WAIT)).map(e -> e.getInt("n")).contains(n);
        }
      }

      for (int i = 0; i < ATTACKERS; i++) {
        Socket socket = attackers.get(i);
        sending.set(i, sending.get(i).thenRun(() -> write(socket, frame, frame.length - 1, 1)));
      }
      CompletableFuture.allOf(sending.toArray(CompletableFuture[]::new)).get();
      await().atMost(WAIT).until(() -> blobs.get() == ATTACKERS);
      assertThat(system.stats().disconnectedByReason()).doesNotContainKey(CloseReason.IO_ERROR);
      assertThat(chat.get()).isEqualTo(10);
    } finally {
      for (Socket socket : attackers) {
        socket.close();
      }
      system.close();
    }
    pump.get();
  }

  private static byte[] blobFrame(int bytes) {
    String head = "{\"type\":\"blob\",\"data\":{\"pad\":\"";
    String tail = "\"}}";
    char[] pad = new char[bytes - head.length() - tail.length()];
    Arrays.fill(pad, 'x');
    return WireClient.frame((head + new String(pad) + tail).getBytes(StandardCharsets.UTF_8));
  }

  private static void write(Socket socket, byte[] bytes, int offset, int length) {
    try {
      // In small writes: the JDK copies each through a temporary direct buffer of its size,
      // and this JVM's direct memory is the server's to use.
      OutputStream out = socket.getOutputStream();
      for (int at = offset; at < offset + length; at += 16 << 10) {
        out.write(bytes, at, Math.min(16 << 10, offset + length - at));
      }
      out.flush();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
