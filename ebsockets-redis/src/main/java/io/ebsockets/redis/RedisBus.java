package io.ebsockets.redis;

import io.ebsockets.ConnectionId;
import io.ebsockets.PresenceMember;
import io.ebsockets.spi.ClusterBus;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.lettuce.core.resource.Delay;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A cluster bus on Redis pub/sub, through Lettuce: many ebsockets nodes behind a load balancer
 * reach each other's clients. Give it to {@link io.ebsockets.EbsocketServer.Builder#cluster}.
 *
 * <pre>{@code
 * EbsocketServer server = EbsocketServer.builder()
 *     .port(7982)
 *     .cluster(RedisBus.create("redis://127.0.0.1:6379"))
 *     .presenceAttributes("name")
 *     .build();
 * }</pre>
 *
 * <p>Redis is given as a URI: {@code redis://[[user]:password@]host[:port][/database]}, or
 * {@code rediss://} for TLS (verified against the JVM's trust store, or the CA of {@link
 * Builder#trustPem}). The bus holds three
 * connections: one that subscribes, one that publishes, one for presence and heartbeats. It
 * uses sharded pub/sub ({@code SSUBSCRIBE}/{@code SPUBLISH}) when the server is Redis 7 or
 * later, plain pub/sub before.
 *
 * <p><b>While Redis is away</b> nothing waits for it: Lettuce is set to reject commands while
 * disconnected and to queue at most {@link #DEFAULT_REQUEST_QUEUE_SIZE} per connection, so a
 * cross-node send fails at once (and is counted) instead of piling up; the bus reconnects with
 * full-jitter backoff (100 ms to 5 s) and subscribes again. What it promises is in
 * docs/SCALING.md.
 *
 * <p><b>Threads.</b> Lettuce's own (Netty event loops): they only hand messages to the node's
 * queue, never deliver them. {@link #start} and {@link #close} block; nothing else does.
 */
public final class RedisBus implements ClusterBus {
  private static final Logger log = LoggerFactory.getLogger(RedisBus.class);

  /** The default namespace: keys and channels start with it. */
  public static final String DEFAULT_NAMESPACE = "ebs";
  /** The default interval of node heartbeats: 2 seconds. */
  public static final Duration DEFAULT_HEARTBEAT = Duration.ofSeconds(2);
  /**
   * The default node timeout: 10 seconds. A node whose heartbeat is this late is dead: its
   * members and connections leave presence, and its id may be claimed again.
   */
  public static final Duration DEFAULT_NODE_TIMEOUT = Duration.ofSeconds(10);
  /** The default bound on commands queued per Redis connection: 10,000. */
  public static final int DEFAULT_REQUEST_QUEUE_SIZE = 10_000;

  private final RedisURI uri;
  private final String namespace;
  private final String prefix;
  private final Duration heartbeat;
  private final Duration nodeTimeout;
  private final int requestQueueSize;
  private final Boolean sharded;
  private final java.nio.file.Path trustPem;

  private final Set<String> wanted = ConcurrentHashMap.newKeySet();
  private final Set<String> confirmed = ConcurrentHashMap.newKeySet();
  private final AtomicBoolean down = new AtomicBoolean();
  private final AtomicBoolean closed = new AtomicBoolean();
  private ClientResources resources;
  private RedisClient client;
  private StatefulRedisPubSubConnection<String, byte[]> subscriber;
  private StatefulRedisConnection<String, byte[]> publisher;
  private StatefulRedisConnection<String, String> store;
  private RedisPresence presence;
  private boolean useSharded;
  private volatile Node node;
  private ScheduledFuture<?> heartbeats;

  private RedisBus(Builder b) {
    this.uri = b.uri;
    this.namespace = b.namespace;
    this.prefix = b.namespace + ":";
    this.heartbeat = b.heartbeat;
    this.nodeTimeout = b.nodeTimeout;
    this.requestQueueSize = b.requestQueueSize;
    this.sharded = b.sharded;
    this.trustPem = b.trustPem;
  }

  /**
   * A bus with every option at its default.
   *
   * @param uri e.g. {@code redis://127.0.0.1:6379}
   * @return the bus, not yet connected (the server connects it when built)
   * @throws IllegalArgumentException if the URI is not a redis:// or rediss:// URI
   */
  public static RedisBus create(String uri) {
    return builder(uri).build();
  }

  /**
   * Starts a builder.
   *
   * @param uri e.g. {@code redis://127.0.0.1:6379} or {@code rediss://user:secret@redis:6380}
   * @return a builder with every other option at its default
   * @throws IllegalArgumentException if the URI is not a redis:// or rediss:// URI
   */
  public static Builder builder(String uri) {
    return new Builder(uri);
  }

  // ------------------------------------------------------------------------------ lifecycle

  @Override
  public void start(Node node) {
    this.node = Objects.requireNonNull(node, "node");
    resources = DefaultClientResources.builder()
        .ioThreadPoolSize(2)
        .computationThreadPoolSize(2) // Lettuce's least
        .reconnectDelay(
            Delay.fullJitter(Duration.ofMillis(100), Duration.ofSeconds(5), 100, TimeUnit.MILLISECONDS))
        .build();
    client = RedisClient.create(resources, uri);
    ClientOptions.Builder options = ClientOptions.builder();
    if (trustPem != null) {
      // Read here, once: given a file, Lettuce reads it on its event loop at every connect.
      options.sslOptions(io.lettuce.core.SslOptions.builder().jdkSslProvider()
          .trustManager(trustManagers(trustPem)).build());
    }
    client.setOptions(options
        .autoReconnect(true)
        .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
        .requestQueueSize(requestQueueSize)
        .socketOptions(SocketOptions.builder().connectTimeout(Duration.ofSeconds(3)).build())
        .timeoutOptions(TimeoutOptions.enabled(Duration.ofSeconds(5)))
        .build());
    try {
      RedisCodec<String, byte[]> codec = RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE);
      store = client.connect(StringCodec.UTF8);
      publisher = client.connect(codec);
      subscriber = client.connectPubSub(codec);
      useSharded = sharded != null ? sharded : majorVersion(store) >= 7;
      presence = new RedisPresence(store.async(), namespace);
      claim(node);
    } catch (RedisException e) {
      closeQuietly();
      throw new IllegalStateException(
          "cluster bus: cannot reach Redis at " + where() + " (" + causes(e) + ")", e);
    } catch (RuntimeException e) {
      closeQuietly();
      throw e;
    }
    subscriber.addListener(new Listener());
    subscriber.addListener(new LinkWatch());
    long period = heartbeat.toMillis();
    heartbeats = resources.eventExecutorGroup()
        .scheduleAtFixedRate(this::beat, period, period, TimeUnit.MILLISECONDS);
    log.info("cluster: node {} on Redis {} ({} pub/sub)", node.id(), where(),
        useSharded ? "sharded" : "plain");
  }

  private void claim(Node node) {
    String holder;
    try {
      holder = presence.heartbeat(node.id(), node.epoch(), nodeTimeout.toMillis(), 0)
          .toCompletableFuture().get(5, TimeUnit.SECONDS);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException(
          "cluster bus: cannot claim node id '" + node.id() + "' on Redis " + where() + " (" + e
              + ")", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("cluster bus: interrupted while claiming the node id", e);
    }
    if (!holder.isEmpty()) {
      String[] f = holder.split(" ");
      throw new IllegalStateException(
          "node id '" + node.id() + "' is held by another live node on Redis " + where()
              + " (its epoch " + f[0] + ", its claim good for " + f[1] + " ms more; expected: a"
              + " node id no live node holds — give each node its own, or none and each makes"
              + " its own; a node that stopped without closing frees its id within "
              + nodeTimeout.toMillis() + " ms)");
    }
  }

  /** Every heartbeat period, on a Lettuce thread: keeps the claim and the subscriptions. */
  private void beat() {
    Node n = node;
    presence.heartbeat(n.id(), n.epoch(), nodeTimeout.toMillis(), n.connections())
        .whenComplete((holder, error) -> {
          if (holder != null && !holder.isEmpty()) {
            log.error("cluster: node id '{}' was claimed by another node (epoch {}) after this"
                + " one's heartbeats stopped reaching Redis; two nodes now answer to it", n.id(),
                holder);
          }
        });
    reconcile();
  }

  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    if (heartbeats != null) {
      heartbeats.cancel(false);
    }
    Node n = node;
    if (presence != null && n != null) {
      try {
        presence.release(n.id(), n.epoch()).toCompletableFuture().get(2, TimeUnit.SECONDS);
      } catch (ExecutionException | TimeoutException e) {
        log.debug("cluster: could not withdraw node {} ({}); it expires by itself", n.id(), e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    closeQuietly();
  }

  /** Shutting the client down closes its connections too (closing them first makes it warn). */
  private void closeQuietly() {
    if (client != null) {
      client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    }
    if (resources != null) {
      resources.shutdown(0, 2, TimeUnit.SECONDS);
    }
  }

  // ------------------------------------------------------------------------------ pub/sub

  @Override
  public boolean publish(String channel, byte[] message) {
    if (closed.get() || !publisher.isOpen()) {
      return false;
    }
    String name = prefix + channel;
    try {
      (useSharded ? publisher.async().spublish(name, message)
              : publisher.async().publish(name, message))
          .whenComplete((receivers, error) -> {
            if (error != null) {
              node.publishFailed(channel, error);
            }
          });
      return true;
    } catch (RedisException e) {
      return false; // the request queue is full
    }
  }

  @Override
  public void subscribe(String channel) {
    if (wanted.add(channel)) {
      send(channel, true);
    }
  }

  @Override
  public void unsubscribe(String channel) {
    if (wanted.remove(channel)) {
      send(channel, false);
    }
  }

  /** Subscribes to what is wanted and not confirmed, leaves what is confirmed and not wanted. */
  private void reconcile() {
    for (String channel : wanted) {
      if (!confirmed.contains(channel)) {
        send(channel, true);
      }
    }
    for (String channel : confirmed) {
      if (!wanted.contains(channel)) {
        send(channel, false);
      }
    }
  }

  private void send(String channel, boolean subscribe) {
    if (closed.get() || !subscriber.isOpen()) {
      return; // done again when the link is back
    }
    String name = prefix + channel;
    var commands = subscriber.async();
    try {
      if (useSharded) {
        (subscribe ? commands.ssubscribe(name) : commands.sunsubscribe(name)).exceptionally(e -> null);
      } else {
        (subscribe ? commands.subscribe(name) : commands.unsubscribe(name)).exceptionally(e -> null);
      }
    } catch (RedisException e) {
      // the queue is full: the next heartbeat tries again
    }
  }

  private String local(String redisChannel) {
    return redisChannel.startsWith(prefix) ? redisChannel.substring(prefix.length()) : null;
  }

  /** Messages and subscription confirmations, on a Lettuce thread. */
  private final class Listener extends RedisPubSubAdapter<String, byte[]> {
    @Override
    public void message(String channel, byte[] message) {
      String local = local(channel);
      if (local != null) {
        node.received(local, message);
      }
    }

    @Override
    public void smessage(String channel, byte[] message) {
      message(channel, message);
    }

    @Override
    public void subscribed(String channel, long count) {
      confirm(channel, true);
    }

    @Override
    public void ssubscribed(String channel, long count) {
      confirm(channel, true);
    }

    @Override
    public void unsubscribed(String channel, long count) {
      confirm(channel, false);
    }

    @Override
    public void sunsubscribed(String channel, long count) {
      confirm(channel, false);
    }

    private void confirm(String channel, boolean subscribed) {
      String local = local(channel);
      if (local == null) {
        return;
      }
      if (subscribed) {
        confirmed.add(local);
        // Up again once every channel the node wants is subscribed again.
        if (down.get() && confirmed.containsAll(wanted) && down.compareAndSet(true, false)) {
          node.linkUp();
        }
      } else {
        confirmed.remove(local);
      }
    }
  }

  /**
   * The subscriber's connection going, on a Lettuce thread. Its coming back needs no hook:
   * Lettuce subscribes again by itself once the connection is ready, the heartbeat mends what
   * it missed, and the link counts as up when every wanted channel is confirmed again.
   */
  private final class LinkWatch implements RedisConnectionStateListener {
    @Override
    public void onRedisDisconnected(RedisChannelHandler<?, ?> connection) {
      confirmed.clear();
      if (!closed.get() && down.compareAndSet(false, true)) {
        node.linkDown("the subscriber's connection to " + where() + " closed");
      }
    }
  }

  // ------------------------------------------------------------------------------ presence

  @Override
  public void joined(String group, ConnectionId member, Map<String, String> attributes) {
    try {
      presence.joined(group, member, node.epoch(), attributes);
    } catch (RedisException e) {
      // Redis away or the queue full: presence shows this member once it joins again
    }
  }

  @Override
  public void left(String group, ConnectionId member) {
    try {
      presence.left(group, member);
    } catch (RedisException e) {
      // an entry left behind vanishes with this node's epoch
    }
  }

  @Override
  public CompletableFuture<List<PresenceMember>> members(String group) {
    try {
      return presence.members(group);
    } catch (RedisException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  @Override
  public CompletableFuture<Long> connectionCount() {
    try {
      return presence.connectionCount();
    } catch (RedisException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  // ------------------------------------------------------------------------------ helpers

  private String where() {
    return (uri.isSsl() ? "rediss://" : "redis://") + uri.getHost() + ":" + uri.getPort();
  }

  private static javax.net.ssl.TrustManagerFactory trustManagers(java.nio.file.Path pem) {
    try (java.io.InputStream in = java.nio.file.Files.newInputStream(pem)) {
      java.security.KeyStore store = java.security.KeyStore.getInstance("PKCS12");
      store.load(null, null);
      int i = 0;
      for (java.security.cert.Certificate c :
          java.security.cert.CertificateFactory.getInstance("X.509").generateCertificates(in)) {
        store.setCertificateEntry("ca-" + i++, c);
      }
      if (i == 0) {
        throw new IllegalStateException("trustPem: " + pem + " holds no certificate");
      }
      javax.net.ssl.TrustManagerFactory tmf = javax.net.ssl.TrustManagerFactory.getInstance(
          javax.net.ssl.TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(store);
      return tmf;
    } catch (java.io.IOException | java.security.GeneralSecurityException e) {
      throw new IllegalStateException("trustPem: cannot read " + pem + " (" + e.getMessage() + ")", e);
    }
  }

  /** "Unable to connect: WRONGPASS invalid username-password pair", every cause once. */
  private static String causes(Throwable e) {
    StringBuilder text = new StringBuilder(String.valueOf(e.getMessage()));
    for (Throwable c = e.getCause(); c != null && c != c.getCause(); c = c.getCause()) {
      if (c.getMessage() != null && !text.toString().contains(c.getMessage())) {
        text.append(": ").append(c.getMessage());
      }
    }
    return text.toString();
  }

  private static int majorVersion(StatefulRedisConnection<String, String> store) {
    String info = store.sync().info("server");
    for (String line : info.split("\r?\n")) {
      if (line.startsWith("redis_version:")) {
        String v = line.substring("redis_version:".length()).trim();
        try {
          return Integer.parseInt(v.substring(0, v.indexOf('.')));
        } catch (RuntimeException e) {
          return 0;
        }
      }
    }
    return 0;
  }

  /** Returns e.g. {@code RedisBus(redis://127.0.0.1:6379, namespace ebs)}; no password. */
  @Override
  public String toString() {
    return "RedisBus(" + where() + ", namespace " + namespace + ")";
  }

  /** Options of a {@link RedisBus}; every setter validates. */
  public static final class Builder {
    private final RedisURI uri;
    private String namespace = DEFAULT_NAMESPACE;
    private Duration heartbeat = DEFAULT_HEARTBEAT;
    private Duration nodeTimeout = DEFAULT_NODE_TIMEOUT;
    private int requestQueueSize = DEFAULT_REQUEST_QUEUE_SIZE;
    private Boolean sharded;
    private java.nio.file.Path trustPem;

    private Builder(String uri) {
      Objects.requireNonNull(uri, "uri");
      String scheme = URI.create(uri).getScheme();
      if (!"redis".equals(scheme) && !"rediss".equals(scheme)) {
        throw new IllegalArgumentException(
            "uri: '" + uri + "' (expected: redis://host:port or rediss://host:port)");
      }
      this.uri = RedisURI.create(uri);
    }

    /**
     * Sets the namespace: the prefix of every key and channel, so that several applications
     * can share one Redis.
     *
     * @param namespace letters, digits, '.', '_' or '-'; default {@value #DEFAULT_NAMESPACE}
     * @return this builder
     */
    public Builder namespace(String namespace) {
      if (!ConnectionId.isValidNodeId(namespace)) {
        throw new IllegalArgumentException(
            "namespace: '" + namespace + "' (expected: 1 to 64 letters, digits, '.', '_' or '-')");
      }
      this.namespace = namespace;
      return this;
    }

    /**
     * Sets how often a node tells Redis it is alive (and its connection count).
     *
     * @param heartbeat greater than zero, under a third of the node timeout; default 2 s
     * @return this builder
     */
    public Builder heartbeat(Duration heartbeat) {
      this.heartbeat = positive(heartbeat, "heartbeat");
      return this;
    }

    /**
     * Sets how late a heartbeat may be before the node counts as dead: its presence vanishes,
     * its id is free again. This is the bound on how long presence shows a dead node's members.
     *
     * @param nodeTimeout greater than zero, at least three heartbeats; default 10 s
     * @return this builder
     */
    public Builder nodeTimeout(Duration nodeTimeout) {
      this.nodeTimeout = positive(nodeTimeout, "nodeTimeout");
      return this;
    }

    /**
     * Sets how many commands each connection may queue while Redis is slow; past it, a publish
     * fails at once and is counted.
     *
     * @param size greater than zero; default {@value #DEFAULT_REQUEST_QUEUE_SIZE}
     * @return this builder
     */
    public Builder requestQueueSize(int size) {
      if (size <= 0) {
        throw new IllegalArgumentException("requestQueueSize: " + size + " (expected: > 0)");
      }
      this.requestQueueSize = size;
      return this;
    }

    /**
     * Chooses sharded pub/sub (Redis 7's {@code SPUBLISH}) or plain; by default the bus asks
     * the server and uses sharded when it can.
     *
     * @param sharded true for sharded, false for plain
     * @return this builder
     */
    public Builder shardedPubSub(boolean sharded) {
      this.sharded = sharded;
      return this;
    }

    /**
     * Trusts the certificates in a PEM file (a private CA's) for a {@code rediss://} URI, instead
     * of the JVM's trust store. The server's name or IP address must match its certificate.
     *
     * @param caPem a PEM file of one or more certificates
     * @return this builder
     * @throws IllegalArgumentException if the file cannot be read or the URI is not rediss://
     */
    public Builder trustPem(java.nio.file.Path caPem) {
      Objects.requireNonNull(caPem, "caPem");
      if (!uri.isSsl()) {
        throw new IllegalArgumentException(
            "trustPem: given for a redis:// URI (expected: rediss://, which speaks TLS)");
      }
      if (!java.nio.file.Files.isReadable(caPem)) {
        throw new IllegalArgumentException("trustPem: " + caPem + " (expected: a readable PEM file)");
      }
      this.trustPem = caPem;
      return this;
    }

    /**
     * Builds the bus (it connects when the server starts it).
     *
     * @return the bus
     * @throws IllegalArgumentException if the heartbeat is not under a third of the node timeout
     */
    public RedisBus build() {
      if (heartbeat.multipliedBy(3).compareTo(nodeTimeout) > 0) {
        throw new IllegalArgumentException(
            "heartbeat: " + heartbeat + " with nodeTimeout " + nodeTimeout
                + " (expected: at least three heartbeats per node timeout)");
      }
      return new RedisBus(this);
    }

    private static Duration positive(Duration d, String name) {
      Objects.requireNonNull(d, name);
      if (d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException(name + ": " + d + " (expected: > 0)");
      }
      return d;
    }
  }
}
