package io.ebsockets.netty;

import io.ebsockets.CloseReason;
import io.ebsockets.CloseStatus;
import io.ebsockets.ConnectionOptions;
import io.ebsockets.EbsocketEvent;
import io.ebsockets.spi.ChannelSink;
import io.ebsockets.spi.ClientTransport;
import io.ebsockets.spi.WireProtocol;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongFieldUpdater;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One connection, on either side: what ties its parts together (the outbound queue, the read
 * gate, the heartbeat, the {@link ControlHandler}), its close handshake, and what each failure
 * means for it.
 *
 * <p><b>Sending</b>: a server's application frames reach the loop through its {@link LoopOutbox}
 * (one handout per broadcast and loop), a client's through the {@link OutboundQueue}; either way
 * the loop writes them and flushes once per write-coalescing window, and the queue keeps the
 * outbound limit. A peer that reads too slowly to stay under the limit is closed here with
 * {@code slow_consumer}, and everyone else carries on.
 *
 * <p><b>Reading</b> stops while a {@link ReadGate} reason holds (the sink's allowance, the
 * server's {@link FrameBudget}, a draining shutdown); time stopped does not count towards the
 * idle timeout ({@link Heartbeat}) or the frame timeout.
 *
 * <p><b>Closing</b> is the {@link CloseHandshake}'s: whoever decides first sets the {@link
 * CloseStatus}, then the farewell and the half-close; what a failure means is {@link Failures}'.
 *
 * <p><b>Threads.</b> Fields marked "loop" belong to the channel's event loop; the rest are safe
 * from any thread.
 */
final class NettyConnection implements ClientTransport {
  private static final Logger log = LoggerFactory.getLogger(NettyConnection.class);

  /**
   * Unique on its side; 0 until a server's WebSocket connection has upgraded (its HTTP requests
   * before that take no number, so the application's ids stay dense).
   */
  private volatile long id;
  private final Channel channel;
  private final Settings settings;
  private final ConnectionOptions options;
  /** The peer; replaced once, before registration, by the client a trusted proxy names. */
  private volatile InetSocketAddress remoteAddress;
  /** Frames waiting to be written (a client's; a server's wait in its loop's outbox). */
  private final OutboundQueue outbound;
  private final CompletableFuture<Void> closeFuture = new CompletableFuture<>();
  private final CompletableFuture<Void> welcomed = new CompletableFuture<>();
  private final LoopBatcher batcher;
  /** Set before the channel is registered; read on the loop. */
  private volatile ChannelSink sink;
  /** True once the channel is closed; outbound frames are then released, not written. */
  private volatile boolean inactive;
  /** What the peer announced in its hello or welcome. */
  private volatile int peerMaxFrameLength = WireProtocol.DEFAULT_MAX_FRAME_LENGTH;

  private static final AtomicLongFieldUpdater<NettyConnection> EVENTS_OUT =
      AtomicLongFieldUpdater.newUpdater(NettyConnection.class, "eventsOut");
  private final long connectedAtMillis = System.currentTimeMillis();
  private volatile long lastReadMillis = connectedAtMillis;
  /** Written by the loop only. */
  private volatile long eventsIn;
  private volatile long bytesIn;
  /** Written by any sending thread, through {@link #EVENTS_OUT}. */
  private volatile long eventsOut;

  /** Who decided the close, and the handshake that follows. */
  private final CloseHandshake handshake;
  /** Loop: a failure was reported; later ones are the same failure seen again. */
  private boolean failed;
  /** Loop: the sink was handed events in this pass of reads and not yet told the pass ended. */
  private boolean readPending;
  /** Loop: why this connection is not being read, if it is not. */
  private final ReadGate readGate;
  /** Loop: pings and the idle timeout. */
  private final Heartbeat heartbeat;
  /** Loop: the peer's inbound rate limit, or null if it has none. */
  private final InboundRate rate;
  /** Loop: frames held undecoded while the sink has no room. */
  private final HeldFrames held = new HeldFrames(this);
  /** What differs between the doors: how the output ends, where discarding starts. */
  private final Framing framing;
  /** Loop: every frame staged is a WebSocket frame already ({@link #upgraded}). */
  private boolean writesWebSocketFrames;
  /** Server: decides on the hello, or null if every connection is admitted at once. */
  private volatile Admitter admitter;
  /** Server, WebSocket door: the upgrade request, for the admission hook; null on TCP. */
  private volatile UpgradeRequest upgrade;
  /** Server: the resumable session this connection was the first to carry, or null. */
  private volatile ServerSession session;
  /** Server: what the admission adds to the welcome. */
  private volatile Map<String, Object> welcomeMembers = Map.of();

