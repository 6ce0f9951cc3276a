package io.ebsockets.netty;

import io.ebsockets.CloseReason;
import io.ebsockets.CloseStatus;
import io.ebsockets.EbsocketEvent;
import io.ebsockets.spi.ChannelSink;
import io.ebsockets.spi.ClientTransport;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.socket.DuplexChannel;
import io.netty.util.concurrent.ScheduledFuture;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One connection, on either side: its outbound queue, its close handshake and its state.
 *
 * <p><b>Sending.</b> Any thread may queue encoded frames; the connection's event loop writes
 * everything queued in one pass and flushes once, so a burst of sends costs one flush (one
 * syscall) rather than one each.
 *
 * <p><b>Closing.</b> Whoever decides the close first (the application, the peer's {@code
 * ebsockets.close}/{@code ebsockets.error}, a protocol error, an I/O error) sets the {@link
 * CloseStatus}; later decisions are ignored. A close this side initiates writes what was queued,
 * then the control frame, flushes, shuts the output down, and closes when the peer closes or
 * after the close timeout: a plain close with unread input would send a reset that destroys the
 * last frame.
 *
 * <p><b>Threads.</b> Fields marked "loop" belong to the channel's event loop; the rest are safe
 * from any thread.
 */
final class NettyConnection implements ClientTransport {
  private static final Logger log = LoggerFactory.getLogger(NettyConnection.class);

  private final long id;
  private final Channel channel;
  private final int maxFrameLength;
  private final long closeTimeoutNanos;
  private final InetSocketAddress remoteAddress;
  private final AtomicReference<CloseStatus> status = new AtomicReference<>();
  private final Queue<ByteBuf> outbound = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean flushScheduled = new AtomicBoolean();
  private final CompletableFuture<Void> closeFuture = new CompletableFuture<>();
  private final Runnable flushTask = this::flushOutbound;
  /** Set before the channel is registered; read on the loop. */
  private volatile ChannelSink sink;
  /** True once the channel is closed; outbound frames are then released, not written. */
  private volatile boolean inactive;

  /** Loop: a close is under way; inbound is discarded and nothing more is written. */
  private boolean closing;
  /** Loop: closes the socket if the peer does not within the close timeout. */
  private ScheduledFuture<?> closeTimer;

  NettyConnection(
      long id,
      Channel channel,
      InetSocketAddress remoteAddress,
      int maxFrameLength,
      Duration closeTimeout) {
    this.id = id;
    this.channel = channel;
    this.remoteAddress = remoteAddress;
    this.maxFrameLength = maxFrameLength;
    this.closeTimeoutNanos = closeTimeout.toNanos();
  }

  void attach(ChannelSink sink) {
    this.sink = Objects.requireNonNull(sink, "sink");
  }

  Channel channel() {
    return channel;
  }

  CompletableFuture<Void> closeFuture() {
    return closeFuture;
  }

  @Override
  public long id() {
    return id;
  }

  @Override
  public InetSocketAddress remoteAddress() {
    return remoteAddress;
  }

  @Override
  public boolean isOpen() {
    return status.get() == null && !inactive;
  }

  @Override
  public Optional<CloseStatus> closeStatus() {
    return Optional.ofNullable(status.get());
  }

  // ----------------------------------------------------------------------------------- sending

  @Override
  public boolean send(EbsocketEvent event) {
    if (!isOpen()) {
      return false;
    }
    return enqueue(EventCodec.encode(channel.alloc(), event, maxFrameLength));
  }

  /**
   * Queues one encoded frame for writing; takes ownership of it. Any thread.
   *
   * @return true if queued, false (and the frame released) if the connection is not open
   */
  boolean enqueue(ByteBuf frame) {
    if (!isOpen()) {
      frame.release();
      return false;
    }
    outbound.offer(frame);
    if (inactive) {
      // Closed between the check and the offer: the loop may already have emptied the queue.
      releaseOutbound();
      return false;
    }
    if (flushScheduled.compareAndSet(false, true)) {
      try {
        channel.eventLoop().execute(flushTask);
      } catch (RejectedExecutionException e) {
        releaseOutbound();
        return false;
      }
    }
    return true;
  }

  /** Loop: writes everything queued, then flushes once. */
  private void flushOutbound() {
    flushScheduled.set(false);
    if (closing || inactive) {
      releaseOutbound();
      return;
    }
    if (writeQueued()) {
      channel.flush();
    }
  }

  /** Loop: writes everything queued without flushing. */
  private boolean writeQueued() {
    boolean wrote = false;
    ByteBuf frame;
    while ((frame = outbound.poll()) != null) {
      channel.write(frame, channel.voidPromise());
      wrote = true;
    }
    return wrote;
  }

  private void releaseOutbound() {
    ByteBuf frame;
    while ((frame = outbound.poll()) != null) {
      frame.release();
    }
  }

  /** Loop: sends a control frame of the transport's own, unless closing. */
  private void sendControl(ControlFrame frame) {
    if (isOpen()) {
      enqueue(EventCodec.encode(channel.alloc(), frame, maxFrameLength));
    }
  }

