package io.ebsockets.netty;

import static org.assertj.core.api.Assertions.assertThat;

import io.ebsockets.ClientPumpResult;
import io.ebsockets.CloseReason;
import io.ebsockets.CloseStatus;
import io.ebsockets.EbsocketClient;
import io.ebsockets.EbsocketEvent;
import io.ebsockets.EbsocketServer;
import io.ebsockets.EbsocketSystem;
import io.ebsockets.testsupport.SeedRelay;
import io.ebsockets.testsupport.WireClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Legal JSON that decodes to many times its size, sent by ten connections at once to the seed's
 * relay, in a JVM with a 256 MiB heap (the "attacks" surefire run) that also runs the three
 * bystanders. A megabyte of {@code [{},{},...]} used to decode to about 35 MB, and ten of them
 * queued for the pump to several hundred: an {@code OutOfMemoryError}. Now what an event costs
 * decoded is charged to the inbound allowance, frames wait undecoded while it is full, and the
 * relay and its bystanders carry on with nothing lost.
 */
@Tag("attack")
class HeapAmplificationTest {
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final int ATTACKERS = 10;
  private static final int FRAMES_EACH = 5;
  private static final int CHAT_LINES = 200;

  @Test
  void tenConnectionsOfTinyObjectsCannotExhaustTheHeapAndBystandersLoseNothing() throws Exception {
    assertThat(Runtime.getRuntime().maxMemory()).isLessThanOrEqualTo(256L << 20);
    EbsocketSystem system =
        new EbsocketSystem(
            EbsocketServer.builder().host("127.0.0.1").port(0).maxQueuedBytes(16L << 20).build());
    CompletableFuture<Void> relay =
        CompletableFuture.runAsync(() -> SeedRelay.run(system, new AtomicInteger()));
    List<EbsocketClient> bystanders = new ArrayList<>();
    List<WireClient> attackers = new ArrayList<>();
    try {
      for (int i = 0; i < 3; i++) {
        // Three clients share this 256 MiB JVM with the server: each may queue 8 MiB.
        EbsocketClient client = EbsocketClient.builder().maxQueuedBytes(8L << 20).build();
        client.connectTo(system.server().address());
        bystanders.add(client);
      }
      CountDownLatch lastHeard = new CountDownLatch(bystanders.size());
      List<CompletableFuture<List<Object>>> heard = new ArrayList<>();
      for (EbsocketClient client : bystanders) {
        heard.add(CompletableFuture.supplyAsync(() -> chatUntilEnd(client, lastHeard)));
      }
      String emptyObjects = tinyObjects("{}", (1 << 20) - 64);
      String smallObjects = tinyObjects("{\"\":0}", 512 << 10);
      for (int i = 0; i < ATTACKERS; i++) {
        attackers.add(WireClient.connect(system.server().address()));
      }
      CompletableFuture<Void> attack =
          CompletableFuture.runAsync(
              () -> {
                for (int f = 0; f < FRAMES_EACH; f++) {
                  for (WireClient attacker : attackers) {
                    attacker.sendFrame(f % 2 == 0 ? emptyObjects : smallObjects);
                  }
                }
              });
      EbsocketClient chatter = bystanders.get(0);
      for (int n = 0; n < CHAT_LINES; n++) {
        chatter.sendEvent(new EbsocketEvent("message").with("content", n));
      }
      attack.get(WAIT.toSeconds(), TimeUnit.SECONDS);
      chatter.sendEvent(new EbsocketEvent("message").with("content", "last"));

      // Every bystander hears the chat whole and in order, the last line after the attack, and
      // stays connected until the server shuts down.
      assertThat(lastHeard.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
      assertThat(relay).as("the relay loop is still running").isNotDone();
      system.close();
      List<Object> expected = new ArrayList<>();
      for (int n = 0; n < CHAT_LINES; n++) {
        expected.add(n);
      }
      expected.add("last");
      for (CompletableFuture<List<Object>> chat : heard) {
        assertThat(chat.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo(expected);
      }
      for (EbsocketClient client : bystanders) {
        // Ended by the shutdown (told, or cut off if its backlog outlasted the close timeout),
        // never by an error of its own, such as running out of memory.
        assertThat(client.closeStatus()).map(CloseStatus::reason).get()
            .isIn(CloseReason.SERVER_SHUTDOWN, CloseReason.PEER_CLOSED);
      }
    } finally {
      attackers.forEach(WireClient::close);
      system.close();
      bystanders.forEach(EbsocketClient::close);
    }
    relay.get(WAIT.toSeconds(), TimeUnit.SECONDS);
  }

  /**
   * What a bystander hears of the chat (the attack's arrays read and dropped), until the server
   * ends the connection; counts down the latch on "last".
   */
  private static List<Object> chatUntilEnd(EbsocketClient client, CountDownLatch lastHeard) {
    List<Object> chat = new ArrayList<>();
    while (true) {
      ClientPumpResult result = client.pump(WAIT);
      for (EbsocketEvent event : result.events()) {
        Object content = event.getAttribute("content");
        if (!(content instanceof List)) {
          chat.add(content);
        }
        if ("last".equals(content)) {
          lastHeard.countDown();
        }
      }
      if (!result.connected()) {
        return chat;
      }
    }
  }

  /** A {@code message} whose content is an array of {@code element}, about {@code bytes} long. */
  private static String tinyObjects(String element, int bytes) {
    StringBuilder frame = new StringBuilder(bytes + 64).append(
        "{\"type\":\"message\",\"data\":{\"content\":[");
    frame.append(element);
    while (frame.length() + element.length() + 4 < bytes) {
      frame.append(',').append(element);
    }
    return frame.append("]}}").toString();
  }
}
