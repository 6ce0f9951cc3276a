package io.ebsockets;

import io.ebsockets.spi.ClusterBus;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A server's side of the cluster: what it publishes for other nodes (every message stamped with
 * this node's id, epoch and a sequence per channel) and what it takes from them. Messages from
 * the bus arrive on the bus's threads and only go into a bounded queue there; one thread of the
 * link's own ("ebsockets-cluster-&lt;node&gt;") drops duplicates, counts gaps and hands the rest
 * to this node's connections — that thread may wait on the write backlog, a bus thread never
 * does. The same thread keeps the group subscriptions in step with the groups that have local
 * members, and publishes a probe to this node's own channel every second, so that {@link
 * ClusterStats#live()} is what the bus really carries, not what its socket says. {@link #begin}
 * returns once the first probe is back (or after {@value #FIRST_ECHO_WAIT_SECONDS} s), so a
 * server that is built hears every broadcast and every send to its clients from then on.
 *
 * <p>Without a bus ({@link #singleNode}) every publish is a no-op and presence is local.
 */
final class ClusterLink implements ClusterBus.Node, Groups.Listener {
  private static final Logger log = LoggerFactory.getLogger(ClusterLink.class);
  static final String ALL = "all";
  static final String NODE_PREFIX = "node:";
  static final String GROUP_PREFIX = "group:";
  /** The most received messages waiting for the delivery thread. */
  static final int MAX_QUEUED_MESSAGES = 65_536;
  /** The most bytes of received messages waiting for the delivery thread: 64 MiB. */
  static final long MAX_QUEUED_BYTES = 64L << 20;
  static final long PROBE_INTERVAL_NANOS = 1_000_000_000L;
  /** How late this node's probe may come back for the link to count as live: 3 seconds. */
  static final long LIVE_WITHIN_NANOS = 3 * PROBE_INTERVAL_NANOS;
  /** How long the server's constructor waits for the bus to carry this node's first probe. */
  static final long FIRST_ECHO_WAIT_SECONDS = 5;

  /** Where received events go: this node's connections only, never back to the bus. */
  interface LocalSends {
    void toAllHere(EbsocketEvent event);

    void toGroupHere(String group, EbsocketEvent event);

    void toOneHere(long localId, EbsocketEvent event);
  }

  /** A message as the bus handed it over. */
  private static final class Inbound {
    final String channel;
    final byte[] message;

    Inbound(String channel, byte[] message) {
      this.channel = channel;
      this.message = message;
    }
  }

  private final ClusterBus bus;
  private final String id;
  private final long epoch = ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE);
  private final String ownChannel;
  private final List<String> presenceKeys;
  private final IntSupplier connections;

  // Any thread.
  private final Map<String, long[]> sendSequences = new ConcurrentHashMap<>();
  private final Queue<Inbound> inbound = new ConcurrentLinkedQueue<>();
  private final AtomicInteger queuedMessages = new AtomicInteger();
  private final AtomicLong queuedBytes = new AtomicLong();
  private final Set<String> changedGroups = ConcurrentHashMap.newKeySet();
  private final LongAdder published = new LongAdder();
  private final LongAdder publishFailed = new LongAdder();
  private final LongAdder overflowed = new LongAdder();
  private final LongAdder disconnects = new LongAdder();
  private final AtomicLong received = new AtomicLong();
  private final AtomicLong duplicates = new AtomicLong();
  private final AtomicLong gaps = new AtomicLong();
  private final AtomicLong missed = new AtomicLong();
  private final AtomicLong malformed = new AtomicLong();
  private volatile boolean linkUp = true;
  private volatile long lastEchoNanos = System.nanoTime() - 2 * LIVE_WITHIN_NANOS;
  private final java.util.concurrent.CountDownLatch firstEcho =
      new java.util.concurrent.CountDownLatch(1);
  private volatile boolean closed;
  private volatile boolean parked;
  private volatile boolean republishAll;
  private volatile Thread thread;

  // Only the delivery thread.
  private final Sequences sequences = new Sequences();
  private final Set<String> subscribedGroups = new HashSet<>();
  private Groups groups;
  private LocalSends local;

  private ClusterLink(ClusterBus bus, String id, List<String> presenceKeys, IntSupplier open) {
    this.bus = bus;
    this.id = ConnectionId.checkNodeId(id, "nodeId");
    this.ownChannel = NODE_PREFIX + id;
    this.presenceKeys = List.copyOf(presenceKeys);
    this.connections = open;
  }

  /** A node alone: nothing is published, presence is this node's. */
  static ClusterLink singleNode(String id, List<String> presenceKeys, IntSupplier open) {
    return new ClusterLink(null, id, presenceKeys, open);
  }

  /** A node of a cluster; claims the id on the bus, blocking until it is claimed or refused. */
  static ClusterLink claim(
      ClusterBus bus, String id, List<String> presenceKeys, IntSupplier open) {
    ClusterLink link = new ClusterLink(bus, id, presenceKeys, open);
    bus.start(link);
    return link;
  }

  /** A node id unique to this process: {@code node-<pid>-<random>}. */
  static String defaultNodeId() {
    return "node-" + ProcessHandle.current().pid() + "-"
        + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x100000, 0x1000000));
  }

  /** Starts delivering: subscriptions, probes, and what arrived since {@link #claim}. */
  void begin(LocalSends local, Groups groups) {
    this.local = local;
    this.groups = groups;
    if (bus == null) {
      return;
    }
    bus.subscribe(ALL);
    bus.subscribe(ownChannel);
    Thread t = new Thread(this::run, "ebsockets-cluster-" + id);
    t.setDaemon(true);
    thread = t;
    t.start();
    // The probe goes out on this node's channel after the subscriptions above, on the same
    // link: once it is back, the node hears every broadcast and every send to its clients.
    try {
      if (!firstEcho.await(FIRST_ECHO_WAIT_SECONDS, java.util.concurrent.TimeUnit.SECONDS)) {
        log.warn("cluster: node {} started, but its probe did not come back through the bus"
            + " within {} s; stats().cluster().live() says when it does", id,
            FIRST_ECHO_WAIT_SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  String nodeId() {
    return id;
  }

  // ------------------------------------------------------------------------------ sending

  void publishToAll(EbsocketEvent event) {
    publish(ALL, -1, event);
  }

  void publishToGroup(String group, EbsocketEvent event) {
    publish(GROUP_PREFIX + group, -1, event);
  }

  /** To a connection of another node; false if the bus refused it at once. */
  boolean publishToOne(ConnectionId target, EbsocketEvent event) {
    return publish(NODE_PREFIX + target.node(), target.local(), event);
  }

  private boolean publish(String channel, long target, EbsocketEvent event) {
    if (bus == null) {
      return false;
    }
    long[] sequence = sendSequences.computeIfAbsent(channel, c -> new long[1]);
    boolean accepted;
    // Numbering and handing over under one lock: the bus must see a channel's numbers in order.
    synchronized (sequence) {
      long seq = ++sequence[0];
      accepted = bus.publish(
          channel, BusEnvelope.encode(BusEnvelope.EVENT, id, epoch, seq, target, event));
    }
    if (accepted) {
      published.increment();
    } else {
      publishFailed.increment();
    }
    return accepted;
  }

  // ------------------------------------------------------------------------------ groups

  @Override
  public void firstJoined(String group) {
    groupChanged(group);
  }

  @Override
  public void lastLeft(String group) {
    groupChanged(group);
  }

  @Override
  public void joined(String group, EbsocketConnection member) {
    if (bus != null) {
      bus.joined(group, member.connectionId(), presenceOf(member));
    }
  }

  @Override
  public void left(String group, EbsocketConnection member) {
    if (bus != null) {
      bus.left(group, member.connectionId());
    }
  }

  private void groupChanged(String group) {
    if (bus != null && changedGroups.add(group)) {
      wake();
    }
  }

  /** Subscribes to the groups that gained their first local member, leaves those that lost it. */
  private void reconcileGroups() {
    for (String group : List.copyOf(changedGroups)) {
      changedGroups.remove(group);
      boolean wanted = !groups.members(group).isEmpty();
      String channel = GROUP_PREFIX + group;
      if (wanted && subscribedGroups.add(group)) {
        bus.subscribe(channel);
      } else if (!wanted && subscribedGroups.remove(group)) {
        bus.unsubscribe(channel);
        sequences.forget(channel);
      }
    }
  }

  // ------------------------------------------------------------------------------ presence

  Map<String, String> presenceOf(EbsocketConnection member) {
    if (presenceKeys.isEmpty()) {
      return Map.of();
    }
    Map<String, String> values = new java.util.LinkedHashMap<>();
    for (String key : presenceKeys) {
      Object value = member.attribute(key);
      if (value != null) {
        values.put(key, String.valueOf(value));
      }
    }
    return values;
  }

  /** Publishes a member's attributes again in each of its groups. */
  void republish(EbsocketConnection member) {
    for (String group : member.groupNames()) {
      joined(group, member);
    }
  }

  Presence presence() {
    return new Presence() {
      @Override
      public CompletableFuture<List<PresenceMember>> members(String group) {
        java.util.Objects.requireNonNull(group, "group");
        if (bus != null) {
          return onCallbackThread(bus.members(group));
        }
        List<PresenceMember> here = new ArrayList<>();
        for (EbsocketConnection c : groups.members(group)) {
          here.add(new PresenceMember(c.connectionId(), presenceOf(c)));
        }
        return CompletableFuture.completedFuture(List.copyOf(here));
      }

      @Override
      public CompletableFuture<Long> connectionCount() {
        return bus != null
            ? onCallbackThread(bus.connectionCount())
            : CompletableFuture.completedFuture((long) connections.getAsInt());
      }
    };
  }

  /**
   * The bus completes on its own threads; an application's callback there may send and wait on
   * the write backlog, which would hold the bus. So the answer is handed on from the library's
   * callback threads, success and failure alike.
   */
  private static <T> CompletableFuture<T> onCallbackThread(CompletableFuture<T> fromBus) {
    CompletableFuture<T> handedOn = new CompletableFuture<>();
    fromBus.whenComplete((value, error) -> Callbacks.completions().execute(() -> {
      if (error != null) {
        handedOn.completeExceptionally(error);
      } else {
        handedOn.complete(value);
      }
    }));
    return handedOn;
  }

  // ------------------------------------------------------------------------------ the bus's side

  @Override
  public String id() {
    return id;
  }

  @Override
  public long epoch() {
    return epoch;
  }

  @Override
  public int connections() {
    return connections.getAsInt();
  }

  @Override
  public void received(String channel, byte[] message) {
    if (queuedMessages.incrementAndGet() > MAX_QUEUED_MESSAGES
        || queuedBytes.addAndGet(message.length) > MAX_QUEUED_BYTES) {
      queuedMessages.decrementAndGet();
      queuedBytes.addAndGet(-message.length);
      overflowed.increment();
      return;
    }
    inbound.offer(new Inbound(channel, message));
    if (parked) {
      wake();
    }
  }

  @Override
  public void publishFailed(String channel, Throwable cause) {
    publishFailed.increment();
  }

  @Override
  public void linkDown(String why) {
    linkUp = false;
    disconnects.increment();
    log.warn("cluster: node {} lost the bus ({}); cross-node sends fail until it is back", id, why);
  }

  @Override
  public void linkUp() {
    linkUp = true;
    republishAll = true; // a restarted Redis has forgotten this node's members
    log.info("cluster: node {} has the bus again; channels subscribed again", id);
    wake();
  }

  /** Publishes the presence of every local member again, on the delivery thread. */
  private void republishPresence() {
    republishAll = false;
    for (String group : List.copyOf(groups.names())) {
      for (EbsocketConnection member : groups.members(group)) {
        joined(group, member);
      }
    }
  }

  // ------------------------------------------------------------------------------ the thread

  private void wake() {
    Thread t = thread;
    if (t != null) {
      LockSupport.unpark(t);
    }
  }

  private void run() {
    List<Incident> watched = List.of(
        new Incident(log, "cross-node messages failed to publish", publishFailed::sum),
        new Incident(log, "messages received twice (dropped)", duplicates::get),
        new Incident(log, "gaps in what other nodes published", missed::get),
        new Incident(log, "received messages dropped: this node's bus queue was full",
            overflowed::sum),
        new Incident(log, "malformed cluster messages (dropped)", malformed::get));
    long nextTick = System.nanoTime();
    while (!closed) {
      if (!changedGroups.isEmpty()) {
        reconcileGroups();
      }
      if (republishAll) {
        republishPresence();
      }
      Inbound m = inbound.poll();
      if (m != null) {
        queuedMessages.decrementAndGet();
        queuedBytes.addAndGet(-m.message.length);
        handle(m);
        continue;
      }
      long now = System.nanoTime();
      if (now - nextTick >= 0) {
        nextTick = now + PROBE_INTERVAL_NANOS;
        bus.publish(ownChannel, BusEnvelope.encode(BusEnvelope.PROBE, id, epoch, 0, -1, null));
        for (Incident incident : watched) {
          incident.tick(now);
        }
        continue;
      }
      parked = true;
      if (inbound.isEmpty() && changedGroups.isEmpty() && !republishAll && !closed) {
        LockSupport.parkNanos(this, nextTick - now);
      }
      parked = false;
    }
  }

  private void handle(Inbound m) {
    BusEnvelope e;
    try {
      e = BusEnvelope.decode(m.message);
    } catch (IllegalArgumentException ex) {
      malformed.incrementAndGet();
      log.debug("cluster: dropped {}", ex.getMessage());
      return;
    }
    String channel = m.channel;
    if (e.node().equals(id)) {
      if (e.kind() == BusEnvelope.PROBE) {
        lastEchoNanos = System.nanoTime();
        firstEcho.countDown();
      }
      return; // this node delivered its own sends already
    }
    if (e.kind() != BusEnvelope.EVENT) {
      return;
    }
    boolean group = channel.startsWith(GROUP_PREFIX);
    if (group && !subscribedGroups.contains(channel.substring(GROUP_PREFIX.length()))) {
      return; // left since it was published: its members here are gone
    }
    switch (sequences.take(channel, e.node(), e.epoch(), e.seq())) {
      case DUPLICATE -> {
        duplicates.incrementAndGet();
        return;
      }
      case AFTER_GAP -> {
        gaps.incrementAndGet();
        missed.addAndGet(sequences.missed());
      }
      case NEXT -> { }
    }
    received.incrementAndGet();
    try {
      EbsocketEvent event = e.event();
      if (group) {
        local.toGroupHere(channel.substring(GROUP_PREFIX.length()), event);
      } else if (channel.equals(ALL)) {
        local.toAllHere(event);
      } else if (channel.equals(ownChannel) && e.target() >= 0) {
        local.toOneHere(e.target(), event);
      }
    } catch (RuntimeException ex) {
      malformed.incrementAndGet();
      log.debug("cluster: could not deliver a message from {}: {}", e.node(), ex.toString());
    }
  }

  ClusterStats stats() {
    if (bus == null) {
      return ClusterStats.singleNode(id);
    }
    boolean live = linkUp && System.nanoTime() - lastEchoNanos < LIVE_WITHIN_NANOS;
    return new ClusterStats(
        id,
        true,
        live,
        published.sum(),
        publishFailed.sum(),
        received.get(),
        duplicates.get(),
        gaps.get(),
        missed.get(),
        overflowed.sum(),
        disconnects.sum());
  }

  /** Stops the thread, then withdraws the node from the bus. */
  void close() {
    if (bus == null || closed) {
      return;
    }
    closed = true;
    Thread t = thread;
    if (t != null) {
      LockSupport.unpark(t);
      try {
        t.join(1_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    bus.close();
  }
}
