package io.ebsockets.spi;

import io.ebsockets.EbsocketEvent;
import java.net.InetSocketAddress;
import java.time.Duration;

/** A listening server made by {@link TransportProvider#bind}. Safe to use from any thread. */
public interface ServerTransport extends AutoCloseable {

  /**
   * Returns the address the server is bound to.
   *
   * @return the bound address, with the actual port when port 0 was asked for
   */
  InetSocketAddress localAddress();

  /**
   * Returns the addresses the server's doors are bound to, in the order of {@link
   * io.ebsockets.ServerOptions#listeners()}.
   *
   * @return one address per door; the default is {@link #localAddress()} alone
   */
  default java.util.List<InetSocketAddress> localAddresses() {
    return java.util.List.of(localAddress());
  }

  /**
   * Encodes an event and queues it for writing to one connection. May wait, as {@link #send}
   * does, while the write backlog is over its bound.
   *
   * @param event the event
   * @param target a connection of this transport
   * @return true if queued, false if the connection is closing or closed
   * @throws IllegalArgumentException if the encoded event is longer than this side's max frame
   *     length or the one the peer announced; then nothing is sent
   */
  boolean sendTo(EbsocketEvent event, TransportChannel target);

  /**
   * Like {@link #sendTo(EbsocketEvent, TransportChannel)}, with the request/reply members of wire
   * protocol v1.
   *
   * @param event the event
   * @param target a connection of this transport
   * @param requestId the id that marks the event as a request, or 0
   * @param replyTo the id of the request the event answers, or 0
   * @return true if queued, false if the connection is closing or closed
   * @throws IllegalArgumentException if the encoded event is too long; nothing is sent
   * @throws UnsupportedOperationException if an id is given and the transport cannot carry it (the
   *     default)
   */
  default boolean sendTo(
      EbsocketEvent event, TransportChannel target, long requestId, long replyTo) {
    if (requestId != 0 || replyTo != 0) {
      throw new UnsupportedOperationException(
          getClass().getName() + " cannot carry request ids (expected: a transport for wire v1)");
    }
    return sendTo(event, target);
  }

  /**
   * Encodes an event once and queues it for writing to each of the given connections. A
   * connection whose peer announced a max frame length below the event's size is skipped. Returns
   * without waiting for the writes.
   *
   * <p><b>Blocking.</b> While the write backlog is over {@link
   * io.ebsockets.ServerOptions#maxOutboundBacklogBytes()}, the calling thread first waits (parks)
   * until the transport's I/O threads have written it down to half. Only those I/O threads of
   * this transport never wait; any other thread may, the event loops of other Netty-based
   * libraries included, and so must not be a thread that this transport's writes depend on. An
   * interrupted thread does not wait; nor does any thread once the transport is closing.
   *
   * @param event the event
   * @param targets connections of this transport; closed ones are skipped
   * @return how many connections it was queued for
   * @throws IllegalArgumentException if the encoded event is longer than the max frame length;
   *     then nothing is sent
   */
  int send(EbsocketEvent event, Iterable<? extends TransportChannel> targets);

  /**
   * Returns how many application events were queued for connections so far, a broadcast to n
   * connections counting n.
   *
   * @return the count
   */
  long eventsOut();

  /**
   * Returns how many bytes were queued for connections so far.
   *
   * @return the count, length prefixes included
   */
  long bytesOut();

  /**
   * Returns the resumable sessions' counters. Any thread; takes each session's lock briefly, so
   * it costs one step per session kept.
   *
   * @return the counters; the default, for a transport that keeps no sessions, is {@link
   *     io.ebsockets.SessionStats#none()}
   */
  default io.ebsockets.SessionStats sessionStats() {
    return io.ebsockets.SessionStats.none();
  }

  /**
   * Returns the bytes of the application's sends queued and not yet written to a socket, over all
   * connections (what the server's outbound backlog bound counts). Any thread; cheap.
   *
   * @return the bytes; the default, for a transport that does not count them, is 0
   */
  default long outboundBacklogBytes() {
    return 0;
  }

  /**
   * Returns how many connections the transport turned away before admitting them, by why. Any
   * thread; cheap.
   *
   * @return the counts; the default, for a transport that turns none away, is {@link
   *     io.ebsockets.TurnedAwayStats#none()}
   */
  default io.ebsockets.TurnedAwayStats turnedAway() {
    return io.ebsockets.TurnedAwayStats.none();
  }

  /**
   * The lame-duck phase of a shutdown ({@link io.ebsockets.ServerOptions#lameDuck()}): the doors
   * stay bound, but a new connection is closed with {@code server_shutdown} and a retry hint;
   * every connection is closed with {@code server_shutdown} and a hint, each at a random moment
   * within {@code period}, while reading, sending and delivering go on for the others. Blocks
   * the calling thread (never an I/O thread) for the whole period (health checks keep seeing
   * it), and until those closes are done or the close timeout after the period has passed. The
   * default does nothing.
   *
   * @param period the period, greater than zero
   */
  default void lameDuck(Duration period) {}

  /**
   * Tells whether every door is bound and accepting sockets. Any thread; cheap.
   *
   * @return true while listening; the default is true
   */
  default boolean isListening() {
    return true;
  }

  /**
   * The first step of a draining shutdown: stops accepting connections (one accepted meanwhile
   * is closed with {@code server_shutdown}) and stops reading every connection for good, so that
   * what the sinks have been handed is all there will be. Sends keep working. Blocks the calling
   * thread (never an I/O thread) until every I/O thread has stopped reading, or for at most
   * {@code timeout}. Idempotent. The default does nothing: a transport without it is closed as
   * before, with whatever it reads in the meantime.
   *
   * @param timeout the most to wait, zero or more
   */
  default void stopAcceptingAndReading(Duration timeout) {}

  /**
   * Shuts down: stops accepting, writes what was already queued, closes every connection with
   * {@code server_shutdown} and releases the transport's threads, within the shutdown timeout.
   * Idempotent.
   */
  @Override
  void close();

  /**
   * Like {@link #close()}, but within {@code timeout} rather than the shutdown timeout (the
   * facade has already spent part of it draining). Blocks the calling thread for at most about
   * that long. The default ignores the bound and calls {@link #close()}.
   *
   * @param timeout the most to take, zero or more
   */
  default void close(Duration timeout) {
    close();
  }
}