  /** A server's decision on a connection's hello (see {@link io.ebsockets.Admission}). */
  interface Admitter {
    /** Loop: admits (and reports) the connection, or refuses (and closes) it. */
    boolean admit(NettyConnection connection, Map<String, Object> hello);
  }

  /** A WebSocket upgrade request, as the admission hook sees it. */
  record UpgradeRequest(
      String uri, Map<String, List<String>> headers, Map<String, String> cookies) {}

  NettyConnection(long id, Channel channel, InetSocketAddress remoteAddress, Settings settings) {
    this(id, channel, remoteAddress, settings, Framing.TCP);
  }

  NettyConnection(
      long id,
      Channel channel,
      InetSocketAddress remoteAddress,
      Settings settings,
      Framing framing) {
    this.framing = framing;
    this.id = id;
    this.channel = channel;
    this.remoteAddress = remoteAddress;
    this.settings = settings;
    this.options = settings.options();
    this.batcher = LoopBatcher.of(channel.eventLoop());
    this.outbound = new OutboundQueue(channel, settings, new QueueOwner());
    this.readGate = new ReadGate(channel);
    this.handshake = new CloseHandshake(channel, options.closeTimeout(), new ClosingParts());
    this.heartbeat = new Heartbeat(channel.eventLoop(), options, new HeartbeatPeer());
    this.rate = InboundRate.of(options, channel.eventLoop(), readGate, held::release);
  }

  void attach(ChannelSink sink) {
    this.sink = Objects.requireNonNull(sink, "sink");
    sink.attached(this);
  }

  /** Client: what the application adds to the hello. */
  private volatile Map<String, Object> helloData = Map.of();

  /** Client: what the application adds to the hello; set before the channel is active. */
  void helloData(Map<String, Object> data) {
    this.helloData = data;
  }

  /** Server, loop: numbers a connection that was made without one ({@link #id}). */
  void numberIfUnnumbered(java.util.function.LongSupplier next) {
    if (id == 0) {
      id = next.getAsLong();
    }
  }

  /** Server: the hello decides whether this connection is admitted (before anything reads it). */
  void admitOnHello(Admitter admitter) {
    this.admitter = admitter;
  }

  /**
   * Server, loop, before anything is sent to it: this connection is the first of a resumable
   * session, whose frames its loop numbers ({@link ServerSession#write}).
   */
  void session(ServerSession session) {
    this.session = session;
  }

  /** Server, loop: what the welcome says besides the protocol's members. */
  void welcomeMembers(Map<String, Object> members) {
    this.welcomeMembers = members;
  }

  /** Server, WebSocket door, loop: the upgrade request this connection came with. */
  void upgradeRequest(UpgradeRequest request) {
    this.upgrade = request;
  }

  /** The upgrade request, or null on TCP. */
  UpgradeRequest upgradeRequest() {
    return upgrade;
  }

  @Override
  public io.ebsockets.Door door() {
    return framing.door();
  }

  /**
   * Loop: whether broadcasts reach this connection as a shared WebSocket frame: true once a
   * server's WebSocket connection writes below Netty's WebSocket stages ({@link #upgraded}).
   */
  boolean sharesWebSocketFrames() {
    return writesWebSocketFrames;
  }

  /** The channel's allocator. */
  io.netty.buffer.ByteBufAllocator alloc() {
    return channel.alloc();
  }

