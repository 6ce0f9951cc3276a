package io.ebsockets.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import io.ebsockets.CloseReason;
import io.ebsockets.CloseStatus;
import io.ebsockets.EbsocketClient;
import io.ebsockets.EbsocketEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The shutdown scenario of the seed's relay: the first of some clients sends numbered {@code
 * message}s as fast as it can while every client records what it receives, until the server
 * ends them all. Then each must have received exactly messages 0 to n-1, in order, and been told
 * why it ended.
 */
public final class NumberedChat {
  private final List<CompletableFuture<ClientTranscript>> received = new ArrayList<>();
  private final CompletableFuture<Void> sending;
  private final Duration wait;

  private NumberedChat(List<EbsocketClient> clients, int messages, Duration wait) {
    this.wait = wait;
    for (EbsocketClient client : clients) {
      received.add(
          CompletableFuture.supplyAsync(() -> ClientTranscript.receiveUntilEnd(client, wait)));
    }
    EbsocketClient sender = clients.get(0);
    this.sending =
        CompletableFuture.runAsync(
            () -> {
              for (int n = 0; n < messages && sender.isConnected(); n++) {
                try {
                  sender.sendEvent(new EbsocketEvent("message").with("content", n));
                } catch (IllegalStateException ended) {
                  return; // the server shut down under it
                }
              }
            });
  }

  /**
   * Starts receiving on every client and sending from the first.
   *
   * @param clients connected clients
   * @param messages how many the first sends
   * @param wait the longest any one step may take
   * @return the running chat
   */
  public static NumberedChat start(List<EbsocketClient> clients, int messages, Duration wait) {
    return new NumberedChat(clients, messages, wait);
  }

  /**
   * Waits for the sender and every receiver to end, then checks what each received.
   *
   * @param expected how many messages every client must have received, numbered from 0
   * @param why the reason every client must have been given
   * @throws Exception if one of them failed or took longer than the wait
   */
  public void assertEveryClientReceived(int expected, CloseReason why) throws Exception {
    sending.get(wait.toSeconds(), TimeUnit.SECONDS);
    for (CompletableFuture<ClientTranscript> future : received) {
      ClientTranscript r = future.get(wait.toSeconds(), TimeUnit.SECONDS);
      assertThat(r.contents()).as("received by one client of %d", expected).hasSize(expected);
      for (int n = 0; n < expected; n++) {
        assertThat(r.contents().get(n)).isEqualTo(n);
      }
      assertThat(r.end()).map(CloseStatus::reason).contains(why);
    }
  }
}
