package io.ebsockets.bench.cluster;

import io.ebsockets.bench.load.LoadClient;
import io.ebsockets.bench.load.LoadEngine;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * The load side of {@code bench/netns.sh}: clients on each node's address (inside the script's
 * network namespaces), a few senders on each node offering a steady rate, and every receiver
 * checking each sender's numbers. Prints one line a second (deliveries, duplicates, out of
 * order, numbers skipped, p50/p99) so the script's events — a node killed, Redis restarted —
 * show in the timeline, then totals. Clients of a killed node stop counting when it closes.
 *
 * <pre>NetnsLoad SECONDS RATE CLIENTS_PER_NODE HOST:PORT [HOST:PORT...]</pre>
 */
public final class NetnsLoad {
  private NetnsLoad() {}

  /** Checks one receiver's view of every sender's stream. */
  private static final class Receiver implements LoadClient.Listener {
    private final long[] next;
    private final LongAdder delivered;
    private final LongAdder duplicated;
    private final LongAdder reordered;
    private final LongAdder skipped;
    private final Recorder latency;

    Receiver(int senders, LongAdder delivered, LongAdder duplicated, LongAdder reordered,
        LongAdder skipped, Recorder latency) {
      this.next = new long[senders];
      java.util.Arrays.fill(next, -1);
      this.delivered = delivered;
      this.duplicated = duplicated;
      this.reordered = reordered;
      this.skipped = skipped;
      this.latency = latency;
    }

    @Override
    public void onLoad(LoadClient client, int sender, long seq, long sendNanos, long now) {
      delivered.increment();
      latency.recordValue(Math.max(0, now - sendNanos));
      long expected = next[sender];
      if (expected < 0 || seq == expected) {
        next[sender] = seq + 1;
      } else if (seq > expected) {
        skipped.add(seq - expected);
        next[sender] = seq + 1;
      } else {
        // Below what was expected: seen before (a duplicate) or late (out of order); the
        // senders number from 0 without holes, so a number below is never new.
        duplicated.increment();
        reordered.increment();
      }
    }
  }

  public static void main(String[] args) throws Exception {
    int seconds = Integer.parseInt(args[0]);
    int rate = Integer.parseInt(args[1]);
    int perNode = Integer.parseInt(args[2]);
    List<InetSocketAddress> nodes = new ArrayList<>();
    for (int i = 3; i < args.length; i++) {
      String[] hp = args[i].split(":");
      nodes.add(new InetSocketAddress(hp[0], Integer.parseInt(hp[1])));
    }
    int senders = 2 * nodes.size();
    LongAdder delivered = new LongAdder();
    LongAdder duplicated = new LongAdder();
    LongAdder reordered = new LongAdder();
    LongAdder skipped = new LongAdder();
    Recorder latency = new Recorder(3_600_000_000_000L, 3);
    List<LoadEngine> engines = new ArrayList<>();
    List<LoadClient> clients = new ArrayList<>();
    for (InetSocketAddress node : nodes) {
      LoadEngine engine = new LoadEngine(node, 1);
      engines.add(engine);
      for (int i = 0; i < perNode; i++) {
        clients.add(engine.connect(new LoadClient(clients.size(),
            new Receiver(senders, delivered, duplicated, reordered, skipped, latency)), 0));
      }
    }
    // Senders: the first two clients of each node.
    List<LoadClient> senderClients = new ArrayList<>();
    for (int s = 0; s < senders; s++) {
      senderClients.add(clients.get((s / 2) * perNode + (s % 2)));
    }
    PacedSenders paced = PacedSenders.start(senderClients, rate);
    System.out.println("| second | deliveries/s | duplicates | out of order | skipped | p50 ms | p99 ms | clients open |");
    System.out.println("|---:|---:|---:|---:|---:|---:|---:|---:|");
    long last = 0;
    Histogram total = new Histogram(3_600_000_000_000L, 3);
    long start = System.nanoTime();
    for (int second = 1; second <= seconds; second++) {
      long end = start + TimeUnit.SECONDS.toNanos(second);
      for (long left = end - System.nanoTime(); left > 0; left = end - System.nanoTime()) {
        java.util.concurrent.locks.LockSupport.parkNanos(left); // the timeline's pace
      }
      Histogram h = latency.getIntervalHistogram();
      total.add(h);
      long now = delivered.sum();
      long open = clients.stream().filter(c -> !c.isClosed()).count();
      System.out.printf(Locale.ROOT, "| %d | %,d | %d | %d | %d | %.1f | %.1f | %d |%n", second,
          now - last, duplicated.sum(), reordered.sum(), skipped.sum(),
          h.getTotalCount() == 0 ? 0 : h.getValueAtPercentile(50) / 1e6,
          h.getTotalCount() == 0 ? 0 : h.getValueAtPercentile(99) / 1e6, open);
      last = now;
    }
    paced.stop();
    System.out.printf(Locale.ROOT, "TOTAL deliveries %d, duplicates %d, out of order %d,"
            + " skipped %d, p50 %.1f ms, p99 %.1f ms%n", delivered.sum(), duplicated.sum(),
        reordered.sum(), skipped.sum(), total.getValueAtPercentile(50) / 1e6,
        total.getValueAtPercentile(99) / 1e6);
    for (LoadClient c : clients) {
      LoadEngine.closeAll(c);
    }
    for (LoadEngine e : engines) {
      e.close();
    }
  }
}
