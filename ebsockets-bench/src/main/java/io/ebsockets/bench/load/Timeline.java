package io.ebsockets.bench.load;

import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Records a latency measurement second by second: prints each second's p50/p99/max, the server's
 * and the load tool's CPU and the machine's steal time to stderr, so that a tail can be told
 * apart as a few stalls or as queueing spread over the run, and returns the whole histogram.
 */
final class Timeline {
  private Timeline() {}

  /**
   * Measures for {@code seconds}, starting from a reset {@code latency}, printing a line (latency, the server's and the load tool's CPU, steal time, the load tool's
   * GC time) every
   * {@code stepMillis}.
   *
   * @return every value recorded in those seconds
   */
  static Histogram record(Recorder latency, ServerProcess server, int seconds, int stepMillis) {
    Histogram total = new Histogram(3);
    com.sun.management.OperatingSystemMXBean os =
        (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    latency.reset();
    long start = System.nanoTime();
    long serverCpu = server.cpuNanos();
    long loadCpu = os.getProcessCpuTime();
    long steal = stealTicks();
    long gcMillis = loadGcMillis();
    Histogram interval = null;
    long stepNanos = stepMillis * 1_000_000L;
    long steps = seconds * 1_000_000_000L / stepNanos;
    for (long s = 1; s <= steps; s++) {
      long end = start + s * stepNanos;
      long left;
      while ((left = end - System.nanoTime()) > 0) {
        LockSupport.parkNanos(left);
      }
      interval = latency.getIntervalHistogram(interval);
      total.add(interval);
      long serverNow = server.cpuNanos();
      long loadNow = os.getProcessCpuTime();
      long stealNow = stealTicks();
      long gcNow = loadGcMillis();
      System.err.printf(Locale.ROOT,
          "  %6.1fs: %,9d values  p50 %6.2f  p99 %6.2f  max %6.2f ms  server cpu %3.0f%%  load cpu %3.0f%%"
              + "  steal %d ticks  load GC %d ms%n",
          s * stepNanos / 1e9, interval.getTotalCount(), interval.getValueAtPercentile(50) / 1e6,
          interval.getValueAtPercentile(99) / 1e6, interval.getMaxValue() / 1e6,
          100.0 * (serverNow - serverCpu) / stepNanos, 100.0 * (loadNow - loadCpu) / stepNanos, stealNow - steal, gcNow - gcMillis);
      serverCpu = serverNow;
      loadCpu = loadNow;
      steal = stealNow;
      gcMillis = gcNow;
    }
    return total;
  }

  /** Time this JVM (the load tool) spent collecting garbage so far. */
  private static long loadGcMillis() {
    long sum = 0;
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      sum += Math.max(0, gc.getCollectionTime());
    }
    return sum;
  }

  /** The machine's steal time so far, in clock ticks (0 where /proc/stat has none). */
  private static long stealTicks() {
    try {
      String[] cpu = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
      return cpu.length > 8 ? Long.parseLong(cpu[8]) : 0;
    } catch (IOException | RuntimeException e) {
      return 0;
    }
  }
}
