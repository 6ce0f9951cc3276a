package io.ebsockets.bench.soak;

import io.ebsockets.bench.load.Cli;
import io.ebsockets.bench.load.LoadClient;
import io.ebsockets.bench.load.LoadEngine;
import io.ebsockets.bench.load.ServerProcess;
import io.ebsockets.bench.load.Wire;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

/**
 * Drives a mixed chat workload against a relay server for a given time and checks every message
 * by sequence number:
 *
 * <ul>
 *   <li><b>steady</b> clients stay connected and send at a fixed rate; each must receive every
 *       message of every steady sender, once and in order;
 *   <li><b>churn</b> clients join, send a few messages, read a while and leave, over and over;
 *       what they receive while connected must have no gaps, duplicates or reordering;
 *   <li><b>reset</b> clients connect, send half a frame and reset the connection;
 *   <li><b>stalled</b> clients never read; the server must drop them as slow consumers.
 * </ul>
 *
 * <pre>
 * java -cp "$(cat ebsockets-bench/target/classpath.txt):ebsockets-bench/target/classes" \
 *     io.ebsockets.bench.soak.Soak --seconds 600
 * </pre>
 *
 * Options: {@code --seconds N} (60), {@code --steady N} (50), {@code --rate N} messages per
 * second per steady client (20), {@code --churn N} (10), {@code --resets N} per second (5),
 * {@code --stalled N} (2), {@code --server host:port} (default: starts RelayServer in a JVM of its
 * own). Exits 1 if a steady client lost, duplicated or reordered anything.
 *
 * <p>{@code --cut MIN:MAX} runs the cutting mode instead ({@link CutSoak}): {@code --clients N}
 * (20) resumable clients at {@code --rate} events per second each, every connection reset after
 * a random number of bytes between MIN and MAX (1:24000 in docs/RELIABILITY.md), checked in both
 * directions.
 */
public final class Soak {
  private static final int CHURN_BASE = 1_000_000;

  private final Map<String, String> args;
  private final int seconds;
  private final int steadyCount;
  private final int rate;
  private final int churnCount;
  private final int resetsPerSecond;
  private final int stalledCount;
  private final ClassStats steady = new ClassStats("steady");
  private final ClassStats churn = new ClassStats("churn");
  private final LongAdder resetsDone = new LongAdder();
  private final LongAdder churnCycles = new LongAdder();
  private final AtomicLong[] steadySent;
  private final List<Tracker> churnTrackers = new java.util.concurrent.CopyOnWriteArrayList<>();
  private volatile boolean sending = true;
  private volatile InetSocketAddress address;
  private java.nio.file.Path serverLog;

  private Soak(Map<String, String> args) {
    this.args = args;
    this.seconds = intArg("seconds", 60);
    this.steadyCount = intArg("steady", 50);
    this.rate = intArg("rate", 20);
    this.churnCount = intArg("churn", 10);
    this.resetsPerSecond = intArg("resets", 5);
    this.stalledCount = intArg("stalled", 2);
    this.steadySent = new AtomicLong[steadyCount];
    for (int i = 0; i < steadyCount; i++) {
      steadySent[i] = new AtomicLong();
    }
  }

  private int intArg(String name, int fallback) {
    return Integer.parseInt(args.getOrDefault(name, Integer.toString(fallback)));
  }

  /** Counters of one class of clients. */
  static final class ClassStats {
    final String name;
    final LongAdder sent = new LongAdder();
    final LongAdder received = new LongAdder();
    final LongAdder lost = new LongAdder();
    final LongAdder duplicated = new LongAdder();
    final LongAdder outOfOrder = new LongAdder();

    ClassStats(String name) {
      this.name = name;
    }
  }

  /**
   * What one receiver has seen of each sender: the next expected sequence number and the gaps
   * still open. Touched only on the receiver's event loop.
   */
  static final class Tracker implements LoadClient.Listener {
    final ClassStats stats;
    final Map<Integer, long[]> next = new java.util.HashMap<>();
    final Map<Integer, Set<Long>> gaps = new java.util.HashMap<>();

    Tracker(ClassStats stats) {
      this.stats = stats;
    }

