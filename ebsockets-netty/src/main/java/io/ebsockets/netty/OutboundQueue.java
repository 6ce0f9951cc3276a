package io.ebsockets.netty;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.concurrent.Ticker;
import java.util.Arrays;
import java.util.Queue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.concurrent.atomic.AtomicLongFieldUpdater;
import org.jctools.queues.unpadded.MpscUnboundedUnpaddedArrayQueue;

/**
 * One connection's outbound queue: encoded frames any thread offers (a client's sends), or that
 * the connection's event loop {@linkplain #stage stages} itself (a server's, handed out through
 * its {@link LoopOutbox}, and control frames), written and flushed once per write-coalescing
 * window, so that a burst of sends costs one flush (one syscall). It owns the outbound limit's
 * arithmetic: how far the peer is behind ({@link #lagBytes}); over the limit, its {@link Owner} is told (the slow-consumer verdict is the
 * owner's). The write backlog of the whole side is charged by the senders and uncharged here, as
 * frames leave the queue.
 *
 * <p><b>Threads.</b> {@link #offer} and {@link #release} from any thread; the rest on the loop.
 * The queue has one consumer at a time: each drain holds the queue's monitor, because a sender
 * may have to release frames itself (the connection closed between its check and its offer).
 */
final class OutboundQueue {
  /** What the queue needs of its connection. */
  interface Owner {
    /** Any thread: still accepting frames (not closing, not closed). */
    boolean isOpen();

    /** Any thread: the channel is closed; frames are released, never written. */
    boolean isInactive();

    /** Loop: a close is under way; nothing more is written. */
    boolean isClosing();

    /** Any thread: the peer is {@code backlog} bytes behind, over the outbound limit. */
    void overLimit(long backlog, long overNanos);

    /** Any thread: asks the loop to call {@link #flush} at {@code dueNanos}; false if it cannot. */
    boolean flushLater(long dueNanos);
  }

  /** What became of a frame handed to the queue. */
  enum Offer {
    /** Not queued (the connection is not open); the frame is released; nothing to charge. */
    REFUSED,
    /** Queued, but the connection closed or went over its outbound limit; released later. */
    DROPPED,
    /** Queued for writing. */
    QUEUED
  }

  private final Channel channel;
  /**
   * Loop: where frames are written: the channel (from the pipeline's tail), or, for a server's
   * upgraded WebSocket connection whose frames are all made already, the context just above
   * the transport's bytes, so they skip Netty's WebSocket stages ({@link #writeVia}).
   */
  private io.netty.channel.ChannelOutboundInvoker writer;
  private final Settings settings;
  private final Owner owner;
  /**
   * A JCTools single-consumer queue: per frame about half of {@code ConcurrentLinkedQueue}'s
   * cost and no node to allocate (OutboundQueueBenchmark); unpadded, since there is one per
   * connection.
   */
  private final Queue<ByteBuf> frames = new MpscUnboundedUnpaddedArrayQueue<>(16);
  // Counters are fields of this object, updated through field updaters, rather than atomics
  // beside it: every recipient of a broadcast touches them, and each object is a cache line.
  private volatile long queuedBytes;
  /** 1 while a flush is scheduled. */
  private volatile int flushScheduled;

  private static final AtomicLongFieldUpdater<OutboundQueue> QUEUED_BYTES =
      AtomicLongFieldUpdater.newUpdater(OutboundQueue.class, "queuedBytes");
  private static final AtomicIntegerFieldUpdater<OutboundQueue> FLUSH_SCHEDULED =
      AtomicIntegerFieldUpdater.newUpdater(OutboundQueue.class, "flushScheduled");
  /**
   * When the pending bytes went over {@code maxOutboundBytes} and have stayed over since (on
   * {@link #clock}), or {@link #UNDER} while they are not over.
   */
  private volatile long overSinceNanos = UNDER;

  private static final long UNDER = Long.MIN_VALUE;
  /** The loop's clock, for how long the peer has been over its limit. */
  private final Ticker clock;

  /** Loop writes, senders read: when this connection was last flushed (write coalescing). */
  private volatile long lastFlushNanos = System.nanoTime() - TimeUnit.SECONDS.toNanos(1);
  /** Bytes in Netty's outbound buffer as of the last flush or writability change. */
  private volatile long nettyPendingBytes;
  /** Frames in Netty's outbound buffer, as of the same moment. */
  private volatile int nettyPendingFrames;
  /** Written by the loop only. */
  private volatile long written;
  /**
   * Loop: frames the loop itself sends, {@linkplain #stage staged} until this connection's next
   * flush; null until the first. Loop-local, so staging costs no atomic operation.
   */
  private ByteBuf[] staged;
  /** Loop: how many of {@link #staged} hold frames. */
  private int stagedCount;
  /** Loop writes, the budget's sweep reads: what the staged frames cost in memory. */
  private volatile long stagedCost;

