package io.ebsockets.spi;

import io.ebsockets.CloseReason;
import io.ebsockets.CloseStatus;
import io.ebsockets.ConnectionStats;
import java.net.InetSocketAddress;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/** One connection of a transport. Every method is safe to call from any thread. */
public interface TransportChannel {

  /**
   * Returns this connection's id.
   *
   * @return an id unique among the connections of one server
   */
  long id();

  /**
   * Returns the peer's address.
   *
   * @return the remote address
   */
  InetSocketAddress remoteAddress();

  /**
   * Returns the door this connection came through.
   *
   * @return the door; {@link io.ebsockets.Door#TCP} by default
   */
  default io.ebsockets.Door door() {
    return io.ebsockets.Door.TCP;
  }

  /**
   * Tells whether events can still be sent.
   *
   * @return false once the connection is closing or closed
   */
  boolean isOpen();

  /**
   * Returns why the connection ended or is ending.
   *
   * @return the status, or empty while the connection is open
   */
  Optional<CloseStatus> closeStatus();

  /**
   * Returns this connection's counters now.
   *
   * @return a snapshot
   */
  ConnectionStats stats();

  /**
   * Asks the transport to read this connection again if its sink stopped it; the transport asks
   * {@link ChannelSink#readyToResume()} on its own thread first. Any thread; returns at once;
   * does nothing if reading was not stopped.
   */
  void resumeReading();

  /**
   * Closes the connection gracefully: writes what was already queued, tells the peer the reason
   * with an {@code ebsockets.close} control event, shuts the output down, and closes when the peer
   * closes or after the close timeout. Returns at once; does nothing if already closing.
   *
   * @param reason why
   * @param message a human-readable explanation, may be empty
   * @return completed when the socket is closed
   */
  CompletableFuture<Void> close(CloseReason reason, String message);

  /**
   * Tells whether this transport calls {@link ChannelSink#readComplete()} after each pass of
   * reads that handed this channel's sink any events. A sink may then hold back waking its
   * consumer until that call, so that the consumer takes a whole pass's events at once instead of
   * being woken, and switched to, for each one.
   *
   * @return true if {@link ChannelSink#readComplete()} follows every pass that delivered events;
   *     the default, false, means it may never be called
   */
  default boolean reportsReadComplete() {
    return false;
  }

  /**
   * Queues one control event of the library's own ({@code ebsockets.*}, never an application's)
   * for the peer, such as a resumable session's {@code ebsockets.ack}. Any thread; returns at
   * once, never waits for room.
   *
   * @param type the control type
   * @param data its data
   * @return true if queued; false if the connection is closing, or the transport sends no
   *     control events of the caller's (the default)
   */
  default boolean sendControl(String type, java.util.Map<String, Object> data) {
    return false;
  }

  /**
   * Returns how many times this connection's link to its client was lost and resumed (a
   * resumable session, see {@link io.ebsockets.Resumption}): the client is the same, the events
   * either side sent meanwhile were delivered once each, in order.
   *
   * @return the count; 0 for a connection that is not resumable (the default)
   */
  default long resumes() {
    return 0;
  }
}