  Settings settings() {
    return settings;
  }

  /** The event loop that reads and writes this connection. */
  EventLoop eventLoop() {
    return channel.eventLoop();
  }

  CompletableFuture<Void> closeFuture() {
    return closeFuture;
  }

  /** Completes when the server's welcome arrives (client side); fails if the connection ends. */
  CompletableFuture<Void> welcomed() {
    return welcomed;
  }

  @Override
  public long id() {
    return id;
  }

  @Override
  public InetSocketAddress remoteAddress() {
    return remoteAddress;
  }

  /**
   * Loop, before the connection is registered: the peer is a trusted proxy, and this is the
   * client it forwards.
   */
  void forwardedFor(InetSocketAddress client) {
    this.remoteAddress = client;
  }

  @Override
  public boolean isOpen() {
    return handshake.status() == null && !inactive;
  }

  @Override
  public Optional<CloseStatus> closeStatus() {
    return Optional.ofNullable(handshake.status());
  }

  @Override
  public io.ebsockets.ConnectionStats stats() {
    return new io.ebsockets.ConnectionStats(
        java.time.Instant.ofEpochMilli(connectedAtMillis),
        java.time.Instant.ofEpochMilli(lastReadMillis),
        eventsIn,
        bytesIn,
        eventsOut,
        outbound.writtenBytes(),
        pendingOutboundBytes());
  }

  int peerMaxFrameLength() {
    return peerMaxFrameLength;
  }

  /** Bytes queued for this connection and not yet written to its socket. */
  long pendingOutboundBytes() {
    return outbound.pendingBytes();
  }

  // ----------------------------------------------------------------------------------- sending

  @Override
  public boolean send(EbsocketEvent event) {
    return send(event, 0, 0);
  }

  @Override
  public boolean send(EbsocketEvent event, long requestId, long replyTo) {
    if (!isOpen()) {
      return false;
    }
    return encodeAndSend(event, requestId, replyTo);
  }

  /**
   * Encodes and queues one event, without asking whether this connection is open (a resumable
   * session's first connection takes its session's sends after it closed).
   */
  boolean encodeAndSend(EbsocketEvent event, long requestId, long replyTo) {
    settings.backlog().awaitRoom();
    int own = options.maxFrameLength();
    int peer = peerMaxFrameLength;
    ByteBuf frame =
        peer < own
            ? EventCodec.encode(channel.alloc(), event, requestId, replyTo, peer,
                "the max frame length the peer announced")
            : EventCodec.encode(channel.alloc(), event, requestId, replyTo, own,
                "the max frame length");
    int size = frame.readableBytes();
    if (!(settings.client() ? enqueueEvent(frame) : handOut(frame))) {
      return false;
    }
    settings.eventsOut().increment();
    settings.bytesOut().add(size);
    return true;
  }

  /**
   * Server, any thread: hands an application event's frame to the loop's {@link LoopOutbox},
   * which all of a server's application frames go through, so that they reach the peer in the
   * order sent; takes ownership of it.
   *
   * @return false (and the frame released) if the loop has shut down
   */
  boolean handOut(ByteBuf frame) {
    WriteBacklog backlog = settings.backlog();
    backlog.add(frame.readableBytes());
    return outbox().offer(new LoopOutbox.Handout(frame, new NettyConnection[] {this}, 1, backlog));
  }

  /** The outbox of this connection's loop (server side). */
  LoopOutbox outbox() {
    return batcher.outbox();
  }

  /**
   * Loop: stages one application frame handed out for this connection, unless a close is under
   * way (its farewell is written or being written); the frame stays the caller's, and its bytes,
   * charged to the write backlog, are uncharged as it is written.
   *
   * @return false if it was not staged (the caller uncharges it)
   */
  boolean writeEvent(ByteBuf frame) {
    ServerSession s = session;
    return s != null ? s.write(frame) : stageEvent(frame);
  }