    @Override
    public void onLoad(LoadClient client, int sender, long seq, long sendNanos, long now) {
      stats.received.increment();
      long[] expected = next.get(sender);
      if (expected == null) {
        // Churn receivers join mid-stream: they start from the first message they see. Steady
        // receivers were all connected before anyone sent, so they start at 0.
        expected = new long[] {stats.name.equals("steady") && sender < CHURN_BASE ? 0 : seq};
        next.put(sender, expected);
      }
      if (seq == expected[0]) {
        expected[0]++;
      } else if (seq > expected[0]) {
        Set<Long> open = gaps.computeIfAbsent(sender, s -> new HashSet<>());
        for (long missing = expected[0]; missing < seq; missing++) {
          open.add(missing);
        }
        expected[0] = seq + 1;
      } else {
        Set<Long> open = gaps.get(sender);
        if (open != null && open.remove(seq)) {
          stats.outOfOrder.increment();
        } else {
          stats.duplicated.increment();
        }
      }
    }

    long openGaps() {
      return gaps.values().stream().mapToLong(Set::size).sum();
    }
  }

  public static void main(String[] argv) throws Exception {
    Map<String, String> args = Cli.parse("Soak",
        "Steady clients, churn, resets and stalled readers against one server.",
        java.util.List.of(
            Cli.option("seconds", "S", "how long to run"),
            Cli.option("steady", "N", "steady chatting clients"),
            Cli.option("churn", "RATE", "connects and closes per second"),
            Cli.option("rate", "RATE", "events per second per steady client"),
            Cli.option("resets", "RATE", "half-frame resets per second"),
            Cli.option("stalled", "N", "clients that never read"),
            Cli.option("server", "HOST:PORT", "an existing server (default: start RelayServer)"),
            Cli.option("server-log", "FILE", "where the started server logs"),
            Cli.option("cut", "MIN:MAX", "cutting mode: resumable clients through a proxy that"
                + " resets each connection after MIN..MAX bytes (e.g. 1:24000), checked both ways"),
            Cli.option("clients", "N", "resumable clients in the cutting mode (20)")),
        argv);
    if (args.containsKey("cut")) {
      String[] bytes = args.get("cut").split(":");
      boolean clean = new CutSoak(Integer.parseInt(args.getOrDefault("seconds", "60")),
          Integer.parseInt(args.getOrDefault("clients", "20")),
          Integer.parseInt(args.getOrDefault("rate", "20")),
          Integer.parseInt(bytes[0]), Integer.parseInt(bytes[1])).run();
      System.exit(clean ? 0 : 1);
    }
    System.exit(new Soak(args).run() ? 0 : 1);
  }

