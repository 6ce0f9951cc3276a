package io.ebsockets.spi;

import io.ebsockets.CloseStatus;
import io.ebsockets.EbsocketEvent;
import java.util.Map;

/**
 * Where a transport delivers one connection's application events and its end.
 *
 * <p>Calls come from a transport thread, one at a time and in the order the events arrived;
 * {@link #closed} comes exactly once, after the last {@link #received}. Implementations must not
 * block.
 */
public interface ChannelSink {

  /**
   * The transport hands over the channel this sink serves, once, before any other call.
   *
   * @param channel the channel
   */
  default void attached(TransportChannel channel) {}

  /**
   * An application event arrived (control events never reach the sink).
   *
   * @param event the event, without a source
   * @param frameBytes the size of the frame it came in, for memory accounting
   * @return true to keep reading; false asks the transport to stop reading this connection until
   *     {@link TransportChannel#resumeReading()} is called and {@link #readyToResume()} agrees
   */
  boolean received(EbsocketEvent event, int frameBytes);

  /**
   * An application event arrived with the request/reply members of wire protocol v1 ({@code
   * ebsockets.request}, {@code ebsockets.reply}). Transports that read them call this instead of
   * {@link #received(EbsocketEvent, int)}; the default ignores them and calls it.
   *
   * @param event the event, without a source
   * @param frameBytes the size of the frame it came in, for memory accounting
   * @param requestId the id the peer gave the event as a request, or 0 if it is none
   * @param replyTo the id of the request this event answers, or 0 if it is no reply
   * @return true to keep reading; false as for {@link #received(EbsocketEvent, int)}
   */
  default boolean received(EbsocketEvent event, int frameBytes, long requestId, long replyTo) {
    return received(event, frameBytes);
  }

  /**
   * An application event arrived, already decoded into the values an {@link EbsocketEvent}
   * holds: the sink builds the event once, around {@code data} as it is, instead of copying and
   * normalising it again. Transports that decode into such values call this instead of the
   * other {@code received} methods; the default builds the event the ordinary way (a normalised
   * copy) and calls {@link #received(EbsocketEvent, int, long, long)}.
   *
   * <p>The caller vouches for {@code data}, which is not checked: unmodifiable and never changed
   * again, with string keys and, at every depth, only {@code String}, {@code Integer} or {@code
   * Long} (the narrower where it fits), finite {@code Double}, {@code Boolean}, {@code null}, and
   * unmodifiable {@code List}s and {@code Map}s of the same, nested at most {@value
   * WireProtocol#MAX_NESTING_DEPTH} levels on the wire; {@code type} is not empty and does not start
   * with {@value EbsocketEvent#RESERVED_PREFIX}. That is what a JSON decoder produces when it
   * follows {@link EbsocketEvent}'s normalisation rules.
   *
   * @param type the event type
   * @param data the event's data, as described
   * @param frameBytes the size of the frame it came in, for the statistics
   * @param memoryBytes what the decoded values cost the heap, as the transport estimates it; the
   *     inbound allowance counts the larger of this and {@code frameBytes}
   * @param requestId the id the peer gave the event as a request, or 0 if it is none
   * @param replyTo the id of the request this event answers, or 0 if it is no reply
   * @return true to keep reading; false as for {@link #received(EbsocketEvent, int)}
   */
  default boolean receivedNormalised(
      String type,
      Map<String, Object> data,
      int frameBytes,
      int memoryBytes,
      long requestId,
      long replyTo) {
    return received(new EbsocketEvent(type, data), frameBytes, requestId, replyTo);
  }

  /**
   * The transport has handed over everything one pass of reads delivered for this channel, for
   * now. Transports whose channels {@link TransportChannel#reportsReadComplete() report it} call
   * this after every pass that called {@link #received} at least once, and never after {@link
   * #closed}; the default does nothing.
   */
  default void readComplete() {}

  /**
   * Asked on the transport thread, after {@link TransportChannel#resumeReading()}, before a
   * paused connection is read again.
   *
   * @return true if the events received earlier have been taken far enough to read more
   */
  boolean readyToResume();

  /**
   * Whether the sink would take another event now without going over its allowance. Asked on
   * the transport thread before an event is decoded, by transports that can hold a frame
   * undecoded: while it is false they hold the frame, stop reading, and go on once {@link
   * #readyToResume()} is true. That keeps what waits for the application within its allowance by
   * at most one event per transport thread, however many connections send at once. The default
   * is true: such a transport decodes and delivers as before.
   *
   * @return false to hold the next frame and stop reading this connection for now
   */
  default boolean acceptsMore() {
    return true;
  }

  /**
   * A control event of the library's own ({@code ebsockets.*}) that the transport does not act on
   * itself arrived: the server's {@code ebsockets.welcome} (on a client, before the connection is
   * handed back), acknowledgements of a resumable session ({@code ebsockets.ack}), and types of
   * later versions. Same thread and order as {@link #received}; the default ignores them.
   *
   * @param type the control type, starting with {@value io.ebsockets.EbsocketEvent#RESERVED_PREFIX}
   * @param data its data
   */
  default void control(String type, Map<String, Object> data) {}

  /**
   * Client: what the sink adds to the connection's {@code ebsockets.hello} besides the protocol's
   * and the application's members (a resumable session's {@code resume}). Asked once, on a
   * transport thread, before the hello is written; the default adds nothing.
   *
   * @return members of the hello
   */
  default Map<String, Object> helloMembers() {
    return Map.of();
  }

  /**
   * The connection ended; nothing more will be delivered.
   *
   * @param status why
   */
  void closed(CloseStatus status);
}