  /** Loop: {@link #writeEvent} on this connection itself. */
  boolean stageEvent(ByteBuf frame) {
    if (handshake.isClosing() || inactive) {
      return false;
    }
    outbound.stage(frame.retainedDuplicate());
    EVENTS_OUT.lazySet(this, eventsOut + 1); // a server's connection is counted on its loop only
    return true;
  }

  /**
   * Server, any thread: queues one application frame another loop numbered for the resumable
   * session this connection carries (see {@link ServerSession}); the frame stays the caller's.
   *
   * @param charge whether to charge its bytes to the write backlog (false if the caller did)
   * @return false if it was not queued (nothing stays charged)
   */
  boolean forward(ByteBuf frame, boolean charge) {
    int size = frame.readableBytes();
    if (charge) {
      settings.backlog().add(size);
    }
    OutboundQueue.Offer offer = outbound.offer(frame.retainedDuplicate());
    if (offer == OutboundQueue.Offer.REFUSED) {
      if (charge) {
        settings.backlog().remove(size);
      }
      return false;
    }
    EVENTS_OUT.incrementAndGet(this);
    return true;
  }

  /**
   * Client, any thread: queues an application event's frame, counting it for this connection
   * and charging the write backlog for every frame offered (queued or dropped: each leaves the
   * queue later and is uncounted then); takes ownership of it.
   *
   * @return true if queued
   */
  private boolean enqueueEvent(ByteBuf frame) {
    int size = frame.readableBytes();
    OutboundQueue.Offer offer = outbound.offer(frame);
    if (offer != OutboundQueue.Offer.REFUSED) {
      settings.backlog().add(size);
    }
    if (offer != OutboundQueue.Offer.QUEUED) {
      return false;
    }
    EVENTS_OUT.incrementAndGet(this);
    return true;
  }

  /** Loop: writes everything queued, then flushes once (see {@link LoopBatcher}). */
  void flushOutbound() {
    outbound.flush();
  }

  /**
   * Loop: the socket took or refused bytes; keeps the outbound count fresh and judges the peer
   * by it (a peer back under its limit starts with a fresh clock next time it falls behind).
   */
  void writabilityChanged() {
    outbound.updateNettyPending();
    judgeOutbound();
  }

  /** What the outbound queue does to this connection. */
  private final class QueueOwner implements OutboundQueue.Owner {
    @Override
    public boolean isOpen() {
      return NettyConnection.this.isOpen();
    }

    @Override
    public boolean isInactive() {
      return inactive;
    }

    @Override
    public boolean isClosing() {
      return handshake.isClosing();
    }

    @Override
    public void overLimit(long backlog, long overNanos) {
      slowConsumer(backlog, overNanos);
    }

    @Override
    public boolean flushLater(long dueNanos) {
      return batcher.flushLater(NettyConnection.this, dueNanos);
    }
  }

  /** Any thread: what everything waiting to be written to this peer costs in memory. */
  long outboundCost() {
    return outbound.memoryCost();
  }

  /** Any thread: closes the peer if it has stayed over its outbound limit for too long. */
  void judgeOutbound() {
    if (isOpen()) {
      outbound.judge();
    }
  }

  /** Any thread: the server's outbound memory is over budget and this peer lags the most. */
  void overOutboundBudget(long budget, long total, long own) {
    closeWith(
        new CloseStatus(
            CloseReason.SLOW_CONSUMER,
            "outbound memory of all connections (" + total + " bytes) is over the server's"
                + " budget of " + budget + "; this connection's backlog of " + own
                + " bytes was among the largest (the peer reads too slowly)"),
        ControlFrame.close(
            CloseReason.SLOW_CONSUMER.wireName(), "you read too slowly to keep up"));
  }

  private void slowConsumer(long backlog, long overNanos) {
    closeWith(
        new CloseStatus(
            CloseReason.SLOW_CONSUMER,
            "outbound backlog of "
                + backlog
                + " bytes is over the limit of "
                + options.maxOutboundBytes()
                + (backlog > 2L * options.maxOutboundBytes()
                    ? " twice over"
                    : " and has been for " + TimeUnit.NANOSECONDS.toMillis(overNanos) + " ms")
                + " (the peer reads too slowly)"),
        ControlFrame.close(
            CloseReason.SLOW_CONSUMER.wireName(), "you read too slowly to keep up"));
  }

