package io.ebsockets;

import io.ebsockets.spi.TransportChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The server side's pump loop (the seed's {@code ebsocket_system}).
 *
 * <pre>{@code
 * try (EbsocketSystem system = new EbsocketSystem(new EbsocketServer(7982))) {
 *   while (true) {
 *     PumpResult result = system.pump();
 *     for (EbsocketEvent event : result.newEvents()) {
 *       if (event.compareType("message")) {
 *         system.sendEventToClients(new EbsocketEvent("message")
 *             .with("content", event.getAttribute("content")));
 *       }
 *     }
 *   }
 * }
 * }</pre>
 *
 * <p><b>Threads.</b> {@code pump} is meant for one thread, the pump loop; calls from several
 * threads are serialised. Sends and {@link #clients()} are safe from any thread and never block
 * on the network: events are queued and written by the transport's threads.
 */
public final class EbsocketSystem implements AutoCloseable {
  /**
   * The most items (new clients, events and disconnects together) one pump returns; the rest is
   * returned by the next pump, at once.
   */
  public static final int MAX_PUMP_BATCH = 65_536;

  private final EbsocketServer server;
  private final ReentrantLock pumpLock = new ReentrantLock();

  /**
   * Wraps a server; from now on {@link #pump()} reports what happens on it.
   *
   * @param server a server that has no system yet
   * @throws IllegalStateException if the server already has a system
   */
  public EbsocketSystem(EbsocketServer server) {
    this.server = Objects.requireNonNull(server, "server");
    server.attachSystem();
  }

  /**
   * Returns the server this system pumps.
   *
   * @return the server
   */
  public EbsocketServer server() {
    return server;
  }

  /**
   * Waits until something has happened, then returns everything that happened since the last
   * pump (like the seed's {@code select}). The calling thread parks while it waits.
   *
   * @return what happened; empty only if the thread was interrupted (its interrupt flag stays
   *     set) or the system is closed and everything was already returned
   */
  public PumpResult pump() {
    return pump(Long.MAX_VALUE);
  }

  /**
   * Like {@link #pump()}, but waits at most {@code timeout}.
   *
   * @param timeout how long to wait for the first thing to happen; {@link Duration#ZERO} does not
   *     wait
   * @return what happened, or an empty result on timeout
   */
  public PumpResult pump(Duration timeout) {
    return pump(Checks.toNanos(Checks.nonNegative(timeout, "timeout")));
  }

  /**
   * Like {@link #pump(Duration)}, but returns at most {@code maxBatch} items (new clients, events
   * and disconnects together); the rest is returned by the next pump, at once. Useful for a game
   * loop that must not spend an unbounded time on one tick.
   *
   * @param timeout how long to wait for the first thing to happen
   * @param maxBatch the most items to return, 1 to {@value #MAX_PUMP_BATCH}
   * @return what happened, or an empty result on timeout
   */
  public PumpResult pump(Duration timeout, int maxBatch) {
    return pump(
        Checks.toNanos(Checks.nonNegative(timeout, "timeout")),
        Checks.inRange(maxBatch, 1, MAX_PUMP_BATCH, "maxBatch"));
  }

  private PumpResult pump(long timeoutNanos) {
    return pump(timeoutNanos, MAX_PUMP_BATCH);
  }

  private PumpResult pump(long timeoutNanos, int maxBatch) {
    Inbox inbox = server.inbox();
    Backpressure backpressure = server.backpressure();
    pumpLock.lock();
    try {
      if (!inbox.await(timeoutNanos, server::isClosed)) {
        return PumpResult.EMPTY;
      }
      List<EbsocketConnection> opened = new ArrayList<>();
      List<EbsocketEvent> events = new ArrayList<>();
      List<EbsocketConnection> closed = new ArrayList<>();
      Object item;
      for (int n = 0; n < maxBatch && (item = inbox.poll()) != null; n++) {
        if (item instanceof EbsocketEvent event) {
          events.add(event);
          backpressure.handedOut(event.sourceOrNull().account, event.frameBytes());
        } else if (item instanceof EbsocketServer.Opened o) {
          opened.add(o.connection());
        } else if (item instanceof EbsocketServer.Closed c) {
          closed.add(c.connection());
        }
      }
      backpressure.resumeEligible();
      return new PumpResult(opened, events, closed);
    } finally {
      pumpLock.unlock();
    }
  }

  /**
   * Queues an event for one client.
   *
   * @param client the client
   * @param event the event
   * @return true if queued for writing, false if that client is gone (closing or closed)
   * @throws IllegalArgumentException if the encoded event is longer than the max frame length;
   *     nothing is sent
   */
  public boolean sendEventTo(EbsocketConnection client, EbsocketEvent event) {
    Objects.requireNonNull(client, "client");
    Objects.requireNonNull(event, "event");
    TransportChannel channel = client.channel();
    if (!channel.isOpen()) {
      return false;
    }
    return server.transport().sendTo(event, channel);
  }

  /**
   * Queues an event for every connected client; the event is encoded once.
   *
   * @param event the event
   * @return how many clients it was queued for
   * @throws IllegalArgumentException if the encoded event is longer than the max frame length;
   *     nothing is sent
   */
  public int sendEventToClients(EbsocketEvent event) {
    Objects.requireNonNull(event, "event");
    return server.transport().send(event, server.channels());
  }

  /**
   * Returns the clients connected now, including those whose connect {@link #pump()} has not
   * reported yet.
   *
   * @return a snapshot, in no particular order
   */
  public List<EbsocketConnection> clients() {
    List<EbsocketConnection> open = new ArrayList<>();
    for (EbsocketConnection connection : server.connections()) {
      if (connection.isOpen()) {
        open.add(connection);
      }
    }
    return open;
  }

  /**
   * Tells whether {@link #close()} was called.
   *
   * @return true once closed; a pump loop uses it as its condition
   */
  public boolean isClosed() {
    return server.isClosed();
  }

  /**
   * Closes the server: stops accepting, writes what was already sent, closes every connection
   * with {@link CloseReason#SERVER_SHUTDOWN} and releases the threads, within the server's
   * shutdown timeout. A pump that waits returns; later pumps return what is left, then empty
   * results at once. Idempotent.
   */
  @Override
  public void close() {
    server.close();
  }
}
