package io.ebsockets.testsupport;

import io.ebsockets.ClientPumpResult;
import io.ebsockets.CloseStatus;
import io.ebsockets.EbsocketClient;
import io.ebsockets.EbsocketEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Everything one client received until it ended, and why it ended: what a test of a shutdown or a
 * relay compares across clients.
 *
 * @param contents the value of each received event's "content" key, in order
 * @param end why the client ended
 */
public record ClientTranscript(List<Object> contents, Optional<CloseStatus> end) {

  /**
   * Pumps {@code client} until it ends, blocking the calling thread.
   *
   * @param client a connected client
   * @param eachPump how long one pump may wait
   * @return what it received and why it ended
   */
  public static ClientTranscript receiveUntilEnd(EbsocketClient client, Duration eachPump) {
    List<Object> contents = new ArrayList<>();
    while (true) {
      ClientPumpResult result = client.pump(eachPump);
      for (EbsocketEvent event : result.events()) {
        contents.add(event.getAttribute("content"));
      }
      if (!result.connected()) {
        return new ClientTranscript(contents, result.closeStatus());
      }
    }
  }
}