  @Override
  public boolean sendControl(String type, Map<String, Object> data) {
    if (!type.startsWith(io.ebsockets.EbsocketEvent.RESERVED_PREFIX)) {
      throw new IllegalArgumentException(
          "control type " + type + " (expected: one starting with ebsockets.)");
    }
    if (!isOpen()) {
      return false;
    }
    runOnLoop(() -> sendControl(new ControlFrame(type, data)));
    return true;
  }

  /** Loop: sends a control frame of the transport's own, unless closing. */
  private void sendControl(ControlFrame frame) {
    if (isOpen()) {
      writeControl(EventCodec.encode(channel.alloc(), frame));
    }
  }

  /**
   * Loop: stages a control frame, to be written with the connection's next flush, so that it
   * keeps its place among the frames the loop sends (a server's welcome before any broadcast);
   * takes ownership of it. Released if a close is under way.
   */
  private void writeControl(ByteBuf frame) {
    if (isOpen()) {
      ByteBuf staged = frame;
      if (writesWebSocketFrames) {
        staged = WebSocketFraming.textFrame(frame, channel.alloc());
        frame.release();
      }
      settings.backlog().add(staged.readableBytes());
      outbound.stage(staged);
    } else {
      frame.release();
    }
  }

  /**
   * Loop: a server's WebSocket connection has upgraded. If broadcasts reach it as shared
   * WebSocket frames, every frame staged for it is made ready (control frames too) and written
   * below Netty's WebSocket stages, through {@code belowWebSocketStages}: three handler calls
   * fewer per delivery.
   */
  void upgraded(io.netty.channel.ChannelHandlerContext belowWebSocketStages) {
    if (!settings.client() && framing.sharesWebSocketFrames() && belowWebSocketStages != null) {
      writesWebSocketFrames = true;
      outbound.writeVia(belowWebSocketStages);
    }
  }

  // ----------------------------------------------------------------------------------- closing

  @Override
  public CompletableFuture<Void> close(CloseReason reason, String message) {
    return close(new CloseStatus(reason, message)); // checks both for null
  }

  /**
   * Any thread: closes with {@code status}, whose retry hint (if any) goes to the peer in the
   * {@code ebsockets.close} and, on WebSocket, in the close frame's text.
   */
  CompletableFuture<Void> close(CloseStatus status) {
    closeWith(status, ControlFrame.close(status));
    return closeFuture;
  }

  /** Any thread: closes at once, without a handshake (shutdown that ran out of time). */
  void forceClose(CloseStatus why) {
    handshake.force(why);
  }

  private void closeWith(CloseStatus why, ControlFrame farewell) {
    handshake.close(why, farewell);
  }

  /** What the close handshake does to this connection's other parts. */
  private final class ClosingParts implements CloseHandshake.Parts {
    @Override
    public void stopAndDiscard() {
      heartbeat.stop();
      framing.discardInbound(channel.pipeline());
      readGate.openAll();
    }

    @Override
    public void endOutput(CloseStatus why) {
      framing.endOutput(channel, why);
    }

    @Override
    public void finishOutbound(boolean drop) {
      if (drop) {
        outbound.discard(); // it cannot keep up; do not add to its backlog
        outbound.dropUnwritten();
      } else {
        outbound.writeQueued();
      }
    }
  }

  // ----------------------------------------------------------------------------------- reading

  /** Loop. */
  boolean isReadingPaused() {
    return readGate.isClosed();
  }

  /**
   * Any thread: stops reading for good (a draining shutdown); completes once the loop has done
   * so, so that nothing read afterwards can reach the sink.
   */
  CompletableFuture<Void> stopReading() {
    CompletableFuture<Void> done = new CompletableFuture<>();
    try {
      channel.eventLoop().execute(() -> {
        if (!handshake.isClosing()) {
          readGate.close(ReadGate.Reason.SHUTDOWN);
          held.releaseAll(); // read before the stop, so drained with the rest
        }
        done.complete(null);
      });
    } catch (RejectedExecutionException e) {
      done.complete(null); // the loop is gone, and reads with it
    }
    return done;
  }

