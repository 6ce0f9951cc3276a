package io.ebsockets;

import io.ebsockets.spi.ChannelSink;
import io.ebsockets.spi.ClientTransport;
import java.io.IOException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A client's link to its server: the current connection, the offline gate that holds what is
 * sent while the client reconnects, and the reconnect loop its {@link ReconnectPolicy} paces.
 * {@link EbsocketClient} keeps the facade, the receiving side and the end.
 *
 * <p><b>Threads.</b> Sends come from application threads; a lost connection is reported on a
 * transport thread, which only flips a volatile flag and schedules; attempts run on the blocking
 * pool ({@link Callbacks}). The lock that guards the offline buffer is taken by application
 * threads and the blocking pool only, never by a transport thread: those are shared by every
 * client of the JVM, and a wait there would stall them all.
 */
final class ClientLink {
  private static final Logger log = LoggerFactory.getLogger(ClientLink.class);

  /** What the link needs of its client. */
  interface Client {
    /** A sink for a new connection. */
    Attempt newAttempt();

    /** Why the client ended, or null while it has not. */
    CloseStatus endStatus();

    /** True once the application closed the client. */
    boolean isClosed();

    /**
     * A reconnect attempt succeeded.
     *
     * @param outcome for a resumable client, how its session came back; else {@link
     *     ConnectionChange.Kind#RECONNECTED}
     * @param handedBack what the lost session never acknowledged
     */
    void reconnected(int attempts, ConnectionChange.Kind outcome, java.util.List<EbsocketEvent> handedBack);

    /** The policy's attempts are used up: the client ends with this status. */
    void gaveUp(CloseStatus status);
  }

  /** One connection's sink, which becomes established once unless its connection ended first. */
  interface Attempt extends ChannelSink {
    /** Marks the connection established; false if it had already ended. */
    boolean establish();

    /** What the welcome said of a resumable session, or null if it said nothing. */
    ClientSession.Welcome welcome();
  }

  private final ClientOptions options;
  private final ReconnectPolicy reconnect;
  private final Client client;
  private final Object sendLock = new Object();
  /** Guarded by sendLock: events sent while reconnecting; null without reconnection. */
  private final OfflineBuffer offline;
  /** A resumable client's session; null if the client is not resumable. */
  private final ClientSession session;
  /** Guarded by sendLock: how the last connection established came back, and what it handed back. */
  private ConnectionChange.Kind cameBack = ConnectionChange.Kind.RECONNECTED;
  private java.util.List<EbsocketEvent> handedBack = java.util.List.of();
  /**
   * True while reconnecting. Set by a transport thread without the lock when a connection is
   * lost: a sender that read false meanwhile finds the transport closed ({@code send} returns
   * false) and holds its event, as if it had read true. Cleared only under sendLock, after the
   * held events were flushed.
   */
  private volatile boolean offlineMode;
  /** The current connection, or the last one while reconnecting. */
  private volatile ClientTransport transport;
  /** Where the first connect went, for messages: an address or a URI. */
  private volatile Object address;
  /** Makes one connection there; reconnects use it too. */
  private volatile Dial dial;
  private volatile ScheduledFuture<?> nextAttempt;

  ClientLink(
      ClientOptions options, ReconnectPolicy reconnectOrNull, boolean resumable, Client client) {
    this.options = options;
    this.reconnect = reconnectOrNull;
    this.client = client;
    this.offline =
        reconnectOrNull == null ? null : new OfflineBuffer(reconnectOrNull.offlineBufferEvents());
    this.session =
        resumable && reconnectOrNull != null
            ? new ClientSession(reconnectOrNull.offlineBufferEvents())
            : null;
  }

  /** The resumable session, or null if the client is not resumable. */
  ClientSession session() {
    return session;
  }

  /** True while the server keeps a session for this client: a lost connection may resume. */
  boolean resumes() {
    return session != null && session.isActive();
  }

  /** The current connection, or the last one; null before the first connect. */
  ClientTransport transport() {
    return transport;
  }

  /** Where the client connected (an address or a URI); null before the first connect. */
  Object address() {
    return address;
  }

  /** One connection attempt to where the client connects. */
  @FunctionalInterface
  interface Dial {
    ClientTransport dial(io.ebsockets.spi.ChannelSink sink) throws IOException;
  }

  /** True while the link is reconnecting and sends are held. */
  boolean isOffline() {
    return offlineMode;
  }

  /**
   * Connects for the first time. Blocks up to the connect timeout.
   *
   * @return the connection, established
   * @throws IOException if it cannot connect, or the server closed at once
   */
  ClientTransport connect(Object address, Dial dial) throws IOException {
    this.address = address;
    this.dial = dial;
    Attempt sink = client.newAttempt();
    ClientTransport t = dial.dial(sink);
    if (!establish(sink, t)) {
      throw new IOException(
          "cannot connect to " + address + ": the server closed the connection at once ("
              + t.closeStatus().map(CloseStatus::toString).orElse("no reason given") + ")");
    }
    return t;
  }

  private boolean establish(Attempt sink, ClientTransport t) {
    synchronized (sendLock) {
      if (!sink.establish()) {
        return false;
      }
      transport = t;
      if (session != null && (session.isActive() || sink.welcome() != null)) {
        offlineMode = !sessionCameBack(sink.welcome(), t);
      } else {
        cameBack = ConnectionChange.Kind.RECONNECTED;
        offlineMode = offline != null && !offline.sendTo(t);
      }
      return true;
    }
  }

