package io.ebsockets.micrometer;

import io.ebsockets.CloseReason;
import io.ebsockets.Door;
import io.ebsockets.EbsocketConnection;
import io.ebsockets.EbsocketSystem;
import io.ebsockets.SystemStats;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.TimeGauge;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;

/**
 * Binds an ebsockets server's counters to a Micrometer registry, named {@code ebsockets.*}:
 *
 * <pre>
 * new EbsocketMetrics(system).bindTo(registry);
 * </pre>
 *
 * <table>
 *   <caption>The meters</caption>
 *   <tr><th>name</th><th>type</th><th>tags</th></tr>
 *   <tr><td>{@code ebsockets.connections}</td><td>gauge</td><td>{@code door}: tcp, websocket</td></tr>
 *   <tr><td>{@code ebsockets.connections.peak}</td><td>gauge</td><td></td></tr>
 *   <tr><td>{@code ebsockets.connections.accepted}</td><td>counter</td><td></td></tr>
 *   <tr><td>{@code ebsockets.connections.refused}</td><td>counter</td><td></td></tr>
 *   <tr><td>{@code ebsockets.connections.turned.away}</td><td>counter</td><td>{@code reason}:
 *       overloaded, server_full, server_shutdown</td></tr>
 *   <tr><td>{@code ebsockets.health}</td><td>gauge (1 or 0)</td><td></td></tr>
 *   <tr><td>{@code ebsockets.connections.closed}</td><td>counter</td><td>{@code reason}: a
 *       {@link CloseReason}'s wire name</td></tr>
 *   <tr><td>{@code ebsockets.protocol.errors}, {@code ebsockets.slow.consumers}</td><td>counter</td>
 *       <td></td></tr>
 *   <tr><td>{@code ebsockets.events.in}, {@code ebsockets.events.out}</td><td>counter</td><td></td></tr>
 *   <tr><td>{@code ebsockets.bytes.in}, {@code ebsockets.bytes.out}</td><td>counter</td><td></td></tr>
 *   <tr><td>{@code ebsockets.inbox.events}, {@code ebsockets.inbox.bytes}</td><td>gauge</td>
 *       <td></td></tr>
 *   <tr><td>{@code ebsockets.replies.dropped}</td><td>counter</td><td></td></tr>
 *   <tr><td>{@code ebsockets.pump.lag}</td><td>time gauge</td><td>about how long the oldest
 *       unpumped event has waited (sampled)</td></tr>
 *   <tr><td>{@code ebsockets.outbound.backlog}</td><td>gauge (bytes)</td><td></td></tr>
 *   <tr><td>{@code ebsockets.requests}</td><td>function timer: answered requests and their
 *       time</td><td></td></tr>
 *   <tr><td>{@code ebsockets.requests.sent}, {@code .timeouts}, {@code .failed}</td>
 *       <td>counter</td><td></td></tr>
 *   <tr><td>{@code ebsockets.sessions.kept}, {@code .waiting}, {@code .replay.events}, {@code
 *       .replay.bytes}</td><td>gauge</td><td></td></tr>
 *   <tr><td>{@code ebsockets.sessions.resumed}, {@code .expired}, {@code .refused}</td>
 *       <td>counter</td><td></td></tr>
 *   <tr><td>{@code ebsockets.cluster.live}</td><td>gauge (1 or 0)</td><td>only with a cluster
 *       bus</td></tr>
 *   <tr><td>{@code ebsockets.cluster.published}, {@code .publish.failed}, {@code .received},
 *       {@code .duplicates}, {@code .gaps}, {@code .missed}, {@code .overflowed}, {@code
 *       .reconnects}</td><td>counter</td><td>only with a cluster bus</td></tr>
 * </table>
 *
 * <p>Tags are bounded: a door, a close reason, and the tags given to the constructor; never a
 * connection, a room or a user. The values are read from {@link EbsocketSystem#stats()}, taken
 * at most once per {@link #SNAPSHOT_NANOS} however many meters a scrape reads, so the binder adds
 * nothing to the server's paths: it costs one snapshot per scrape (plus one pass over the open
 * connections, to count them by door).
 *
 * <p><b>Threads.</b> {@link #bindTo} on any thread, once per registry; the meters are read on the
 * registry's thread (a scrape), never block on the network, and take each resumable session's
 * lock only for as long as it takes to read its replay buffer's size.
 */
public final class EbsocketMetrics implements MeterBinder {
  /** How long one snapshot of the server's counters serves the meters of a scrape: 100 ms. */
  public static final long SNAPSHOT_NANOS = 100_000_000L;