  @Override
  public void resumeReading() {
    runOnLoop(
        () -> {
          ChannelSink s = sink;
          // readyToResume first, always: it also tells the sink its request was seen.
          if (s != null && !handshake.isClosing() && s.readyToResume()) {
            readGate.open(ReadGate.Reason.SINK);
            held.release();
          }
        });
  }

  /** The pipeline stage that stops reads while a reason to pause holds. */
  ReadGate readGate() {
    return readGate;
  }

  /** The pipeline stage that holds frames while the sink has no room. */
  HeldFrames heldFrames() {
    return held;
  }

  /**
   * Loop: whether the sink has room for another event ({@link ChannelSink#acceptsMore()}); if
   * not, reading stops until the sink is ready to resume.
   */
  boolean acceptsMore() {
    if (handshake.isClosing()) {
      return true; // a closing connection discards what comes, so nothing needs holding
    }
    if (rate != null && rate.isOver()) {
      return false; // the rate's timer releases what is held
    }
    ChannelSink s = sink;
    if (s == null || s.acceptsMore()) {
      return true;
    }
    readGate.close(ReadGate.Reason.SINK);
    return false;
  }

  /** Loop: the partial frame this connection holds took the server over its budget. */
  void pauseForBudget() {
    if (!handshake.isClosing()) {
      readGate.close(ReadGate.Reason.BUDGET);
    }
  }

  /** Any thread: the partial-frame budget has room again. */
  void budgetAvailable() {
    runOnLoop(
        () -> {
          readGate.open(ReadGate.Reason.BUDGET);
        });
  }

  private void runOnLoop(Runnable task) {
    if (channel.eventLoop().inEventLoop()) {
      task.run();
    } else {
      try {
        channel.eventLoop().execute(task);
      } catch (RejectedExecutionException e) {
        // The loop is shutting down; the connection is closing with it.
      }
    }
  }

  // --------------------------------------------------------------------------------- heartbeat

  /** Loop: bytes arrived. */
  @SuppressWarnings("NonAtomicVolatileUpdate") // bytesIn has one writer, the loop
  void readActivity(int bytes) {
    heartbeat.readActivity();
    lastReadMillis = System.currentTimeMillis();
    bytesIn += bytes;
  }

  /** What the heartbeat does to this connection. */
  private final class HeartbeatPeer implements Heartbeat.Peer {
    @Override
    public boolean isClosing() {
      return handshake.isClosing();
    }

    @Override
    public boolean isReadingPaused() {
      return NettyConnection.this.isReadingPaused();
    }

    @Override
    public void ping() {
      sendControl(new ControlFrame(ControlFrame.PING, Map.of("time", System.currentTimeMillis())));
    }

    @Override
    public void idle(String message) {
      closeWith(
          new CloseStatus(CloseReason.IDLE_TIMEOUT, message),
          ControlFrame.close(CloseReason.IDLE_TIMEOUT.wireName(), message));
    }
  }

  // ---------------------------------------------------------------------------- inbound (loop)

  /** Loop: the channel is connected (the {@link ControlHandler} has said hello if a client). */
  void active() {
    heartbeat.start();
  }

  /** What the control frames do to this connection; see {@link ControlHandler}. */
  ControlHandler.Peer controlPeer() {
    return new ControlPeer();
  }

  private final class ControlPeer implements ControlHandler.Peer {
    @Override
    public boolean isClosing() {
      return handshake.isClosing();
    }

    @Override
    public void sendControl(ControlFrame frame) {
      NettyConnection.this.sendControl(frame);
    }

    @Override
    public void sendEncoded(ByteBuf frame) {
      writeControl(frame);
    }