  private static final AtomicLongFieldUpdater<OutboundQueue> STAGED_COST =
      AtomicLongFieldUpdater.newUpdater(OutboundQueue.class, "stagedCost");

  OutboundQueue(Channel channel, Settings settings, Owner owner) {
    this.clock = LoopClock.of(channel.eventLoop());
    this.channel = channel;
    this.writer = channel;
    this.settings = settings;
    this.owner = owner;
  }

  /**
   * Any thread: bytes queued and not yet written to the socket (here and in Netty's buffer);
   * the frames staged by the loop for its next flush, at most one write-coalescing window of
   * them, are counted in {@link #memoryCost} only.
   */
  long pendingBytes() {
    return queuedBytes + nettyPendingBytes;
  }

  /**
   * What a frame waiting here costs besides its payload bytes: the buffer object that refers to
   * them (for a broadcast, this recipient's view of the shared payload) and its queue slot.
   */
  static final int QUEUED_FRAME_OVERHEAD = 56;

  /**
   * Any thread: what everything waiting to be written to this peer costs in memory: payload
   * bytes, each frame's buffer view, and Netty's entry for each frame it holds (which Netty
   * counts in its pending bytes). For a broadcast the shared payload is counted in full for each
   * recipient: its bytes stay in memory as long as the slowest recipient holds them.
   */
  long memoryCost() {
    return queuedBytes
        + (long) frames.size() * QUEUED_FRAME_OVERHEAD
        + stagedCost
        + nettyPendingBytes
        + (long) nettyPendingFrames * QUEUED_FRAME_OVERHEAD;
  }

  /** Bytes written to the socket's buffer so far. */
  long writtenBytes() {
    return written;
  }

  /**
   * Any thread: queues one frame without charging the write backlog; takes ownership of it.
   *
   * @return what became of it; only a {@link Offer#REFUSED} frame needs no uncharging later
   */
  Offer offer(ByteBuf frame) {
    if (!owner.isOpen()) {
      frame.release();
      return Offer.REFUSED;
    }
    int size = frame.readableBytes();
    frames.offer(frame);
    QUEUED_BYTES.addAndGet(this, size);
    if (owner.isInactive()) {
      // Closed between the check and the offer: the loop may already have emptied the queue.
      release();
      return Offer.DROPPED;
    }
    if (judge()) {
      return Offer.DROPPED;
    }
    if (!flushLater()) {
      release();
      return Offer.DROPPED;
    }
    return Offer.QUEUED;
  }

  /**
   * Loop: stages one frame the loop itself sends (a server's handout from its {@link
   * LoopOutbox}, a control frame), to be written and flushed with the connection's next flush,
   * which this schedules (at the end of the write-coalescing window); takes ownership of it.
   * Its bytes must already be charged to the write backlog; they are uncharged as it is written.
   * Staged frames go out before the frames other threads offered since the last flush: a
   * client's hello before any event.
   */
  void stage(ByteBuf frame) {
    if (staged == null) {
      staged = new ByteBuf[4];
    } else if (stagedCount == staged.length) {
      staged = Arrays.copyOf(staged, stagedCount * 2);
    }
    staged[stagedCount++] = frame;
    STAGED_COST.lazySet(this, stagedCost + frame.readableBytes() + QUEUED_FRAME_OVERHEAD);
    flushLater(); // false only if the loop is shutting down, which closes the channel
  }

  /** Any thread: schedules the next flush unless one is; false if the loop cannot run it. */
  private boolean flushLater() {
    // Read before the compare-and-set: while a flush is already scheduled (most frames of a
    // busy broadcast) this costs a read, not a locked instruction.
    return flushScheduled == 1
        || !FLUSH_SCHEDULED.compareAndSet(this, 0, 1)
        || owner.flushLater(lastFlushNanos + settings.coalescingNanos());
  }

  /**
   * Loop: from now on frames are written through {@code context} (see {@link #writer}): every
   * frame staged must then be ready for the bytes below it.
   */
  void writeVia(io.netty.channel.ChannelHandlerContext context) {
    this.writer = context;
  }

  /** Loop: writes everything queued, then flushes once. */
  void flush() {
    flushScheduled = 0;
    if (owner.isClosing() || owner.isInactive()) {
      discard();
      return;
    }
    if (writeQueued()) {
      lastFlushNanos = System.nanoTime();
      channel.flush();
      updateNettyPending();
      judge();
    }
  }

  /**
   * Any thread: how far behind the peer itself is. On a server, the bytes its socket has not
   * taken (in Netty's buffer): frames still in this queue wait for this side's event loop, and
   * when the server is what falls behind (its core saturated), every reader's queue grows
   * together; that is answered by backpressure on the senders (the write backlog's bound, then
   * the inbound allowance), never by dropping readers that read as fast as they are written to
   * (90 of 100 were, at 2.8M deliveries/s offered). The queue's own bytes are bounded by the
   * write backlog and counted in {@link #memoryCost}. On a client, whose queue nothing else
   * bounds, everything pending.
   */
  long lagBytes() {
    return settings.client() ? pendingBytes() : nettyPendingBytes;
  }

