package io.ebsockets.netty;

import io.ebsockets.CloseReason;
import io.ebsockets.CloseStatus;
import io.ebsockets.ConnectionStats;
import io.ebsockets.EbsocketEvent;
import io.ebsockets.Resumption;
import io.ebsockets.spi.ChannelSink;
import io.ebsockets.spi.TransportChannel;
import io.netty.buffer.ByteBuf;
import io.netty.channel.EventLoop;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One resumable session on a server: the channel the application's {@link
 * io.ebsockets.EbsocketConnection} wraps, which outlives the connections that carry it. A
 * connection lost for a reason the network gives (a reset, a silent peer) leaves the session
 * waiting for its client for the resume window; a client that resumes gets what it missed and
 * sends what the server missed, each event once (docs/PROTOCOL.md, "Resumable sessions").
 *
 * <p><b>Counting without numbers on the wire.</b> Every application frame sent to the session
 * goes through its first connection's event loop (the <em>home loop</em>: all of a server's
 * frames to a connection go through its loop's {@link LoopOutbox}, in the order sent), which
 * numbers it, keeps it in the replay buffer and forwards it to the connection carrying the
 * session now. The buffer keeps a reference to the frame the broadcast encoded once for all its
 * recipients, not a copy; the client's cumulative {@code ebsockets.ack} frees it. Events from
 * the client are counted as they are handed to the application, and acknowledged the same way.
 *
 * <p><b>Threads.</b> The session's state is guarded by its home loop's session lock ({@link
 * LoopOutbox#sessionLock()}), which every session homed on that loop shares: the home loop holds
 * it across a whole handout, so that a broadcast to a thousand sessions takes it once, not once
 * per recipient (a lock per recipient cost a broadcast a tenth of its throughput). The carrying
 * connection's loop (one event received, an acknowledgement), a resuming connection's loop and
 * the application (a close) take it too; it is never held across anything that waits, so they
 * wait at most for one handout.
 */
final class ServerSession implements TransportChannel {
  private static final Logger log = LoggerFactory.getLogger(ServerSession.class);

  /** Acknowledge at once after this many events from the client. */
  static final int ACK_EVERY = 32;
  /** Otherwise acknowledge what arrived within this long of its pass of reads. */
  static final long ACK_DELAY_MILLIS = 50;

  /** What a resume attempt became (the welcome's {@code session.outcome}). */
  enum Outcome {
    NEW,
    RESUMED,
    EXPIRED,
    UNKNOWN;

    String wireName() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  private final Sessions sessions;
  private final String sessionId;
  /** The token the next resume must present; a new one is issued at each resume. */
  private volatile byte[] token;
  /**
   * Guarded by this: the token before the last resume, still good until the client shows it read
   * that resume's welcome (a frame from it on the new connection): a resume whose welcome was
   * lost with its connection must not lock its client out.
   */
  private byte[] previousToken;
  /** The first connection: its loop is the home loop, and the application knows its id. */
  private final NettyConnection anchor;
  private final Resumption policy;
  private final EventLoop home;
  /** The home loop's session lock: guards every field below marked so. */
  private final Object lock;
  private final CompletableFuture<Void> ended = new CompletableFuture<>();
  /** The application's sink; set once, before any connection carries the session. */
  private ChannelSink app;

  // Guarded by lock.
  /** The connection carrying the session now, or null while it is disconnected. */
  private NettyConnection current;
  /** Home loop: where frames are forwarded; lags {@link #current} until the home loop attached it. */
  private NettyConnection writer;
  /** Frames sent and not acknowledged, oldest first; the first is number {@link #firstKept}. */
  private final ArrayDeque<ByteBuf> replay = new ArrayDeque<>();
  private long firstKept = 1;
  private long sent;
  private long keptBytes;
  /** When the client's acknowledgements last freed frames, or the buffer was last empty. */
  private long progressNanos = System.nanoTime();
  /** Events received from the client and handed to the application. */
  private long received;
  /** The last {@link #received} acknowledged to the client. */
  private long acknowledged;
  private boolean ackScheduled;
  /** False once the replay buffer overflowed while connected: the session can no longer resume. */
  private boolean resumable = true;
  /** Why the session stopped being resumable, once it has. */
  private String unresumable;
  /** Why the last connection ended, while disconnected. */
  private CloseStatus lost;
  /** Why the application closed the session, once it has. */
  private CloseStatus closing;
  private volatile CloseStatus endStatus;
  private ScheduledFuture<?> expiry;
  private volatile long resumes;

  ServerSession(
      Sessions sessions, String sessionId, byte[] token, NettyConnection anchor, Resumption policy) {
    this.sessions = sessions;
    this.sessionId = sessionId;
    this.token = token;
    this.anchor = anchor;
    this.policy = policy;
    this.home = anchor.eventLoop();
    this.lock = anchor.outbox().sessionLock();
    this.current = anchor;
    this.writer = anchor;
  }

  /** Before any connection carries it: where the application takes the session's events. */
  void opened(ChannelSink sink) {
    this.app = sink;
    sink.attached(this);
  }

  String sessionId() {
    return sessionId;
  }

  byte[] token() {
    return token;
  }

  /** The connection whose loop numbers every frame; sends are handed out to it. */
  NettyConnection anchor() {
    return anchor;
  }

  /** A sink for a connection that carries this session. */
  ChannelSink carrier() {
    return new Carrier();
  }

  // ----------------------------------------------------------------------------------- sending

  /**
   * Home loop: numbers one application frame, keeps it for replay and forwards it to the
   * connection carrying the session; the frame stays the caller's.
   *
   * @return true if it was staged for a connection (its bytes stay charged until written)
   */
  boolean write(ByteBuf frame) {
    NettyConnection to;
    synchronized (lock) {
      if (endStatus != null) {
        return false;
      }
      sent++;
      if (resumable) {
        if (replay.isEmpty()) {
          progressNanos = System.nanoTime();
        }
        replay.add(frame.retain());
        keptBytes += frame.readableBytes();
        if (replay.size() > policy.maxEvents()
            || keptBytes > policy.maxBytes()
            || ((sent & 63) == 0 && System.nanoTime() - progressNanos > policy.maxAge().toNanos())) {
          overflowed();
        }
      }
      to = writer;
    }
    if (to == null) {
      return false;
    }
    return to == anchor ? anchor.stageEvent(frame) : to.forward(frame, false);
  }

  /** Locked: the replay buffer went over a bound. */
  private void overflowed() {
    String why = "replay buffer over its bounds (" + replay.size() + " events, " + keptBytes
        + " bytes unacknowledged; expected: at most " + policy.maxEvents() + " events, "
        + policy.maxBytes() + " bytes, none older than " + policy.maxAge().toMillis() + " ms)";
    dropReplay();
    resumable = false;
    unresumable = why;
    if (current == null) {
      endExpired(lost, ": " + why);
    } else {
      log.debug("{}: no longer resumable: {}", this, why);
    }
  }

  /** Locked: frees the frames up to and including number {@code upTo}. */
  private void free(long upTo) {
    boolean freed = false;
    while (firstKept <= upTo && !replay.isEmpty()) {
      ByteBuf frame = replay.poll();
      keptBytes -= frame.readableBytes();
      frame.release();
      firstKept++;
      freed = true;
    }
    if (freed) {
      progressNanos = System.nanoTime();
    }
  }

  private void dropReplay() {
    free(Long.MAX_VALUE);
    firstKept = sent + 1;
  }

  // ----------------------------------------------------------------------------------- resuming

  /**
   * A resuming connection's loop: the client presented the right token and says it received
   * {@code clientReceived} events. If the session can go on, {@code connection} carries it from
   * now on (an older connection still open is closed, and what it reads is dropped), the home
   * loop replays what the client missed, the token is replaced by {@code nextToken}, and this
   * returns how many of the client's events the server received; -1 if the session expired, -2
   * if {@code presented} is not its token (compared in constant time).
   */
  long resume(
      NettyConnection connection, byte[] presented, byte[] nextToken, long clientReceived) {
    NettyConnection old;
    long serverReceived;
    synchronized (lock) {
      boolean latest = java.security.MessageDigest.isEqual(token, presented);
      boolean previous =
          previousToken != null && java.security.MessageDigest.isEqual(previousToken, presented);
      if (!latest && !previous) {
        return -2; // a wrong or spent token: nothing is taken over
      }
      if (latest) {
        previousToken = token;
      }
      if (endStatus != null || closing != null || !resumable
          || clientReceived < firstKept - 1 || clientReceived > sent) {
        return -1;
      }
      old = this.current;
      this.current = connection;
      token = nextToken; // the presented one is spent: a replay of it takes nothing over
      lost = null;
      if (expiry != null) {
        expiry.cancel(false);
        expiry = null;
      }
      resumes++;
      serverReceived = received;
      acknowledged = received;
      try {
        home.execute(() -> attach(connection, clientReceived));
      } catch (RejectedExecutionException e) {
        return -1; // the server is shutting down
      }
    }
    if (old != null) {
      old.close(CloseReason.PEER_CLOSED, "the session resumed on another connection");
    }
    return serverReceived;
  }

  /** Home loop: replays what the client missed to the connection that now carries the session. */
  private void attach(NettyConnection connection, long clientReceived) {
    synchronized (lock) {
      if (current != connection) {
        return; // superseded already; the next attach replays
      }
      free(clientReceived);
      for (ByteBuf frame : replay) {
        connection.forward(frame, true);
      }
      writer = connection;
    }
  }

  // ----------------------------------------------------------------------------------- receiving

  /** One connection's view of the session: what it reads goes to the application. */
  private final class Carrier implements ChannelSink {
    private NettyConnection connection;

    @Override
    public void attached(TransportChannel channel) {
      this.connection = (NettyConnection) channel;
    }

    @Override
    public boolean received(EbsocketEvent event, int frameBytes) {
      return received(event, frameBytes, 0, 0);
    }

    @Override
    public boolean received(EbsocketEvent event, int frameBytes, long requestId, long replyTo) {
      synchronized (lock) {
        if (!carries(connection)) {
          return true;
        }
        received++;
        boolean more = app.received(event, frameBytes, requestId, replyTo);
        ackIfDue();
        return more;
      }
    }

    @Override
    public boolean receivedNormalised(String type, Map<String, Object> data, int frameBytes,
        int memoryBytes, long requestId, long replyTo) {
      synchronized (lock) {
        if (!carries(connection)) {
          return true; // read from a connection the session has left: the client sends it again
        }
        received++;
        boolean more =
            app.receivedNormalised(type, data, frameBytes, memoryBytes, requestId, replyTo);
        ackIfDue();
        return more;
      }
    }

    @Override
    public void readComplete() {
      synchronized (lock) {
        if (!carries(connection)) {
          return;
        }
        app.readComplete();
        if (received != acknowledged && !ackScheduled) {
          ackScheduled = true;
          connection.eventLoop().schedule(ServerSession.this::ackNow, ACK_DELAY_MILLIS,
              TimeUnit.MILLISECONDS);
        }
      }
    }

    @Override
    public boolean readyToResume() {
      return app.readyToResume();
    }

    @Override
    public boolean acceptsMore() {
      return app.acceptsMore();
    }

    @Override
    public void control(String type, Map<String, Object> data) {
      if (ControlFrame.ACK.equals(type)) {
        acked(connection, data.get("received"));
      }
    }

    @Override
    public void closed(CloseStatus status) {
      carrierClosed(connection, status);
    }
  }

  /** Locked: whether {@code connection} carries the session now (what others read is dropped). */
  private boolean carries(NettyConnection connection) {
    if (connection != current || endStatus != null) {
      return false;
    }
    previousToken = null; // the client read this connection's welcome: its old token is spent
    return true;
  }

  /** Locked: acknowledges at once once {@link #ACK_EVERY} events are unacknowledged. */
  private void ackIfDue() {
    if (received - acknowledged >= ACK_EVERY) {
      sendAck();
    }
  }

  private void ackNow() {
    synchronized (lock) {
      ackScheduled = false;
      if (current != null && received != acknowledged) {
        sendAck();
      }
    }
  }

  private void sendAck() {
    acknowledged = received;
    current.sendControl(ControlFrame.ACK, Map.of("received", received));
  }

  /** The client acknowledged the first {@code value} frames; they are freed. */
  private void acked(NettyConnection from, Object value) {
    synchronized (lock) {
      long upTo = Sessions.count(value);
      if (!carries(from) || upTo < 0) {
        return;
      }
      free(Math.min(upTo, sent));
    }
  }

  // ----------------------------------------------------------------------------------- ending

  /** A connection that carried the session ended: the session waits for its client, or ends. */
  private void carrierClosed(NettyConnection connection, CloseStatus status) {
    synchronized (lock) {
      if (connection != current || endStatus != null) {
        return;
      }
      current = null;
      if (closing != null) {
        end(closing);
      } else if (!resumable) {
        endExpired(status, " earlier: " + unresumable);
      } else if (!resumesAfter(status.reason()) || sessions.isClosed()) {
        end(status);
      } else {
        lost = status;
        try {
          expiry = home.schedule(this::expire, policy.window().toNanos(), TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
          end(status);
        }
      }
    }
  }

  /** What the network does to a connection, as opposed to what either side decided. */
  static boolean resumesAfter(CloseReason reason) {
    return reason == CloseReason.IO_ERROR
        || reason == CloseReason.PEER_CLOSED
        || reason == CloseReason.IDLE_TIMEOUT;
  }

  /** Home loop: the window passed without a resume. */
  private void expire() {
    synchronized (lock) {
      if (current == null && endStatus == null && lost != null) {
        endExpired(lost, ": not resumed within " + policy.window().toSeconds() + " s");
      }
    }
  }

  /** Any thread: the server is closing; a disconnected session ends now. */
  void shutDown(CloseStatus why) {
    synchronized (lock) {
      if (current == null && endStatus == null) {
        end(why);
      }
    }
  }

  /**
   * Locked: the session ends without having resumed; the application sees why its last
   * connection ended, followed by {@code (session expired<detail>)}, and the expiry is counted.
   */
  private void endExpired(CloseStatus lastConnection, String detail) {
    sessions.expired();
    end(new CloseStatus(lastConnection.reason(),
        lastConnection.message() + " (session expired" + detail + ")"));
  }

  /** Locked: the session is over; the application is told once. */
  private void end(CloseStatus status) {
    endStatus = status;
    if (expiry != null) {
      expiry.cancel(false);
    }
    dropReplay();
    sessions.ended(this);
    try {
      app.closed(status);
    } finally {
      ended.complete(null);
    }
  }

  // ----------------------------------------------------------------------------------- channel

  @Override
  public long id() {
    return anchor.id();
  }

  @Override
  public InetSocketAddress remoteAddress() {
    NettyConnection c = current;
    return c == null ? anchor.remoteAddress() : c.remoteAddress();
  }

  @Override
  public io.ebsockets.Door door() {
    return anchor.door();
  }

  @Override
  public boolean isOpen() {
    return endStatus == null && closing == null;
  }

  @Override
  public Optional<CloseStatus> closeStatus() {
    CloseStatus end = endStatus;
    return Optional.ofNullable(end != null ? end : closing);
  }

  @Override
  public ConnectionStats stats() {
    NettyConnection c = current;
    return (c == null ? anchor : c).stats();
  }

  @Override
  public void resumeReading() {
    NettyConnection c = current;
    if (c != null) {
      c.resumeReading();
    }
  }

  @Override
  public CompletableFuture<Void> close(CloseReason reason, String message) {
    NettyConnection c;
    synchronized (lock) {
      if (closing != null || endStatus != null) {
        return ended;
      }
      closing = new CloseStatus(reason, message);
      c = current;
      if (c == null) {
        end(closing);
        return ended;
      }
    }
    c.close(reason, message);
    return ended;
  }

  @Override
  public boolean reportsReadComplete() {
    return true;
  }

  @Override
  public boolean sendControl(String type, Map<String, Object> data) {
    NettyConnection c = current;
    return c != null && c.sendControl(type, data);
  }

  @Override
  public long resumes() {
    return resumes;
  }

  /** What a session holds at one moment, for {@link Sessions#stats()}. */
  record Held(boolean connected, int events, long bytes) {}

  Held held() {
    synchronized (lock) {
      return new Held(current != null, replay.size(), keptBytes);
    }
  }

  @Override
  public String toString() {
    return "session " + sessionId.substring(0, 6) + "… of " + anchor;
  }
}