  private final EbsocketSystem system;
  private final Tags tags;
  private volatile Snapshot snapshot;

  /** One read of the server's counters, with the connections counted by door. */
  private record Snapshot(
      long takenNanos, SystemStats stats, Map<Door, Integer> byDoor, boolean health) {}

  /**
   * Metrics of {@code system}, without tags of their own.
   *
   * @param system the server's system
   */
  public EbsocketMetrics(EbsocketSystem system) {
    this(system, Tags.empty());
  }

  /**
   * Metrics of {@code system}, each with {@code tags} (for example the node's id).
   *
   * @param system the server's system
   * @param tags tags added to every meter; keep them bounded
   */
  public EbsocketMetrics(EbsocketSystem system, Iterable<Tag> tags) {
    this.system = Objects.requireNonNull(system, "system");
    this.tags = Tags.of(Objects.requireNonNull(tags, "tags"));
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    for (Door door : Door.values()) {
      gauge(registry, "ebsockets.connections", "connections open now, by door",
          Tags.of("door", doorName(door)), s -> s.byDoor().getOrDefault(door, 0));
    }
    gauge(registry, "ebsockets.connections.peak", "the most connections open at once",
        Tags.empty(), s -> s.stats().peakConnections());
    counter(registry, "ebsockets.connections.accepted", "connections accepted", Tags.empty(),
        s -> s.stats().accepted());
    counter(registry, "ebsockets.connections.refused", "connections the admission hook refused",
        Tags.empty(), s -> s.stats().refused());
    counter(registry, "ebsockets.connections.turned.away",
        "connections turned away before admission, by reason", Tags.of("reason", "overloaded"),
        s -> s.stats().turnedAway().overloaded());
    counter(registry, "ebsockets.connections.turned.away",
        "connections turned away before admission, by reason", Tags.of("reason", "server_full"),
        s -> s.stats().turnedAway().full());
    counter(registry, "ebsockets.connections.turned.away",
        "connections turned away before admission, by reason",
        Tags.of("reason", "server_shutdown"), s -> s.stats().turnedAway().shuttingDown());
    gauge(registry, "ebsockets.health", "1 while the server should be sent new clients"
        + " (system.health().ok()), else 0", Tags.empty(), s -> s.health() ? 1 : 0);
    for (CloseReason reason : CloseReason.values()) {
      counter(registry, "ebsockets.connections.closed", "connections ended, by reason",
          Tags.of("reason", reason.wireName()), s -> s.stats().disconnected(reason));
    }
    counter(registry, "ebsockets.protocol.errors", "connections closed for a protocol error",
        Tags.empty(), s -> s.stats().protocolErrors());
    counter(registry, "ebsockets.slow.consumers", "connections dropped as slow consumers",
        Tags.empty(), s -> s.stats().slowConsumerDrops());
    counter(registry, "ebsockets.events.in", "application events received", Tags.empty(),
        s -> s.stats().eventsIn());
    counter(registry, "ebsockets.events.out",
        "application events queued for clients (a broadcast to n counts n)", Tags.empty(),
        s -> s.stats().eventsOut());
    counter(registry, "ebsockets.bytes.in", "payload bytes of the events received",
        Tags.empty(), s -> s.stats().bytesIn());
    counter(registry, "ebsockets.bytes.out", "bytes queued for clients", Tags.empty(),
        s -> s.stats().bytesOut());
    gauge(registry, "ebsockets.inbox.events", "events received and not yet pumped",
        Tags.empty(), s -> s.stats().queuedEvents());
    gauge(registry, "ebsockets.inbox.bytes", "payload bytes of the events not yet pumped",
        Tags.empty(), s -> s.stats().queuedBytes());
    counter(registry, "ebsockets.replies.dropped", "replies that matched no pending request",
        Tags.empty(), s -> s.stats().droppedReplies());
    TimeGauge.builder("ebsockets.pump.lag", system, TimeUnit.NANOSECONDS,
            sys -> snapshot().stats().pumpLagNanos())
        .description("about how long the oldest event not yet pumped has waited (sampled)")
        .tags(tags)
        .register(registry);
    gauge(registry, "ebsockets.outbound.backlog", "bytes of sends not yet written to a socket",
        Tags.empty(), s -> s.stats().outboundBacklogBytes());
    FunctionTimer.builder("ebsockets.requests", system,
            sys -> snapshot().stats().requests().answered(),
            sys -> snapshot().stats().requests().answeredNanos(), TimeUnit.NANOSECONDS)
        .description("the server's requests to its clients that were answered, and their time")
        .tags(tags)
        .register(registry);
    counter(registry, "ebsockets.requests.sent", "requests sent to clients", Tags.empty(),
        s -> s.stats().requests().sent());
    counter(registry, "ebsockets.requests.timeouts", "requests that got no reply in time",
        Tags.empty(), s -> s.stats().requests().timedOut());
    counter(registry, "ebsockets.requests.failed", "requests whose connection ended first",
        Tags.empty(), s -> s.stats().requests().failed());
    bindSessions(registry);
    if (system.stats().cluster().clustered()) {
      bindCluster(registry);
    }
  }

