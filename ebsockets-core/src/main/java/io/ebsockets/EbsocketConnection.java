package io.ebsockets;

import io.ebsockets.spi.TransportChannel;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A client connected to an {@link EbsocketServer}: the handle that {@link EbsocketSystem#pump()}
 * reports and that {@link EbsocketSystem#sendEventTo} takes. Safe to use from any thread.
 */
public final class EbsocketConnection {
  private final TransportChannel channel;
  final Backpressure.Account account;
  /** Made on first use: most connections of a busy server never get attributes. */
  private volatile Map<String, Object> attributes;
  private volatile Set<String> groupNames;
  private volatile boolean leftEverything;
  /** The server's requests to this client; made on the first one. */
  private volatile Requests requests;

  private final String nodeId;

  EbsocketConnection(TransportChannel channel, Backpressure backpressure, String nodeId) {
    this.channel = channel;
    this.nodeId = nodeId;
    this.account = backpressure.account(channel);
  }

  // ------------------------------------------------------------------------------ attributes

  /**
   * Returns an application attribute, e.g. the user name a chat server stored at login.
   *
   * @param key the attribute's name
   * @return the value, or null if not set
   */
  public Object attribute(String key) {
    Objects.requireNonNull(key, "key");
    Map<String, Object> map = attributes;
    return map == null ? null : map.get(key);
  }

  /**
   * Returns an application attribute of a given type.
   *
   * @param <T> the type
   * @param key the attribute's name
   * @param type the type expected
   * @return the value, or empty if not set
   * @throws ClassCastException naming the key if the value is of another type
   */
  public <T> Optional<T> attribute(String key, Class<T> type) {
    Object value = attribute(key);
    if (value == null) {
      return Optional.empty();
    }
    if (!type.isInstance(value)) {
      throw new ClassCastException(
          "attribute '" + key + "' of " + this + ": a " + value.getClass().getName()
              + " (expected: " + type.getName() + ")");
    }
    return Optional.of(type.cast(value));
  }

  /**
   * Sets an application attribute. Safe from any thread; attributes live as long as this object.
   *
   * @param key the attribute's name
   * @param value the value; null removes the attribute
   * @return the previous value, or null
   */
  public Object setAttribute(String key, Object value) {
    Objects.requireNonNull(key, "key");
    if (value == null) {
      Map<String, Object> map = attributes;
      return map == null ? null : map.remove(key);
    }
    return attributeMap().put(key, value);
  }

  /**
   * Returns every application attribute.
   *
   * @return an unmodifiable snapshot
   */
  public Map<String, Object> attributes() {
    Map<String, Object> map = attributes;
    return map == null ? Map.of() : Map.copyOf(map);
  }

  private Map<String, Object> attributeMap() {
    Map<String, Object> map = attributes;
    if (map == null) {
      synchronized (this) {
        map = attributes;
        if (map == null) {
          map = new ConcurrentHashMap<>(4);
          attributes = map;
        }
      }
    }
    return map;
  }

  // ------------------------------------------------------------------------------ groups

  Set<String> groupNames() {
    Set<String> names = groupNames;
    if (names == null) {
      synchronized (this) {
        names = groupNames;
        if (names == null) {
          names = ConcurrentHashMap.newKeySet(4);
          groupNames = names;
        }
      }
    }
    return names;
  }

  boolean hasLeftEverything() {
    return leftEverything;
  }

  void markLeftEverything() {
    leftEverything = true;
  }

  // ------------------------------------------------------------------------------ requests

  /** The server's requests to this client, made on first use with the server's id source. */
  Requests requests(java.util.function.Supplier<Requests> factory) {
    Requests r = requests;
    if (r == null) {
      synchronized (this) {
        r = requests;
        if (r == null) {
          r = factory.get();
          requests = r;
        }
      }
    }
    return r;
  }

  // ------------------------------------------------------------------------------ facts

  /**
   * Returns when this connection was accepted.
   *
   * @return the time
   */
  public Instant connectedSince() {
    return channel.stats().connectedSince();
  }

  /**
   * Returns this connection's counters: last activity, events and bytes in and out, bytes queued.
   *
   * @return a snapshot
   */
  public ConnectionStats stats() {
    return channel.stats();
  }

  TransportChannel channel() {
    return channel;
  }

  /**
   * Returns this connection's id.
   *
   * @return an id unique among the connections of one server, in the order they were accepted
   */
  public long id() {
    return channel.id();
  }

  /**
   * Returns this connection's id across the nodes of a cluster: this node's id and {@link
   * #id()}. An application may carry it to another node, which reaches this client with {@link
   * EbsocketSystem#sendEventTo(ConnectionId, EbsocketEvent)}.
   *
   * @return the id, e.g. {@code chat-1/42}
   */
  public ConnectionId connectionId() {
    return new ConnectionId(nodeId, id());
  }

  /**
   * Returns the client's address.
   *
   * @return the remote address
   */
  public InetSocketAddress remoteAddress() {
    return channel.remoteAddress();
  }

  /**
   * Returns the door this connection came through: TCP or WebSocket. Safe from any thread.
   *
   * @return the door
   */
  public Door door() {
    return channel.door();
  }

  /**
   * Tells whether events can still be sent to this client.
   *
   * @return false as soon as the connection is closing or closed
   */
  public boolean isOpen() {
    return channel.isOpen();
  }

  /**
   * Returns how many times this client's link was lost and its resumable session resumed
   * ({@link EbsocketServer.Builder#resumption}): the connection stayed the same, and no event
   * either way was lost or repeated. Safe from any thread.
   *
   * @return the count; 0 if the client is not resumable or never lost its link
   */
  public long resumes() {
    return channel.resumes();
  }

  /**
   * Returns why the connection ended: its {@link CloseStatus}, a reason and a message.
   *
   * @return the status, or empty while the connection is open
   */
  public Optional<CloseStatus> closeStatus() {
    return channel.closeStatus();
  }

  /**
   * Returns why the connection ended.
   *
   * @return the status, or empty while the connection is open
   * @deprecated it returns a {@link CloseStatus}, not a {@link CloseReason}: use {@link
   *     #closeStatus()}, the same value under the name the SPI and {@link ClientPumpResult} use
   */
  @Deprecated(since = "0.2")
  public Optional<CloseStatus> closeReason() {
    return closeStatus();
  }

  /**
   * Closes the connection ({@link CloseReason#KICKED}): what was already sent is written first,
   * then the client is told the reason. Returns at once; the connection appears in {@link
   * PumpResult#disconnectedClients()} once it has closed. Idempotent.
   */
  public void close() {
    close("");
  }

  /**
   * Closes the connection ({@link CloseReason#KICKED}) and tells the client why.
   *
   * @param message a human-readable explanation the client receives
   * @see #close()
   */
  public void close(String message) {
    channel.close(CloseReason.KICKED, Objects.requireNonNull(message, "message"));
  }

  /** Returns e.g. {@code EbsocketConnection#3(/127.0.0.1:51234)}. */
  @Override
  public String toString() {
    return "EbsocketConnection#" + id() + "(" + remoteAddress() + ")";
  }

  /** Queues a connection's events and its end into the server's inbox, on a transport thread. */
  static final class Sink extends EventSink {
    private final EbsocketConnection connection;
    private final EbsocketServer server;
    /** The transport calls {@link #readComplete()}: queue quietly, wake the pump once a pass. */
    private final boolean batched;

    Sink(EbsocketConnection connection, EbsocketServer server) {
      this.connection = connection;
      this.server = server;
      this.batched = connection.channel().reportsReadComplete();
    }

    @Override
    EbsocketConnection source() {
      return connection;
    }

    @Override
    boolean deliver(EbsocketEvent received, int frameBytes, long replyTo) {
      server.countIn(frameBytes);
      if (replyTo != 0) {
        // A reply completes its request's future and never reaches the pump.
        Requests r = connection.requests;
        if (r == null) {
          server.droppedReply();
        } else {
          r.replied(replyTo, received);
        }
        return true;
      }
      server.inbox().offer(received, !batched);
      return server.backpressure().received(connection.account, received.chargedBytes(), batched);
    }

    @Override
    public void readComplete() {
      server.backpressure().passEnded(connection.account);
      server.inbox().signal();
    }

    @Override
    public boolean readyToResume() {
      return server.backpressure().readyToResume(connection.account);
    }

    @Override
    public boolean acceptsMore() {
      return server.backpressure().acceptsMore(connection.account);
    }

    @Override
    public void closed(CloseStatus status) {
      server.backpressure().forget(connection.account);
      Requests r = connection.requests;
      if (r != null) {
        r.end(status);
      }
      server.disconnected(connection, status);
    }
  }
}