  /**
   * Any thread: judges the peer by its {@linkplain #lagBytes lag}: over twice the limit, or
   * over the limit for longer than the slow-consumer timeout, it is closed ({@link
   * Owner#overLimit}); back under the limit, the clock is reset.
   *
   * @return true if the peer was found too slow
   */
  boolean judge() {
    long pending = lagBytes();
    int limit = settings.options().maxOutboundBytes();
    if (pending <= limit) {
      if (overSinceNanos != UNDER) {
        overSinceNanos = UNDER;
      }
      return false;
    }
    long now = clock.nanoTime();
    long since = overSinceNanos;
    if (since == UNDER) {
      overSinceNanos = now;
      since = now;
    }
    long over = now - since;
    if (pending > 2L * limit || over >= settings.options().slowConsumerTimeout().toNanos()) {
      owner.overLimit(pending, over);
      return true;
    }
    return false;
  }

  /** Loop: writes everything staged and queued without flushing; true if anything was. */
  @SuppressWarnings("NonAtomicVolatileUpdate") // written has one writer, the loop
  boolean writeQueued() {
    long stagedBytes = takeStaged(true);
    boolean wrote = stagedBytes > 0;
    if (wrote) {
      settings.backlog().remove(stagedBytes);
      written += stagedBytes;
    }
    ByteBuf frame;
    long bytes = 0;
    // The monitor keeps the queue's single consumer single: a sender may have to release
    // frames itself (see offer), and it could do so while this pass runs. Uncontended, it is
    // one lock per pass, not per frame.
    synchronized (frames) {
      while ((frame = frames.poll()) != null) {
        bytes += frame.readableBytes();
        writer.write(frame, channel.voidPromise());
        wrote = true;
      }
    }
    if (wrote) {
      dequeued(bytes);
      written += bytes;
    }
    return wrote;
  }

  /** Loop: empties the staged frames, writing them or releasing them; their bytes. */
  private long takeStaged(boolean write) {
    long bytes = 0;
    for (int i = 0; i < stagedCount; i++) {
      ByteBuf frame = staged[i];
      staged[i] = null;
      bytes += frame.readableBytes();
      if (write) {
        writer.write(frame, channel.voidPromise());
      } else {
        frame.release();
      }
    }
    if (stagedCount > 0) {
      stagedCount = 0;
      STAGED_COST.lazySet(this, 0);
    }
    return bytes;
  }

  /** Loop: releases everything staged and queued, unwritten (closing or closed). */
  void discard() {
    long bytes = takeStaged(false);
    if (bytes > 0) {
      settings.backlog().remove(bytes);
    }
    release();
  }

  /** Any thread: releases everything queued, unwritten (the connection is closing or closed). */
  void release() {
    ByteBuf frame;
    long released = 0;
    synchronized (frames) {
      while ((frame = frames.poll()) != null) {
        released += frame.readableBytes();
        frame.release();
      }
    }
    if (released > 0) {
      dequeued(released);
    }
  }

  /**
   * Loop: drops the frames Netty holds that have not started to be written, for a peer closed as
   * too slow: what it could not take is not worth its memory, and the farewell that follows then
   * comes right after the last whole frame instead of megabytes later, or never (a closed
   * peer's stream used to end in the middle of its backlog). The frame the socket has taken part
   * of is kept, so the stream stays a sequence of whole frames. Not under TLS, where Netty holds
   * records, not frames.
   */
  void dropUnwritten() {
    ChannelOutboundBuffer buffer = channel.unsafe().outboundBuffer();
    if (buffer == null || channel.pipeline().get(SslHandler.class) != null) {
      return;
    }
    ByteBuf started = null;
    if (buffer.current() instanceof ByteBuf current && buffer.currentProgress() > 0) {
      started = current.retainedSlice(); // its unwritten rest
    }
    while (buffer.remove()) {
      // each frame is released as it is removed
    }
    if (started != null) {
      writer.write(started, channel.voidPromise());
    }
    updateNettyPending();
  }

  /** Loop: the socket took or refused bytes; keeps the outbound count fresh. */
  void updateNettyPending() {
    ChannelOutboundBuffer buffer = channel.unsafe().outboundBuffer();
    nettyPendingBytes = buffer == null ? 0 : buffer.totalPendingWriteBytes();
    nettyPendingFrames = buffer == null ? 0 : buffer.size();
  }

  /**
   * Bytes left the queue (written or released). Once per pass, not per frame: one update of
   * each counter for the pass.
   */
  private void dequeued(long bytes) {
    QUEUED_BYTES.addAndGet(this, -bytes);
    settings.backlog().remove(bytes);
  }
}
