package io.ebsockets;

import io.ebsockets.spi.ServerTransport;
import io.ebsockets.spi.TransportChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * How a server's sends reach their recipients: who can be reached (every connection, a filter, a
 * group), the hand-over to the transport, and what an event too long to send does — it is
 * dropped and counted ({@link OversizedSends}), never thrown, so that no peer's input can end a
 * pump loop. {@link EbsocketSystem} checks the arguments and documents the promises.
 *
 * <p><b>Threads.</b> Any thread, as the transport's sends.
 */
final class Delivery implements ClusterLink.LocalSends {
  private final ServerTransport transport;
  private final ClusterLink cluster;
  private final Map<Long, EbsocketConnection> byId;
  private final Collection<EbsocketConnection> connections;
  private final Collection<TransportChannel> channels;
  private final Groups groups;
  private final Supplier<Requests> newRequests;
  private final OversizedSends oversized = new OversizedSends();

  Delivery(
      ServerTransport transport,
      ClusterLink cluster,
      Map<Long, EbsocketConnection> byId,
      Collection<EbsocketConnection> connections,
      Collection<TransportChannel> channels,
      Groups groups,
      Supplier<Requests> newRequests) {
    this.transport = transport;
    this.cluster = cluster;
    this.byId = byId;
    this.connections = connections;
    this.channels = channels;
    this.groups = groups;
    this.newRequests = newRequests;
  }

  Groups groups() {
    return groups;
  }

  /** The connections that are open now. */
  List<EbsocketConnection> openConnections() {
    List<EbsocketConnection> open = new ArrayList<>();
    for (EbsocketConnection connection : connections) {
      if (connection.isOpen()) {
        open.add(connection);
      }
    }
    return open;
  }

  ClusterLink cluster() {
    return cluster;
  }

  /** To every connection of every node; how many here it was queued for. */
  int toAll(EbsocketEvent event) {
    int here = send(event, channels);
    cluster.publishToAll(event);
    return here;
  }

  /** To every connection of every node but one of this node's (null: none left out). */
  int toAllExcept(EbsocketEvent event, EbsocketConnection except) {
    int here = except == null ? send(event, channels) : toEach(event, c -> c != except);
    cluster.publishToAll(event);
    return here;
  }

  /** To every connection of this node the filter accepts (a filter does not cross nodes). */
  int toEach(EbsocketEvent event, Predicate<EbsocketConnection> filter) {
    return toEach(event, connections, filter);
  }

  /** To the members of a group on every node, but one of this node's (null: none left out). */
  int toGroup(String group, EbsocketEvent event, EbsocketConnection except) {
    int here = toEach(event, groups.members(group), c -> c != except);
    cluster.publishToGroup(group, event);
    return here;
  }

  /** To a connection on whichever node holds it; false if gone here or refused by the bus. */
  boolean toId(ConnectionId id, EbsocketEvent event) {
    return id.node().equals(cluster.nodeId())
        ? toLocalId(id.local(), event)
        : cluster.publishToOne(id, event);
  }

  /** To this node's connection with that local id; false if there is none (any more). */
  private boolean toLocalId(long localId, EbsocketEvent event) {
    EbsocketConnection here = byId.get(localId);
    return here != null && toOne(event, here, 0);
  }

  @Override
  public void toAllHere(EbsocketEvent event) {
    send(event, channels);
  }

  @Override
  public void toGroupHere(String group, EbsocketEvent event) {
    toEach(event, groups.members(group), c -> true);
  }

  @Override
  public void toOneHere(long localId, EbsocketEvent event) {
    toLocalId(localId, event);
  }

  private int toEach(
      EbsocketEvent event,
      Collection<EbsocketConnection> targets,
      Predicate<EbsocketConnection> filter) {
    return send(event, () -> new ChannelIterator(targets.iterator(), filter));
  }

  /** To one connection, maybe as the reply to a request; false if closed or too long. */
  boolean toOne(EbsocketEvent event, EbsocketConnection client, long replyTo) {
    TransportChannel channel = client.channel();
    if (!channel.isOpen()) {
      return false;
    }
    try {
      return transport.sendTo(event, channel, 0, replyTo);
    } catch (EventTooLongException e) {
      oversized.dropped(e);
      return false;
    }
  }

  /** A request to one connection; the future fails if it cannot be sent. */
  CompletableFuture<EbsocketEvent> request(
      EbsocketConnection client, EbsocketEvent event, Duration timeout) {
    CompletableFuture<EbsocketEvent> future = new CompletableFuture<>();
    Requests requests = client.requests(newRequests);
    long id = requests.start(event, timeout, future, client);
    boolean sent;
    try {
      sent = client.isOpen() && transport.sendTo(event, client.channel(), id, 0);
    } catch (EventTooLongException e) {
      oversized.dropped(e);
      requests.fail(id, e);
      return future;
    } catch (RuntimeException e) {
      requests.fail(id, e);
      throw e;
    }
    if (!sent) {
      CloseStatus status =
          client.closeStatus().orElse(new CloseStatus(CloseReason.PEER_CLOSED, ""));
      requests.fail(
          id,
          new ConnectionEndedException(
              "request " + event.type() + " to " + client + ": the client is gone (" + status + ")",
              status));
    }
    return future;
  }

  private int send(EbsocketEvent event, Iterable<? extends TransportChannel> targets) {
    try {
      return transport.send(event, targets);
    } catch (EventTooLongException e) {
      oversized.dropped(e);
      return 0;
    }
  }

  /** The channels of the connections a filter accepts, found as the transport iterates. */
  private static final class ChannelIterator implements Iterator<TransportChannel> {
    private final Iterator<EbsocketConnection> connections;
    private final Predicate<EbsocketConnection> filter;
    private TransportChannel next;

    ChannelIterator(Iterator<EbsocketConnection> connections, Predicate<EbsocketConnection> filter) {
      this.connections = connections;
      this.filter = filter;
    }

    @Override
    public boolean hasNext() {
      while (next == null && connections.hasNext()) {
        EbsocketConnection candidate = connections.next();
        if (filter.test(candidate)) {
          next = candidate.channel();
        }
      }
      return next != null;
    }

    @Override
    public TransportChannel next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      TransportChannel result = next;
      next = null;
      return result;
    }
  }
}
