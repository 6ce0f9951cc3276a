package io.ebsockets.bench.cluster;

import io.ebsockets.bench.load.LoadClient;
import io.ebsockets.bench.load.LoadEngine;
import io.ebsockets.bench.load.ServerProcess;
import io.ebsockets.testsupport.RedisServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Cross-node broadcast beside one node alone, in one invocation: {@code RelayServer} as one node
 * with all the clients, then as two nodes on one Redis with half the clients each, every sender
 * offering the same rates. For each rate it prints deliveries per second achieved, p50/p99
 * latency from send to receipt, and (two nodes) Redis's CPU per published message, read from
 * {@code /proc/<pid>/stat}. The highest rate each setup sustains (99% delivered, p99 under
 * 100 ms) is the capacity line. Everything runs on this machine's two cores: two nodes, Redis
 * and the load share them, so this measures contention as much as capacity.
 *
 * <pre>
 * bench/run.sh cluster   # or: java -cp ... io.ebsockets.bench.cluster.ClusterBench CLIENTS REPEATS
 * </pre>
 */
public final class ClusterBench {
  private static final int SENDERS = 10;
  private static final int STEP_SECONDS = 5;
  private static final int[] RATES = {2_000, 8_000, 16_000, 32_000, 48_000, 64_000};

  private ClusterBench() {}

  public static void main(String[] args) throws Exception {
    int clients = args.length > 0 ? Integer.parseInt(args[0]) : 100;
    int repeats = args.length > 1 ? Integer.parseInt(args[1]) : 3;
    List<String> jvm = List.of("-Xms512m", "-Xmx512m", "-XX:+UseParallelGC",
        "-XX:ParallelGCThreads=1");
    System.out.println("| setup | clients | offered msgs/s | deliveries/s | p50 ms | p99 ms"
        + " | Redis CPU µs/msg | repetition |");
    System.out.println("|---|---:|---:|---:|---:|---:|---:|---:|");
    try (RedisServer redis = RedisServer.start()) {
      for (int rep = 1; rep <= repeats; rep++) {
        ServerProcess alone = ServerProcess.start("io.ebsockets.examples.RelayServer", List.of(),
            jvm, Path.of("target/bench/cluster-alone.log"), List.of("--io-threads", "1"));
        try {
          run("one node", List.of(alone), clients, null, rep);
        } finally {
          alone.close();
        }
        List<ServerProcess> two = new ArrayList<>();
        try {
          for (int n = 0; n < 2; n++) {
            two.add(ServerProcess.start("io.ebsockets.examples.RelayServer", List.of(), jvm,
                Path.of("target/bench/cluster-node" + n + ".log"),
                List.of("--io-threads", "1", "--redis", redis.uri())));
          }
          run("two nodes + Redis", two, clients, redis, rep);
        } finally {
          for (ServerProcess p : two) {
            p.close();
          }
        }
      }
    }
  }

  private static void run(String setup, List<ServerProcess> nodes, int clients, RedisServer redis,
      int rep) throws Exception {
    LongAdder delivered = new LongAdder();
    Recorder latency = new Recorder(3_600_000_000L, 3);
    List<LoadEngine> engines = new ArrayList<>();
    List<LoadClient> all = new ArrayList<>();
    for (ServerProcess node : nodes) {
      engines.add(LoadEngine.of(node, 1));
    }
    try {
      for (int i = 0; i < clients; i++) {
        LoadEngine engine = engines.get(i % engines.size());
        all.add(engine.connect(new LoadClient(i, (client, sender, seq, sent, now) -> {
          delivered.increment();
          latency.recordValue(Math.max(0, now - sent));
        }), 0));
      }
      step(null, all, clients, RATES[0], delivered, latency, redis, rep); // warm-up, not shown
      for (int rate : RATES) {
        step(setup, all, clients, rate, delivered, latency, redis, rep);
      }
    } finally {
      for (LoadClient c : all) {
        LoadEngine.closeAll(c);
      }
      for (LoadEngine e : engines) {
        e.close();
      }
    }
  }

  private static void step(String setup, List<LoadClient> all, int clients, int rate,
      LongAdder delivered, Recorder latency, RedisServer redis, int rep) throws Exception {
    // Senders spread over the nodes (client i is on node i % nodes).
    PacedSenders senders = PacedSenders.start(all.subList(0, SENDERS), rate);
    try {
      // One second to settle, then the measured seconds.
      waitNanos(TimeUnit.SECONDS.toNanos(1));
      latency.getIntervalHistogram();
      long before = delivered.sum();
      long redisBefore = redis == null ? 0 : cpuMicros(redis.pid());
      long start = System.nanoTime();
      waitNanos(TimeUnit.SECONDS.toNanos(STEP_SECONDS));
      double seconds = (System.nanoTime() - start) / 1e9;
      long got = delivered.sum() - before;
      Histogram h = latency.getIntervalHistogram();
      String redisCpu = "–";
      if (redis != null) {
        double published = rate * seconds;
        redisCpu = String.format(Locale.ROOT, "%.1f",
            (cpuMicros(redis.pid()) - redisBefore) / published);
      }
      if (setup == null) {
        return;
      }
      System.out.printf(Locale.ROOT, "| %s | %d | %,d | %,.0f | %.2f | %.2f | %s | %d |%n", setup,
          clients, rate, got / seconds, h.getValueAtPercentile(50) / 1e6,
          h.getValueAtPercentile(99) / 1e6, redisCpu, rep);
    } finally {
      senders.stop();
      waitNanos(TimeUnit.MILLISECONDS.toNanos(500)); // what is in flight arrives before the next step
    }
  }

  /** A benchmark's pacing, not a wait for a condition. */
  private static void waitNanos(long nanos) {
    long end = System.nanoTime() + nanos;
    for (long left = nanos; left > 0; left = end - System.nanoTime()) {
      java.util.concurrent.locks.LockSupport.parkNanos(left);
    }
  }

  /** User plus system CPU time of a process, in microseconds (clock ticks of 10 ms). */
  private static long cpuMicros(long pid) throws java.io.IOException {
    String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]);
    return ticks * 10_000;
  }
}
