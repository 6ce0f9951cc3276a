package io.ebsockets;

import io.ebsockets.spi.ClientTransport;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A resumable client's side of its session (docs/PROTOCOL.md, "Resumable sessions"): the id and
 * token the server's welcome gave, how many events it received from the server (counted, never
 * numbered on the wire), and what it sent that the server has not acknowledged yet, kept to be
 * sent again after a resume or handed back to the application when the session is lost.
 *
 * <p><b>Threads.</b> {@link #record} and {@link #cameBack} run under the client's send lock (an
 * application thread or the blocking pool); the counting of received events, the
 * acknowledgements and the welcome run on the connection's transport thread. The deque of
 * unacknowledged events has a monitor of its own, held only for a deque operation, so a transport
 * thread never waits on a sender.
 */
final class ClientSession {
  /**
   * Acknowledge at once after this many events from the server, unless its welcome asks for
   * another count ({@code session.ackEvery}).
   */
  static final int ACK_EVERY = 32;
  /** Otherwise acknowledge within this long of a pass of reads. */
  static final long ACK_DELAY_MILLIS = 50;
  static final String ACK = "ebsockets.ack";

  /** An event sent in the session, with its request/reply ids. */
  private record Outgoing(EbsocketEvent event, long requestId, long replyTo) {}

  /** What a welcome said of the session. */
  record Welcome(
      String id, String token, ConnectionChange.Kind outcome, long received, int ackEvery) {
    /** The welcome's {@code session} member, or null if the server keeps no sessions. */
    static Welcome of(Map<String, Object> welcomeData) {
      if (!(welcomeData.get("session") instanceof Map<?, ?> s)
          || !(s.get("id") instanceof String id)
          || !(s.get("token") instanceof String token)) {
        return null;
      }
      ConnectionChange.Kind outcome =
          switch (String.valueOf(s.get("outcome"))) {
            case "resumed" -> ConnectionChange.Kind.RESUMED;
            case "expired" -> ConnectionChange.Kind.SESSION_EXPIRED;
            case "new" -> null;
            default -> ConnectionChange.Kind.SESSION_UNKNOWN;
          };
      long received = s.get("received") instanceof Number n ? n.longValue() : -1;
      int ackEvery = s.get("ackEvery") instanceof Integer n && n > 0 ? n : ACK_EVERY;
      return new Welcome(id, token, outcome, received, ackEvery);
    }
  }

  private final int capacity;
  // Written on the transport thread of the connection being made, read by the next hello.
  private volatile String id;
  private volatile String token;
  /** Events received from the server in this session; the transport thread writes it. */
  private volatile long received;
  private volatile long acknowledged;
  /** How many events from the server are acknowledged at once; the welcome says. */
  private volatile int ackEvery = ACK_EVERY;
  private final AtomicBoolean ackScheduled = new AtomicBoolean();

  private final ArrayDeque<Outgoing> unacked = new ArrayDeque<>();
  /** Number of the first event in {@link #unacked}; guarded by it, as is {@link #sent}. */
  private long firstKept = 1;
  private long sent;

  ClientSession(int capacity) {
    this.capacity = capacity;
  }

  /** True once a server gave this client a session. */
  boolean isActive() {
    return id != null;
  }

  /** The hello's {@code resume} member: asks for a session, or names the one to resume. */
  Map<String, Object> helloMembers() {
    String sessionId = id;
    if (sessionId == null) {
      return Map.of("resume", Map.of());
    }
    return Map.of("resume", Map.of("session", sessionId, "token", token, "received", received));
  }

  /**
   * Transport thread, before any event of the new connection: takes the welcome's session; a new
   * one starts counting from zero.
   */
  void welcomed(Welcome welcome) {
    boolean resumed = welcome.outcome() == ConnectionChange.Kind.RESUMED && isActive();
    id = welcome.id();
    token = welcome.token();
    ackEvery = welcome.ackEvery();
    if (!resumed) {
      received = 0;
      acknowledged = 0;
    }
  }

