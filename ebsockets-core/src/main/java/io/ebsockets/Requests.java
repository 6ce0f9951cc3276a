package io.ebsockets;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * The requests one side has sent on one connection and still waits replies for: the same code
 * serves a client's requests and a server's requests to each of its clients.
 *
 * <p>Each pending request is removed exactly once, by whichever comes first of its reply, its
 * timeout, a failed send or the end of the connection; that one party completes the future, on
 * the {@link Callbacks} pool. Thread-safe; never blocks.
 */
final class Requests {
  /** The largest id, so that a JavaScript peer reads every id exactly (2^53 - 1). */
  static final long MAX_ID = io.ebsockets.spi.WireProtocol.MAX_REQUEST_ID;

  private final AtomicLong ids;
  private final LongAdder droppedReplies;
  private final Counters counters;
  private final Map<Long, Pending> pending = new ConcurrentHashMap<>();
  /** Set once the connection ended for good; later requests fail at once. */
  private volatile CloseStatus ended;

  /**
   * @param ids hands out request ids; shared by every connection of one requester, so a late
   *     reply can never match a newer request
   * @param droppedReplies counts replies that matched no pending request
   */
  Requests(AtomicLong ids, LongAdder droppedReplies) {
    this(ids, droppedReplies, new Counters());
  }

  Requests(AtomicLong ids, LongAdder droppedReplies, Counters counters) {
    this.ids = ids;
    this.droppedReplies = droppedReplies;
    this.counters = counters;
  }

  /** How requests ended, over all the connections that share it; any thread. */
  static final class Counters {
    private final LongAdder sent = new LongAdder();
    private final LongAdder answered = new LongAdder();
    private final LongAdder timedOut = new LongAdder();
    private final LongAdder failed = new LongAdder();
    private final LongAdder answeredNanos = new LongAdder();

    RequestStats stats() {
      return new RequestStats(sent.sum(), answered.sum(), timedOut.sum(), failed.sum(),
          answeredNanos.sum());
    }
  }

  /** One request waiting for its reply. */
  private static final class Pending {
    final long id;
    final String type;
    final Object peer;
    final CompletableFuture<EbsocketEvent> future;
    final long startNanos = System.nanoTime();
    /** Set just after the request is registered; a timer that finds nothing does nothing. */
    volatile ScheduledFuture<?> timer;

    Pending(long id, String type, Object peer, CompletableFuture<EbsocketEvent> future) {
      this.id = id;
      this.type = type;
      this.peer = peer;
      this.future = future;
    }

    /** For messages only: built when a request fails, not for every request. */
    String description() {
      return "request " + type + " #" + id + " to " + peer;
    }

    void cancelTimer() {
      ScheduledFuture<?> t = timer;
      if (t != null) {
        t.cancel(false);
      }
    }
  }

  /**
   * Registers a request; the caller then sends it with the returned id.
   *
   * @param future completed with the reply, or exceptionally
   * @param peer who is asked, for messages
   * @return the id
   */
  long start(
      EbsocketEvent request, Duration timeout, CompletableFuture<EbsocketEvent> future, Object peer) {
    long id = ids.updateAndGet(last -> last >= MAX_ID ? 1 : last + 1);
    Pending p = new Pending(id, request.type(), peer, future);
    counters.sent.increment();
    pending.put(id, p); // before the timer, so that even a tiny timeout finds it
    p.timer =
        Callbacks.schedule(
            Checks.toNanos(timeout),
            () ->
                fail(
                    id,
                    new TimeoutException(
                        p.description() + ": no reply within " + timeout.toMillis() + " ms")));
    if (pending.get(id) != p) {
      p.cancelTimer(); // answered or failed before the timer was set
    }
    CloseStatus end = ended;
    if (end != null) {
      fail(id, endedException(p, end));
    }
    return id;
  }

  /**
   * A reply arrived.
   *
   * @return true if it matched a pending request; false if it was counted and dropped
   */
  boolean replied(long id, EbsocketEvent reply) {
    Pending p = pending.remove(id);
    if (p == null) {
      droppedReplies.increment();
      return false;
    }
    p.cancelTimer();
    counters.answered.increment();
    counters.answeredNanos.add(System.nanoTime() - p.startNanos);
    Callbacks.completions().execute(() -> p.future.complete(reply));
    return true;
  }

  /** Fails one request, e.g. because it could not be sent or its time ran out. */
  void fail(long id, Throwable cause) {
    Pending p = pending.remove(id);
    if (p != null) {
      p.cancelTimer();
      (cause instanceof TimeoutException ? counters.timedOut : counters.failed).increment();
      Callbacks.completions().execute(() -> p.future.completeExceptionally(cause));
    }
  }

  /** The connection ended: fails every request pending now; later ones are still accepted. */
  void failAll(CloseStatus status) {
    for (Pending p : pending.values()) {
      fail(p.id, endedException(p, status));
    }
  }

  /** The connection ended for good: fails every pending request and every later one. */
  void end(CloseStatus status) {
    ended = status;
    failAll(status);
  }

  private static ConnectionEndedException endedException(Pending p, CloseStatus status) {
    return new ConnectionEndedException(
        p.description() + ": the connection ended before the reply (" + status + ")", status);
  }
}