    @Override
    public void announced(int maxFrameLength) {
      peerMaxFrameLength = maxFrameLength;
    }

    @Override
    public int peerMaxFrameLength() {
      return peerMaxFrameLength;
    }

    @Override
    public void welcomed() {
      welcomed.complete(null);
    }

    @Override
    public void peerClosing(CloseStatus why) {
      NettyConnection.this.peerClosing(why);
    }

    @Override
    public Map<String, Object> helloData() {
      Map<String, Object> members = sink.helloMembers();
      if (members.isEmpty()) {
        return helloData;
      }
      Map<String, Object> all = new java.util.LinkedHashMap<>(helloData);
      all.putAll(members);
      return all;
    }

    @Override
    public Map<String, Object> welcomeMembers() {
      return welcomeMembers;
    }

    @Override
    public void control(ControlFrame frame) {
      ChannelSink s = sink;
      if (s != null && !inactive) {
        s.control(frame.type(), frame.data());
      }
    }

    @Override
    public boolean admit(Map<String, Object> hello) {
      Admitter a = admitter;
      return a == null || a.admit(NettyConnection.this, hello);
    }
  }

  /** Loop: the pass of reads that handed the sink events has ended (see {@link LoopBatcher}). */
  void readPassEnded() {
    readPending = false;
    if (!inactive) {
      sink.readComplete();
    }
  }

  /** Always true: {@link ChannelSink#readComplete()} follows every pass that delivered events. */
  @Override
  public boolean reportsReadComplete() {
    return true;
  }

  boolean isClosing() {
    return handshake.isClosing();
  }

  /** Loop: an application event arrived. */
  @SuppressWarnings("NonAtomicVolatileUpdate") // eventsIn has one writer, the loop
  void received(DecodedEvent decoded) {
    eventsIn++;
    boolean keepReading =
        sink.receivedNormalised(
            decoded.type(),
            decoded.data(),
            decoded.frameBytes(),
            decoded.memoryBytes(),
            decoded.requestId(),
            decoded.replyTo());
    if (!readPending) {
      readPending = true;
      batcher.readCompleteLater(this);
    }
    if (!keepReading) {
      readGate.close(ReadGate.Reason.SINK);
    }
    if (rate != null) {
      rate.charge(decoded.frameBytes());
    }
  }

  /** Loop: the peer's WebSocket close frame; it is answered and the connection closes. */
  void peerClosedWebSocket(CloseStatus why) {
    handshake.peerClosing(why);
  }

  /** The peer announced its close; it will shut its output down, and we close on its EOF. */
  private void peerClosing(CloseStatus why) {
    handshake.peerClosing(why);
  }

  /** Loop: a decoder, a guard or the socket failed; {@link Failures} says what that means. */
  void failed(Throwable cause) {
    if (handshake.isClosing() || failed) {
      // A close is under way (the SslHandler, say, reports a failed handshake twice).
      log.debug("{}: ignoring an error while closing: {}", this, Failures.printable(cause.toString()));
      return;
    }
    failed = true;
    Failures.Verdict verdict = settings.failures().judge(this, cause);
    if (verdict.farewellOrNull() != null) {
      closeWith(verdict.status(), verdict.farewellOrNull());
    } else {
      handshake.force(verdict.status());
    }
  }

  /** Loop: the socket is closed; report the end exactly once. */
  void inactive() {
    if (inactive) {
      return;
    }
    inactive = true;
    heartbeat.stop();
    CloseStatus why = handshake.ended();
    outbound.discard();
    welcomed.completeExceptionally(new IOException("connection closed before the welcome: " + why));
    try {
      ChannelSink s = sink;
      if (s != null) {
        s.closed(why);
      }
    } finally {
      closeFuture.complete(null);
    }
  }

  @Override
  public String toString() {
    long n = id;
    String before = framing.door() == io.ebsockets.Door.TCP
        ? "connection (before its PROXY header) " : "connection (before its WebSocket upgrade) ";
    return (n == 0 ? before : "connection #" + n + " ")
        + remoteAddress;
  }
}