  private boolean run() throws Exception {
    ServerProcess spawned = null;
    if (args.containsKey("server")) {
      String[] hostPort = args.get("server").split(":");
      address = new InetSocketAddress(hostPort[0], Integer.parseInt(hostPort[1]));
    } else {
      serverLog = java.nio.file.Path.of(args.getOrDefault("server-log", "target/soak-server.log"));
      java.nio.file.Files.createDirectories(serverLog.toAbsolutePath().getParent());
      spawned = ServerProcess.start("io.ebsockets.examples.RelayServer", List.of(),
          List.of("-Xmx512m", "-XX:MaxDirectMemorySize=256m"), serverLog);
      address = spawned.address();
    }
    System.out.printf(Locale.ROOT, "soak: %d s against %s: %d steady x %d msg/s, %d churn, %d resets/s, %d stalled%n",
        seconds, address, steadyCount, rate, churnCount, resetsPerSecond, stalledCount);
    try (LoadEngine engine = new LoadEngine(address, 2)) {
      List<Tracker> steadyTrackers = new ArrayList<>();
      LoadClient[] steadyClients = engine.connectMany(steadyCount, 500, i -> {
        Tracker tracker = new Tracker(steady);
        steadyTrackers.add(tracker);
        return new LoadClient(i, tracker);
      });
      LoadClient[] stalled = new LoadClient[stalledCount];
      for (int i = 0; i < stalledCount; i++) {
        stalled[i] = engine.connect(new LoadClient(-1 - i, (c, s, q, t, n) -> {}), 4096);
      }
      long start = System.nanoTime();
      long end = start + TimeUnit.SECONDS.toNanos(seconds);
      for (LoadClient client : steadyClients) {
        startSending(client, steadySent[client.id()], steady);
      }
      Thread churner = new Thread(() -> churn(engine, end), "churn");
      Thread resetter = new Thread(() -> resets(end), "resets");
      churner.start();
      resetter.start();
      long nextReport = start + TimeUnit.SECONDS.toNanos(60);
      while (System.nanoTime() < end) {
        LockSupport.parkNanos(Math.min(end, nextReport) - System.nanoTime());
        if (System.nanoTime() >= nextReport) {
          System.out.printf(Locale.ROOT, "  %4d s: steady sent %d received %d%s%n",
              TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start),
              steady.sent.sum(), steady.received.sum(),
              spawned != null ? String.format(Locale.ROOT, ", server RSS %d MiB", spawned.rssBytes() >> 20) : "");
          nextReport += TimeUnit.SECONDS.toNanos(60);
        }
      }
      sending = false;
      churner.join();
      resetter.join();
      // Let what is in flight arrive: every steady receiver must reach every sender's count.
      long expectedPerReceiver = 0;
      for (AtomicLong sent : steadySent) {
        expectedPerReceiver += sent.get();
      }
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (steady.received.sum() < expectedPerReceiver * steadyCount && System.nanoTime() < deadline) {
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
      }
      long steadyStillConnected = java.util.Arrays.stream(steadyClients).filter(c -> !c.isClosed()).count();
      // A client that never reads never notices its connection closed; the server's log says.
      long stalledDropped = spawned == null ? -1 : reasonsInServerLog().getOrDefault("slow_consumer", 0L);
      // Lost: what each steady receiver did not get of the steady senders' messages.
      long lost = 0;
      for (Tracker tracker : steadyTrackers) {
        for (int sender = 0; sender < steadyCount; sender++) {
          long[] next = tracker.next.get(sender);
          long got = next == null ? 0 : next[0];
          Set<Long> open = tracker.gaps.get(sender);
          lost += steadySent[sender].get() - got + (open == null ? 0 : open.size());
        }
      }
      steady.lost.add(lost);
      churn.lost.add(churnTrackers.stream().mapToLong(Tracker::openGaps).sum());
      print(steadyStillConnected, stalledDropped, spawned);
      LoadEngine.closeAll(steadyClients);
      boolean clean = lost == 0 && steady.duplicated.sum() == 0 && steady.outOfOrder.sum() == 0
          && churn.lost.sum() == 0 && churn.duplicated.sum() == 0 && churn.outOfOrder.sum() == 0
          && steadyStillConnected == steadyCount;
      System.out.println(clean ? "soak: PASS" : "soak: FAIL");
      return clean;
    } finally {
      if (spawned != null) {
        spawned.close();
      }
    }
  }

  private void startSending(LoadClient client, AtomicLong seq, ClassStats stats) {
    Channel channel = client.channel();
    long periodNanos = TimeUnit.SECONDS.toNanos(1) / rate;
    long jitter = ThreadLocalRandom.current().nextLong(periodNanos);
    channel.eventLoop().scheduleAtFixedRate(() -> {
      if (!sending || !channel.isActive()) {
        return;
      }
      ByteBuf frame = Wire.loadFrame(channel.alloc(), client.id(), seq.get(), System.nanoTime(), 16);
      seq.incrementAndGet();
      stats.sent.increment();
      channel.writeAndFlush(frame, channel.voidPromise());
    }, jitter, periodNanos, TimeUnit.NANOSECONDS);
  }

  /** Churn clients: join, send five messages, read for a while, leave; repeat until the end. */
  private void churn(LoadEngine engine, long end) {
    int nextId = CHURN_BASE;
    List<LoadClient> current = new ArrayList<>();
    while (sending && System.nanoTime() < end) {
      try {
        while (current.size() < churnCount) {
          int id = nextId++;
          Tracker tracker = new Tracker(churn);
          churnTrackers.add(tracker);
          LoadClient client = engine.connect(new LoadClient(id, tracker), 0);
          current.add(client);
          Channel channel = client.channel();
          for (int seq = 0; seq < 5; seq++) {
            channel.writeAndFlush(Wire.loadFrame(channel.alloc(), id, seq, System.nanoTime(), 16),
                channel.voidPromise());
            churn.sent.increment();
          }
        }
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(200 + ThreadLocalRandom.current().nextInt(800)));
        LoadClient leaving = current.remove(ThreadLocalRandom.current().nextInt(current.size()));
        Channel channel = leaving.channel();
        channel.writeAndFlush(Wire.textFrame(channel.alloc(),
            "{\"type\":\"ebsockets.close\",\"data\":{\"reason\":\"client_closed\",\"message\":\"churn\"}}"))
            .addListener(f -> channel.close());
        churnCycles.increment();
      } catch (IOException e) {
        System.out.println("churn: " + e);
      }
    }
    current.forEach(c -> c.channel().close());
  }

  /** Connects, sends half a frame and resets, {@code resetsPerSecond} times a second. */
  private void resets(long end) {
    // A length prefix of 64 ('@' is its last byte), then only part of the payload.
    byte[] half = "\0\0\0@{\"type\":\"message\",\"da".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
    long period = TimeUnit.SECONDS.toNanos(1) / Math.max(1, resetsPerSecond);
    long next = System.nanoTime();
    while (sending && System.nanoTime() < end && resetsPerSecond > 0) {
      try (java.net.Socket socket = new java.net.Socket()) {
        socket.connect(address, 10_000);
        socket.getOutputStream().write(half);
        socket.setSoLinger(true, 0);
      } catch (IOException e) {
        System.out.println("reset: " + e);
      }
      resetsDone.increment();
      next += period;
      LockSupport.parkNanos(next - System.nanoTime());
    }
  }


  /** Counts the server's "Client disconnected ... (reason...)" lines by reason. */
  private Map<String, Long> reasonsInServerLog() {
    Map<String, Long> counts = new java.util.TreeMap<>();
    java.util.regex.Pattern line = java.util.regex.Pattern.compile("^Client disconnected \\S+ \\(([a-z_]+)");
    try (java.util.stream.Stream<String> lines = java.nio.file.Files.lines(serverLog)) {
      lines.forEach(l -> {
        java.util.regex.Matcher m = line.matcher(l);
        if (m.find()) {
          counts.merge(m.group(1), 1L, Long::sum);
        }
      });
    } catch (IOException e) {
      counts.put("(log unreadable: " + e + ")", 0L);
    }
    return counts;
  }

  private void print(long steadyStillConnected, long stalledDropped, ServerProcess server) {
    System.out.println();
    System.out.println("| class | clients | sent | received | lost | duplicated | out of order |");
    System.out.println("|---|---:|---:|---:|---:|---:|---:|");
    System.out.printf(Locale.ROOT, "| steady | %d (%d stayed connected) | %d | %d | %d | %d | %d |%n",
        steadyCount, steadyStillConnected, steady.sent.sum(), steady.received.sum(),
        steady.lost.sum(), steady.duplicated.sum(), steady.outOfOrder.sum());
    System.out.printf(Locale.ROOT, "| churn | %d at a time, %d joined and left | %d | %d | %d (gaps while connected) | %d | %d |%n",
        churnCount, churnCycles.sum(), churn.sent.sum(), churn.received.sum(),
        churn.lost.sum(), churn.duplicated.sum(), churn.outOfOrder.sum());
    System.out.printf(Locale.ROOT, "| reset | %d (half a frame, then RST) | - | - | - | - | - |%n", resetsDone.sum());
    System.out.printf(Locale.ROOT, "| stalled | %d (never read), %d dropped by the server as slow_consumer | - | - | - | - | - |%n",
        stalledCount, stalledDropped);
    if (server != null) {
      System.out.printf(Locale.ROOT, "server RSS at the end: %d MiB%n", server.rssBytes() >> 20);
      System.out.println("disconnects the server reported, by reason: " + reasonsInServerLog());
    }
    System.out.println();
  }
}