  /**
   * Under the send lock: numbers one event about to be sent (or held while offline).
   *
   * @throws IllegalStateException if {@code capacity} events are unacknowledged already
   */
  void record(EbsocketEvent event, long requestId, long replyTo, Object where) {
    synchronized (unacked) {
      if (unacked.size() >= capacity) {
        throw new IllegalStateException(
            "resumable session full: " + unacked.size() + " events sent to " + where
                + " are not acknowledged yet (expected: at most offlineBufferEvents " + capacity
                + "; slow down or raise it)");
      }
      unacked.add(new Outgoing(event, requestId, replyTo));
      sent++;
    }
  }

  /** Under the send lock: the event just recorded was not sent after all (it was too long). */
  void unrecord() {
    synchronized (unacked) {
      unacked.pollLast();
      sent--;
    }
  }

  /**
   * Under the send lock, as the reconnect is established: a resumed session frees what the
   * server received and sends the rest again, in order; any other outcome hands back everything
   * unacknowledged and starts the numbering again.
   *
   * @return the events handed back (empty for a resume)
   */
  List<EbsocketEvent> cameBack(Welcome welcomeOrNull) {
    Welcome welcome = welcomeOrNull;
    synchronized (unacked) {
      if (welcome != null && welcome.outcome() == ConnectionChange.Kind.RESUMED) {
        free(welcome.received());
        return List.of();
      }
      List<EbsocketEvent> handedBack = new ArrayList<>(unacked.size());
      for (Outgoing o : unacked) {
        handedBack.add(o.event());
      }
      unacked.clear();
      firstKept = 1;
      sent = 0;
      return handedBack;
    }
  }

  /** Whether a resumed welcome's count of received events is one this client can believe. */
  boolean plausible(Welcome welcome) {
    synchronized (unacked) {
      return welcome.received() >= firstKept - 1 && welcome.received() <= sent;
    }
  }

  /**
   * Under the send lock, after a resume: sends again what the server has not received.
   *
   * @return false if the connection refused one (it failed again); the rest stays kept
   */
  boolean resend(ClientTransport transport) {
    List<Outgoing> again;
    synchronized (unacked) {
      again = new ArrayList<>(unacked);
    }
    for (Outgoing o : again) {
      if (!transport.send(o.event(), o.requestId(), o.replyTo())) {
        return false;
      }
    }
    return true;
  }

  private void free(long upTo) {
    while (firstKept <= upTo && !unacked.isEmpty()) {
      unacked.poll();
      firstKept++;
    }
  }

  /** Transport thread: the server acknowledged the first {@code upTo} events of the session. */
  void acked(Object value) {
    if (value instanceof Number n) {
      synchronized (unacked) {
        free(Math.min(n.longValue(), sent));
      }
    }
  }

  /** Transport thread: one application event (or reply) arrived from the server. */
  @SuppressWarnings("NonAtomicVolatileUpdate") // one writer: the connection's transport thread
  void countReceived(io.ebsockets.spi.TransportChannel transport) {
    long n = ++received;
    if (n - acknowledged >= ackEvery) {
      acknowledge(transport);
    }
  }

  /** Transport thread: a pass of reads ended; what it delivered is acknowledged shortly. */
  void passEnded(io.ebsockets.spi.TransportChannel transport) {
    if (received != acknowledged && ackScheduled.compareAndSet(false, true)) {
      Callbacks.scheduleBlocking(
          TimeUnit.MILLISECONDS.toNanos(ACK_DELAY_MILLIS),
          () -> {
            ackScheduled.set(false);
            if (received != acknowledged) {
              acknowledge(transport);
            }
          });
    }
  }

  private void acknowledge(io.ebsockets.spi.TransportChannel transport) {
    long n = received;
    acknowledged = n;
    transport.sendControl(ACK, Map.of("received", n));
  }

  /** The server keeps no session for this client any more (it answered without one). */
  void forget() {
    id = null;
    token = null;
    received = 0;
    acknowledged = 0;
  }

  /** How many sent events wait for the server's acknowledgement, for tests. */
  int unacknowledged() {
    synchronized (unacked) {
      return unacked.size();
    }
  }
}
