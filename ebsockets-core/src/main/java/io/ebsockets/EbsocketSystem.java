package io.ebsockets;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;

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
 * threads are serialised, and each keeps its own timeout: a second caller waits for the first at
 * most as long as its timeout allows, then returns an empty result. Sends and {@link #clients()}
 * are safe from any thread and never block on the network: events are queued and written by the
 * transport's threads. The one wait a send may make is for those threads themselves: when the
 * server's write backlog is over {@link EbsocketServer.Builder#maxOutboundBacklogBytes(long)}
 * (the server cannot write as fast as it is asked to), a send waits until they have written it
 * down to half. That is how an overloaded server slows its pump loop, and through it its
 * senders, instead of growing without bound.
 *
 * <p><b>Clusters.</b> On a server built with a {@link io.ebsockets.spi.ClusterBus} ({@code
 * ebsockets-redis}), {@link #sendEventToClients(EbsocketEvent)}, {@link
 * #sendEventToClientsExcept}, {@link #sendEventToGroup} and {@link #sendEventTo(ConnectionId,
 * EbsocketEvent)} reach the clients of every node, each exactly once while the bus is up; the
 * counts they return are this node's. A {@link Predicate} filter, {@link #request} and {@link
 * #reply} stay on this node. Groups are per node as before (a node takes part in a group's
 * traffic while it has members in it); {@link #presence()} answers for the whole cluster.
 * What the bus guarantees and what it does not is in docs/SCALING.md.
 */
public final class EbsocketSystem implements AutoCloseable {
  /**
   * The most items (new clients, events and disconnects together) one pump returns; the rest is
   * returned by the next pump, at once.
   */
  public static final int MAX_PUMP_BATCH = 65_536;

  private final EbsocketServer server;
  private final AtomicBoolean shutdownHookAdded = new AtomicBoolean();
  /** How sends reach their recipients; the server hands it over once, to its one system. */
  private final Delivery delivery;

  /**
   * Wraps a server; from now on {@link #pump()} reports what happens on it.
   *
   * @param server a server that has no system yet
   * @throws IllegalStateException if the server already has a system
   */
  public EbsocketSystem(EbsocketServer server) {
    this.server = Objects.requireNonNull(server, "server");
    this.delivery = server.attachSystem();
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
    return server.pump().take(timeoutNanos, maxBatch);
  }

  /**
   * Queues an event for one client.
   *
   * @param client the client
   * @param event the event
   * @return true if queued for writing, false if that client is gone (closing or closed)
   * @see EventTooLongException what happens to an event too long to send: never thrown here
   */
  public boolean sendEventTo(EbsocketConnection client, EbsocketEvent event) {
    Objects.requireNonNull(client, "client");
    Objects.requireNonNull(event, "event");
    return delivery.toOne(event, client, 0);
  }

  /**
   * Queues an event for every connected client (of every node, on a cluster); the event is
   * encoded once (once per node).
   *
   * @param event the event
   * @return how many clients it was queued for
   * @see EventTooLongException what happens to an event too long to send: never thrown here
   */
  public int sendEventToClients(EbsocketEvent event) {
    Objects.requireNonNull(event, "event");
    return delivery.toAll(event);
  }

  /**
   * Queues an event for every connected client but one — usually the sender, which most relays
   * want. The event is encoded once. Prefer {@link #sendEventToClientsExcept}, whose name says
   * the same and which a literal {@code null} cannot make ambiguous: {@code
   * sendEventToClients(event, null)} does not compile, since {@code null} fits this method and
   * the {@link Predicate} one alike.
   *
   * @param event the event
   * @param except the client to leave out; a null variable leaves no one out
   * @return how many clients it was queued for
   * @see EventTooLongException what happens to an event too long to send: never thrown here
   */
  public int sendEventToClients(EbsocketEvent event, EbsocketConnection except) {
    return sendEventToClientsExcept(event, except);
  }

  /**
   * Queues an event for every connected client but one — usually the sender, which most relays
   * want. The event is encoded once. Safe from any thread.
   *
   * <pre>{@code
   * system.sendEventToClientsExcept(chat, event.source().orElse(null));
   * }</pre>
   *
   * @param event the event
   * @param except the client to leave out, or null to leave no one out
   * @return how many clients it was queued for
   * @see EventTooLongException what happens to an event too long to send: never thrown here
   */
  public int sendEventToClientsExcept(EbsocketEvent event, EbsocketConnection except) {
    Objects.requireNonNull(event, "event");
    return delivery.toAllExcept(event, except);
  }

  /**
   * Queues an event for every connected client of this node that {@code filter} accepts, e.g. by
   * an attribute. The filter runs on the calling thread and, on a cluster, sees this node's
   * clients only (use a group to reach clients of every node). The event is encoded once.
   *
   * @param event the event
   * @param filter which clients get it
   * @return how many clients it was queued for
   * @see EventTooLongException what happens to an event too long to send: never thrown here
   */
  public int sendEventToClients(EbsocketEvent event, Predicate<EbsocketConnection> filter) {
    Objects.requireNonNull(event, "event");
    Objects.requireNonNull(filter, "filter");
    return delivery.toEach(event, filter);
  }

  /**
   * Queues an event for one client by its cluster-wide id, on this node or another: an id taken
   * from {@link EbsocketConnection#connectionId()}, perhaps carried to this node in an event.
   * Safe from any thread.
   *
   * @param client the client's id
   * @param event the event
   * @return true if queued here or handed to the bus; false if the client is on this node and
   *     gone, or the bus refused the message (it is down). A client of another node that has
   *     disconnected is not known here: the event is then dropped there
   * @see EventTooLongException what happens to an event too long to send: never thrown here
   */
  public boolean sendEventTo(ConnectionId client, EbsocketEvent event) {
    Objects.requireNonNull(client, "client");
    Objects.requireNonNull(event, "event");
    return delivery.toId(client, event);
  }

  /**
   * Returns this node's id: the one given to {@link EbsocketServer.Builder#nodeId}, or one made
   * unique to this process.
   *
   * @return the id, the {@link ConnectionId#node()} of this node's connections
   */
  public String nodeId() {
    return delivery.cluster().nodeId();
  }

  /**
   * Returns who is in which group over the whole cluster (this node alone without a bus), with
   * the attributes named by {@link EbsocketServer.Builder#presenceAttributes}.
   *
   * @return the presence view; safe from any thread
   */
  public Presence presence() {
    return delivery.cluster().presence();
  }

  /**
   * Publishes a client's presence attributes again, in every group it is in: call it after
   * changing an attribute that {@link EbsocketServer.Builder#presenceAttributes} names (a
   * nickname, say). A member's attributes are otherwise those it had when it joined. Safe from
   * any thread; never blocks.
   *
   * @param client the client
   */
  public void updatePresence(EbsocketConnection client) {
    delivery.cluster().republish(Objects.requireNonNull(client, "client"));
  }

  // --------------------------------------------------------------------------- request/reply

  /**
   * Answers a request a client sent with {@link EbsocketClient#request}; the client's future
   * completes with {@code response}. Safe from any thread, usually called from the pump loop.
   *
   * <pre>{@code
   * for (EbsocketEvent event : system.pump().newEvents()) {
   *   if (event.isRequest() && event.compareType("time")) {
   *     system.reply(event, new EbsocketEvent("time").with("millis", System.currentTimeMillis()));
   *   }
   * }
   * }</pre>
   *
   * @param request an event this server received, whose {@link EbsocketEvent#isRequest()} is true
   * @param response the answer
   * @return true if queued for writing, false if that client is gone
   * @throws IllegalArgumentException if {@code request} is not a request this server received
   * @see EventTooLongException what happens to a response too long to send: never thrown here
   */
  public boolean reply(EbsocketEvent request, EbsocketEvent response) {
    Objects.requireNonNull(request, "request");
    Objects.requireNonNull(response, "response");
    EbsocketConnection client = request.sourceOrNull();
    if (!request.isRequest() || client == null) {
      throw new IllegalArgumentException(
          "request: " + request + " is not a received request (expected: an event from pump()"
              + " whose isRequest() is true)");
    }
    return delivery.toOne(response, client, request.requestId());
  }

  /**
   * Sends a request to one client, which answers from its own pump with {@link
   * EbsocketClient#reply}. Returns at once.
   *
   * <p>The future completes on one of the library's callback threads (a small fork/join pool),
   * never on an I/O thread: a callback may wait for another reply with {@code join()} or {@code
   * get()}; other long blocking work belongs on an executor of your own. It fails with a
   * {@link java.util.concurrent.TimeoutException} if no
   * reply comes within {@code timeout}, and with a {@link ConnectionEndedException} at once if the
   * client is gone or disconnects first.
   *
   * @param client the client
   * @param event the request
   * @param timeout how long to wait for the reply; greater than zero
   * @return completed with the reply
   * @see EventTooLongException what happens to an event too long to send: never thrown here
   */
  public CompletableFuture<EbsocketEvent> request(
      EbsocketConnection client, EbsocketEvent event, Duration timeout) {
    Objects.requireNonNull(client, "client");
    Objects.requireNonNull(event, "event");
    Checks.positive(timeout, "timeout");
    return delivery.request(client, event, timeout);
  }

  // ---------------------------------------------------------------------------------- groups

  /**
   * Adds a client to a group (a room), creating the group. Safe from any thread. A client leaves
   * every group when it disconnects.
   *
   * @param client the client
   * @param group the group's name, not empty
   * @return true if it joined, false if it was already a member or has disconnected
   */
  public boolean join(EbsocketConnection client, String group) {
    return delivery.groups().join(client, group);
  }

  /**
   * Removes a client from a group; a group with no members disappears. Safe from any thread.
   *
   * @param client the client
   * @param group the group's name
   * @return true if it was a member
   */
  public boolean leave(EbsocketConnection client, String group) {
    return delivery.groups().leave(client, group);
  }

  /**
   * Returns the groups a client is in.
   *
   * @param client the client
   * @return an unmodifiable snapshot
   */
  public Set<String> groupsOf(EbsocketConnection client) {
    return Set.copyOf(Objects.requireNonNull(client, "client").groupNames());
  }

  /**
   * Returns the members of a group.
   *
   * @param group the group's name
   * @return an unmodifiable snapshot; empty if there is no such group
   */
  public Set<EbsocketConnection> members(String group) {
    return Set.copyOf(delivery.groups().members(group));
  }

  /**
   * Returns the groups that have members.
   *
   * @return an unmodifiable snapshot of their names
   */
  public Set<String> groups() {
    return Set.copyOf(delivery.groups().names());
  }

  /**
   * Queues an event for every member of a group; the event is encoded once.
   *
   * @param group the group's name
   * @param event the event
   * @return how many members it was queued for
   * @see EventTooLongException what happens to an event too long to send: never thrown here
   */
  public int sendEventToGroup(String group, EbsocketEvent event) {
    return sendEventToGroup(group, event, null);
  }

  /**
   * Queues an event for every member of a group but one (usually the sender).
   *
   * @param group the group's name
   * @param event the event
   * @param except the member to leave out (null leaves no one out)
   * @return how many members it was queued for
   * @see EventTooLongException what happens to an event too long to send: never thrown here
   */
  public int sendEventToGroup(String group, EbsocketEvent event, EbsocketConnection except) {
    Objects.requireNonNull(event, "event");
    return delivery.toGroup(group, event, except);
  }

  /**
   * Returns the server's counters: connections now and at peak, accepted, ended by reason, events
   * and bytes in and out, and what waits to be pumped. Cheap; safe from any thread.
   *
   * @return a snapshot
   */
  public SystemStats stats() {
    return server.stats();
  }

  /**
   * Returns whether this server should be sent new clients, for a load balancer's health check:
   * serving or on its way out, its doors listening, its cluster bus connected, its outbound
   * backlog under the bound. A draining server (lame duck or drain) is not {@link Health#ok()}.
   * Any thread; cheap, takes no lock a pump or an I/O thread holds.
   *
   * @return a snapshot
   */
  public Health health() {
    return server.health();
  }

  /**
   * Returns the clients connected now, including those whose connect {@link #pump()} has not
   * reported yet.
   *
   * @return a snapshot, in no particular order
   */
  public List<EbsocketConnection> clients() {
    return delivery.openConnections();
  }

  /**
   * Closes this system, draining (see {@link #close()}), when the JVM shuts down: on SIGTERM or
   * Ctrl-C, or when the last non-daemon thread ends. The one line a server needs to stop cleanly
   * when it is told to: the pump loop keeps running while the JVM's shutdown hooks run, so it
   * drains what was read; the shutdown timeout bounds the wait, and the JVM exits after it.
   * Returns at once; safe from any thread; a second call adds nothing.
   *
   * <pre>{@code
   * EbsocketSystem system = new EbsocketSystem(new EbsocketServer(7982)).closeOnJvmShutdown();
   * }</pre>
   *
   * @return this system
   */
  public EbsocketSystem closeOnJvmShutdown() {
    if (shutdownHookAdded.compareAndSet(false, true)) {
      Runtime.getRuntime().addShutdownHook(new Thread(this::close, "ebsockets-shutdown"));
    }
    return this;
  }

  /**
   * Tells whether the server is closing or closed: true once the drain of {@link #close()} is
   * over (the pump loop has taken everything that was read), false before and while it drains.
   *
   * @return true once the pump loop should end; a pump loop uses it as its condition
   */
  public boolean isClosed() {
    return server.isClosed();
  }

  /**
   * Shuts the server down, draining: with a {@linkplain EbsocketServer.Builder#lameDuck lame-duck
   * period}, first turns new clients away and closes its own spread over the period (health
   * says {@link Health.State#LAME_DUCK}) while the pump loop runs on; then stops accepting and
   * reading at once, then lets the pump loop take and act on everything already read (pumps
   * hand it out without waiting for more; sends keep working), then writes what was sent,
   * closes every connection with {@link CloseReason#SERVER_SHUTDOWN} and releases the threads.
   * {@link #isClosed()} turns true when the drain is over. Blocks the calling thread for at most
   * the server's {@link EbsocketServer.Builder#shutdownTimeout shutdown timeout} (after the
   * lame-duck period, if any), which cuts the drain short if the loop takes longer. Called from
   * the pump loop's own thread, it cannot wait for the loop: events not yet pumped are then
   * dropped. Idempotent; a second call returns at once.
   *
   * <p>What a peer can and cannot lose is in docs/RELIABILITY.md ("Shutdown").
   */
  @Override
  public void close() {
    server.close();
  }
}
