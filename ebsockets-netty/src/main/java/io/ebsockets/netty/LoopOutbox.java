package io.ebsockets.netty;

import io.netty.buffer.ByteBuf;
import io.netty.channel.EventLoop;
import java.util.Queue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.jctools.queues.MpscUnboundedArrayQueue;

/**
 * A server's application frames on their way to one event loop's connections: a broadcast to a
 * thousand of them is one {@link Handout} here, not a thousand queue offers and counter updates
 * on the sending thread, which then shares the server's core with the loop that writes them (a
 * fifth of that core went to those offers at 1,000 clients). The loop stages each frame for each
 * of its recipients in a list of the connection's own, without an atomic operation, and each
 * connection's flush writes what it has staged at the end of its write-coalescing window, as
 * before ({@link LoopBatcher}).
 *
 * <p>Every application frame a server sends goes through here, one send or many, so that each
 * connection gets them in the order they were sent. A handout written while its recipient is
 * closing is skipped: the farewell has been or is being written.
 *
 * <p><b>Threads.</b> {@link #offer} from any thread; handouts are delivered on the loop, in the
 * order they were offered.
 */
final class LoopOutbox implements Runnable {
  /** One frame for some of the loop's connections. */
  static final class Handout {
    private final ByteBuf frame;
    private final NettyConnection[] recipients;
    private final int count;
    private final WriteBacklog backlog;

    /**
     * A handout of {@code frame}, which it owns one reference to, for the first {@code count} of
     * {@code recipients}, whose bytes are charged to {@code backlog} until it is delivered.
     */
    Handout(ByteBuf frame, NettyConnection[] recipients, int count, WriteBacklog backlog) {
      this.frame = frame;
      this.recipients = recipients;
      this.count = count;
      this.backlog = backlog;
    }

    /**
     * Loop: stages the frame for each recipient still open (its bytes stay charged until that
     * recipient's flush writes them), then gives up this handout's reference and the bytes of
     * the recipients that were closing.
     */
    void deliver(Object sessionLock) {
      int bytes = frame.readableBytes();
      int skipped = count;
      // The frame as WebSocket recipients take it: made at the first of them, once per handout.
      ByteBuf webSocket = null;
      long webSocketStaged = 0;
      try {
        // Resumable sessions homed here take this lock as they number the frame: held once for
        // the handout, their taking it again is a recursive enter, without an atomic operation.
        synchronized (sessionLock) {
          for (int i = 0; i < count; i++) {
            NettyConnection recipient = recipients[i];
            if (!recipient.sharesWebSocketFrames()) { // TCP, a client, or deflate
              if (recipient.writeEvent(frame)) {
                skipped--;
              }
              continue;
            }
            if (webSocket == null) {
              webSocket = WebSocketFraming.textFrame(frame, recipient.alloc());
            }
            if (recipient.writeEvent(webSocket)) {
              skipped--;
              webSocketStaged++;
            }
          }
        }
      } finally {
        frame.release();
        long recharge = 0;
        if (webSocket != null) {
          // Charged as the length-prefixed frame, uncharged as written: settle the difference.
          recharge = webSocketStaged * (bytes - webSocket.readableBytes());
          webSocket.release();
        }
        backlog.remove((long) skipped * bytes + recharge);
      }
    }

    /** Delivers nothing: the loop is gone. */
    void release() {
      long bytes = (long) count * frame.readableBytes();
      frame.release();
      backlog.remove(bytes);
    }
  }

  private final Supplier<EventLoop> loop;
  /** JCTools' multi-producer array queue: no node per handout. */
  private final Queue<Handout> handouts = new MpscUnboundedArrayQueue<>(1024);
  private final AtomicBoolean scheduled = new AtomicBoolean();
  /** Guards the state of the resumable sessions homed on this loop ({@link ServerSession}). */
  private final Object sessionLock = new Object();

  LoopOutbox(Supplier<EventLoop> loop) {
    this.loop = loop;
  }

  /**
   * Any thread: queues a handout, which owns one reference to its frame and whose bytes the
   * caller has already charged to its backlog ({@code count} times the frame).
   *
   * @return false if the loop no longer runs tasks: then the handout was released and uncharged
   */
  boolean offer(Handout handout) {
    handouts.offer(handout);
    if (scheduled.compareAndSet(false, true)) {
      try {
        loop.get().execute(this);
      } catch (RejectedExecutionException e) {
        scheduled.set(false);
        releaseAll();
        return false;
      }
    }
    return true;
  }

  /** Any thread: the lock of the resumable sessions whose home is this loop. */
  Object sessionLock() {
    return sessionLock;
  }

  /** Loop: delivers every handout queued, oldest first. */
  @Override
  public void run() {
    scheduled.set(false);
    Handout handout;
    // The monitor keeps the queue's one consumer one: a sender that finds the loop gone
    // releases what is queued itself. Uncontended, a lock per pass, not per handout.
    synchronized (handouts) {
      while ((handout = handouts.poll()) != null) {
        handout.deliver(sessionLock);
      }
    }
  }

  /** The loop is gone: nothing queued will be written. */
  private void releaseAll() {
    Handout handout;
    synchronized (handouts) {
      while ((handout = handouts.poll()) != null) {
        handout.release();
      }
    }
  }
}