  private void bindSessions(MeterRegistry registry) {
    gauge(registry, "ebsockets.sessions.kept", "resumable sessions kept", Tags.empty(),
        s -> s.stats().sessions().kept());
    gauge(registry, "ebsockets.sessions.waiting", "resumable sessions waiting for their client",
        Tags.empty(), s -> s.stats().sessions().disconnected());
    gauge(registry, "ebsockets.sessions.replay.events", "events held for replay", Tags.empty(),
        s -> s.stats().sessions().replayEvents());
    gauge(registry, "ebsockets.sessions.replay.bytes", "bytes of the events held for replay",
        Tags.empty(), s -> s.stats().sessions().replayBytes());
    counter(registry, "ebsockets.sessions.resumed", "resumes accepted", Tags.empty(),
        s -> s.stats().sessions().resumed());
    counter(registry, "ebsockets.sessions.expired", "sessions that ended without resuming",
        Tags.empty(), s -> s.stats().sessions().expired());
    counter(registry, "ebsockets.sessions.refused", "resumes refused (unknown id, wrong token)",
        Tags.empty(), s -> s.stats().sessions().refused());
  }

  private void bindCluster(MeterRegistry registry) {
    gauge(registry, "ebsockets.cluster.live", "1 while cross-node delivery works", Tags.empty(),
        s -> s.stats().cluster().live() ? 1 : 0);
    counter(registry, "ebsockets.cluster.published", "messages handed to the bus", Tags.empty(),
        s -> s.stats().cluster().published());
    counter(registry, "ebsockets.cluster.publish.failed", "messages the bus failed to publish",
        Tags.empty(), s -> s.stats().cluster().publishFailed());
    counter(registry, "ebsockets.cluster.received", "messages from other nodes", Tags.empty(),
        s -> s.stats().cluster().received());
    counter(registry, "ebsockets.cluster.duplicates", "messages received twice, dropped",
        Tags.empty(), s -> s.stats().cluster().duplicates());
    counter(registry, "ebsockets.cluster.gaps", "incidents of messages gone missing",
        Tags.empty(), s -> s.stats().cluster().gaps());
    counter(registry, "ebsockets.cluster.missed", "messages known missing", Tags.empty(),
        s -> s.stats().cluster().missed());
    counter(registry, "ebsockets.cluster.overflowed", "messages dropped by a full queue",
        Tags.empty(), s -> s.stats().cluster().overflowed());
    counter(registry, "ebsockets.cluster.reconnects", "times the bus lost its connection",
        Tags.empty(), s -> s.stats().cluster().disconnects());
  }

  private void gauge(MeterRegistry registry, String name, String help, Tags own,
      ToDoubleFunction<Snapshot> value) {
    // The system is the state Micrometer holds weakly: the application holds it; the function,
    // held strongly, reads this binder's snapshot.
    Gauge.builder(name, system, sys -> value.applyAsDouble(snapshot()))
        .description(help)
        .tags(tags.and(own))
        .register(registry);
  }

  private void counter(MeterRegistry registry, String name, String help, Tags own,
      ToDoubleFunction<Snapshot> value) {
    FunctionCounter.builder(name, system, sys -> value.applyAsDouble(snapshot()))
        .description(help)
        .tags(tags.and(own))
        .register(registry);
  }

  /** The counters, read again if the last read is older than {@link #SNAPSHOT_NANOS}. */
  private Snapshot snapshot() {
    Snapshot s = snapshot;
    long now = System.nanoTime();
    if (s == null || now - s.takenNanos() > SNAPSHOT_NANOS) {
      Map<Door, Integer> byDoor = new EnumMap<>(Door.class);
      for (EbsocketConnection c : system.clients()) {
        byDoor.merge(c.door(), 1, Integer::sum);
      }
      s = new Snapshot(now, system.stats(), byDoor, system.health().ok());
      snapshot = s;
    }
    return s;
  }

  private static String doorName(Door door) {
    return door == Door.WEB_SOCKET ? "websocket" : door.name().toLowerCase(Locale.ROOT);
  }
}