  /**
   * Under sendLock: a resumable client's connection is established; its session resumed (what the
   * server did not receive is sent again) or is new (what the old one never acknowledged is
   * handed back).
   *
   * @return false if the connection failed while sending again
   */
  private boolean sessionCameBack(ClientSession.Welcome welcome, ClientTransport t) {
    ClientSession.Welcome w = welcome;
    if (w != null && w.outcome() == ConnectionChange.Kind.RESUMED && !session.plausible(w)) {
      log.warn("{} says it received {} events of this session, which this client never sent;"
          + " treating the session as lost", address, w.received());
      w = new ClientSession.Welcome(
          w.id(), w.token(), ConnectionChange.Kind.SESSION_EXPIRED, 0, w.ackEvery());
    }
    if (w == null) {
      session.forget(); // a server that keeps no sessions
      cameBack = ConnectionChange.Kind.SESSION_UNKNOWN;
    } else {
      cameBack = w.outcome() == null ? ConnectionChange.Kind.RECONNECTED : w.outcome();
    }
    handedBack = session.cameBack(w);
    return session.resend(t);
  }

  /**
   * Sends on the current connection or, while reconnecting, holds the event. Application threads.
   *
   * @throws IllegalStateException if not connected, or the client has ended
   */
  void send(EbsocketEvent event, long requestId, long replyTo) {
    if (reconnect == null) {
      ClientTransport t = requireTransport();
      if (!t.send(event, requestId, replyTo)) {
        throw new IllegalStateException(
            "not connected: the connection has ended ("
                + t.closeStatus().map(CloseStatus::toString).orElse("closing")
                + ")");
      }
      return;
    }
    synchronized (sendLock) {
      ClientTransport t = requireTransport();
      CloseStatus ended = client.endStatus();
      if (ended != null) {
        throw new IllegalStateException(
            "not connected: the client has ended (" + ended + "; expected: a new client)");
      }
      if (session != null && session.isActive()) {
        session.record(event, requestId, replyTo, address);
        if (!offlineMode) {
          try {
            t.send(event, requestId, replyTo); // refused: kept, and sent again on the resume
          } catch (RuntimeException e) {
            session.unrecord();
            throw e;
          }
        }
        return;
      }
      if (!offlineMode && t.send(event, requestId, replyTo)) {
        return;
      }
      offline.hold(event, requestId, replyTo, address);
    }
  }

  private ClientTransport requireTransport() {
    ClientTransport t = transport;
    if (t == null) {
      throw new IllegalStateException("not connected (expected: connectTo first)");
    }
    return t;
  }

  /**
   * The connection was lost: true if the link reconnects (sends are held from now on), false if
   * the client ends. A transport thread; takes no lock.
   */
  boolean reconnectsAfter(CloseStatus status) {
    if (reconnect == null || client.isClosed()
        || !ReconnectPolicy.reconnectsAfter(status.reason())) {
      return false;
    }
    offlineMode = true;
    if (dial instanceof Failover failover) {
      failover.lost(status);
    }
    log.debug("connection to {} lost ({}); reconnecting", address, status);
    scheduleAttempt(1, status, status.retryAfter());
    return true;
  }

  /** Attempt {@code attempt} after the server's hint (zero if none) and the policy's jitter. */
  private void scheduleAttempt(int attempt, CloseStatus lost, java.time.Duration hint) {
    long delay = reconnect.delayNanos(attempt, ThreadLocalRandom.current().nextDouble())
        + hint.toNanos();
    nextAttempt = Callbacks.scheduleBlocking(delay, () -> attempt(attempt, lost));
    if (client.isClosed()) {
      nextAttempt.cancel(false);
    }
  }

  /** The blocking pool: one attempt, then success, the next attempt, or giving up. */
  private void attempt(int attempt, CloseStatus lost) {
    if (client.isClosed()) {
      return;
    }
    Attempt sink = client.newAttempt();
    String failure;
    java.time.Duration hint = java.time.Duration.ZERO;
    try {
      ClientTransport t = dial.dial(sink);
      if (establish(sink, t)) {
        if (client.isClosed()) {
          EbsocketClient.closeQuietly(t, options);
          return;
        }
        log.debug("reconnected to {} after {} attempts", address, attempt);
        ConnectionChange.Kind outcome;
        java.util.List<EbsocketEvent> back;
        synchronized (sendLock) {
          outcome = cameBack;
          back = handedBack;
          handedBack = java.util.List.of();
        }
        client.reconnected(attempt, outcome, back);
        return;
      }
      failure = "closed at once (" + t.closeStatus().map(Object::toString).orElse("") + ")";
      if (dial instanceof Failover failover) {
        failover.refused();
      }
      hint = t.closeStatus().map(CloseStatus::retryAfter).orElse(hint);
    } catch (ConnectionEndedException e) {
      failure = e.getMessage();
      hint = e.status().retryAfter(); // refused before the welcome: server_full, overloaded, ...
    } catch (IOException | RuntimeException e) {
      failure = e.getMessage();
    }
    if (reconnect.maxAttempts() > 0 && attempt >= reconnect.maxAttempts()) {
      client.gaveUp(
          new CloseStatus(
              lost.reason(),
              lost.message() + " (gave up reconnecting after " + attempt + " attempts; last: "
                  + failure + ")"));
    } else {
      log.debug("reconnect attempt {} to {} failed: {}", attempt, address, failure);
      scheduleAttempt(attempt + 1, lost, hint);
    }
  }

  /**
   * The client ended: what was held is discarded (and its requests failed), on the blocking pool,
   * since this may be a transport thread and a sender may hold the lock.
   */
  void ended() {
    if (offline != null) {
      Callbacks.runBlocking(
          () -> {
            synchronized (sendLock) {
              offline.clear(address);
            }
          });
    }
  }

  /** The client is closing: no further attempt starts. Any thread. */
  void stopReconnecting() {
    ScheduledFuture<?> pending = nextAttempt;
    if (pending != null) {
      pending.cancel(false);
    }
  }
}