  // ----------------------------------------------------------------------------------- closing

  @Override
  public CompletableFuture<Void> close(CloseReason reason, String message) {
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(message, "message");
    closeWith(new CloseStatus(reason, message), ControlFrame.close(reason.wireName(), message));
    return closeFuture;
  }

  /** Any thread: closes at once, without a handshake (shutdown that ran out of time). */
  void forceClose(CloseStatus why) {
    status.compareAndSet(null, why);
    channel.close();
  }

  private void closeWith(CloseStatus why, ControlFrame farewell) {
    if (!status.compareAndSet(null, why)) {
      return;
    }
    if (channel.eventLoop().inEventLoop()) {
      beginClose(farewell);
    } else {
      try {
        channel.eventLoop().execute(() -> beginClose(farewell));
      } catch (RejectedExecutionException e) {
        channel.close();
      }
    }
  }

  /** Loop: stops reading, writes what was queued and the farewell, then half-closes. */
  private void beginClose(ControlFrame farewell) {
    if (closing) {
      return;
    }
    startClosing();
    if (!channel.isActive()) {
      channel.close();
      return;
    }
    writeQueued();
    ChannelFuture written =
        channel.writeAndFlush(EventCodec.encode(channel.alloc(), farewell, maxFrameLength));
    written.addListener(
        f -> {
          if (f.isSuccess() && channel instanceof DuplexChannel duplex) {
            duplex.shutdownOutput();
          } else {
            channel.close();
          }
        });
  }

  /** Loop: from now on inbound is dropped and the socket closes by the close timeout at most. */
  private void startClosing() {
    closing = true;
    if (channel.pipeline().get(DiscardInbound.NAME) == null) {
      channel.pipeline().addFirst(DiscardInbound.NAME, DiscardInbound.INSTANCE);
    }
    closeTimer =
        channel.eventLoop().schedule(() -> channel.close(), closeTimeoutNanos, TimeUnit.NANOSECONDS);
  }

  // ---------------------------------------------------------------------------- inbound (loop)

  boolean isClosing() {
    return closing;
  }

  void received(EbsocketEvent event) {
    sink.received(event);
  }

  void receivedControl(ControlFrame control) {
    switch (control.type()) {
      case ControlFrame.PING -> sendControl(new ControlFrame(ControlFrame.PONG, control.data()));
      case ControlFrame.CLOSE -> peerClosing(peerCloseStatus(control));
      case ControlFrame.ERROR -> peerClosing(
          new CloseStatus(
              CloseReason.PROTOCOL_ERROR,
              "peer reported "
                  + control.string("code", "an error")
                  + ": "
                  + control.string("message", "")));
      default -> {
        // ebsockets.pong and control types of later versions: nothing to do.
      }
    }
  }

  private static CloseStatus peerCloseStatus(ControlFrame control) {
    String wireReason = control.string("reason", "");
    String message = control.string("message", "");
    return CloseReason.fromWireName(wireReason)
        .map(reason -> new CloseStatus(reason, message))
        .orElseGet(
            () ->
                new CloseStatus(
                    CloseReason.PEER_CLOSED,
                    message.isEmpty() ? wireReason : wireReason + ": " + message));
  }

  /** The peer announced its close; it will shut its output down, and we close on its EOF. */
  private void peerClosing(CloseStatus why) {
    status.compareAndSet(null, why);
    if (!closing) {
      startClosing();
    }
  }

  /** Loop: a decoder or the socket failed. */
  void failed(Throwable cause) {
    if (closing) {
      log.debug("{}: ignoring an error while closing: {}", this, cause.toString());
      return;
    }
    if (cause instanceof ProtocolException pe) {
      log.info("{}: closing: protocol error {}: {}", this, pe.code().wireName(), pe.getMessage());
      closeWith(
          new CloseStatus(
              CloseReason.PROTOCOL_ERROR, pe.code().wireName() + ": " + pe.getMessage()),
          ControlFrame.error(pe.code(), pe.getMessage()));
    } else if (cause instanceof IOException) {
      log.debug("{}: closing: {}", this, cause.toString());
      status.compareAndSet(null, new CloseStatus(CloseReason.IO_ERROR, String.valueOf(cause.getMessage())));
      channel.close();
    } else {
      log.warn("{}: closing after an unexpected error", this, cause);
      status.compareAndSet(null, new CloseStatus(CloseReason.IO_ERROR, "internal error: " + cause));
      channel.close();
    }
  }

  /** Loop: the socket is closed; report the end exactly once. */
  void inactive() {
    if (inactive) {
      return;
    }
    inactive = true;
    closing = true;
    if (closeTimer != null) {
      closeTimer.cancel(false);
    }
    status.compareAndSet(null, new CloseStatus(CloseReason.PEER_CLOSED, ""));
    releaseOutbound();
    try {
      ChannelSink s = sink;
      if (s != null) {
        s.closed(status.get());
      }
    } finally {
      closeFuture.complete(null);
    }
  }

  @Override
  public String toString() {
    return "connection #" + id + " " + remoteAddress;
  }
}
