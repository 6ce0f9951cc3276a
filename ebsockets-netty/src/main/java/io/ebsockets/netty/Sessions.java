package io.ebsockets.netty;

import io.ebsockets.CloseStatus;
import io.ebsockets.Resumption;
import io.ebsockets.SessionStats;
import io.ebsockets.spi.ConnectionListener;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * A server's resumable sessions: makes them (an id and an unguessable token), finds the one a
 * resuming client names, and remembers for one window the ids of those that expired, so that a
 * client coming back late is told "expired" rather than "unknown".
 *
 * <p><b>Threads.</b> Any; the loops call it as hellos arrive.
 */
final class Sessions {
  /** Random bytes in a session id: 96 bits, to name it (not to guard it). */
  private static final int ID_BYTES = 12;
  /** Random bytes in a resume token: 144 bits, compared in constant time. */
  static final int TOKEN_BYTES = 18;

  private static final Base64.Encoder BASE64 = Base64.getUrlEncoder().withoutPadding();

  /** The most events a client is asked to receive before it acknowledges them. */
  static final int MAX_ACK_EVERY = 1024;

  private final Resumption policy;
  private final int ackEvery;
  private final SecureRandom random = new SecureRandom();
  private final Map<String, ServerSession> live = new ConcurrentHashMap<>();
  /** Ids of sessions that ended while resumable, until when they are remembered (nanoTime). */
  private final Map<String, Long> expired = new ConcurrentHashMap<>();
  private final LongAdder resumed = new LongAdder();
  private final LongAdder expiredCount = new LongAdder();
  private final LongAdder refused = new LongAdder();
  private volatile boolean closed;

  Sessions(Resumption policy) {
    this.policy = policy;
    this.ackEvery = ackEvery(policy);
  }

  /**
   * How many of the server's events a client acknowledges at once, told in the welcome: a
   * quarter of the replay bound, so that a client that acknowledges as asked never brings its
   * session near it, and at most {@value #MAX_ACK_EVERY}: each acknowledgement is a frame the
   * server reads, and at one per 32 events they cost a broadcast a third of its throughput.
   */
  static int ackEvery(Resumption policy) {
    return Math.max(1, Math.min(MAX_ACK_EVERY, policy.maxEvents() / 4));
  }

  /**
   * Loop: admits a connection whose hello asked for a resumable session ({@code resume} in its
   * data): resumes the one it names if its token is right and the session can go on, or opens a
   * new one. Either way the connection is attached to its session.
   *
   * @return the welcome's {@code session} member
   */
  Map<String, Object> admit(
      NettyConnection connection, Map<?, ?> resume, ConnectionListener listener) {
    ServerSession.Outcome outcome = ServerSession.Outcome.NEW;
    if (resume.get("session") instanceof String id) {
      outcome = ServerSession.Outcome.UNKNOWN;
      ServerSession session = live.get(id);
      long clientReceived = count(resume.get("received"));
      byte[] presented = decode(resume.get("token"));
      if (session != null && presented != null && clientReceived >= 0
          && session.door() == connection.door()) {
        long serverReceived =
            session.resume(connection, presented, newToken(), clientReceived);
        if (serverReceived >= 0) {
          resumed.increment();
          connection.attach(session.carrier());
          return welcome(session, ServerSession.Outcome.RESUMED, serverReceived);
        }
        if (serverReceived == -1) {
          outcome = ServerSession.Outcome.EXPIRED;
        }
      } else if (session == null && isRemembered(id)) {
        outcome = ServerSession.Outcome.EXPIRED;
      }
      // A wrong token is "unknown": it takes nothing over and tells nothing of the session.
      if (outcome == ServerSession.Outcome.UNKNOWN) {
        refused.increment();
      }
    }
    ServerSession session = open(connection);
    session.opened(listener.opened(session));
    connection.attach(session.carrier());
    return welcome(session, outcome, 0);
  }

  private ServerSession open(NettyConnection connection) {
    byte[] id = new byte[ID_BYTES];
    random.nextBytes(id);
    ServerSession session =
        new ServerSession(this, BASE64.encodeToString(id), newToken(), connection, policy);
    connection.session(session);
    live.put(session.sessionId(), session);
    return session;
  }

  private Map<String, Object> welcome(
      ServerSession session, ServerSession.Outcome outcome, long received) {
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("id", session.sessionId());
    data.put("token", BASE64.encodeToString(session.token()));
    data.put("outcome", outcome.wireName());
    data.put("received", received);
    data.put("ackEvery", ackEvery);
    return data;
  }

  /** The token a client presented, decoded, or null if it is not base64url. */
  private static byte[] decode(Object presented) {
    if (!(presented instanceof String s)) {
      return null;
    }
    try {
      return Base64.getUrlDecoder().decode(s);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  private byte[] newToken() {
    byte[] token = new byte[TOKEN_BYTES];
    random.nextBytes(token);
    return token;
  }

  /** A non-negative count from the wire, or -1. */
  static long count(Object value) {
    long n = value instanceof Integer i ? i : value instanceof Long l ? l : -1;
    return n >= 0 ? n : -1;
  }

  private boolean isRemembered(String id) {
    Long until = expired.get(id);
    if (until == null) {
      return false;
    }
    if (System.nanoTime() - until > 0) {
      expired.remove(id, until);
      return false;
    }
    return true;
  }

  /** A session ended; its id is remembered for a window. */
  void ended(ServerSession session) {
    live.remove(session.sessionId(), session);
    if (!closed) {
      long now = System.nanoTime();
      expired.put(session.sessionId(), now + policy.window().toNanos());
      if (expired.size() > 1024) {
        expired.values().removeIf(until -> now - until > 0);
      }
    }
  }

  boolean isClosed() {
    return closed;
  }

  /** The server is closing: every session ends, a disconnected one now. */
  void close(CloseStatus why) {
    closed = true;
    for (ServerSession session : live.values()) {
      session.shutDown(why);
    }
  }

  /** A session ended without resuming: its window passed or its replay buffer overflowed. */
  void expired() {
    expiredCount.increment();
  }

  /** The counters; one short lock per session kept. */
  SessionStats stats() {
    int kept = 0;
    int disconnected = 0;
    long events = 0;
    long bytes = 0;
    for (ServerSession session : live.values()) {
      ServerSession.Held held = session.held();
      kept++;
      disconnected += held.connected() ? 0 : 1;
      events += held.events();
      bytes += held.bytes();
    }
    return new SessionStats(kept, disconnected, events, bytes, resumed.sum(),
        expiredCount.sum(), refused.sum());
  }
}
